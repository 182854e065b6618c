"""docs/roster.png: the README's printed roster, drafted and photographed again.

    python docs/roster_screenshot.py

Drafts the roster of the shipped city week as the README shows it (``hallsim staff
scenarios/weeks/city-week.yaml --target wait_probability=0.3 --set load_factor=0.5 --out``)
into a scratch folder and renders its roster.html in Debian's Chromium, headless, through
Playwright (as tests/test_web_browser.py launches it), at the width of an A4 landscape page.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]


def main() -> None:
    from playwright.sync_api import sync_playwright

    env = {**os.environ, "PYTHONPATH": str(ROOT), "LANG": "C.UTF-8"}
    with tempfile.TemporaryDirectory() as scratch:
        out = Path(scratch) / "roster"
        subprocess.run([sys.executable, "-m", "hallsim", "staff",
                        str(ROOT / "scenarios" / "weeks" / "city-week.yaml"), "--target",
                        "wait_probability=0.3", "--set", "load_factor=0.5", "--lang", "en",
                        "--out", str(out)], check=True, env=env, cwd=scratch)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            page = browser.new_page(viewport={"width": 1100, "height": 800})
            page.goto((out / "roster.html").as_uri())
            page.screenshot(path=str(ROOT / "docs" / "roster.png"), full_page=True)
            browser.close()
    print(f"wrote {ROOT / 'docs' / 'roster.png'}")


if __name__ == "__main__":
    main()
