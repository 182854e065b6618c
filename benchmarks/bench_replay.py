"""Frames per second of the day's replay in Debian's Chromium (headless), playing the busiest
hour of a weekday at each speed.

    python benchmarks/bench_replay.py [--scenario weekday] [--seconds 3]

Starts the app on a temporary data folder, runs the scenario (one day), opens its replay,
seeks to the hour with the longest counter queue (earlier at speeds that would reach the
day's end) and plays for ``--seconds`` at each speed.
Prints the frames drawn per second (the browser's requestAnimationFrame rate caps it at the
display's 60) and the time each frame took to draw (mean and worst), from the page's own
counters. The target is 60 frames per second, so every frame under 16.7 ms.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from playwright.sync_api import sync_playwright  # noqa: E402

from hallsim.web.app import create_app  # noqa: E402
from tests.browsing import ARGS, CHROMIUM, serving  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scenario", default="weekday")
    parser.add_argument("--seconds", type=float, default=3.0)
    args = parser.parse_args()
    with serving(create_app(tempfile.mkdtemp(prefix="hallsim-bench-"), workers=0)) as url:
        body = json.dumps({"scenario": args.scenario, "reps": 1, "seed": 1}).encode()
        post = urllib.request.Request(f"{url}/api/runs", body, {"Content-Type": "application/json"})
        with urllib.request.urlopen(post) as response:
            job = json.load(response)["id"]
        while json.load(urllib.request.urlopen(f"{url}/api/runs/{job}"))["status"] != "done":
            time.sleep(0.05)
        replay = json.load(urllib.request.urlopen(f"{url}/api/runs/{job}/replay"))
        times, counts = replay["queue"]["times"], replay["queue"]["counts"]
        busiest = max(0.0, times[counts.index(max(counts))] - 30) if counts else 0.0
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            page = browser.new_page(viewport={"width": 1300, "height": 900})
            page.goto(f"{url}/runs/{job}/replay")
            page.wait_for_selector("#day-numbers:not([hidden])")
            print(f"{args.scenario}: {len(replay['customers']['arrival'])} customers, "
                  f"playing from minute {busiest:.0f} (the longest counter queue, {max(counts)})")
            for speed in ("1", "5", "60"):
                start = min(busiest, replay["end"] - 1.1 * args.seconds * int(speed))
                page.evaluate(f"hallsimReplay.seek({max(0.0, start)})")
                page.select_option("#speed", speed)
                page.evaluate("Object.assign(hallsimReplay.stats, {frames: 0, drawMs: 0, maxDrawMs: 0})")
                started = time.perf_counter()
                page.click("#play")
                page.wait_for_timeout(args.seconds * 1000)
                page.click("#play")
                wall = time.perf_counter() - started
                s = page.evaluate("hallsimReplay.stats")
                print(f"{speed:>2} min/s: {s['frames'] / wall:5.1f} frames/s, draw "
                      f"{s['drawMs'] / max(s['frames'], 1):4.2f} ms mean, {s['maxDrawMs']:4.1f} ms worst")
            browser.close()


if __name__ == "__main__":
    main()
