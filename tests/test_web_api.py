"""The web app's JSON API (contract section 8), through FastAPI's test client."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

pytest.importorskip("fastapi")
pytest.importorskip("httpx")

from fastapi.testclient import TestClient  # noqa: E402

import hallsim  # noqa: E402
from hallsim.web.app import create_app  # noqa: E402
from hallsim.web.command import is_loopback  # noqa: E402
from hallsim.web.storage import slug  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
WEEKDAY = (ROOT / "scenarios" / "weekday.yaml").read_text(encoding="utf-8")
REFERENCE = (ROOT / "scenarios" / "exercise" / "lunch_peak.reference.yaml").read_text(encoding="utf-8")


@pytest.fixture()
def client(tmp_path):
    with TestClient(create_app(tmp_path / "data", workers=0), base_url="http://localhost") as c:
        yield c


def wait_for(client, job_id: str) -> dict:
    for _ in range(200):
        doc = client.get(f"/api/runs/{job_id}").json()
        if doc["status"] in ("done", "failed"):
            return doc
        time.sleep(0.05)
    raise AssertionError(f"run {job_id} did not finish: {doc}")


def test_data_folder_is_seeded_with_the_shipped_scenarios_and_challenges(client):
    """A new data folder lists the repository's scenarios and exercise challenges."""
    doc = client.get("/api/scenarios").json()
    shipped = ROOT / "scenarios"
    assert [s["name"] for s in doc["scenarios"]] == sorted(p.stem for p in shipped.glob("*.yaml"))
    assert doc["challenges"] == sorted(p.stem for p in (shipped / "exercise").glob("*.yaml")
                                       if not p.stem.endswith(".reference"))
    assert "lunch_peak" in doc["challenges"]
    assert client.get("/api/scenarios/weekday").text == WEEKDAY
    assert client.get("/api/scenarios/nope").status_code == 404


def test_validate_accepts_a_good_scenario_and_locates_a_bad_field(client):
    """A valid scenario gives ok; a bad time gives 422 with the file's line and the field path."""
    from hallsim.scenario.coverage import plan_warnings

    doc = client.post("/api/validate", json={"yaml": WEEKDAY}).json()
    assert doc["ok"] is True          # with hallsim validate's warnings (one: 9 staff at 8 windows)
    assert doc["warnings"] == plan_warnings(hallsim.load_scenario(ROOT / "scenarios" / "weekday.yaml"))
    lines = WEEKDAY.splitlines()
    first = next(i for i, line in enumerate(lines) if "start:" in line and "name:" in line)
    bad = "\n".join(lines[:first] + [lines[first].replace('start: "', 'start: "2', 1)] + lines[first + 1:])
    response = client.post("/api/validate", json={"yaml": bad})
    assert response.status_code == 422
    (error,) = response.json()["errors"]
    assert error["line"] == first + 1
    assert error["field"] == "shifts[0].start"
    assert "HH:MM" in error["message"]


def test_validate_reports_yaml_syntax_errors_and_uncovered_hours(client):
    """Broken YAML names its line; a plan with no counter staff after 15:00 is valid but warned."""
    syntax = client.post("/api/validate", json={"yaml": "name: x\nhours: [1\n"}).json()
    assert syntax["errors"][0]["line"] == 3 and "YAML syntax error" in syntax["errors"][0]["message"]
    data = hallsim.load_scenario(ROOT / "scenarios" / "weekday.yaml").to_dict()
    data["shifts"] = [{"name": "only", "role": "counter", "start": "09:00", "end": "15:00", "count": 4}]
    doc = client.post("/api/validate", json={"data": data}).json()
    assert doc == {"ok": True, "warnings_at": [None], "warnings": [     # as hallsim validate says it
        "no counter staff on the plan from 15:00 to 19:00: customers who need a counter then wait "
        "for the next shift, or are turned away if none comes"]}
    zh = client.post("/api/validate?lang=zh", json={"data": data}).json()
    assert zh["warnings"][0].startswith("排班计划中 15:00 至 19:00 没有营业员")


