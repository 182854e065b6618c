"""Live numbers: the quick estimate (POST /api/estimate) and the cancelling of a superseded run
(DELETE /api/runs/{id}), through FastAPI's test client; the page itself: test_web_live_page.py."""

from __future__ import annotations

import copy
import time
from pathlib import Path

import pytest

pytest.importorskip("fastapi")
pytest.importorskip("httpx")

from fastapi.testclient import TestClient  # noqa: E402

from hallsim.web.app import create_app  # noqa: E402


@pytest.fixture()
def client(tmp_path):
    with TestClient(create_app(tmp_path / "data", workers=0), base_url="http://localhost") as c:
        yield c


def _finished(client, job_id: str) -> dict:
    for _ in range(400):
        doc = client.get(f"/api/runs/{job_id}").json()
        if doc["status"] not in ("queued", "running"):
            return doc
        time.sleep(0.05)
    raise AssertionError(f"run {job_id} did not finish: {doc}")


def test_a_quick_estimate_is_the_first_days_of_the_run_with_the_same_seed(client):
    """Three days of the plan on screen, at once: exactly the summary a three-day run of the
    same seed gives (the full run's first days), and marked as quick."""
    data = client.get("/api/scenarios/weekday/data").json()
    data["shifts"][0]["start"] = "09:30"
    quick = client.post("/api/estimate", json={"data": data, "reps": 3, "seed": 7})
    assert quick.status_code == 200
    doc = quick.json()
    assert doc["quick"] is True and doc["reps"] == 3
    run = client.post("/api/runs", json={"data": data, "reps": 3, "seed": 7}).json()["id"]
    full = _finished(client, run)
    assert full["status"] == "done"
    assert doc["summary"]["replications"] == 3
    assert doc["summary"]["metrics"] == full["summary"]["metrics"]


def test_a_quick_estimate_of_a_broken_plan_names_the_field_and_caps_its_days(client):
    """A bad time: 422 at its field, as validation says; more than 10 days is not quick: 422."""
    data = client.get("/api/scenarios/low/data").json()
    data["shifts"][0]["end"] = "25:00"
    bad = client.post("/api/estimate", json={"data": data})
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["field"] == "shifts[0].end"
    too_many = client.post("/api/estimate", json={"scenario": "low", "reps": 11})
    assert too_many.status_code == 422 and too_many.json()["errors"][0]["field"] == "reps"


def test_a_superseded_run_is_cancelled_and_kept_as_cancelled(client):
    """DELETE stops a run at its next day: it ends 'cancelled' (not failed), is not reported,
    and cancelling a finished run changes nothing."""
    job = client.post("/api/runs", json={"scenario": "weekday", "reps": 200}).json()["id"]
    assert client.delete(f"/api/runs/{job}").status_code == 204
    doc = _finished(client, job)
    assert doc["status"] == "cancelled" and doc["error"] == "superseded"
    assert client.get(f"/api/runs/{job}/report").status_code == 409
    done = client.post("/api/runs", json={"scenario": "low", "reps": 1}).json()["id"]
    assert _finished(client, done)["status"] == "done"
    assert client.delete(f"/api/runs/{done}").status_code == 204
    assert client.get(f"/api/runs/{done}").json()["status"] == "done"
    assert client.delete("/api/runs/nope").status_code == 404


def test_a_hall_too_large_to_estimate_quickly_gives_way_to_the_next_estimate():
    """Past its time an estimate raises TimeoutError and its worker is replaced: the next
    estimate is answered (by a fresh worker process), the same as an estimate in-thread."""
    from hallsim import load_scenario
    from hallsim.web.quick import Quick

    scenario = load_scenario(Path(__file__).resolve().parents[1] / "scenarios" / "low.yaml")
    quick = Quick(workers=1)
    try:
        with pytest.raises(TimeoutError):
            quick.estimate(scenario, 3, 1, timeout=0.0)
        again = quick.estimate(scenario, 2, 1, timeout=60.0)
    finally:
        quick.close()
    assert again["metrics"] == Quick(workers=0).estimate(scenario, 2, 1, timeout=60.0)["metrics"]


def test_the_editors_structure_estimated_without_yaml_is_the_plan_a_run_reads(client):
    """Every shipped scenario as the editor holds it: validated directly (the estimate) and
    through its YAML text (a run) gives the same plan."""
    from hallsim.scenario.scenario import Scenario
    from hallsim.web.checks import as_yaml, parse_scenario

    names = [s["name"] for s in client.get("/api/scenarios").json()["scenarios"]]
    assert len(names) >= 5
    for name in names:
        data = client.get(f"/api/scenarios/{name}/data").json()
        direct = Scenario.from_data(copy.deepcopy(data), "scenario.yaml")
        assert direct.to_dict() == parse_scenario(as_yaml(data)).to_dict(), name


def test_estimates_beyond_those_the_lane_takes_are_refused_at_once(client):
    """With no room left in the quick lane an estimate is refused at once (429, in the
    request's language), instead of holding a server thread."""
    from hallsim.web.quick import Quick

    client.app.state.quick = Quick(workers=0, waiting=0)
    full = client.post("/api/estimate?lang=zh", json={"scenario": "low"})
    assert full.status_code == 429 and full.json()["detail"].startswith("等待中的快速估算太多")
