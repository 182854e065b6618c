"""The pages in a real browser (Debian's Chromium, headless, driven by Playwright): the
planner's edit-and-run loop, an exercise room with two teams, and the day's replay."""

from __future__ import annotations

import os
import socket
import threading
import time

import pytest

CHROMIUM = "/usr/bin/chromium"
if not os.path.exists(CHROMIUM):
    pytest.skip("Chromium is not installed at /usr/bin/chromium", allow_module_level=True)
pytest.importorskip("fastapi")
uvicorn = pytest.importorskip("uvicorn")
sync_api = pytest.importorskip("playwright.sync_api")

from hallsim.web.app import create_app  # noqa: E402

ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def base_url(tmp_path_factory):
    app = create_app(tmp_path_factory.mktemp("web-data"), workers=0, max_runs=2)
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started, "the test server did not start"
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(10)


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()


class Console:
    """Collects a page's script errors and failed loads."""

    def __init__(self, page):
        self.errors: list[str] = []
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(str(e)))


def _run_and_read(page) -> str:
    page.click("#run")          # the status leaves "ok" at once, before the request is sent
    page.wait_for_selector("#status.ok", timeout=60_000)
    return page.text_content("#m-mean_wait_min")


def test_planner_changes_a_shift_count_and_sees_the_mean_wait_change(browser, base_url):
    """Open the weekday, run, cut the first shift to one person, run again: the wait goes up."""
    page = browser.new_page(viewport={"width": 1300, "height": 900})
    console = Console(page)
    page.goto(f"{base_url}/scenarios/weekday")
    page.wait_for_selector("#validation.ok")
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


def _plan_post(response) -> bool:
    return response.url.endswith("/plans") and response.request.method == "POST"


def test_two_teams_submit_to_one_room_and_both_reach_the_trainers_leaderboard(browser, base_url):
    """The trainer opens a room; two teams in their own browser contexts submit; the trainer's
    leaderboard (server-sent events) shows both without a reload."""
    trainer_ctx = browser.new_context()
    trainer = trainer_ctx.new_page()
    console = Console(trainer)
    trainer.goto(base_url + "/")
    trainer.select_option("#challenge", "lunch_peak")
    trainer.fill("#room-reps", "2")
    trainer.click("#open-room-button")
    trainer.wait_for_url("**/trainer#*")
    trainer.wait_for_selector("#live.ok")
    link = trainer.get_attribute("#team-link", "href")
    for team, count in (("Team Red", None), ("蓝队", "5")):
        ctx = browser.new_context()
        page = ctx.new_page()
        team_console = Console(page)
        page.goto(link)
        page.wait_for_selector("#validation.ok, #validation.warn")
        if count is not None:
            box = page.locator(".g-row[data-index='0'] input.count")
            box.fill(count)
            box.dispatch_event("change")
        page.fill("#team", team)
        page.click("#submit-plan")
        page.wait_for_selector("#card-score", timeout=60_000)
        assert team in page.text_content("#scorecard h2")
        with page.expect_response(_plan_post) as again:    # the browser kept the team key
            page.click("#submit-plan")
        assert again.value.status == 202 and again.value.json()["submission"] == 2
        assert team_console.errors == []
        ctx.close()
    ctx = browser.new_context()            # another browser, the same name: taken
    page = ctx.new_page()
    page.goto(link)
    page.wait_for_selector("#validation.ok, #validation.warn")
    page.fill("#team", "TEAM red")
    with page.expect_response(_plan_post) as taken:
        page.click("#submit-plan")
    assert taken.value.status == 409
    assert "name taken" in page.text_content("#problems .error")
    ctx.close()
    trainer.wait_for_selector("#leaderboard tr[data-team='Team Red']", timeout=30_000)
    trainer.wait_for_selector("#leaderboard tr[data-team='蓝队']", timeout=30_000)
    trainer.click("#reveal")
    trainer.wait_for_selector("#leaderboard tr.reference", timeout=30_000)
    assert console.errors == []
    room = link.split("/rooms/")[1].split("?")[0]
    trainer.on("dialog", lambda dialog: dialog.accept())     # "Delete this room ...?"
    trainer.click("#delete-room")
    trainer.wait_for_url(base_url + "/")
    assert trainer.request.get(f"{base_url}/api/rooms/{room}").status == 404
    trainer_ctx.close()


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
