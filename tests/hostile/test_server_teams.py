"""Teams and rooms under concurrency and careless naming (contract 8a, "Team identity" and
"Server safety"): a team key guards a name, names collide by their slug, one team's
submissions are handled one at a time, and the caps on teams and rooms hold."""

from __future__ import annotations

import hashlib
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

pytest.importorskip("fastapi")
pytest.importorskip("httpx")

from fastapi.testclient import TestClient  # noqa: E402

from hallsim.exercise.challenge import load_challenge, staff_hours  # noqa: E402
from hallsim.web.app import create_app  # noqa: E402
from hallsim.web.checks import parse_plan  # noqa: E402
from hallsim.web.storage import slug  # noqa: E402

from .server import EXERCISE, plan, wait_until  # noqa: E402


def _app(tmp_path, **options):
    return TestClient(create_app(tmp_path / "data", workers=0, **options), base_url="http://localhost")


def _room(c, reps: int = 1) -> tuple[str, str]:
    shown = {"challenge": "quiet_day", "reps": reps, "hide_until_reveal": False}   # scores not hidden
    doc = c.post("/api/rooms", json=shown).json()
    return doc["room"], doc["trainer_token"]


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


@pytest.mark.parametrize(("first", "second"), [
    ("Café", "cafe"), ("A&B", "A+B"), ("Team Red", "team  red"), ("ＡＢＣ", "abc"),
    ("Straße", "STRASSE"), ("红队", "红队 "), ("x.y", "X-Y")])
def test_names_collide_by_their_slug(first, second):
    """NFKC, case-folded, accents dropped, each run of punctuation and spaces one '-'."""
    assert slug(first) == slug(second) != ""


def test_a_name_is_taken_without_its_key(tmp_path):
    """The first submission returns a key; the same name (or one with the same slug) without
    it is 409 "name taken", with it the plan is accepted under the first spelling."""
    with _app(tmp_path) as c:
        rid, _token = _room(c)
        first = c.post(f"/api/rooms/{rid}/plans", json={"team": "Café", "yaml": plan()})
        assert first.status_code == 202
        key = first.json()["key"]
        assert first.json()["slug"] == "cafe" and first.json()["submission"] == 1 and len(key) >= 20
        for name, given in (("Café", None), ("cafe", None), ("CAFE", "wrong"), ("Café", "")):
            body = {"team": name, "yaml": plan(2)} | ({"key": given} if given is not None else {})
            taken = c.post(f"/api/rooms/{rid}/plans", json=body)
            assert taken.status_code == 409 and "name taken" in taken.json()["detail"]
        again = c.post(f"/api/rooms/{rid}/plans", json={"team": "CAFE", "key": key, "yaml": plan(2)})
        assert again.status_code == 202
        assert again.json() | {"id": ""} == {"team": "Café", "slug": "cafe", "key": key,
                                               "submission": 2, "digest": _sha(plan(2)),
                                               "status": "queued", "id": ""}
        assert c.post(f"/api/rooms/{rid}/plans", json={"team": "A&B", "yaml": plan()}).status_code == 202
        plus = c.post(f"/api/rooms/{rid}/plans", json={"team": "A+B", "yaml": plan()})
        assert plus.status_code == 409 and "'A&B'" in plus.json()["detail"]
        board = wait_until(lambda: (b := c.get(f"/api/rooms/{rid}/leaderboard").json())["plans"]
                           and not b["pending"] and b)
        assert sorted(p["team"] for p in board["plans"]) == ["A&B", "Café"]
        assert c.get(f"/api/rooms/{rid}/plans/CAFÉ").json()["digest"] == _sha(plan(2))


