"""A real `hallsim serve` process stopped the hard ways (contract 8a): Ctrl-C or SIGTERM in the
middle of a 200-day run ends it within 5 s with no worker left behind, and `kill -9` loses
nothing: rooms, boards, team keys, trainer tokens and run history are there after a restart."""

from __future__ import annotations

import signal
import sys
import time

import pytest

psutil = pytest.importorskip("psutil")
if not sys.platform.startswith("linux"):
    pytest.skip("signals and process trees as on Linux", allow_module_level=True)

from .server import Served, plan, wait_until  # noqa: E402

HEAVY = {"scenario": "weekday", "reps": 200, "set": {"load_factor": 20, "counters.windows": 99}}


@pytest.mark.parametrize("how", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_a_signal_stops_serve_mid_run_within_5_seconds(tmp_path, how):
    """With a 200-replication run on two workers and a leaderboard stream open, the signal
    ends the server within 5 s, and every worker process is gone with it."""
    served = Served(tmp_path / "data", "--workers", "2")
    try:
        status, job = served.call("POST", "/api/runs", HEAVY)
        assert status == 202
        wait_until(lambda: served.call("GET", f"/api/runs/{job['id']}")[1]["progress"] > 0.01,
                   timeout=120)
        tree = psutil.Process(served.process.pid).children(recursive=True)
        assert len(tree) >= 2                        # the workers (and the forkserver)
        status, room = served.call("POST", "/api/rooms", {"challenge": "quiet_day", "reps": 1,
                                                          "hide_until_reveal": False})
        stream = served.open_stream(f"/api/rooms/{room['room']}/events")
        sent = time.monotonic()
        served.process.send_signal(how)
        served.process.wait(timeout=5)
        assert time.monotonic() - sent < 5
        stream.close()
        _gone, alive = psutil.wait_procs(tree, timeout=2)
        running = [p for p in alive if _status(p) != psutil.STATUS_ZOMBIE]   # exited, not reaped
        assert running == [], running
        served = Served(tmp_path / "data", "--workers", "0")    # the history says what happened
        status, doc = served.call("GET", f"/api/runs/{job['id']}")
        assert status == 200 and doc["status"] == "failed"
        assert "the server stopped before this run finished" in doc["error"]
    finally:
        served.stop()


def _status(process) -> str:
    try:
        return process.status()
    except psutil.NoSuchProcess:
        return psutil.STATUS_ZOMBIE


def test_kill_9_loses_nothing(tmp_path):
    """Open a room, three teams submit, a run finishes; kill -9; start again on the same
    --data: the room, its board, the team keys, the trainer token and the run are as before."""
    data = tmp_path / "data"
    served = Served(data, "--workers", "0")
    try:
        status, room = served.call("POST", "/api/rooms", {"challenge": "quiet_day", "reps": 2,
                                                          "hide_until_reveal": False})
        assert status == 201
        rid, token = room["room"], room["trainer_token"]
        keys = {}
        for team, count in (("Red", 1), ("蓝队", 2), ("Café", 3)):
            status, answer = served.call("POST", f"/api/rooms/{rid}/plans",
                                         {"team": team, "yaml": plan(count)})
            assert status == 202
            keys[team] = answer["key"]
        status, run = served.call("POST", "/api/runs", {"scenario": "low", "reps": 2, "seed": 5})
        assert status == 202

        def settled():
            board = served.call("GET", f"/api/rooms/{rid}/leaderboard")[1]
            done = served.call("GET", f"/api/runs/{run['id']}")[1]["status"] == "done"
            return done and len(board["plans"]) == 3 and board

        before = wait_until(settled, timeout=120)
        run_before = served.call("GET", f"/api/runs/{run['id']}")[1]
        served.stop(signal.SIGKILL)

        served = Served(data, "--workers", "0")
        after = served.call("GET", f"/api/rooms/{rid}/leaderboard")[1]
        assert {k: v for k, v in after.items() if k != "version"} == \
               {k: v for k, v in before.items() if k != "version"}
        assert [p["team"] for p in after["plans"]] == [p["team"] for p in before["plans"]]
        assert served.call("GET", f"/api/runs/{run['id']}")[1] == run_before
        assert served.call("GET", f"/api/rooms/{rid}/plans/蓝队")[1]["status"] == "done"
        for team, key in keys.items():
            status, answer = served.call("POST", f"/api/rooms/{rid}/plans",
                                         {"team": team, "key": key, "yaml": plan(2)})
            assert status == 202 and answer["submission"] == 2
            status, answer = served.call("POST", f"/api/rooms/{rid}/plans",
                                         {"team": team, "yaml": plan(2)})
            assert status == 409 and "name taken" in answer["detail"]
        assert served.call("POST", f"/api/rooms/{rid}/close",
                           headers={"X-Trainer-Token": "guess"})[0] == 403
        status, info = served.call("POST", f"/api/rooms/{rid}/close", headers={"X-Trainer-Token": token})
        assert status == 200 and info["open"] is False
        served.stop(signal.SIGKILL)

        served = Served(data, "--workers", "0")          # plans queued at the kill are scored now
        board = wait_until(lambda: (b := served.call("GET", f"/api/rooms/{rid}/leaderboard")[1])
                           and not b["pending"] and b, timeout=120)
        assert board["open"] is False and len(board["plans"]) == 3
        assert all(served.call("GET", f"/api/rooms/{rid}/plans/{t}")[1]["submission"] == 2
                   for t in keys)
    finally:
        served.stop()


def test_the_guards_hold_through_a_real_socket(tmp_path):
    """Through uvicorn itself: a chunked body past 1 MB is 413, JSON 400 deep is 422, and a
    PUT under a foreign Host (DNS rebinding) is 400 and saves nothing."""
    import http.client

    served = Served(tmp_path / "data", "--workers", "0")
    try:
        def ask(method, body, headers, path="/api/validate"):
            conn = http.client.HTTPConnection("127.0.0.1", served.port, timeout=30)
            conn.request(method, path, body=body, headers=headers,
                         encode_chunked=not isinstance(body, bytes))
            answer = conn.getresponse()
            status, _text = answer.status, answer.read()
            conn.close()
            return status

        chunks = (b" " * 65536 for _ in range(20))
        assert ask("POST", chunks, {"Content-Type": "application/json"}) == 413
        deep = ('{"data": ' + '{"a": ' * 400 + "1" + "}" * 400 + "}").encode()
        assert ask("POST", deep, {"Content-Type": "application/json"}) == 422
        assert ask("PUT", b"name: x\n", {"Host": f"attacker.example:{served.port}",
                                         "Content-Type": "text/yaml"}, "/api/scenarios/x") == 400
        assert not (tmp_path / "data" / "scenarios" / "x.yaml").exists()
    finally:
        served.stop(signal.SIGTERM)
