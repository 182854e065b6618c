"""The planner's workbench end to end in a real browser (Debian's Chromium via Playwright), in
English and in Chinese, as issue 25 asks: open the weekday, drag a shift and see the quick
estimate, save it as a new scenario, compare it with the original, draft a plan for
wait_probability = 0.2 and accept it, run and export XLSX (opened with openpyxl), then upload
a ticket log and open the fitted hall, with no console error. One server and one browser for
both languages; few replications."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml

from tests.browsing import CHROMIUM, Console, serving

if not os.path.exists(CHROMIUM):
    pytest.skip("Chromium is not installed at /usr/bin/chromium", allow_module_level=True)
pytest.importorskip("fastapi")
pytest.importorskip("multipart")
pytest.importorskip("uvicorn")
sync_api = pytest.importorskip("playwright.sync_api")

import hallsim  # noqa: E402
from hallsim.calibration import ticket_log  # noqa: E402
from hallsim.scenario.clock import format_clock  # noqa: E402
from hallsim.web.app import create_app  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
QUICK = {"en": "Quick estimate from 2 of 2 simulated days", "zh": "快速估算：取 2 个模拟日中的 2 个"}
# What the page showed, in order (the quick estimate may be replaced within a moment).
RECORD = """
window.__seen = [];
document.addEventListener("hallsim:quick", function () {
  window.__seen.push({ kind: "quick", note: document.getElementById("quick-note").textContent,
    wait: document.getElementById("m-mean_wait_min").textContent });
});
document.addEventListener("hallsim:results", function () { window.__seen.push({ kind: "full" }); });
"""
SHIFTS = "HSEditor.data().shifts.map(function (s) { return s.name + ' ' + s.start + '-' + s.end; })"


@pytest.fixture(scope="module")
def log_file(tmp_path_factory) -> Path:
    """Five days of the quiet hall as its queue system would export them."""
    sc = hallsim.load_scenario(ROOT / "scenarios" / "low.yaml")
    path = tmp_path_factory.mktemp("e2e") / "branch.csv"
    ticket_log(hallsim.replicate(sc, reps=5, seed=4).customers, sc.hours.open).to_csv(path, index=False)
    return path


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with serving(create_app(tmp_path_factory.mktemp("e2e-data"), workers=0, max_runs=2)) as url:
        yield url


def _drag(page, row: int, slots: int) -> None:
    """Drag shift ``row``'s bar by ``slots`` half hours with the mouse."""
    bar = page.locator(f".g-row[data-index='{row}'] .g-bar").first
    box = bar.bounding_box()
    slot = page.evaluate("parseFloat(getComputedStyle(document.getElementById('gantt'))"
                         ".getPropertyValue('--slot'))")
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + slots * slot, y, steps=5)
    page.mouse.up()


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_planners_workbench_end_to_end(browser, server, log_file, tmp_path, lang):
    """Each step in the page's language, through the page's own controls (13-20 s a language on
    this shared 2-core machine at load 8: the advisor on the weekday and the fit's report
    plots are most of it)."""
    from openpyxl import load_workbook

    context = browser.new_context(viewport={"width": 1300, "height": 1000})
    page = context.new_page()
    console = Console(page)
    page.add_init_script(RECORD)
    weekday = hallsim.load_scenario(ROOT / "scenarios" / "weekday.yaml")

    # open the weekday and drag its first shift an hour later
    page.goto(f"{server}/scenarios/weekday?lang={lang}")
    page.wait_for_selector("#validation.ok, #validation.warn")
    page.fill("#reps", "2")
    page.fill("#seed", "1")
    before = page.evaluate(SHIFTS)
    _drag(page, 0, 2)
    moved = page.evaluate(SHIFTS)
    first = weekday.shifts[0]
    assert moved[0] == f"{first.name} {format_clock(first.start + 60)}-{format_clock(first.end + 60)}"
    assert moved[1:] == before[1:] and page.is_visible("#dirty")

    # the drop shows a quick estimate, marked as such, then the full run replaces it
    page.wait_for_function("window.__seen.length === 2", timeout=120_000)
    quick, full = page.evaluate("window.__seen")
    assert quick["kind"] == "quick" and full["kind"] == "full"
    assert quick["note"].startswith(QUICK[lang]) and quick["wait"].strip() not in ("", "–")
    page.wait_for_selector("#status.ok", timeout=120_000)
    assert page.is_hidden("#quick-note")

    # save it as a new scenario, then compare it with the original on the same customers
    copy = f"weekday-e2e-{lang}"
    page.once("dialog", lambda d: d.accept(copy))
    page.click("#save-as")
    page.wait_for_url(f"**/scenarios/{copy}?lang={lang}")
    page.wait_for_selector("#validation.ok, #validation.warn")
    assert page.evaluate(SHIFTS) == moved
    page.wait_for_selector("#cmp-with option >> text='weekday'", state="attached")
    page.select_option("#cmp-with", label="weekday")
    page.fill("#cmp-reps", "2")
    page.click("#cmp-run")
    page.wait_for_selector("#cmp-status.ok", timeout=120_000)
    assert page.locator("#cmp-table tr[data-metric]").count() == 8
    assert page.text_content("#cmp-verdict").startswith("Verdict:" if lang == "en" else "结论：")

    # draft a plan for at most 20% of customers waiting, and accept it into the editor
    page.select_option("#adv-metric", "wait_probability")
    page.fill("#adv-value", "0.2")
    page.fill("#adv-days", "2")
    page.click("#adv-run")
    page.wait_for_selector("#adv-status.ok", timeout=180_000)
    page.click("#adv-accept")
    assert page.evaluate(SHIFTS) != moved
    page.wait_for_selector("#validation.ok, #validation.warn")

    # run the accepted plan, export the results as XLSX and open the workbook
    page.click("#run")
    page.wait_for_selector("#status.ok", timeout=120_000)
    with page.expect_download() as download:
        page.click("#export-xlsx")
    book_path = tmp_path / "results.xlsx"
    download.value.save_as(book_path)
    book = load_workbook(book_path)
    assert len(book.sheetnames) == 2
    intervals = book[book.sheetnames[1]]
    assert intervals.max_row == 1 + int((weekday.hours.close - weekday.hours.open) // 30)
    page.click("#save")
    page.wait_for_selector("#dirty", state="hidden")
    saved = hallsim.Scenario.from_dict(yaml.safe_load(
        page.request.get(f"{server}/api/scenarios/{copy}").text()))
    assert [f"{s.name} {format_clock(s.start)}-{format_clock(s.end)}" for s in saved.shifts] \
        == page.evaluate(SHIFTS)

    # learn a hall from a ticket log (a file it cannot read first) and open it in the editor
    page.goto(f"{server}/fit?lang={lang}")
    bad = tmp_path / "export.csv"
    bad.write_text("ticket_id,service,issued_at\n1,a,2026-03-02 09:00:00\n", encoding="utf-8")
    page.set_input_files("#fit-log", str(bad))
    page.click("#fit-start")
    page.wait_for_selector("#fit-errors li")
    refused = page.text_content("#fit-errors")
    assert refused.startswith("export.csv: line 1: no column for" if lang == "en" else
                               "export.csv：第 1 行：找不到"), refused
    assert page.get_attribute("#fit-errors li", "data-line") == "1"
    assert [e for e in console.errors if "status of 422" not in e] == []
    console.errors.clear()      # the browser logs the refused upload's 422, the API's answer
    page.set_input_files("#fit-log", str(log_file))
    page.fill("#fit-name", f"fitted-{lang}")
    page.click("#fit-start")
    page.wait_for_selector("#fit-result:not([hidden])", timeout=120_000)
    assert page.is_hidden("#fit-errors") and page.text_content("#fit-title") == f"fitted-{lang}"
    assert page.locator("#fit-check-table tr").count() == 4
    page.click("#fit-open")
    page.wait_for_url(f"**/scenarios/fitted-{lang}?lang={lang}")
    page.wait_for_selector("#validation.ok, #validation.warn")
    assert console.errors == []
    context.close()