def test_a_run_gives_the_same_summary_as_the_python_api_and_a_report(client):
    """POST /api/runs runs in the background; its summary is replicate()'s, byte for byte."""
    response = client.post("/api/runs", json={"scenario": "weekday", "reps": 2, "seed": 7,
                                              "set": {"counters.windows": 6}})
    assert response.status_code == 202
    doc = wait_for(client, response.json()["id"])
    assert doc["status"] == "done" and doc["progress"] == 1.0
    sc = hallsim.load_scenario(ROOT / "scenarios" / "weekday.yaml").with_changes({"counters.windows": 6})
    expected = hallsim.replicate(sc, reps=2, seed=7)
    assert json.dumps(doc["summary"]) == json.dumps(expected.summary)
    report = client.get(f"/api/runs/{doc['id']}/report")
    assert report.status_code == 200 and 'id="headline"' in report.text
    replay = client.get(f"/api/runs/{doc['id']}/replay").json()
    assert len(replay["customers"]["arrival"]) == len(expected.days[0].customers)
    assert replay["windows"] == 6
    windows = [w for w in replay["customers"]["window"] if w is not None]
    assert max(windows) < 6     # never more customers at the counters than windows


def test_run_and_compare_reports_speak_the_requests_language(client):
    """A run or a comparison started with ?lang=zh-Hant writes its report in 繁體 (the report
    is written in a worker process: the language travels with the job)."""
    run = client.post("/api/runs?lang=zh-Hant", json={"scenario": "low", "reps": 1}).json()
    assert wait_for(client, run["id"])["status"] == "done"
    report = client.get(f"/api/runs/{run['id']}/report").text
    assert '<html lang="zh-Hant">' in report and "平均輪候時間" in report
    pair = client.post("/api/compare?lang=zh", json={"a": {"scenario": "low"},
                                                     "b": {"scenario": "low"}, "reps": 1}).json()
    assert wait_for(client, pair["id"])["status"] == "done"
    assert '<html lang="zh-Hans">' in client.get(f"/api/runs/{pair['id']}/report").text


def test_bad_runs_are_rejected_with_located_errors(client):
    """Unknown scenarios are 404, a bad override is 422 naming the field, bad reps are 422."""
    assert client.post("/api/runs", json={"scenario": "nope"}).status_code == 404
    bad = client.post("/api/runs", json={"scenario": "weekday", "set": {"counters.windows": -1}})
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "counters.windows"
    assert client.post("/api/runs", json={"scenario": "weekday", "reps": 0}).status_code == 422
    assert client.get("/api/runs/0000/report").status_code == 404


def test_compare_runs_both_plans_on_the_same_customers(client):
    """A scenario compared with itself differs by exactly 0 in every metric."""
    job = client.post("/api/compare", json={"a": {"scenario": "weekday"}, "b": {"yaml": WEEKDAY},
                                            "reps": 2}).json()
    doc = wait_for(client, job["id"])
    assert doc["status"] == "done"
    assert all(m["diff"] == 0 for m in doc["summary"]["metrics"].values())
    assert "vs" in client.get(f"/api/runs/{job['id']}/report").text


def test_saving_a_scenario_slugs_its_name_and_refuses_invalid_yaml(client, tmp_path):
    """PUT stores valid YAML under a slugged name; invalid YAML is 422 and writes nothing."""
    saved = client.put("/api/scenarios/My Plan!", content=WEEKDAY.encode(),
                       headers={"Content-Type": "text/yaml"})
    assert saved.json() == {"name": "my-plan"}
    assert client.get("/api/scenarios/my-plan").text == WEEKDAY
    refused = client.put("/api/scenarios/broken", json={"yaml": "name: x\n"})
    assert refused.status_code == 422
    assert not (tmp_path / "data" / "scenarios" / "broken.yaml").exists()
    assert slug("午间 Peak") == "u5348u95f4-peak"


