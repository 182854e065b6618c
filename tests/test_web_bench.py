"""The planner's workbench in a real browser (Debian's Chromium via Playwright): saves that keep
the file's comments, save as, earlier versions, the unsaved-changes prompt and stale results."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.test_web_browser import Console, base_url  # noqa: F401 - module fixtures

WINDOWS = "counters: {windows: 8}                      # most windows closed: staff decide, not windows"


def _set_count(page, row: int, value: str) -> None:
    box = page.locator(f".g-row[data-index='{row}'] input.count")
    box.fill(value)
    box.dispatch_event("change")


@pytest.fixture(scope="module")
def context(browser):  # noqa: F811
    context = browser.new_context(viewport={"width": 1300, "height": 900})
    yield context
    context.close()


@pytest.fixture()
def page(context):
    """A new tab per test: one left with unsaved edits closes without asking."""
    page = context.new_page()
    page.console = Console(page)
    yield page
    page.close()


def test_an_edit_marks_results_out_of_date_and_asks_before_leaving(page, base_url):  # noqa: F811
    """Run low, change a count: the results are marked out of date, "unsaved changes" shows,
    and leaving the page asks first; the day's replay opens in a new tab."""
    page.goto(f"{base_url}/scenarios/low")
    page.wait_for_selector("#validation.ok, #validation.warn")
    page.fill("#reps", "1")
    page.click("#run")
    page.wait_for_selector("#status.ok", timeout=60_000)
    assert page.get_attribute("#replay-link", "target") == "_blank"
    assert page.is_hidden("#stale") and page.is_hidden("#dirty")
    _set_count(page, 0, "3")
    assert page.is_visible("#stale") and page.is_visible("#dirty")
    asked = []
    page.once("dialog", lambda d: (asked.append(d.type), d.dismiss()))
    page.evaluate("location.href = '/'")
    page.wait_for_timeout(300)
    assert asked == ["beforeunload"]
    assert page.url.endswith("/scenarios/low")
    assert page.console.errors == []


def test_save_keeps_comments_save_as_opens_the_copy_and_a_version_restores(page, base_url):  # noqa: F811
    """Save (one line changes, the rest byte for byte), save as a new scenario, then restore the
    version the save replaced: the file is the shipped one again."""
    original = page.request.get(f"{base_url}/api/scenarios/low").text()
    page.goto(f"{base_url}/scenarios/low")
    page.wait_for_selector("#validation.ok, #validation.warn")
    _set_count(page, 1, "3")
    page.click("#save")
    page.wait_for_selector("#status.ok")
    assert page.is_hidden("#dirty")
    saved = page.request.get(f"{base_url}/api/scenarios/low").text()
    changed = [a for a, b in zip(original.splitlines(), saved.splitlines(), strict=True) if a != b]
    assert len(changed) == 1 and "counter_b" in changed[0]
    page.wait_for_selector("#version-list li[data-version]", state="attached")
    _set_count(page, 0, "1")
    page.once("dialog", lambda d: d.accept("low-quiet"))
    page.click("#save-as")
    page.wait_for_url("**/scenarios/low-quiet")
    copy = page.request.get(f"{base_url}/api/scenarios/low-quiet").text()
    assert WINDOWS in copy and "name: low-quiet" in copy.splitlines()      # named as typed
    page.goto(f"{base_url}/scenarios/low")
    page.wait_for_selector("#version-list li[data-version]", state="attached")
    page.click("#versions summary")
    page.once("dialog", lambda d: d.accept())
    with page.expect_navigation():              # the page reloads once the version is back
        page.click("#version-list li[data-version] button.restore")
    page.wait_for_selector("#version-list li[data-version]", state="attached")
    assert page.request.get(f"{base_url}/api/scenarios/low").text() == original
    assert page.console.errors == []


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_compare_my_edit_with_the_saved_file_gives_a_verdict_that_agrees_with_its_rows(page, base_url, lang):  # noqa: F811
    """One counter clerk fewer, compared with the saved file on the same customers: the verdict
    names every row that differs (in the page's language) and states the staff hours."""
    page.goto(f"{base_url}/scenarios/low?lang={lang}")
    page.wait_for_selector("#validation.ok, #validation.warn")
    _set_count(page, 0, "1")
    page.fill("#cmp-reps", "2")
    page.click("#cmp-run")
    page.wait_for_selector("#cmp-status.ok", timeout=60_000)
    verdict = page.text_content("#cmp-verdict")
    assert verdict.startswith("Verdict:" if lang == "en" else "结论：")
    assert (" my edit" if lang == "en" else "我的修改") in verdict
    head = verdict.split(";" if lang == "en" else "；")[0]
    rows = page.locator("#cmp-table tr[data-metric]")
    assert rows.count() == 8
    for k in range(rows.count()):
        row = rows.nth(k)
        if (row.get_attribute("class") or "") in ("better", "worse"):
            assert row.locator("td").first.text_content() in head
    assert page.locator("#cmp-table tr[data-metric='staff_hours']").get_attribute("class") == "better"
    assert page.console.errors == []


