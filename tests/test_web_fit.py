"""Learning a hall from an uploaded ticket log in the web app (``/api/fits``): the fit is the
command line's, its held-out check is computed on the log's last day, the fitted hall opens as
a new scenario, and every bad upload is refused with the command line's located message."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

pytest.importorskip("fastapi")
pytest.importorskip("multipart")

from fastapi.testclient import TestClient  # noqa: E402

import hallsim  # noqa: E402
from hallsim.calibration import fit_tickets, ticket_log  # noqa: E402
from hallsim.calibration.detractor_fit import fit_survey, read_survey  # noqa: E402
from hallsim.web import fit_api, fitting  # noqa: E402
from hallsim.web.app import create_app  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def log_file(tmp_path_factory) -> Path:
    """Five simulated days of the quiet hall, as its queue system would export them."""
    sc = hallsim.load_scenario(ROOT / "scenarios" / "low.yaml")
    path = tmp_path_factory.mktemp("upload") / "branch-log.csv"
    ticket_log(hallsim.replicate(sc, reps=5, seed=3).customers, sc.hours.open).to_csv(path, index=False)
    return path


@pytest.fixture(scope="module")
def survey_file(log_file) -> Path:
    rng = np.random.default_rng(5)
    wait = rng.exponential(10, 200)
    score = np.clip(np.round(9 - wait / 4 + rng.normal(0, 1.5, 200)), 0, 10).astype(int)
    path = log_file.parent / "survey.csv"
    pd.DataFrame({"wait_min": wait.round(1), "score": score}).to_csv(path, index=False)
    return path


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    app = create_app(tmp_path_factory.mktemp("data"), workers=0, max_queue=1)
    with TestClient(app, base_url="http://localhost") as c:
        yield c


def _wait(client, job_id: str) -> dict:
    for _ in range(1200):
        doc = client.get(f"/api/fits/{job_id}").json()
        if doc["status"] not in ("queued", "running"):
            return doc
        time.sleep(0.05)
    raise AssertionError(f"fit {job_id} did not finish: {doc}")


def _post(client, log: bytes, filename: str = "branch-log.csv", lang: str = "en", **form):
    """POST /api/fits: the log, optional ``survey=``/``columns=`` files, the other form fields."""
    files = {"log": (filename, log, "text/csv")}
    for key in ("survey", "columns"):
        if key in form:
            files[key] = form.pop(key)
    return client.post(f"/api/fits?lang={lang}", files=files, data=form)


@pytest.fixture(scope="module")
def fitted(client, log_file) -> dict:
    """The log uploaded and fitted; a second upload while it runs is refused (queue of one)."""
    response = _post(client, log_file.read_bytes(), name="Branch Log")
    assert response.status_code == 202, response.text
    assert _post(client, log_file.read_bytes()).status_code == 429
    return _wait(client, response.json()["id"])


def test_an_upload_is_fitted_as_the_command_line_fits_it_and_checked_on_its_last_day(
        client, log_file, fitted):
    """The fitted YAML is fit_tickets' byte for byte; the held-out day's tickets, waits and
    no-shows are the log's own, each judged against its simulated range."""
    doc = fitted
    assert doc["status"] == "done", doc
    summary = doc["summary"]
    expected = fit_tickets(log_file, name="Branch Log")
    assert client.get(f"/api/fits/{doc['id']}/scenario").text == expected.yaml
    assert summary["days"] == 5 and summary["windows"] == expected.scenario.counters.windows
    check = summary["held_out"]
    assert check["fitted_days"] == 4 and check["held_days"] == ["2026-03-06"]
    log = pd.read_csv(log_file)
    last = log[log["issued_at"].str.startswith("2026-03-06")]
    issued = pd.to_datetime(last["issued_at"])
    hours = hallsim.load_scenario(ROOT / "scenarios" / "low.yaml").hours
    inside = last[((issued.dt.hour * 60 + issued.dt.minute) >= hours.open)
                  & ((issued.dt.hour * 60 + issued.dt.minute) < hours.close)]
    served = inside[inside["outcome"] == "served"]
    waits = (pd.to_datetime(served["called_at"])
             - pd.to_datetime(served["issued_at"])).dt.total_seconds() / 60
    measures = {m["measure"]: m for m in check["measures"]}
    assert measures["tickets"]["held_out"] == len(inside)
    assert measures["mean_wait_min"]["held_out"] == pytest.approx(waits.mean(), rel=1e-12)
    assert measures["no_show_share"]["held_out"] == pytest.approx((inside["outcome"] != "served").mean())
    for m in measures.values():
        assert m["low"] <= m["simulated"] <= m["high"]
        assert m["within"] == (m["low"] <= m["held_out"] <= m["high"])
    assert check["within"] == sum(m["within"] for m in measures.values())
    report = client.get(f"/api/fits/{doc['id']}/report").text
    assert "Held-out check" in report and summary["held_out_sentence"].replace("'", "&#x27;") in report
    assert client.get(f"/api/fits/{doc['id']}/rejects.csv").text.startswith("line,reason")


