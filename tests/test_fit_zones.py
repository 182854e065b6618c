"""`fit tickets` derives counter groups (忙区) from which windows served which services."""

import pandas as pd
import pytest

import hallsim
from hallsim.calibration import fit_tickets
from hallsim.calibration.export import write_ticket_log
from hallsim.calibration.zones import group_windows


@pytest.fixture(scope="module")
def zoned_fit(tmp_path_factory):
    """branch-zones, 10 days exported as a ticket log, fitted back."""
    sc = hallsim.load_scenario("scenarios/branch-zones.yaml")
    days = hallsim.replicate(sc, reps=10, seed=4)
    path = tmp_path_factory.mktemp("zones") / "tickets.csv"
    write_ticket_log(days.customers, sc.hours.open, path)
    return sc, pd.read_csv(path, dtype=str, keep_default_na=False), fit_tickets(path)


def test_export_logs_the_window_that_really_served(zoned_fit):
    """In a zoned hall the exported window is the model's own (1-5 general, 6 vip, 7-8
    business): enterprise tickets are served only at windows 6-8, never at 1-5."""
    _sc, log, _fit = zoned_fit
    served = log[log["outcome"] == "served"]
    at = served.groupby("service")["window"].agg(lambda w: sorted(set(w), key=int))
    assert at["enterprise"] == ["6", "7", "8"]
    assert at["cash"] == ["1", "2", "3", "4", "5", "6"]


def test_groups_and_their_calls_are_recovered(zoned_fit):
    """The fit finds the three groups with their windows and the services they called:
    general (5 windows: cash, transfer, card, vip), the VIP window (every service) and
    business (2 windows: enterprise); its shifts sit at the groups, never more at once than
    a group's windows, and the scenario runs."""
    sc, _log, fit = zoned_fit
    found = fit.scenario.counters.groups
    assert [(g.name, g.windows) for g in found] == [("w1-5", 5), ("w6", 1), ("w7-8", 2)]
    services = {s.name for s in sc.services}
    assert [set(g.calls) for g in found] == [{"cash", "transfer", "card", "vip"}, services,
                                             {"enterprise"}]
    assert fit.scenario.counters.windows == 8
    for zone in fit.fit.zones:
        assert zone.staffing.staff.max() <= len(zone.windows)
        assert {s.group for s in fit.scenario.shifts if s.name.startswith(zone.name + "_")} \
            == {zone.name}
    assert "w6 (1 window) calls" in fit.yaml and "w7-8 (2 windows) calls" in fit.yaml
    assert "Counter groups (zones)" in fit.report_html()
    assert hallsim.simulate(fit.scenario, seed=1).summary["metrics"]["customers"]["mean"] > 0


def test_a_hall_with_one_pool_fits_without_groups(tmp_path):
    """The weekday (one pool: windows assigned as clerks free up) exported and fitted back
    has no groups, as before."""
    sc = hallsim.load_scenario("scenarios/weekday.yaml")
    path = tmp_path / "tickets.csv"
    write_ticket_log(hallsim.replicate(sc, reps=5, seed=4).customers, sc.hours.open, path)
    fitted = fit_tickets(path).scenario
    assert fitted.counters.groups is None


def test_a_window_lacking_a_service_by_chance_stays_in_its_pool():
    """Window 3 served 40 tickets, half a and half b like windows 1-2, and none of service
    c, which is 5% of their tickets (2 expected: P(0) = 0.14, chance): it stays with them.
    Window 4 served 400 and no c (20 expected: P(0) = 2e-9): a group of its own."""
    counts = pd.DataFrame({"a": [500, 480, 20, 300], "b": [450, 470, 20, 100],
                           "c": [50, 50, 0, 0]}, index=["1", "2", "3", "4"])
    groups = group_windows(counts)
    assert [(w, set(c)) for w, c in groups] == [(["1", "2", "3"], {"a", "b", "c"}),
                                               (["4"], {"a", "b"})]
    # a general window that served 10 tickets and no enterprise stays with its like, not
    # with the VIP window that also served enterprise (4 expected at its mix: chance)
    counts = pd.DataFrame({"cash": [300, 300, 10, 50], "enterprise": [0, 0, 0, 60]},
                          index=["1", "2", "3", "6"])
    assert [(w, set(c)) for w, c in group_windows(counts)] == [
        (["1", "2", "3"], {"cash"}), (["6"], {"cash", "enterprise"})]