def test_two_teams_in_a_room_are_ranked_and_the_trainer_controls_the_room(client):
    """Plans are scored on the same customers; only the trainer token closes and reveals;
    until reveal only the trainer sees the board and a team only its own card, unranked."""
    room = client.post("/api/rooms", json={"challenge": "lunch_peak", "reps": 2}).json()
    rid, token = room["room"], room["trainer_token"]
    trainer = {"X-Trainer-Token": token}
    lean = REFERENCE.replace("count: 3", "count: 1")
    red = client.post(f"/api/rooms/{rid}/plans", json={"team": "红队", "yaml": REFERENCE})
    assert red.status_code == 202
    assert client.post(f"/api/rooms/{rid}/plans", json={"team": "Blue", "yaml": lean}).status_code == 202
    for _ in range(200):
        board = client.get(f"/api/rooms/{rid}/leaderboard", headers=trainer).json()
        if len(board["plans"]) == 2:
            break
        time.sleep(0.05)
    assert [p["team"] for p in board["plans"]] == ["红队", "Blue"]   # fewer staff, longer waits
    waits = [p["metrics"]["mean_wait_min"]["mean"] for p in board["plans"]]
    assert waits[0] < waits[1]
    public = client.get(f"/api/rooms/{rid}/leaderboard").json()
    assert public["hidden"] is True and public["plans"] == [] and public["pending"] == []
    assert [(t["team"], t["submission"], t["status"]) for t in public["teams"]] == [
        ("红队", 1, "done"), ("Blue", 1, "done")]
    assert client.get(f"/api/rooms/{rid}/plans/红队").status_code == 403
    assert client.get(f"/api/rooms/{rid}/plans/红队",
                      headers={"X-Team-Key": "not-the-key"}).status_code == 403
    own = client.get(f"/api/rooms/{rid}/plans/红队", headers={"X-Team-Key": red.json()["key"]}).json()
    assert own["rank"] is None and own["valid"] is True and own["score"] > 0
    card = client.get(f"/api/rooms/{rid}/plans/红队", headers=trainer).json()
    assert card["rank"] == 1 and card["valid"] is True
    assert client.get(f"/api/rooms/{rid}/reference").status_code == 403
    assert client.get(f"/api/rooms/{rid}/debrief/Blue").status_code == 403
    assert client.post(f"/api/rooms/{rid}/close").status_code == 403
    assert client.post(f"/api/rooms/{rid}/close", headers=trainer).json()["open"] is False
    assert client.post(f"/api/rooms/{rid}/plans", json={"team": "late", "yaml": REFERENCE}).status_code == 409
    assert client.post(f"/api/rooms/{rid}/reveal?trainer_token={token}").status_code == 200
    board = client.get(f"/api/rooms/{rid}/leaderboard").json()
    assert board["hidden"] is False and len(board["plans"]) == 3
    reference = [p for p in board["plans"] if p["reference"]]
    assert len(reference) == 1 and reference[0]["vs_reference"] == 0
    assert client.get(f"/api/rooms/{rid}/plans/Blue").json()["rank"] == 3
    shown = client.get(f"/api/rooms/{rid}/reference").json()
    assert shown["yaml"] == REFERENCE and shown["team"] == "trainer's reference"
    assert [(s["name"], s["start"], s["end"], s["count"]) for s in shown["shifts"][:2]] == [
        ("morning", "09:00", "15:00", 2), ("peak", "11:00", "14:00", 2)]
    assert shown["shifts"][3]["breaks"] == [{"at": "14:30", "minutes": 45}]
    for _ in range(400):                                  # the debrief is built after reveal
        answer = client.get(f"/api/rooms/{rid}/debrief/blue")
        if answer.status_code == 200:
            break
        time.sleep(0.05)
    blue = answer.json()
    assert blue["status"] == "done" and blue["team"] == "Blue"
    assert blue["debrief"]["rank"] == 3 and blue["debrief"]["score"] == board["plans"][2]["score"]
    assert blue["debrief"]["sentences"] and "<section class='debrief'" in blue["html"]
    assert [v["kind"] for v in blue["debrief"]["versus"]] == ["reference"]   # 红队 ties it, below
    zh = client.get(f"/api/rooms/{rid}/debrief/blue?lang=zh").json()
    assert zh["debrief"]["sentences"] != blue["debrief"]["sentences"]          # in Chinese
    assert client.get(f"/api/rooms/{rid}/debrief/nobody").status_code == 404


def test_a_room_that_does_not_hide_shows_the_board_to_everyone(client):
    """hide_until_reveal false: the board, with scores and levers, is public from the start."""
    rid = client.post("/api/rooms", json={"challenge": "lunch_peak", "reps": 1,
                                          "hide_until_reveal": False}).json()["room"]
    assert client.get(f"/api/rooms/{rid}").json()["hide_until_reveal"] is False
    assert client.post(f"/api/rooms/{rid}/plans", json={"team": "A", "yaml": REFERENCE}).status_code == 202
    for _ in range(200):
        board = client.get(f"/api/rooms/{rid}/leaderboard").json()
        if board["plans"]:
            break
        time.sleep(0.05)
    assert board["hidden"] is False and board["plans"][0]["team"] == "A"
    assert client.get(f"/api/rooms/{rid}/plans/A").json()["rank"] == 1