def test_the_fitted_hall_opens_as_a_new_scenario_and_never_over_another(client, fitted):
    """Open writes the fitted YAML under the hall's name; a taken name gets -2, -3: a stored
    scenario of that name is left as it was."""
    job = fitted["id"]
    fitted_yaml = client.get(f"/api/fits/{job}/scenario").text
    first = client.post(f"/api/fits/{job}/open", json={})
    assert first.status_code == 201 and first.json() == {"name": "branch-log"}
    assert client.get("/api/scenarios/branch-log").text == fitted_yaml
    low = client.get("/api/scenarios/low").text
    assert client.post(f"/api/fits/{job}/open", json={"name": "Low"}).json() == {"name": "low-2"}
    assert client.post(f"/api/fits/{job}/open", json={"name": "low"}).json() == {"name": "low-3"}
    assert client.get("/api/scenarios/low").text == low
    assert client.get("/api/scenarios/low-3").text == fitted_yaml
    assert client.post(f"/api/fits/{job}/open").json() == {"name": "branch-log-2"}
    assert client.get("/scenarios/low-2").status_code == 200


def test_a_survey_gives_the_fitted_hall_its_detractor_curve_and_the_report_is_in_chinese(
        client, log_file, survey_file, monkeypatch):
    """With a survey the scenario's detractor block is the survey's fit; ?lang=zh gives the
    report and the held-out sentence in Chinese (the one fit in Chinese: about 3 s)."""
    monkeypatch.setattr(fitting, "SURVEY_BOOT", 0)    # the curve, without its intervals' cost
    response = _post(client, log_file.read_bytes(), lang="zh", name="城东支行",
                     survey=("survey.csv", survey_file.read_bytes(), "text/csv"))
    doc = _wait(client, response.json()["id"])
    assert doc["status"] == "done", doc
    scenario = hallsim.Scenario.from_dict(yaml.safe_load(
        client.get(f"/api/fits/{doc['id']}/scenario").text))
    curve = fit_survey(read_survey(survey_file), "logistic", boot=0).block
    assert scenario.detractor.midpoint_minutes == pytest.approx(curve["midpoint_minutes"], abs=1e-3)
    assert scenario.detractor.base == pytest.approx(curve["base"], abs=1e-4)
    assert doc["summary"]["survey"] == {"source": "survey.csv", "answers": 200}
    assert doc["summary"]["held_out_sentence"].startswith("用记录的最后一天")
    assert "留出检验" in client.get(f"/api/fits/{doc['id']}/report").text
    assert client.get(f"/api/fits/{doc['id']}/detractor-report").status_code == 200


def _bad_rows(log: bytes, every: int, old: bytes, new: bytes) -> bytes:
    lines = log.split(b"\n")
    return b"\n".join(line.replace(old, new, 1) if i % every == 5 else line
                      for i, line in enumerate(lines))


