"""Test configuration.

Hypothesis explores freely on a developer's machine, but replays a fixed set of examples in CI
(CI=true), so a landing never depends on luck.

Subprocesses the tests start (`python -m hallsim ...`, often from a temporary folder) import the
hallsim of this checkout, not whichever copy happens to be installed: a second worktree or a stale
editable install would otherwise test code other than the code under test.
"""

import os
from pathlib import Path

from hypothesis import settings

ROOT = Path(__file__).resolve().parent.parent
os.environ["PYTHONPATH"] = os.pathsep.join(
    [str(ROOT)] + [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p])

settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")