def test_a_team_name_typed_differently_is_the_same_team_and_needs_its_key(client):
    """A trailing space, another case or full-width letters do not make a new team: without
    the first submission's key the name is taken (409); with it, the plan is the team's."""
    rid = client.post("/api/rooms", json={"challenge": "lunch_peak", "reps": 1}).json()["room"]
    first = client.post(f"/api/rooms/{rid}/plans", json={"team": "Team A", "yaml": REFERENCE})
    assert first.status_code == 202
    for name in ("Team A ", "team a", "Ｔｅａｍ　Ａ", " TEAM-A"):
        taken = client.post(f"/api/rooms/{rid}/plans", json={"team": name, "yaml": REFERENCE})
        assert taken.status_code == 409 and "name taken" in taken.json()["detail"], name
    again = client.post(f"/api/rooms/{rid}/plans",
                        json={"team": "team a ", "yaml": REFERENCE, "key": first.json()["key"]})
    assert again.status_code == 202 and again.json()["team"] == "Team A"
    assert again.json()["submission"] == 2


def test_a_plan_with_errors_is_refused_and_rule_breaches_are_flagged(client):
    """A plan the loader rejects is 422 with its field; one over budget is scored but flagged."""
    rid = client.post("/api/rooms", json={"challenge": "lunch_peak", "reps": 2}).json()["room"]
    bad = client.post(f"/api/rooms/{rid}/plans", json={"team": "x", "yaml": "shifts: []\n"})
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "shifts"
    late = REFERENCE.replace('start: "12:00", end: "18:00"', 'start: "12:00", end: "25:00"')
    wrong = client.post(f"/api/rooms/{rid}/plans", json={"team": "x", "yaml": late}).json()
    assert wrong["errors"][0]["field"] == 'shifts["late"].end'      # the editor marks that row
    big = REFERENCE.replace("count: 3", "count: 9")
    checked = client.post("/api/validate", json={"yaml": big, "challenge": "lunch_peak"}).json()
    assert any("budget" in w for w in checked["warnings"])
    assert checked["staff_hours"] == 92.5 and checked["lever_hours"] == 0   # 12+6+54+8.25+4+8.25
    sent = client.post(f"/api/rooms/{rid}/plans", json={"team": "big", "yaml": big})
    assert sent.status_code == 202
    for _ in range(200):
        card = client.get(f"/api/rooms/{rid}/plans/big", headers={"X-Team-Key": sent.json()["key"]}).json()
        if card["status"] == "done":
            break
        time.sleep(0.05)
    assert card["valid"] is False and any("budget" in v for v in card["violations"])


def test_leaderboard_events_stream_the_board(client):
    """The room's event stream sends the leaderboard as a server-sent event."""
    rid = client.post("/api/rooms", json={"challenge": "quiet_day", "reps": 1}).json()["room"]
    with client.stream("GET", f"/api/rooms/{rid}/events?limit=0.3") as stream:
        text = "".join(stream.iter_text())
    event, data = text.split("\n")[:2]
    assert event == "event: leaderboard"
    board = json.loads(data.removeprefix("data: "))
    assert board["room"] == rid and board["hidden"] is True and board["plans"] == []


def test_a_token_guards_every_request_and_bodies_are_limited(tmp_path):
    """With a token, requests without it get 401; bodies over 1 MB get 413."""
    with TestClient(create_app(tmp_path, token="s3cret", workers=0), base_url="http://localhost") as c:
        assert c.get("/api/scenarios").status_code == 401
        assert c.get("/").status_code == 401
        assert c.get("/api/scenarios", headers={"Authorization": "Bearer wrong"}).status_code == 401
        assert c.get("/api/scenarios", headers={"Authorization": "Bearer s3cret"}).status_code == 200
        assert c.get("/api/scenarios?token=s3cret").status_code == 200
        assert c.get("/static/hallsim.css").status_code == 200
        big = c.post("/api/validate?token=s3cret", json={"yaml": "x" * 1_100_000})
        assert big.status_code == 413
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.5")


def test_runs_on_the_process_pool_match_runs_in_process(tmp_path):
    """Replications on worker processes give the same summary as the Python API."""
    with TestClient(create_app(tmp_path, workers=1), base_url="http://localhost") as c:
        job = c.post("/api/runs", json={"scenario": "low", "reps": 2, "seed": 3}).json()
        doc = wait_for(c, job["id"])
    expected = hallsim.replicate(hallsim.load_scenario(ROOT / "scenarios" / "low.yaml"), reps=2, seed=3)
    assert doc["summary"] == json.loads(json.dumps(expected.summary))


