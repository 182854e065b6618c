"""Time the browser's edit-and-rerun loop through the web API: the weekday, 10 replications.

    python benchmarks/bench_web.py [--reps 10] [--workers 2]

Starts the app on a temporary data folder (worker processes warmed as `hallsim serve`
does), then for each of a few edits of the first shift's count: POST /api/runs, poll
until the numbers are in (what the page shows first), then until the report is written
(the charts). Prints seconds for each; the acceptance target is under 15 s to the numbers.
"""

from __future__ import annotations

import argparse
import tempfile
import time

from fastapi.testclient import TestClient

from hallsim.web.app import create_app


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reps", type=int, default=10)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    app = create_app(tempfile.mkdtemp(prefix="hallsim-bench-"), workers=args.workers)
    with TestClient(app, base_url="http://localhost") as c:
        time.sleep(3)     # let the worker processes start, as they do while the page loads
        data = c.get("/api/scenarios/weekday/data").json()
        for count in (2, 3, 1, 2):
            data["shifts"][0]["count"] = count
            started = time.perf_counter()
            job = c.post("/api/runs", json={"data": data, "reps": args.reps, "seed": 1}).json()["id"]
            while (doc := c.get(f"/api/runs/{job}").json())["status"] not in ("done", "failed"):
                time.sleep(0.05)
            numbers = time.perf_counter() - started
            c.get(f"/api/runs/{job}/report")
            report = time.perf_counter() - started
            wait = doc["summary"]["metrics"]["mean_wait_min"]["mean"]
            print(f"first shift x{count}: numbers in {numbers:5.2f} s, report in {report:5.2f} s "
                  f"(mean wait {wait:.2f} min)")


if __name__ == "__main__":
    main()
