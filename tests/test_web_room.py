"""A workshop room in a real browser (Debian's Chromium, headless, driven by Playwright), as a
trainer runs it on a training network: the server on a non-loopback-style address with an
access token (a loopback alias, 127.0.0.2), the trainer switching language, six teams (one
on a 390 px touch phone, one by keyboard only), the projector's board, closing, revealing;
and an accessibility audit (axe-core, vendored) of every page the room uses."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from tests.browsing import ARGS, CHROMIUM, Console, serving

if not os.path.exists(CHROMIUM):
    pytest.skip("Chromium is not installed at /usr/bin/chromium", allow_module_level=True)
pytest.importorskip("fastapi")
pytest.importorskip("uvicorn")
sync_api = pytest.importorskip("playwright.sync_api")

from hallsim.web.app import create_app  # noqa: E402

AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
HOST, TOKEN = "127.0.0.2", "training-room-token"
PHONE = {"viewport": {"width": 390, "height": 844}, "has_touch": True, "is_mobile": True,
         "device_scale_factor": 2}


@pytest.fixture(scope="module")
def base_url(tmp_path_factory):
    app = create_app(tmp_path_factory.mktemp("room-data"), token=TOKEN, host=HOST, workers=0,
                     max_runs=2)
    with serving(app, HOST) as url:
        yield url


@pytest.fixture(scope="module")
def browser(base_url):          # closed before the server: its event streams end first
    with sync_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()


def audit(page) -> list[str]:
    """axe-core's serious and critical violations on the page, as ``rule: element`` lines."""
    page.add_script_tag(path=str(AXE))
    found = page.evaluate("""async () => (await axe.run(document, {resultTypes: ['violations']}))
        .violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
        .map(v => v.id + ': ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', '))""")
    return list(found)


def tab_to(page, selector: str, back: bool = False, limit: int = 150) -> None:
    """Press Tab (Shift+Tab) until the focused element matches ``selector``."""
    for _ in range(limit):
        if page.evaluate("s => document.activeElement && document.activeElement.matches(s)", selector):
            return
        page.keyboard.press("Shift+Tab" if back else "Tab")
    raise AssertionError(f"Tab never reached {selector}")


def focused_key(page) -> str | None:
    return page.evaluate("document.activeElement && document.activeElement.getAttribute('data-key')")


def value_is(page, selector: str, clock: int) -> None:
    """Wait until the input ``selector`` shows ``clock`` (minutes) as HH:MM."""
    text = f"{clock // 60:02d}:{clock % 60:02d}"
    page.wait_for_function("([s, v]) => document.querySelector(s).value === v", arg=[selector, text],
                           timeout=2000)


def minutes(clock: str) -> int:
    h, m = clock.split(":")
    return 60 * int(h) + int(m)


def open_team(browser, link: str, **options):
    ctx = browser.new_context(**options)
    page = ctx.new_page()
    console = Console(page)
    page.goto(link)
    page.wait_for_selector("#validation.ok, #validation.warn")
    page.wait_for_selector("#room-state.ok")           # the room's state arrived, live
    return ctx, page, console


def submit(page, team: str) -> None:
    page.fill("#team", team)
    page.click("#submit-plan")
    page.wait_for_selector("#card-score", timeout=30_000)


def touch_drag(ctx, page, selector: str, dx: float) -> None:
    """A finger on ``selector``, moved ``dx`` pixels sideways in steps, then lifted."""
    page.locator(selector).scroll_into_view_if_needed()
    box = page.locator(selector).bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    cdp = ctx.new_cdp_session(page)
    cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": x, "y": y}]})
    for k in range(1, 7):
        cdp.send("Input.dispatchTouchEvent",
                 {"type": "touchMove", "touchPoints": [{"x": x + dx * k / 6, "y": y}]})
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})


