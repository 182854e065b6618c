"""The scenario page's saves through the API: comments kept, save as, earlier versions."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

pytest.importorskip("fastapi")
pytest.importorskip("httpx")

from fastapi.testclient import TestClient  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
LOW = (ROOT / "scenarios" / "low.yaml").read_text(encoding="utf-8")


@pytest.fixture()
def client(tmp_path):
    from hallsim.web.app import create_app

    with TestClient(create_app(tmp_path / "data", workers=0), base_url="http://localhost") as c:
        yield c


def test_saving_the_editors_structure_keeps_the_files_comments(client):
    """The editor sends its structure; unchanged, the file is the same bytes and no version is
    made; one count changed, only that line differs and the old text is kept as a version."""
    data = client.get("/api/scenarios/low/data").json()
    assert client.put("/api/scenarios/low", json={"data": data}).json() == {"name": "low"}
    assert client.get("/api/scenarios/low").text == LOW
    assert client.get("/api/scenarios/low/versions").json()["versions"] == []
    data["shifts"][1]["count"] = 3
    assert client.put("/api/scenarios/low", json={"data": data}).status_code == 200
    now = client.get("/api/scenarios/low").text
    changed = [(a, b) for a, b in zip(LOW.splitlines(), now.splitlines(), strict=True) if a != b]
    assert changed == [('  - {name: counter_b, role: counter,    start: "09:00", end: "18:00", count: 2,',
                        '  - {name: counter_b, role: counter,    start: "09:00", end: "18:00", count: 3,')]
    versions = client.get("/api/scenarios/low/versions").json()["versions"]
    assert [v["title"] for v in versions] == ["low"]
    assert client.get(f"/api/scenarios/low/versions/{versions[0]['id']}").text == LOW


def test_save_as_keeps_the_originals_comments_and_refuses_a_taken_name_when_asked(client):
    """Save as writes a new scenario from the original's text; with create it will not overwrite."""
    data = client.get("/api/scenarios/low/data").json()
    data["counters"]["windows"] = 6
    response = client.put("/api/scenarios/Low Copy", json={"data": data, "base": "low", "create": True})
    assert response.json() == {"name": "low-copy"}
    copy = client.get("/api/scenarios/low-copy").text
    assert copy == LOW.replace("counters: {windows: 8}", "counters: {windows: 6}")
    assert client.get("/api/scenarios/low").text == LOW
    again = client.put("/api/scenarios/low-copy", json={"data": data, "base": "low", "create": True})
    assert again.status_code == 409


def test_restoring_a_version_brings_its_text_back_and_keeps_the_current_one(client):
    """Two saves, then restore the first version: the file is the original again, and the
    list has grown by the version it replaced."""
    data = client.get("/api/scenarios/low/data").json()
    data["shifts"][0]["count"] = 1
    client.put("/api/scenarios/low", json={"data": data})
    first = client.get("/api/scenarios/low/versions").json()["versions"][0]["id"]
    assert client.post(f"/api/scenarios/low/versions/{first}/restore").json() == {"name": "low"}
    assert client.get("/api/scenarios/low").text == LOW
    assert len(client.get("/api/scenarios/low/versions").json()["versions"]) == 2
    assert client.get("/api/scenarios/low/versions/20200101T000000000000Z").status_code == 404
    assert client.get("/api/scenarios/low/versions/..%2Fx").status_code == 404
    assert client.get(f"/api/scenarios/low/versions/{first}/data").json()["name"] == "low"


def test_compare_my_edit_against_an_earlier_version_names_both_and_agrees_with_its_rows(client):
    """A version as plan A, the editor's structure as plan B, with the page's labels: the
    verdict text names the rows that differ and states waits and staff hours."""
    data = client.get("/api/scenarios/low/data").json()
    data["shifts"][0]["count"] = 1
    client.put("/api/scenarios/low", json={"data": data})
    first = client.get("/api/scenarios/low/versions").json()["versions"][0]["id"]
    job = client.post("/api/compare", json={
        "a": {"scenario": "low", "version": first, "label": "original"},
        "b": {"data": data, "label": "my edit"}, "reps": 3, "seed": 2}).json()
    for _ in range(400):
        doc = client.get(f"/api/runs/{job['id']}").json()
        if doc["status"] in ("done", "failed"):
            break
        time.sleep(0.05)
    summary = doc["summary"]
    assert (summary["a"], summary["b"]) == ("original", "my edit")
    # one clerk of two fewer: 9 h less a 45-minute break
    assert summary["metrics"]["staff_hours"]["diff"] == pytest.approx(-8.25)
    text = summary["verdict_text"]
    assert "staff hours" in text and "my edit waits" in text
    assert summary["metrics"]["staff_hours"]["better"] == "b"        # the edit is cheaper, and says so
    for metric, cell in summary["metrics"].items():
        if cell["better"] and metric in ("mean_wait_min", "staff_hours"):
            assert {"mean_wait_min": "mean wait", "staff_hours": "staff hours"}[metric] in text.split(";")[0]
    missing = client.post("/api/compare", json={"a": {"scenario": "low", "version": "20200101T000000000000Z"},
                                                 "b": {"data": data}})
    assert missing.status_code == 404


