"""The advisor's verdicts: pooled per-customer metrics, the one-sided test, and outputs that
never contradict themselves (console, advice.json, report.html; English and Chinese)."""

from __future__ import annotations

import dataclasses
import html
import itertools
import json
import math
import re

import numpy as np
import pandas as pd
import pytest

import hallsim
from hallsim.i18n import language
from hallsim.staffing import command, report
from hallsim.staffing.advice import named_gaps
from hallsim.staffing.planfiles import advice_json
from hallsim.staffing.pooled import Z_TEST, pooled, ratio, verdict
from hallsim.staffing.statements import all_lines, headline
from hallsim.staffing.targets import Target
from tests.test_staffing import hall


def _customers(rows: list[tuple[int, float, float]]) -> pd.DataFrame:
    """Counter customers (replication, arrival minute, counter wait), all served."""
    rep, arrival, wait = (np.array(col) for col in zip(*rows, strict=True))
    return pd.DataFrame({"replication": rep, "arrival_min": arrival, "wait_counter_min": wait,
                         "outcome": "counter", "abandoned_in": None, "detractor_p": 0.1})


def test_interval_metric_is_pooled_per_customer_not_a_mean_of_daily_shares():
    """Day 0: 1 customer, who waited; day 1: 9 customers, none waited. Pooled P(wait) is 1/10
    (a mean of daily shares would say 1/2); its standard error is the cluster formula's."""
    sc = hall([(540, 600, 30.0)], mean_service=5.0, interval=60)
    rows = [(0, 5.0, 2.0)] + [(1, 5.0 + k, 0.0) for k in range(9)]
    got = pooled(_customers(rows), sc, Target("wait_probability", 0.2), [0, 1])
    assert got.loc[0, "mean"] == pytest.approx(0.1)
    resid = np.array([1 - 0.1 * 1, 0 - 0.1 * 9])
    se = math.sqrt(2 / 1 * (resid ** 2).sum()) / 10
    assert got.loc[0, "ci95"] == pytest.approx(1.959964 * se, rel=1e-5)
    assert got.loc[0, "customers"] == 10 and got.loc[0, "days"] == 2


def test_p90_is_the_pooled_percentile_and_is_tested_by_the_share_above_the_target():
    """p90 over every customer of every day (numpy's linear method); 30% of waits above a
    1-minute target on each of 20 days is significantly more than 10%: missed."""
    sc = hall([(540, 600, 30.0)], mean_service=5.0, interval=60)
    rows = [(d, 5.0 + k, 3.0 if k < 3 else 0.0) for d in range(20) for k in range(10)]
    got = pooled(_customers(rows), sc, Target("p90_wait_min", 1.0), list(range(20)))
    waits = np.array([r[2] for r in rows])
    assert got.loc[0, "mean"] == pytest.approx(np.quantile(waits, 0.9))
    assert got.loc[0, "verdict"] == "missed"


@pytest.mark.parametrize("at_least", [False, True])
def test_verdict_is_met_close_or_missed_by_a_one_sided_test(at_least):
    """Met when the point estimate meets the target; otherwise missed exactly when the excess
    is more than 1.645 standard errors, else close (both directions of target)."""
    target = Target("service_level" if at_least else "wait_probability", 0.5)
    sign = -1 if at_least else 1
    assert verdict(target, 0.5, 0.01) == "met"
    assert verdict(target, 0.5 - sign * 0.2, 0.01) == "met"
    assert verdict(target, 0.5 + sign * (Z_TEST * 0.01 + 1e-6), 0.01) == "missed"
    assert verdict(target, 0.5 + sign * (Z_TEST * 0.01 - 1e-6), 0.01) == "close"
    assert verdict(target, 0.5 + sign * 0.1, math.nan) == "close"   # one day: no test


def test_ratio_of_one_day_has_no_standard_error():
    r, se = ratio(np.array([3.0]), np.array([6.0]))
    assert r == 0.5 and math.isnan(se)


# --- no output contradicts another ----------------------------------------------------------

@pytest.fixture(scope="module")
def small_advice():
    """Three half-hour intervals, two windows, demand that needs more: a real (tiny) advice
    whose verdicts and shortfalls the test below then sets to every combination."""
    sc = hall([(540, 630, 40.0)], mean_service=5.0, interval=30, windows=2)
    return hallsim.advise(sc, {"wait_probability": 0.2}, rules={"min_shift_hours": 0.5},
                          reps=2, max_reps=2, verify_days=3)


