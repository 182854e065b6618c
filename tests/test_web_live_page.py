"""Live numbers in a real browser (Debian's Chromium via Playwright): drag a shift on the
weekday, see the quick estimate marked as such, then the full run replacing it; any other edit
marks the results out of date."""

from __future__ import annotations

import pytest

from tests.test_web_browser import Console, base_url  # noqa: F401 - module fixtures

QUICK = {"en": "Quick estimate from 3 of 4 simulated days", "zh": "快速估算：取 4 个模拟日中的 3 个"}
STALE = {"en": "Out of date", "zh": "结果已过期"}
# What the page showed, in order: the quick estimate can be replaced within a moment here.
RECORD = """
window.__seen = [];
document.addEventListener("hallsim:quick", function () {
  window.__seen.push({ kind: "quick", note: document.getElementById("quick-note").textContent,
    results: document.getElementById("results").className,
    wait: document.getElementById("m-mean_wait_min").textContent,
    stale: !document.getElementById("stale").hidden });
});
document.addEventListener("hallsim:results", function () { window.__seen.push({ kind: "full" }); });
"""


def _drag(page, row: int, slots: int) -> None:
    """Drag shift ``row``'s bar ``slots`` half hours to the right with the mouse."""
    bar = page.locator(f".g-row[data-index='{row}'] .g-bar")
    box = bar.bounding_box()
    slot = page.evaluate("parseFloat(getComputedStyle(document.getElementById('gantt'))"
                         ".getPropertyValue('--slot'))")
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + slot * slots / 2, y, steps=3)
    page.mouse.move(x + slot * slots + 2, y, steps=3)
    page.mouse.up()


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_dragged_shift_shows_a_quick_estimate_then_the_full_run(browser, base_url, lang):  # noqa: F811
    """Drag the weekday's second shift an hour later: the quick estimate (3 of the 4 days)
    fills the results, said so in the page's language; the full run replaces it; then a count
    edited marks the results out of date; the arrow keys bring a quick estimate once they rest.
    No console errors."""
    page = browser.new_page(viewport={"width": 1300, "height": 900})
    console = Console(page)
    page.add_init_script(RECORD)
    page.goto(f"{base_url}/scenarios/weekday?lang={lang}")
    page.wait_for_selector("#validation.ok, #validation.warn")
    page.fill("#reps", "4")
    start = "HS.parseClock(HSEditor.data().shifts[1].start)"
    before = page.evaluate(start)
    _drag(page, 1, 2)
    assert page.evaluate(start) - before == 60
    page.wait_for_function("window.__seen.length === 2", timeout=60_000)
    quick, full = page.evaluate("window.__seen")
    assert quick["kind"] == "quick" and full["kind"] == "full"        # the full run replaced it
    assert quick["note"].startswith(QUICK[lang]) and "quick" in quick["results"].split()
    assert quick["wait"].endswith("min") and not quick["stale"]
    page.wait_for_selector("#status.ok")
    assert page.is_hidden("#quick-note") and "quick" not in page.get_attribute("#results", "class")
    assert page.is_visible("#report-link") and page.is_hidden("#stale")
    count = page.locator(".g-row[data-index='0'] input.count")        # any other edit: out of date
    count.fill("1")
    count.dispatch_event("change")
    page.wait_for_selector("#stale", state="visible")
    assert page.text_content("#stale").startswith(STALE[lang])
    assert page.is_hidden("#quick-note")
    if lang == "en":                  # the keyboard's way: arrows move the bar, then it rests
        page.focus(".g-row[data-index='1'] .g-bar")
        page.keyboard.press("ArrowLeft")
        page.keyboard.press("ArrowLeft")
        assert page.evaluate(start) == before
        page.wait_for_function("window.__seen.length >= 4 && "
                               "window.__seen[window.__seen.length - 1].kind === 'full'", timeout=60_000)
        kinds = [s["kind"] for s in page.evaluate("window.__seen")[2:]]
        assert kinds in (["quick", "full"], ["quick", "quick", "full"])   # a slow second press
        page.wait_for_selector("#status.ok")
        assert page.is_hidden("#stale") and page.is_hidden("#quick-note")
    assert console.errors == []
    page.close()
