"""The day's replay in a real browser (Debian's Chromium, headless, driven by Playwright):
customers walk between places, windows are coloured by the staff at them, every mark is in
the legend, the page says which day it shows, and a queue strip sits under the scrubber."""

from __future__ import annotations

import json
import os
import time
import urllib.request
from pathlib import Path

import pytest

from tests.browsing import CHROMIUM, Console, serving

if not os.path.exists(CHROMIUM):
    pytest.skip("Chromium is not installed at /usr/bin/chromium", allow_module_level=True)
pytest.importorskip("fastapi")
pytest.importorskip("uvicorn")
sync_api = pytest.importorskip("playwright.sync_api")

from hallsim.web.app import create_app  # noqa: E402

AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"


@pytest.fixture(scope="module")
def replay_url(tmp_path_factory):
    """The replay page of a two-day weekday run."""
    with serving(create_app(tmp_path_factory.mktemp("web-data"), workers=0, max_runs=1)) as url:
        body = json.dumps({"scenario": "weekday", "reps": 2, "seed": 1}).encode()
        post = urllib.request.Request(f"{url}/api/runs", body, {"Content-Type": "application/json"})
        with urllib.request.urlopen(post) as response:
            job = json.load(response)["id"]
        for _ in range(600):
            with urllib.request.urlopen(f"{url}/api/runs/{job}") as response:
                if json.load(response)["status"] == "done":
                    break
            time.sleep(0.05)
        yield f"{url}/runs/{job}/replay"


def _open(browser, url):
    page = browser.new_page(viewport={"width": 1300, "height": 900})
    console = Console(page)
    page.goto(url)
    page.wait_for_selector("#day-numbers:not([hidden])")
    return page, console


def test_the_replay_walks_customers_and_colours_windows_by_their_staff(browser, replay_url):
    """Windows are serving, free (staff at work, no customer), on a break or closed, as the
    staff at work and on a break say; a customer called to a window walks there along the
    aisles (between the seat and the window half-way, at the window at the end); the page
    names the day and the run it belongs to; the strip seeks; playing raises no errors, and
    axe-core finds no serious accessibility violation."""
    page, console = _open(browser, replay_url)
    assert page.text_content("#which-day") == "Day 1 of 2 simulated days (seed 1)."
    assert page.text_content("#day-numbers th.mean") == "mean of 2 days"
    assert page.locator("#day-numbers tbody tr").count() == 5
    legend = page.text_content("aside.legend")
    for mark in ("pre-processed by floor staff", "staff on a break", "closed: nobody on duty",
                 "gave up waiting", "walking"):
        assert mark in legend
    seen = set()
    for minute in (30, 200, 280, 300, 420, 560):
        s = page.evaluate(f"hallsimReplay.seek({minute})")
        states = s["windows"]
        seen |= set(states)
        assert s["busy"] <= s["atWork"]
        assert states.count("serving") == s["busy"]
        free = len(states) - s["busy"]
        assert states.count("free") == min(s["atWork"] - s["busy"], free)
        assert states.count("away") == min(s["away"], free - states.count("free"))
    assert {"serving", "free", "away"} <= seen
    # a customer who queued, then walks to their window (the walk lasts 2.5 simulated
    # minutes at 5 min/s, or the service if shorter)
    i, start, span, window_x = page.evaluate("""() => fetch(location.pathname.replace('/runs/', '/api/runs/'))
        .then(r => r.json()).then(d => { const c = d.customers;
          for (let i = 0; i < c.arrival.length; i++) {
            if (c.counter_start[i] !== null && c.counter_start[i] - c.counter_queue[i] > 5 &&
                c.counter_end[i] - c.counter_start[i] > 3) return [i, c.counter_start[i], 2.5, 866]; } })""")
    page.evaluate(f"hallsimReplay.seek({start - 0.01})")
    seated = page.evaluate(f"hallsimReplay.position({i})")
    page.evaluate(f"hallsimReplay.seek({start + span / 2})")
    half = page.evaluate(f"hallsimReplay.position({i})")
    page.evaluate(f"hallsimReplay.seek({start + span + 0.01})")
    there = page.evaluate(f"hallsimReplay.position({i})")
    assert there["x"] == window_x and seated["x"] < half["x"] < window_x
    assert (half["x"], half["y"]) not in {(seated["x"], seated["y"]), (there["x"], there["y"])}
    # the strip under the scrubber seeks to the time clicked
    box = page.locator("#strip").bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    assert abs(float(page.input_value("#scrub")) - float(page.get_attribute("#scrub", "max")) / 2) < 3
    assert "at most" in page.get_attribute("#strip", "aria-label")
    page.select_option("#speed", "60")
    frames = page.evaluate("hallsimReplay.stats.frames")
    page.click("#play")
    page.wait_for_timeout(600)
    assert page.evaluate("hallsimReplay.stats.frames") > frames + 10
    page.click("#play")
    page.add_script_tag(path=str(AXE))
    serious = page.evaluate("""async () => (await axe.run(document, {resultTypes: ['violations']}))
        .violations.filter(v => v.impact === 'serious' || v.impact === 'critical').map(v => v.id)""")
    assert serious == []
    assert console.errors == []
    page.close()


def test_a_replay_stored_before_staff_were_recorded_still_plays(browser, replay_url):
    """A run kept from an earlier version has no staff, breaks, queue or day numbers in its
    replay: the page still draws the day and plays, with no errors."""
    page = browser.new_page()
    console = Console(page)

    def old(route):
        doc = route.fetch().json()
        for key in ("at_work", "on_break", "queue", "metrics"):
            doc.pop(key)
        route.fulfill(json=doc)

    page.route("**/api/runs/*/replay", old)
    page.goto(replay_url)
    page.wait_for_function("document.querySelector('#clock').textContent !== '--:--'")
    assert page.evaluate("hallsimReplay.seek(300)")["busy"] > 0
    assert console.errors == []
    page.close()


def test_the_replay_speaks_chinese(browser, replay_url):
    """The page, its legend and the script's words in Simplified Chinese."""
    page, console = _open(browser, replay_url + "?lang=zh")
    assert page.text_content("#which-day") == "模拟的 2 天中的第 1 天（随机种子 1）。"
    assert "业务预处理" in page.text_content("aside.legend")
    assert page.text_content("#staff").startswith("在岗营业员")
    assert page.text_content("#day-numbers th.mean") == "2 天平均"
    assert console.errors == []
    page.close()