def _variant(advice, verdicts, short):
    own = advice.verified.by_target[0].copy()
    own["verdict"] = list(verdicts)
    cover = dataclasses.replace(advice.cover, need=advice.cover.scheduled + np.array(short))
    verified = dataclasses.replace(advice.verified, by_target=[own], cover=cover)
    changed = dataclasses.replace(advice, verified=verified)
    return dataclasses.replace(changed, gaps=named_gaps(verified, advice.scenario, advice.rules))


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_no_output_contradicts_another_for_every_combination_of_verdicts(small_advice, lang,
                                                                         capsys, monkeypatch):
    """Every combination of verdicts (met/close/missed in each of three intervals) and of
    shortfalls against the requirement (none, all, alternate intervals short by 3, beyond
    the windows):
    meets_target is true exactly when all are met; the document's counts, the console table,
    the console lines and report.html all say the same; a gap is named only for intervals
    that are not met, and "every interval" never stands beside a shortfall or a miss."""
    for name in ("requirement_figure", "verified_figure"):
        monkeypatch.setattr(report, name, lambda advice, *which: None)
    monkeypatch.setattr(report.plots, "shift_plan", lambda plan: None)
    monkeypatch.setattr(report.plots, "render", lambda fig: report.plots.Picture(b""))
    with language(lang):
        every = headline({"meets_target": True, "verification": {"days": 3}})[0]
        for verdicts in itertools.product(("met", "close", "missed"), repeat=3):
            for short in ((0.0, 0.0, 0.0), (3.0, 3.0, 3.0), (3.0, 0.0, 3.0), (0.0, 3.0, 0.0)):
                advice = _variant(small_advice, verdicts, short)
                doc = json.loads(advice_json(advice))
                all_met = all(v == "met" for v in verdicts)
                assert doc["meets_target"] is all_met
                assert doc["verdicts"] == {v: verdicts.count(v) for v in ("met", "close", "missed")}
                assert [row["verdict"] for row in doc["intervals"]] == list(verdicts)
                assert [row["meets"] for row in doc["intervals"]] == [v == "met" for v in verdicts]
                for gap in advice.gaps:
                    assert all(verdicts[k] != "met" for k in range(gap.first, gap.last + 1))
                named = {k for gap in advice.gaps for k in range(gap.first, gap.last + 1)}
                assert named == {k for k in range(3) if verdicts[k] != "met" and short[k]}
                lines = all_lines(doc)
                assert (every in lines) is all_met
                if all_met:
                    assert not doc["gaps"]

                command._print(advice)
                printed = _flat(capsys.readouterr().out)
                for line in lines:
                    assert _flat(line) in printed
                if not all_met:
                    assert _flat(every) not in printed

                page = _flat(report.report_html(advice))
                for line in lines:
                    assert _flat(html.escape(line)) in page
                if not all_met:
                    assert _flat(html.escape(every)) not in page
                shown = re.findall(r"data-verdict='(\w+)'", page)
                assert shown == list(verdicts)


def test_several_targets_are_all_held_and_the_worst_verdict_counts(tmp_path, capsys):
    """Two --target flags: both are in advice.json (targets, and per interval each one's
    mean and verdict); an interval's verdict is the worst of its targets' (missed, then
    close, then met), and meets_target agrees."""
    from hallsim.cli import main

    sc_path = tmp_path / "hall.yaml"
    sc_path.write_text(yaml_text(hall([(540, 660, 40.0)], mean_service=5.0, interval=30)))
    code = main(["staff", str(sc_path), "--target", "wait_probability=0.3", "--target",
                 "service_level=0.9@1m", "--reps", "2", "--max-reps", "2", "--verify-days", "5",
                 "--json"])
    doc = json.loads(capsys.readouterr().out)
    assert code == 0
    assert [t["metric"] for t in doc["targets"]] == ["wait_probability", "service_level"]
    assert doc["targets"][1]["within_min"] == 1.0
    rank = {"met": 0, "close": 1, "missed": 2}
    for row in doc["intervals"]:
        assert [t["metric"] for t in row["targets"]] == ["wait_probability", "service_level"]
        assert row["verdict"] == max((t["verdict"] for t in row["targets"]), key=rank.get)
        assert row["verified"]["mean"] == row["targets"][0]["mean"]
    assert doc["meets_target"] is all(row["verdict"] == "met" for row in doc["intervals"])


def test_a_metric_given_twice_is_refused(capsys):
    from hallsim.cli import main

    assert main(["staff", "scenarios/weekday.yaml", "--target", "wait_probability=0.2",
                 "--target", "wait_probability=0.3"]) == 2
    assert "target.wait_probability: given more than once" in capsys.readouterr().err


def yaml_text(sc) -> str:
    from hallsim.staffing.planfiles import dump

    return dump(sc.to_dict())


def test_plan_yaml_header_keeps_a_hostile_name_inside_its_comment(small_advice):
    """A scenario name with a line break cannot add keys to plan.yaml through its header."""
    import yaml

    from hallsim.staffing.planfiles import plan_yaml

    data = small_advice.scenario.to_dict()
    data["name"] = "x\nteam: injected"
    advice = dataclasses.replace(small_advice, scenario=hallsim.Scenario.from_dict(data))
    assert yaml.safe_load(plan_yaml(advice))["team"] == "hallsim-advisor"
