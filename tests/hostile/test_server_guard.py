"""`hallsim serve` against a hostile network (contract 8a, "Server safety"): no empty token,
no answer to a foreign Host (DNS rebinding), bounded JSON depth and bodies, a bounded run
queue that never starves a team's submission."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

pytest.importorskip("fastapi")
pytest.importorskip("httpx")

from fastapi.testclient import TestClient  # noqa: E402

from hallsim.cli import main  # noqa: E402
from hallsim.web.app import MAX_BODY, MAX_DEPTH, create_app, json_depth  # noqa: E402
from hallsim.web.hosts import Hosts, host_name  # noqa: E402

from .server import ROOT, plan, wait_until  # noqa: E402

WEEKDAY = (ROOT / "scenarios" / "weekday.yaml").read_text(encoding="utf-8")


@pytest.fixture()
def client(tmp_path):
    with TestClient(create_app(tmp_path / "data", workers=0), base_url="http://localhost") as c:
        yield c


def test_an_empty_token_is_refused_with_exit_2(capsys):
    """`--token ""` would serve everything unauthenticated: refused, exit 2, a clear message."""
    for token in ("", "   "):
        assert main(["serve", "--token", token, "--host", "0.0.0.0"]) == 2
        err = capsys.readouterr().err
        assert "--token: the access token is empty" in err and "Traceback" not in err
    with pytest.raises(ValueError, match="'token' must not be empty"):
        create_app(ROOT / "unused", token="")


def test_an_unset_variable_as_token_is_refused_from_the_shell(tmp_path):
    """`--token "$TOKEN"` with TOKEN unset: the shell passes "", and serve refuses to start."""
    env = {k: v for k, v in os.environ.items() if k != "HALLSIM_TEST_UNSET"}
    env["PYTHONPATH"] = str(ROOT)
    done = subprocess.run(
        ["bash", "-c", f'"{sys.executable}" -m hallsim serve --host 0.0.0.0 --port 1 '
         f'--data "{tmp_path / "d"}" --token "$HALLSIM_TEST_UNSET"'],
        env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert "--token: the access token is empty" in done.stderr
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "d").exists()     # refused before anything was created


@pytest.mark.parametrize(("served", "header", "allowed"), [
    ("127.0.0.1", "127.0.0.1:8000", True), ("127.0.0.1", "localhost:8000", True),
    ("127.0.0.1", "[::1]:8000", True), ("127.0.0.1", "LOCALHOST.", True),
    ("127.0.0.1", "attacker.example:8000", False), ("127.0.0.1", "attacker.example", False),
    ("127.0.0.1", "127.0.0.1.attacker.example", False), ("127.0.0.1", "", False),
    ("127.0.0.1", "localhost@attacker.example", False), ("127.0.0.1", "192.168.1.5", False),
    ("192.168.1.5", "192.168.1.5:8000", True), ("192.168.1.5", "localhost", False),
    ("0.0.0.0", "192.168.1.5:8000", True), ("0.0.0.0", "[fe80::1]:80", True),
    ("0.0.0.0", "localhost", True), ("0.0.0.0", "attacker.example", False),
    ("::", "10.0.0.7", True), ("::", "rebind.attacker.example", False),
])
def test_hosts_answer_to_the_served_address_only(served, header, allowed):
    """The Host check: the served address, loopback names on loopback, any IP on 0.0.0.0."""
    assert Hosts(served).allows(header.encode()) is allowed


def test_allow_host_adds_a_name():
    """--allow-host names a DNS name for the training PC; other names stay refused."""
    hosts = Hosts("0.0.0.0", ["Training-PC.local"])
    assert hosts.allows(b"training-pc.local:8000") and not hosts.allows(b"other.local")
    assert host_name(b"[::1]:8000") == "::1" and host_name(b"a b") is None


def test_a_foreign_host_header_is_refused_before_anything_happens(client, tmp_path):
    """DNS rebinding: a PUT with Host: attacker.example saves nothing; every page is refused."""
    evil = {"Host": "attacker.example"}
    put = client.put("/api/scenarios/pwned", content=WEEKDAY.encode(),
                     headers={**evil, "Content-Type": "text/yaml"})
    assert put.status_code == 400 and "host name" in put.json()["detail"]
    assert not (tmp_path / "data" / "scenarios" / "pwned.yaml").exists()
    for url in ("/", "/api/scenarios", "/static/hallsim.css", "/openapi.json"):
        assert client.get(url, headers=evil).status_code == 400
    assert client.get("/api/scenarios", headers={"Host": "127.0.0.1:8000"}).status_code == 200


def test_nested_json_past_the_limit_is_422_not_500(client):
    """400 levels of nesting (the parser's recursion) is a located 422, on every JSON route."""
    deep = '{"yaml": null, "data": ' + '{"a": ' * 400 + "1" + "}" * 400 + "}"
    for method, url in (("POST", "/api/validate"), ("POST", "/api/runs"),
                        ("PUT", "/api/scenarios/deep"), ("POST", "/api/rooms")):
        answer = client.request(method, url, content=deep.encode(),
                                headers={"Content-Type": "application/json"})
        assert answer.status_code == 422, (url, answer.text)
        assert f"nested deeper than {MAX_DEPTH}" in answer.json()["errors"][0]["message"]
    lists = "[" * 100_000 + "]" * 100_000
    assert client.post("/api/validate", content=lists.encode()).status_code == 422  # no type: JSON
    fine = {"data": {"a": [[{"b": [1]}]]}}      # shallow enough: checked as a scenario
    answer = client.post("/api/validate", json=fine)
    assert answer.status_code == 422 and "nested" not in answer.text


def test_json_depth_counts_brackets_outside_strings():
    """Brackets inside strings (and escaped quotes) do not count."""
    assert json_depth(b'{"a": "[[[[{{{{", "b": [1, {"c": "\\"]]]]"}]}') == 3
    assert json_depth(b"1") == 0 and json_depth(b"[[]]") == 2


def test_an_oversized_chunked_body_is_413(client):
    """A body without Content-Length, sent in chunks past the limit, is 413, not 400."""
    def chunks():
        for _ in range(MAX_BODY // 65536 + 2):
            yield b" " * 65536

    answer = client.post("/api/validate", content=chunks(),
                         headers={"Content-Type": "application/json"})
    assert answer.status_code == 413
    assert str(MAX_BODY) in answer.json()["detail"]
    small = client.post("/api/validate", content=iter([json.dumps({"yaml": WEEKDAY}).encode()]),
                        headers={"Content-Type": "application/json"})
    assert small.status_code == 200


def test_the_run_queue_is_bounded_and_never_starves_a_team(tmp_path):
    """300 runs of 200 days from one client: the queue takes `max_queue`, the rest get 429,
    and a team's plan is scored while those runs still wait."""
    app = create_app(tmp_path / "data", workers=0, max_runs=1, max_queue=5)
    with TestClient(app, base_url="http://localhost") as c:
        heavy = {"scenario": "weekday", "reps": 200, "set": {"load_factor": 20, "counters.windows": 99}}
        answers = [c.post("/api/runs", json=heavy) for _ in range(300)]
        codes = [a.status_code for a in answers]
        assert codes.count(202) == 5 and codes.count(429) == 295
        runs = [a.json()["id"] for a in answers if a.status_code == 202]
        assert "at most 5" in c.post("/api/runs", json={"scenario": "low"}).json()["detail"]
        shown = {"challenge": "quiet_day", "reps": 1, "hide_until_reveal": False}   # scores not hidden
        rid = c.post("/api/rooms", json=shown).json()["room"]
        sent = c.post(f"/api/rooms/{rid}/plans", json={"team": "Red", "yaml": plan()})
        assert sent.status_code == 202
        card = wait_until(lambda: (doc := c.get(f"/api/rooms/{rid}/plans/red").json())["status"]
                          == "done" and doc, timeout=120)
        assert card["team"] == "Red" and card["score"] > 0
        statuses = [c.get(f"/api/runs/{run}").json()["status"] for run in runs]
        assert set(statuses) <= {"queued", "running"}     # not one 200-day run has finished
