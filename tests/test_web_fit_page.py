"""The ticket-log page in a real browser (Debian's Chromium, headless, driven by Playwright):
a planner uploads a small log, reads the fit and its held-out check, and opens the fitted hall
in the editor."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.browsing import ARGS, CHROMIUM, Console, serving

if not os.path.exists(CHROMIUM):
    pytest.skip("Chromium is not installed at /usr/bin/chromium", allow_module_level=True)
pytest.importorskip("fastapi")
pytest.importorskip("multipart")
pytest.importorskip("uvicorn")
sync_api = pytest.importorskip("playwright.sync_api")

import hallsim  # noqa: E402
from hallsim.calibration import ticket_log  # noqa: E402
from hallsim.web.app import create_app  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def test_a_planner_uploads_a_ticket_log_and_opens_the_fitted_hall(tmp_path):
    """Five days of the quiet hall: the page shows the fit, the check on the last day (three
    measures), then Open lands in the editor on a valid scenario; no console error."""
    sc = hallsim.load_scenario(ROOT / "scenarios" / "low.yaml")
    log = tmp_path / "east-branch.csv"
    ticket_log(hallsim.replicate(sc, reps=5, seed=2).customers, sc.hours.open).to_csv(log, index=False)
    bad = tmp_path / "bad.csv"
    bad.write_text("ticket_id,service,issued_at\n1,a,2026-03-02 09:00:00\n", encoding="utf-8")
    with serving(create_app(tmp_path / "data", workers=0)) as url, \
            sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1200, "height": 900})
        console = Console(page)
        page.goto(f"{url}/fit")
        page.set_input_files("#fit-log", str(bad))
        page.click("#fit-start")
        page.wait_for_selector("#fit-errors li")
        refused = page.text_content("#fit-errors")
        assert "line 1" in refused and "called_at" in refused
        console.errors.clear()      # the browser logs the refused upload's 422: expected here
        page.set_input_files("#fit-log", str(log))
        page.fill("#fit-name", "East branch")
        page.click("#fit-start")
        page.wait_for_selector("#fit-result:not([hidden])", timeout=60_000)
        assert page.is_hidden("#fit-errors")
        assert page.text_content("#fit-title") == "East branch"
        assert page.text_content("#fit-check").startswith("Checked on the log's last day")
        assert page.locator("#fit-check-table tr").count() == 4
        page.click("#fit-open")
        page.wait_for_url(f"{url}/scenarios/east-branch")
        page.wait_for_selector("#validation.ok")
        assert page.text_content("#title") == "east-branch"
        assert console.errors == []
        browser.close()
