"""Make the README's pictures of the browser pages: ``python docs/screenshots.py``.

Starts hallsim's web app on a free port over a temporary data folder, opens a room for
``lunch_peak`` with a few teams' plans (submitted through the API, as the pages do), reveals
it, and photographs the projector's board, a team's page on a 390 px phone, the trainer's
screen, a team's debrief and the planner's editor with Debian's Chromium (headless,
Playwright). Writes ``docs/room-board.png``, ``docs/room-phone.png``, ``docs/room-debrief.png``,
``docs/web-room.png`` and ``docs/web-editor.png``.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from playwright.sync_api import sync_playwright  # noqa: E402

from hallsim.web.app import create_app  # noqa: E402
from tests.browsing import ARGS, CHROMIUM, serving  # noqa: E402

DOCS = ROOT / "docs"
REFERENCE = (ROOT / "scenarios" / "exercise" / "lunch_peak.reference.yaml").read_text(encoding="utf-8")
# Teams' plans: the reference varied as teams vary it (fewer part-timers, lunch at noon, more staff).
PLANS = {
    "Team Red": REFERENCE.replace("count: 3", "count: 2"),
    "蓝队": REFERENCE.replace('{at: "14:30", minutes: 45}', '{at: "12:00", minutes: 45}'),
    "Early birds": REFERENCE.replace('start: "11:00", end: "14:00", count: 2',
                                     'start: "09:00", end: "13:00", count: 2'),
    "Big team": REFERENCE.replace("count: 3", "count: 5"),
}


def _room(page, base: str) -> tuple[str, str, dict]:
    room = page.request.post(f"{base}/api/rooms", data={"challenge": "lunch_peak", "reps": 10}).json()
    rid, keys = room["room"], {}
    for team, text in PLANS.items():
        sent = page.request.post(f"{base}/api/rooms/{rid}/plans", data={"team": team, "yaml": text})
        assert sent.status == 202
        keys[team] = sent.json()
    trainer = {"X-Trainer-Token": room["trainer_token"]}
    for _ in range(600):
        board = page.request.get(f"{base}/api/rooms/{rid}/leaderboard", headers=trainer).json()
        if len(board["plans"]) == len(PLANS) and not board["pending"]:
            break
        time.sleep(0.1)
    return rid, room["trainer_token"], keys


def _as_team(context, rid: str, answer: dict) -> None:
    """The browser that submitted ``answer``'s plan: it keeps the team's key (as room.js does)."""
    kept = json.dumps({":last": {"team": answer["team"], "slug": answer["slug"], "key": answer["key"]}})
    context.add_init_script(f"localStorage.setItem('hallsim-team-keys:{rid}', {json.dumps(kept)})")


def main() -> None:
    with tempfile.TemporaryDirectory() as data, serving(create_app(data, workers=0)) as base, \
            sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        setup = browser.new_page()
        rid, token, keys = _room(setup, base)

        trainer = browser.new_page(viewport={"width": 1280, "height": 900})
        trainer.goto(f"{base}/rooms/{rid}/trainer#{token}")
        trainer.wait_for_selector("#leaderboard tr[data-team='Team Red']")
        trainer.click("#reveal")
        trainer.wait_for_selector("#reference-chart .sc-bar")
        trainer.screenshot(path=str(DOCS / "web-room.png"))

        board = browser.new_page(viewport={"width": 1600, "height": 1000})
        board.goto(f"{base}/rooms/{rid}/board")
        board.wait_for_selector("#reference-chart .sc-bar")
        board.screenshot(path=str(DOCS / "room-board.png"), full_page=True)

        phone = browser.new_context(viewport={"width": 390, "height": 844}, has_touch=True,
                                    is_mobile=True, device_scale_factor=2)
        _as_team(phone, rid, keys["Team Red"])
        team = phone.new_page()
        team.goto(f"{base}/rooms/{rid}")
        team.wait_for_selector("#validation.ok, #validation.warn")
        team.wait_for_selector("#room-board tr.reference")
        team.evaluate("document.getElementById('gantt').scrollIntoView()")
        team.screenshot(path=str(DOCS / "room-phone.png"))

        laptop = browser.new_context(viewport={"width": 1280, "height": 900})
        _as_team(laptop, rid, keys["Team Red"])
        team = laptop.new_page()
        team.goto(f"{base}/rooms/{rid}")
        team.wait_for_selector("#debrief .debrief ol.said li", timeout=60_000)
        team.locator("#debrief").screenshot(path=str(DOCS / "room-debrief.png"))

        editor = browser.new_page(viewport={"width": 1280, "height": 900})
        editor.goto(f"{base}/scenarios/weekday")
        editor.wait_for_selector("#validation.ok")
        editor.fill("#reps", "5")
        editor.click("#run")
        editor.wait_for_selector("#status.ok", timeout=60_000)
        editor.screenshot(path=str(DOCS / "web-editor.png"))
        browser.close()
    for name in ("room-board", "room-phone", "room-debrief", "web-room", "web-editor"):
        print(DOCS / f"{name}.png")


if __name__ == "__main__":
    main()
