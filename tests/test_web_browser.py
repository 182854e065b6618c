"""The pages in a real browser (Debian's Chromium, headless, driven by Playwright): the
planner's edit-and-run loop and the day's replay (an exercise room: test_web_room.py)."""

from __future__ import annotations

import os
import time

import pytest

from tests.browsing import CHROMIUM, Console, serving

if not os.path.exists(CHROMIUM):
    pytest.skip("Chromium is not installed at /usr/bin/chromium", allow_module_level=True)
pytest.importorskip("fastapi")
pytest.importorskip("uvicorn")
sync_api = pytest.importorskip("playwright.sync_api")

from hallsim.web.app import create_app  # noqa: E402


@pytest.fixture(scope="module")
def base_url(tmp_path_factory):
    with serving(create_app(tmp_path_factory.mktemp("web-data"), workers=0, max_runs=2)) as url:
        yield url


def _run_and_read(page) -> str:
    page.click("#run")          # the status leaves "ok" at once, before the request is sent
    page.wait_for_selector("#status.ok", timeout=60_000)
    return page.text_content("#m-mean_wait_min")


def test_planner_changes_a_shift_count_and_sees_the_mean_wait_change(browser, base_url):
    """Open the weekday, run, cut the first shift to one person, run again: the wait goes up."""
    page = browser.new_page(viewport={"width": 1300, "height": 900})
    console = Console(page)
    page.goto(f"{base_url}/scenarios/weekday")
    page.wait_for_selector("#validation.ok, #validation.warn")
    page.fill("#reps", "2")
    before = _run_and_read(page)
    count = page.locator(".g-row[data-index='0'] input.count")
    count.fill("0")
    count.dispatch_event("change")
    after = _run_and_read(page)
    assert float(after.split()[0]) > float(before.split()[0])
    assert page.text_content("#m-mean_wait_min + .ci + .was").startswith("was ")
    assert console.errors == []
    page.close()


def test_the_replay_plays_without_console_errors(browser, base_url):
    """A run's first day replays: the clock moves and customers are counted, with no errors."""
    page = browser.new_page()
    console = Console(page)
    response = page.request.post(f"{base_url}/api/runs", data={"scenario": "weekday", "reps": 1})
    job = response.json()["id"]
    for _ in range(400):
        if page.request.get(f"{base_url}/api/runs/{job}").json()["status"] == "done":
            break
        time.sleep(0.05)
    page.goto(f"{base_url}/runs/{job}/replay")
    page.wait_for_function("document.querySelector('#clock').textContent !== '--:--'")
    start = page.text_content("#clock")
    page.select_option("#speed", "60")
    page.click("#play")
    page.wait_for_function(f"document.querySelector('#clock').textContent > '{start}'")
    page.wait_for_timeout(1500)
    assert "served" in page.text_content("#counts")
    assert console.errors == []
    page.close()