def test_one_teams_concurrent_submissions_each_answer_their_own_plan(tmp_path):
    """20 concurrent submissions of one team, valid and invalid by turns, 10 times: every
    answer is about the plan it carried, and the scorecard is the last valid plan's."""
    challenge = load_challenge(EXERCISE / "quiet_day.yaml")
    with _app(tmp_path) as c, ThreadPoolExecutor(20) as pool:
        rid, _token = _room(c)
        key = c.post(f"/api/rooms/{rid}/plans", json={"team": "Blue", "yaml": plan()}).json()["key"]
        for _round in range(10):
            texts = [plan(1 + i // 2) if i % 2 == 0 else plan(-(i + 1)) for i in range(20)]

            def send(text: str):
                return c.post(f"/api/rooms/{rid}/plans",
                              json={"team": "Blue", "key": key, "yaml": text})

            answers = list(pool.map(send, texts))
            for i, (text, answer) in enumerate(zip(texts, answers, strict=True)):
                if i % 2 == 0:
                    assert answer.status_code == 202, answer.text
                    assert answer.json()["digest"] == _sha(text)
                else:
                    assert answer.status_code == 422, answer.text
                    assert f"got {-(i + 1)}" in answer.json()["errors"][0]["message"], answer.text
            accepted = sorted((a.json()["submission"], t) for t, a in zip(texts, answers, strict=True)
                              if a.status_code == 202)
            assert len({n for n, _t in accepted}) == 10          # each its own number
            last = accepted[-1][1]
            card = wait_until(lambda: (d := c.get(f"/api/rooms/{rid}/plans/blue").json())["status"]
                              == "done" and d)
            assert card["digest"] == _sha(last)
            expected = staff_hours(parse_plan(challenge, last).scenario)
            assert card["budget_used_hours"] == pytest.approx(expected)


def test_the_team_cap_holds_under_concurrency(tmp_path):
    """70 teams submit at once to a room of at most 60: exactly 60 are in."""
    with _app(tmp_path) as c, ThreadPoolExecutor(35) as pool:
        rid, _token = _room(c)
        answers = list(pool.map(lambda n: c.post(f"/api/rooms/{rid}/plans",
                                                 json={"team": f"team {n}", "yaml": plan()}),
                                range(70)))
        codes = [a.status_code for a in answers]
        assert codes.count(202) == 60 and codes.count(409) == 10
        assert all("full" in a.json()["detail"] for a in answers if a.status_code == 409)
        board = wait_until(lambda: (b := c.get(f"/api/rooms/{rid}/leaderboard").json())
                           and len(b["plans"]) + len(b["pending"]) == 60 and b)
        assert len({p["team"] for p in board["plans"] + board["pending"]}) == 60


def test_an_open_room_is_never_evicted_new_rooms_get_429(tmp_path):
    """Past --max-rooms a new room is 429; the rooms kept all still work; deleting one (with
    the trainer token) makes room for a new one."""
    with _app(tmp_path, max_rooms=3) as c:
        rooms = [_room(c) for _ in range(3)]
        extra = c.post("/api/rooms", json={"challenge": "quiet_day"})
        assert extra.status_code == 429 and "at most 3" in extra.json()["detail"]
        for rid, _token in rooms:
            assert c.get(f"/api/rooms/{rid}/leaderboard").status_code == 200
        rid, token = rooms[0]
        assert c.delete(f"/api/rooms/{rid}", headers={"X-Trainer-Token": "nope"}).status_code == 403
        assert c.delete(f"/api/rooms/{rid}", headers={"X-Trainer-Token": token}).status_code == 200
        assert c.get(f"/api/rooms/{rid}").status_code == 404
        assert c.post("/api/rooms", json={"challenge": "quiet_day"}).status_code == 201


def test_a_room_ends_after_its_stated_expiry(tmp_path):
    """A room nobody changes for --room-days is gone (here two seconds)."""
    with _app(tmp_path, room_days=2 / 86400) as c:
        rid, _token = _room(c)
        assert c.get(f"/api/rooms/{rid}").status_code == 200
        time.sleep(2.5)
        assert c.get(f"/api/rooms/{rid}").status_code == 404