def test_a_trainer_runs_a_room_with_six_teams_on_a_training_network(browser, base_url):
    """Open under --token on 127.0.0.2, switch to Chinese, six teams submit (phone by touch,
    one by keyboard), the board updates live, a second laptop cannot take a name, Close
    disables every team's button within 2 s, Reveal shows the board, the reference and each
    team's debrief; no
    console errors, no serious accessibility violations, the trainer token on no team's
    or the projector's page."""
    consoles: list[Console] = []
    trainer_ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    trainer = trainer_ctx.new_page()
    consoles.append(Console(trainer))
    trainer.goto(f"{base_url}/?token={TOKEN}")
    assert audit(trainer) == []
    trainer.select_option("#challenge", "lunch_peak")
    trainer.fill("#room-reps", "1")
    trainer.click("#open-room-button")
    trainer.wait_for_url("**/trainer?token=*")
    trainer.wait_for_selector("#live.ok")
    trainer_token = trainer.text_content("#trainer-link").rsplit("#", 1)[1]
    assert trainer_token and trainer_token not in trainer.url         # not in the address bar
    link = trainer.get_attribute("#team-link", "href")
    room = link.split("/rooms/")[1].split("?")[0]
    assert link == f"{base_url}/rooms/{room}?token={TOKEN}"
    trainer.click("a.lang[hreflang='zh-Hans']")                    # 简体中文: the token is kept
    trainer.wait_for_selector("html[lang='zh-Hans'] #live.ok")
    assert "lang=zh" in trainer.url and trainer.get_attribute("#team-link", "href") == link
    assert not trainer.is_visible("#no-token")
    assert audit(trainer) == []

    board = trainer_ctx.new_page()
    consoles.append(Console(board))
    board.goto(base_url + trainer.get_attribute("#board-link", "href"))
    board.wait_for_selector("#live.ok")

    teams: dict[str, tuple] = {}
    # A phone: the layout fits 390 px, and a finger drags a shift's end an hour earlier.
    ctx, page, console = open_team(browser, link, **PHONE)
    consoles.append(console)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    end = page.input_value(".g-row[data-index='0'] input.end")
    slot = page.evaluate("parseFloat(getComputedStyle(document.getElementById('gantt'))"
                         ".getPropertyValue('--slot'))")
    touch_drag(ctx, page, ".g-row[data-index='0'] .g-bar .h.r", -2 * slot)
    value_is(page, ".g-row[data-index='0'] input.end", minutes(end) - 60)
    assert audit(page) == []
    submit(page, "Phone team")
    teams["Phone team"] = (ctx, page)

    # Keyboard only: arrows move a focused bar and focus stays on it; typed times; Enter submits.
    ctx, page, keyboard = open_team(browser, link, viewport={"width": 1280, "height": 900})
    consoles.append(keyboard)
    start = minutes(page.input_value(".g-row[data-index='1'] input.start"))
    end = minutes(page.input_value(".g-row[data-index='1'] input.end"))
    tab_to(page, "[data-key='s1-bar']")
    for key in ("Shift+ArrowLeft", "Shift+ArrowLeft", "ArrowRight", "ArrowRight"):
        page.keyboard.press(key)                 # an hour shorter, then an hour later
    value_is(page, ".g-row[data-index='1'] input.start", start + 60)
    value_is(page, ".g-row[data-index='1'] input.end", end)
    assert focused_key(page) == "s1-bar"          # kept on the bar through every redraw
    tab_to(page, "[data-key='s1-end']", back=True)
    assert page.evaluate("document.activeElement.getAttribute('aria-label')").startswith("End of shift ")
    page.keyboard.press("Control+a")
    page.keyboard.type("16:00")
    page.keyboard.press("Tab")
    value_is(page, ".g-row[data-index='1'] input.end", 16 * 60)
    assert focused_key(page) is not None                           # not dropped to the body
    tab_to(page, "[data-key='s0-end']", back=True)              # a time past midnight:
    page.keyboard.press("Control+a")
    page.keyboard.type("25:00")
    page.keyboard.press("Tab")
    page.wait_for_selector(".g-row.bad[data-index='0']")          # the server names the row
    assert 'shifts["' in page.text_content("#problems .error")    # ... by the shift's name
    tab_to(page, "[data-key='s0-end']", back=True)
    page.keyboard.press("Control+a")
    page.keyboard.type("18:00")
    page.keyboard.press("Tab")
    page.wait_for_selector("#validation.ok, #validation.warn")
    tab_to(page, "#team")
    page.keyboard.type("Keyboard team")
    tab_to(page, "#submit-plan")
    page.keyboard.press("Enter")
    page.wait_for_selector("#card-score", timeout=30_000)
    teams["Keyboard team"] = (ctx, page)

    others = {"Team Red": None, "蓝队": "1", "Team 5": "3", "Team 6": "0"}
    for name in others:                                   # four laptops at once
        ctx = browser.new_context()
        page = ctx.new_page()
        consoles.append(Console(page))
        page.goto(link, wait_until="commit")
        teams[name] = (ctx, page)
    for name, count in others.items():
        page = teams[name][1]
        page.wait_for_selector("#room-state.ok")
        if count is not None:
            box = page.locator(".g-row[data-index='0'] input.count")
            box.fill(count)
            box.dispatch_event("change")
        page.fill("#team", name)
        page.click("#submit-plan")
    for name in others:
        teams[name][1].wait_for_selector("#card-score", timeout=30_000)
    assert trainer_token not in page.content()

    # The projector lists every team that submitted (scores stay hidden until reveal) ...
    for name in teams:
        board.wait_for_selector(f"#leaderboard tr[data-team='{name}']", timeout=10_000)
    assert board.locator("#leaderboard td").filter(has_text=".").count() == 0    # no scores
    # ... and the trainer sees every plan scored.
    trainer.wait_for_function("document.querySelectorAll('#leaderboard tr[data-team]').length === 6",
                              timeout=20_000)

    # A second laptop types a taken name (with a trailing space): refused, the plan untouched.
    ctx = browser.new_context()
    other = ctx.new_page()
    other_console = Console(other)
    other.goto(link)
    other.wait_for_selector("#validation.ok, #validation.warn")
    other.fill("#team", "team red ")
    with other.expect_response(lambda r: r.url.endswith("/plans") and r.request.method == "POST") as taken:
        other.click("#submit-plan")
    assert taken.value.status == 409
    assert "name taken" in other.text_content("#problems .error")
    assert [e for e in other_console.errors if "409" not in e] == []
    ctx.close()
    red = trainer.request.get(f"{base_url}/api/rooms/{room}/plans/Team%20Red",
                              headers={"Authorization": f"Bearer {TOKEN}", "X-Trainer-Token": trainer_token})
    assert red.json()["submission"] == 1

    # Close: every team's button is disabled within 2 s, without a reload.
    trainer.click("#toggle-open")
    clicked = time.monotonic()
    for _name, (_ctx, page) in teams.items():
        left = max(1.0, 2000 - 1000 * (time.monotonic() - clicked))
        page.wait_for_function("document.getElementById('submit-plan').disabled", timeout=left)
    assert time.monotonic() - clicked < 2.0
    assert trainer.text_content("#action-error") == ""

    # Reveal: teams and the projector see the ranked board and the reference plan's shifts.
    trainer.click("#reveal")
    for name, (_ctx, page) in teams.items():
        page.wait_for_selector("#revealed:not([hidden]) #room-board tr.reference", timeout=10_000)
        page.wait_for_selector("#reference-chart .sc-bar")
        assert page.locator(f"#room-board tr.mine[data-team='{name}']").count() == 1
        page.wait_for_function("document.querySelector('#scorecard h2').textContent.includes('rank')")
        page.wait_for_selector(f"#debrief .debrief h2:has-text('{name}')", timeout=20_000)
        assert page.locator("#debrief .debrief ol.said li").count() >= 1     # why it won or lost
    board.wait_for_selector("#leaderboard tr.reference")
    board.wait_for_selector("#reference-chart .sc-bar")
    assert "Lower score is better." in board.text_content("body")
    assert trainer_token not in board.content()
    assert audit(board) == []
    assert audit(teams["Team Red"][1]) == []
    assert audit(teams["Phone team"][1]) == []
    trainer.wait_for_selector("#reference-chart .sc-bar")
    trainer.wait_for_selector("#debrief .debrief ol.said li")      # every team's, in Chinese
    assert trainer.locator("#debrief section.debrief").count() == 7
    assert "复盘" in trainer.text_content("#debriefs h2")
    assert trainer.text_content("#action-error") == ""
    assert audit(trainer) == []

    for console in consoles:       # the keyboard team's bad time was answered 422, rightly
        assert [e for e in console.errors if not (console is keyboard and "status of 422" in e)] == []
    for ctx, _page in teams.values():
        ctx.close()
    trainer_ctx.close()