def test_bad_uploads_are_refused_naming_the_file_line_and_field(client, log_file):
    """Too many bad times, an unknown status, missing columns and a bad survey row: 422 with
    the command line's message, its line and field; nothing is queued."""
    log = log_file.read_bytes()
    times = _post(client, _bad_rows(log, 10, b",2026-03-0", b",x2026-03-0"))
    assert times.status_code == 422
    errors = times.json()["errors"]
    assert "branch-log.csv" in errors[0]["message"] and "more than 5%" in errors[0]["message"]
    assert errors[1]["line"] == 6 and errors[1]["field"] == "issued_at"
    assert errors[1]["message"].startswith("branch-log.csv: line 6: issued_at: not a date and time")
    status = _post(client, _bad_rows(log, 7, b",served,", b",sreved,"), lang="zh")
    (error,) = status.json()["errors"]
    assert (error["line"], error["field"]) == (6, "outcome") and "sreved" in error["message"]
    assert error["message"].startswith("branch-log.csv：第 6 行：outcome：")
    columns = _post(client, b"ticket_id,service,issued_at\n1,a,2026-03-02 09:00:00\n", filename="x.csv")
    assert columns.json()["errors"][0]["line"] == 1 and "called_at" in columns.json()["errors"][0]["message"]
    survey = _post(client, log, survey=("nps.csv", b"wait_min,score\n1,11\n2,3\n", "text/csv"))
    (error,) = survey.json()["errors"]
    assert (error["line"], error["field"]) == (2, "score") and error["message"].startswith("nps.csv: ")
    name = _post(client, log, name="!!!")
    assert name.status_code == 422 and name.json()["errors"][0]["field"] == "name"
    interval = _post(client, log, interval="3")
    assert interval.status_code == 422 and interval.json()["errors"][0]["field"] == "interval"
    assert client.post("/api/fits", data={"name": "x"}).status_code == 422       # no log
    assert client.get("/api/fits/0123456789abcdef").status_code == 404


def test_uploads_are_limited_in_size_and_guarded_like_every_request(tmp_path, log_file, monkeypatch):
    """Over the upload limit: 413; a foreign Host: 400; with a token, none: 401, given: read."""
    monkeypatch.setattr(fit_api, "MAX_UPLOAD", 10_000)
    app = create_app(tmp_path / "data", token="s3cret", workers=0, seed_data=False)
    with TestClient(app, base_url="http://localhost") as c:
        auth = {"Authorization": "Bearer s3cret"}
        files = {"log": ("big.csv", log_file.read_bytes(), "text/csv")}
        assert c.post("/api/fits", files=files, headers=auth).status_code == 413
        small = {"log": ("x.csv", b"a,b\n1,2\n", "text/csv")}
        assert c.post("/api/fits", files=small).status_code == 401
        assert c.post("/api/fits", files=small, headers={**auth, "Host": "evil.example"}).status_code == 400
        assert c.post("/api/fits", files=small, headers=auth).status_code == 422


@pytest.mark.parametrize("lang", ["zh", "zh-Hant"])
def test_the_page_in_chinese_is_under_5_percent_latin(client, lang):
    """The upload page in Chinese: Latin letters under 5% once the log's column names (the
    file format) and the product are set aside."""
    from tests.test_latin_share import _ids, latin_share

    ids = _ids() | {"YAML", "English", "CSV", "NPS"}
    share, words = latin_share(client.get(f"/fit?lang={lang}").text, ids)
    assert share < 0.05, (share, sorted(set(words)))


def test_a_fit_under_way_when_the_server_stops_is_cancelled_and_writes_nothing(
        tmp_path, log_file, monkeypatch):
    """The server stops while the log is being fitted: the job ends cancelled, its history row
    says the server stopped, and no fitted scenario or report is left behind."""
    started = threading.Event()

    def slow_fit(upload, lang):
        started.set()
        while not app.state.jobs.stopping:
            time.sleep(0.01)
        return fitting.Fitted("name: x\n", "<html><body></body></html>", "", None, {}, None,
                              (540, 1080), [], [], None, None)

    monkeypatch.setattr(fitting, "fit_upload", slow_fit)
    app = create_app(tmp_path / "data", workers=0, seed_data=False)
    with TestClient(app, base_url="http://localhost") as c:
        job_id = _post(c, log_file.read_bytes()).json()["id"]
        assert started.wait(10)
    job = app.state.jobs.get(job_id)
    for _ in range(200):
        if job.status not in ("queued", "running"):
            break
        time.sleep(0.01)
    assert job.status == "cancelled" and "stopped" in job.error
    row = app.state.jobs.db.row("SELECT status, error FROM runs WHERE id=?", (job_id,))
    assert row["status"] == "failed" and "stopped" in row["error"]
    assert not (tmp_path / "data" / "runs" / job_id).exists()
