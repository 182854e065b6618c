"""Test configuration.

Hypothesis explores freely on a developer's machine, but replays a fixed set of examples in CI
(CI=true), so a landing never depends on luck.

Subprocesses the tests start (`python -m hallsim ...`, often from a temporary folder) import the
hallsim of this checkout, not whichever copy happens to be installed: a second worktree or a stale
editable install would otherwise test code other than the code under test.

The suite runs on every core with pytest-xdist (pyproject: ``-n auto --dist loadgroup``). Tests are
handed out one at a time, except a module with a module- or class-scoped fixture (a browser, a
server, a fitted hall, a set of reports): its tests stay together on one worker, so that fixture
is built once, not once per worker. A run of a single file uses no workers at all: it would
run on one worker anyway, and starting them costs more than the file.
"""

import os
from pathlib import Path

import pytest
from hypothesis import settings

ROOT = Path(__file__).resolve().parent.parent
os.environ["PYTHONPATH"] = os.pathsep.join(
    [str(ROOT)] + [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p])

settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_auto_num_workers(config: pytest.Config) -> int | None:
    """``-n auto``: no workers when the command line names tests of one file only."""
    files = {arg.split("::")[0] for arg in config.args}
    if len(files) == 1 and (config.invocation_params.dir / files.pop()).is_file():
        return 0
    return None   # xdist's own answer: one worker per core


_SHARED_SCOPES = ("class", "module", "package")


@pytest.hookimpl(tryfirst=True)   # before xdist's worker reads the groups from the marks
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        info = getattr(item, "_fixtureinfo", None)
        if info is None:
            continue
        if any(d.scope in _SHARED_SCOPES for defs in info.name2fixturedefs.values() for d in defs):
            item.add_marker(pytest.mark.xdist_group(item.nodeid.split("::")[0]))


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium driven by Playwright, one per test module, launched with the flags in
    tests/browsing.py (the browser tests skip themselves when either is missing)."""
    from tests.browsing import ARGS, CHROMIUM

    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()