def _finished(client, job_id: str) -> dict:
    for _ in range(400):
        doc = client.get(f"/api/runs/{job_id}").json()
        if doc["status"] in ("done", "failed"):
            return doc
        time.sleep(0.05)
    raise AssertionError(doc)


def test_a_runs_results_download_as_csv_named_after_the_scenario(client):
    """summary.csv and intervals.csv of a finished run are attachments named after it; a
    comparison has no such export (409)."""
    job = client.post("/api/runs", json={"scenario": "low", "reps": 1}).json()
    _finished(client, job["id"])
    summary = client.get(f"/api/runs/{job['id']}/summary.csv")
    assert summary.headers["content-disposition"] == 'attachment; filename="low-summary.csv"'
    assert summary.text.splitlines()[0] == "metric,mean,ci95"
    intervals = client.get(f"/api/runs/{job['id']}/intervals.csv").text.splitlines()
    assert len(intervals) == 1 + 18 and intervals[1].startswith("09:00,09:30,")
    cmp = client.post("/api/compare", json={"a": {"scenario": "low"}, "b": {"scenario": "low"},
                                            "reps": 1}).json()
    assert client.get(f"/api/runs/{cmp['id']}/results.xlsx").status_code == 409


def test_the_page_gets_the_warnings_of_hallsim_validate_each_at_its_field(client):
    """40 counter staff at 8 windows and a shift starting at 07:00 before a 09:00 opening:
    both warned, as the command line words them, at counters.windows and shifts[2].start."""
    from hallsim.scenario.coverage import plan_warnings
    from hallsim.web.checks import parse_scenario

    data = client.get("/api/scenarios/low/data").json()
    data["shifts"][0]["count"] = 40
    data["shifts"][2]["start"] = "07:00"
    doc = client.post("/api/validate", json={"data": data}).json()
    assert doc["ok"] is True
    assert doc["warnings"] == plan_warnings(parse_scenario(json.dumps(data)))
    at = list(zip(doc["warnings_at"], doc["warnings"], strict=True))
    assert at[0] == ("shifts[2].start", "shift 'floor' (07:00-18:00) starts before the hall opens at 09:00")
    windows = [text for field, text in at if field == "counters.windows"]
    assert windows[0].startswith("42 counter staff on duty from 09:00 to 11:30 but only 8 windows")
    zh = client.post("/api/validate?lang=zh", json={"data": data}).json()
    assert zh["warnings_at"] == doc["warnings_at"] and zh["warnings"][0].startswith("班次“floor”")


def test_the_advisor_drafts_shifts_for_a_target_with_required_and_scheduled_per_interval(client):
    """POST /api/advise on the editor's structure: the summary is advice.json (one row per
    half hour with required_isa and scheduled) plus the drafted plan's shifts, which load
    back as a scenario; a metric that does not exist is refused before any work (422)."""
    data = client.get("/api/scenarios/low/data").json()
    job = client.post("/api/advise", json={"data": data, "target": {"wait_probability": 0.2},
                                           "reps": 3, "verify_days": 6}).json()
    doc = _finished(client, job["id"])
    assert doc["status"] == "done" and doc["kind"] == "advise"
    advice = doc["summary"]
    assert advice["target"] == {"metric": "wait_probability", "value": 0.2}
    assert len(advice["intervals"]) == 18
    assert {"start", "required_isa", "scheduled", "verdict"} <= set(advice["intervals"][0])
    assert advice["headline"] and isinstance(advice["headline"][0], str)
    roles = {s["role"] for s in advice["shifts"]}
    assert "counter" in roles and "preprocess" in roles             # other roles kept
    drafted = dict(data, shifts=advice["shifts"])
    assert client.post("/api/validate", json={"data": drafted}).json()["ok"] is True
    bad = client.post("/api/advise", json={"data": data, "target": {"wait_chance": 0.2}})
    assert bad.status_code == 422 and "unknown metric" in bad.json()["errors"][0]["message"]


def test_the_page_advice_says_which_rule_stops_the_target(client):
    """Two windows cannot serve low's peak within the target: the page's lines name the
    window limit as the command line does (the gap lines), not only the missed intervals."""
    data = client.get("/api/scenarios/low/data").json()
    data["counters"]["windows"] = 2
    job = client.post("/api/advise", json={"data": data, "target": {"wait_probability": 0.2},
                                           "reps": 2, "verify_days": 2}).json()
    advice = _finished(client, job["id"])["summary"]
    assert advice["gaps"], "two windows should leave a gap"
    for gap in advice["gaps"]:
        assert gap["message"] in advice["headline"]
    assert any("counters.windows" in line for line in advice["headline"])