def test_results_download_as_xlsx_and_the_plan_prints_as_a_grid(page, base_url, tmp_path):  # noqa: F811
    """After a run the workbook downloads and opens with openpyxl (two sheets, the interval
    table one row per half hour); the printable plan shows the edited, unsaved count."""
    from openpyxl import load_workbook

    page.goto(f"{base_url}/scenarios/low?lang=en")
    page.wait_for_selector("#validation.ok, #validation.warn")
    page.fill("#reps", "1")
    page.click("#run")
    page.wait_for_selector("#status.ok", timeout=60_000)
    with page.expect_download() as download:
        page.click("#export-xlsx")
    path = tmp_path / "results.xlsx"
    download.value.save_as(path)
    assert download.value.suggested_filename == "low-results.xlsx"
    book = load_workbook(path)
    assert book.sheetnames == ["Summary", "Intervals"]
    assert book["Intervals"].max_row == 1 + 18                  # 09:00-18:00 by half hours
    assert [c.value for c in book["Intervals"][1]][:2] == ["start", "end"]
    _set_count(page, 2, "4")
    with page.context.expect_page() as opened:
        page.click("#print-plan")
    grid = opened.value
    grid.wait_for_selector("#plan-grid tr[data-shift='floor']")
    cells = grid.locator("#plan-grid tr[data-shift='floor'] td.on")
    assert cells.count() > 0 and cells.first.text_content() == "4"
    assert grid.locator("#plan-grid tr[data-shift='floor'] td.break").count() == 2    # 12:15 + 45 min
    grid.close()
    assert page.console.errors == []


OPENS = {"en": "shift 'floor' (07:00-18:00) starts before the hall opens at 09:00",
         "zh": "班次“floor”（07:00-18:00）在营业厅 09:00 开门之前就开始"}


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_problems_are_shown_at_their_field_in_the_pages_language(page, base_url, lang):  # noqa: F811
    """40 clerks on a counter shift at 8 windows: hallsim validate's warning at every counter
    shift's count; a shift starting at 07:00 before the 09:00 opening: warned at its start
    (a warning, not an error); a break at 25:00: the error at that break's time, named in words
    at the top."""
    page.goto(f"{base_url}/scenarios/low?lang={lang}")
    page.wait_for_selector("#validation.ok, #validation.warn")
    _set_count(page, 0, "40")
    page.wait_for_selector("#validation.warn")
    counts = page.locator(".g-row[data-index] input.count.field-warn")
    assert counts.count() == 2                                    # counter_a and counter_b, not floor
    title = counts.first.get_attribute("title")
    assert ("42 counter staff on duty" if lang == "en" else "有 42 名营业员在岗") in title
    start = page.locator(".g-row[data-index='2'] input.time.start")
    start.fill("07:00")
    start.dispatch_event("change")
    page.wait_for_selector(".g-row[data-index='2'] input.time.start.field-warn")
    assert page.get_attribute(".g-row[data-index='2'] input.time.start", "title") == OPENS[lang]
    assert page.text_content(".g-row[data-index='2'] .field-msg.warn") == (
        "⚠ " + ("start: " if lang == "en" else "开始：") + OPENS[lang])
    assert page.get_attribute(".g-row[data-index='2']", "class") == "g-row warned"   # not "bad"
    assert page.text_content("#validation").endswith("(5)")        # 4 stretches at 8 windows + 1
    brk = page.locator(".g-row[data-index='1'] input.break-at")
    brk.fill("25:00")
    brk.dispatch_event("change")
    page.wait_for_selector("#validation.bad")
    bad = page.locator(".g-row[data-index='1'] input.break-at")
    assert bad.get_attribute("aria-invalid") == "true"
    note = page.text_content(".g-row[data-index='1'] .field-msg.error")
    top = page.text_content("#problems .error")
    assert "shifts[" not in top
    if lang == "en":
        assert note.startswith("break 1 · start: expected") and top.startswith("shift 'counter_b' · break 1")
    else:
        assert note.startswith("休息 1 · 开始：")
        assert top.startswith("班次 'counter_b' · 休息 1")
    # the browser logs the 422 of POST /api/validate (the contract's answer for an invalid plan)
    assert [e for e in page.console.errors if "status of 422" not in e] == []


@pytest.mark.parametrize("lang", ["zh"])     # English: test_web_versions, through the API
def test_draft_a_plan_for_a_target_then_accept_it_into_the_editor(page, base_url, lang):  # noqa: F811
    """wait_probability = 0.2 on low: the advisor's headline, a bar per half hour of required
    staff with the draft's scheduled line, and Accept puts the drafted shifts in the editor
    (unsaved until saved)."""
    page.goto(f"{base_url}/scenarios/low?lang={lang}")
    page.wait_for_selector("#validation.ok, #validation.warn")
    page.select_option("#adv-metric", "wait_probability")
    page.fill("#adv-value", "0.2")
    page.fill("#adv-days", "6")
    page.click("#adv-run")
    page.wait_for_selector("#adv-status.ok", timeout=60_000)
    assert page.locator("#adv-chart rect.required").count() == 18
    assert page.locator("#adv-chart path.scheduled").count() == 1
    # the load chart above the plan shows the same required and drafted staff, per interval
    load = page.evaluate("HSCharts.charts.load.spec.series.map(s => [s.key, s.values.length])")
    assert ["required", 18] in load and ["draft", 18] in load
    assert page.locator("#adv-headline li").count() >= 1
    names = "HSEditor.data().shifts.map(function (s) { return s.name + ' ' + s.start + '-' + s.end; })"
    before = page.evaluate(names)
    page.click("#adv-accept")
    after = page.evaluate(names)
    assert after != before and "floor 09:00-18:00" in after            # the other roles kept
    expect(page.locator(".g-row[data-index] input.name")).to_have_count(len(after))  # drawn next tick
    assert page.is_visible("#dirty")
    page.wait_for_selector("#validation.ok, #validation.warn")
    if lang == "zh":
        assert "采用" in page.text_content("#adv-accept")
    assert page.console.errors == []
