"""Test configuration: Hypothesis explores freely on a developer's machine, but replays a
fixed set of examples in CI (CI=true), so a landing never depends on luck."""

import os

from hypothesis import settings

settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")
