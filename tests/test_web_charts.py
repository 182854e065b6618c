"""The planner's charts in a real browser (Debian's Chromium, headless, driven by Playwright):
the load chart above the shift plan and a run's charts show values on hover and from the
keyboard, hide a series when its switch is pressed, follow the plan as it is edited, keep a
shift's ×N readable over its break, raise no console errors and pass axe-core."""

from __future__ import annotations

import os
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
def base_url(tmp_path_factory):
    with serving(create_app(tmp_path_factory.mktemp("web-data"), workers=0, max_runs=1)) as url:
        yield url


def _serious(page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    return page.evaluate("""async () => (await axe.run(document, {resultTypes: ['violations']}))
        .violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
        .map(v => v.id + ': ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', '))""")


def _hover(page, chart: str, fraction: float) -> str:
    """Point at ``fraction`` of the chart's width; the tip's text."""
    box = page.locator(f"#{chart} .u-over").bounding_box()
    page.mouse.move(box["x"] + fraction * box["width"], box["y"] + box["height"] / 2)
    page.wait_for_selector(f"#{chart} .chart-tip:not([hidden])")
    return page.text_content(f"#{chart} .chart-tip")


def test_the_planners_charts_hover_toggle_and_follow_the_plan(browser, base_url):
    """Hover shows an interval's values; a switch hides its series; a count edited moves the
    staff line; a run draws waits per service and per group; axe finds nothing serious."""
    page = browser.new_page(viewport={"width": 1300, "height": 900})
    console = Console(page)
    page.goto(f"{base_url}/scenarios/branch-zones")
    page.wait_for_selector("#load .u-over")
    tip = _hover(page, "load", 0.1)
    assert tip.startswith("09:30–10:00") and "arrivals per hour: " in tip
    assert "counter staff on the plan: 6.0" in tip
    # the plan on screen drives the staff line: one more on the first shift
    count = page.locator(".g-row[data-index='0'] input.count")
    count.fill("3")
    count.dispatch_event("input")
    assert "counter staff on the plan: 7.0" in _hover(page, "load", 0.1)
    # a switch hides its series (and says so)
    key = page.locator("#load button.chart-key[data-key='arrivals']")
    key.click()
    assert key.get_attribute("aria-pressed") == "false"
    assert page.evaluate("HSCharts.charts.load.u.series[1].show") is False
    assert "arrivals per hour" not in _hover(page, "load", 0.1)
    # the ×N of a shift stays on top of its break's hatching
    label = page.locator(".g-row[data-index='3'] .g-bar span.n")     # vip: a break at 12:30
    box = label.bounding_box()
    on_top = page.evaluate("([x, y]) => document.elementFromPoint(x, y).className",
                           [box["x"] + box["width"] / 2, box["y"] + box["height"] / 2])
    assert on_top == "n"
    # a run: waits per service (off until switched on) and per group, and the staff chart
    page.fill("#reps", "2")
    page.click("#run")
    page.wait_for_selector("#waits .u-over", timeout=60_000)
    keys = page.eval_on_selector_all("#waits button.chart-key", "bs => bs.map(b => b.dataset.key)")
    assert keys[:2] == ["mean", "p90"]
    assert {"group:general", "group:vip", "group:business"} <= set(keys)
    assert any(k.startswith("service:") for k in keys)
    service = page.locator("#waits button.chart-key[data-key^='service:']").first
    assert service.get_attribute("aria-pressed") == "false"
    service.click()
    assert service.get_attribute("aria-pressed") == "true"
    tip = _hover(page, "waits", 0.5)
    assert "mean wait: " in tip and " min" in tip and "wait at vip windows: " in tip
    # the keyboard reads the values too
    page.focus("#waits .chart-plot")
    page.keyboard.press("ArrowRight")
    assert page.text_content("#waits .visually-hidden").startswith("09:00–09:30; mean wait: ")
    assert _serious(page) == []
    assert console.errors == []
    page.close()


def test_the_charts_speak_chinese(browser, base_url):
    """The load chart's caption, switches and tip in Simplified Chinese."""
    page = browser.new_page(viewport={"width": 1300, "height": 900})
    console = Console(page)
    page.goto(f"{base_url}/scenarios/weekday?lang=zh")
    page.wait_for_selector("#load .u-over")
    assert page.text_content("#load figcaption") == "全天到达客户与营业员"
    assert "排班中的营业员：" in _hover(page, "load", 0.3)
    assert console.errors == []
    page.close()