def test_pages_render_in_english_and_chinese(client):
    """Every page renders; ?lang=zh switches the language and is remembered."""
    rid = client.post("/api/rooms", json={"challenge": "lunch_peak", "reps": 1}).json()["room"]
    for url in ("/", "/scenarios/weekday", "/compare", f"/rooms/{rid}", f"/rooms/{rid}/trainer",
                f"/rooms/{rid}/board"):
        page = client.get(url)
        assert page.status_code == 200 and "/static/common.js" in page.text
    assert client.get("/scenarios/nope").status_code == 404
    assert client.get("/rooms/nope/board").status_code == 404
    assert '<html lang="zh-Hans">' in client.get("/?lang=zh").text
    assert '<html lang="zh-Hans">' in client.get("/compare").text     # from the cookie
    traditional = client.get("/?lang=zh-Hant").text
    assert '<html lang="zh-Hant">' in traditional and 'hreflang="zh-Hans"' in traditional


def test_serve_on_a_public_address_generates_and_requires_a_token(tmp_path):
    """`hallsim serve --host 0.0.0.0` without --token prints a generated token and enforces it."""
    import os
    import subprocess
    import sys
    import urllib.error
    import urllib.request

    from tests.hostile.server import listening_port, wait_until

    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    server = subprocess.Popen(   # port 0, read back: a port picked here could be taken meanwhile
        [sys.executable, "-m", "hallsim", "serve", "--host", "0.0.0.0", "--port", "0",
         "--data", str(tmp_path / "d"), "--workers", "0"],
        stderr=subprocess.PIPE, text=True, env=env)
    try:
        lines = [server.stderr.readline() for _ in range(2)]
        token = next(line.split(": ")[-1].strip() for line in lines if "generated" in line)
        port = wait_until(lambda: listening_port(server.pid), timeout=60)
        url = f"http://127.0.0.1:{port}/api/scenarios"
        for _ in range(100):
            try:
                urllib.request.urlopen(url, timeout=5)
            except urllib.error.HTTPError as exc:
                assert exc.code == 401
                break
            except OSError:
                time.sleep(0.1)
        else:
            raise AssertionError("the server did not answer")
        with urllib.request.urlopen(f"{url}?token={token}", timeout=5) as answer:
            assert "weekday" in answer.read().decode()
    finally:
        server.terminate()
        server.wait(10)


def test_a_plan_with_levers_is_scored_with_what_they_cost(client):
    """A room for a challenge that opens levers reports them, and prices a plan's choices."""
    plan = (ROOT / "scenarios" / "exercise" / "launch_mix.reference.yaml").read_text(encoding="utf-8")
    rid = client.post("/api/rooms", json={"challenge": "launch_mix", "reps": 1}).json()["room"]
    info = client.get(f"/api/rooms/{rid}").json()
    assert set(info["levers_open"]) == {"kiosks", "divert_online", "divert_self_service",
                                        "preprocess", "streamline"}
    assert info["levers_hall"]["kiosks"] == 2
    checked = client.post("/api/validate", json={"yaml": plan, "challenge": "launch_mix"}).json()
    assert checked["lever_hours"] == 11.0            # the editor's budget pill adds them
    sent = client.post(f"/api/rooms/{rid}/plans", json={"team": "mix", "yaml": plan})
    assert sent.status_code == 202
    for _ in range(200):
        card = client.get(f"/api/rooms/{rid}/plans/mix", headers={"X-Team-Key": sent.json()["key"]}).json()
        if card["status"] == "done":
            break
        time.sleep(0.05)
    assert {lever["lever"]: lever["cost_hours"] for lever in card["levers"]} == {
        "kiosks": 3.0, "divert_online": 4.0, "divert_self_service": 4.0}
    assert card["lever_hours"] == 11.0


def test_a_database_of_schema_1_gains_hide_until_reveal_and_its_rooms_hide(tmp_path):
    """Rooms kept by the previous hallsim (schema 1) are served with hide_until_reveal on."""
    import sqlite3

    from hallsim.web.database import SCHEMA, Database

    old = sqlite3.connect(tmp_path / "hallsim.db")
    old.executescript(SCHEMA.replace("    hide_until_reveal INTEGER NOT NULL DEFAULT 1,   "
                                     "-- teams see only their own card until reveal\n", ""))
    old.execute("INSERT INTO rooms (id, challenge, challenge_yaml, trainer_hash, reps, seed, "
                "created, touched) VALUES ('r1', 'c', 'x', 'h', 1, 1, 0, 0)")
    old.execute("PRAGMA user_version=1")
    old.commit()
    old.close()
    db = Database(tmp_path / "hallsim.db")
    assert db.row("SELECT hide_until_reveal FROM rooms WHERE id='r1'")["hide_until_reveal"] == 1
    assert db.row("PRAGMA user_version")[0] == 2
    db.close()
