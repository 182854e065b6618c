"""Busy zones (忙区): counter groups with call lists and rules, floating staff, flex between
groups, the greeter's queue limit, per-group and per-service results, and the checks on
the scenario file."""

import math

import numpy as np
import pytest

import hallsim
from hallsim import ScenarioError
from hallsim.model.calling import CALL_RULES, register_call_rule
from hallsim.model.codes import Level, Outcome
from hallsim.model.customer import DRAWN_NAMES
from hallsim.model.hall import Hall
from hallsim.model.invariants import run_checked
from hallsim.model.population import draw_population
from hallsim.model.streams import Streams

from .helpers import population, run, tiny
from .theory import mmc_abandonment


def counter_shift(name="c", group=None, groups=None, start="09:00", end="12:00", count=1):
    shift = {"name": name, "role": "counter", "start": start, "end": end, "count": count}
    if group:
        shift["group"] = group
    if groups:
        shift["groups"] = groups
    return shift


def zoned(groups, shifts, **changes):
    """tiny()'s hall (services a and vip) with counter groups."""
    windows = sum(g["windows"] for g in groups)
    return tiny(counters={"windows": windows, "groups": groups}, shifts=shifts, **changes)


# ----------------------------------------------------------------- call rules
def test_order_rule_calls_its_first_service_first_then_anyone():
    """A VIP window (rule order, calls [vip, "*"]) takes the later VIP ticket ahead of the
    earlier walk-in, and the walk-in once no VIP waits; a general window never calls VIP."""
    sc = zoned([{"name": "vip", "windows": 1, "calls": ["vip", "*"], "rule": "order"},
                {"name": "general", "windows": 1, "calls": ["a"]}],
               [counter_shift("v", group="vip"), counter_shift("g", group="general",
                                                                start="11:00")])
    # 0: a at 0 (vip window free: served), 1: a at 1, 2: vip at 2 -> vip before 1.
    day = run(sc, population([0.0, 1.0, 2.0], service=[0, 0, 1], priority=[1, 1, 1]))
    c = day.customers
    assert c.counter_start.tolist() == [0.0, 10.0, 5.0]
    assert c.window.tolist() == [0, 0, 0]


def test_a_service_called_only_as_second_choice_is_served_when_the_first_is_empty():
    """Only a VIP window calls 'a', as its second entry: every 'a' customer is still served."""
    sc = zoned([{"name": "vip", "windows": 1, "calls": ["vip", "a"], "rule": "order"}],
               [counter_shift("v", group="vip")])
    day = run(sc, population([0.0, 1.0, 2.0, 3.0], service=[0, 1, 0, 1]))
    c = day.customers
    assert (c.outcome == Outcome.SERVED_COUNTER).all()
    assert c.counter_start.tolist() == [0.0, 5.0, 15.0, 10.0]


def test_a_window_never_serves_a_service_its_group_does_not_call():
    """Business windows call only 'vip' here: 'a' customers wait for the general window
    even while a business window is free."""
    sc = zoned([{"name": "general", "windows": 1, "calls": ["a"]},
                {"name": "business", "windows": 1, "calls": ["vip"]}],
               [counter_shift("g", group="general"), counter_shift("b", group="business")])
    day = run(sc, population([0.0, 1.0], service=[0, 0]))
    c = day.customers
    assert c.counter_start.tolist() == [0.0, 5.0]
    assert c.window.tolist() == [0, 0]


@register_call_rule("longest_wait_test")
class LongestWait:
    """Longest wait first: the earliest ticket, whatever its priority (defined here, in a
    test file, without editing hallsim)."""

    by_service = True

    def choose(self, group):
        waiting = [lane for lane in group.lanes if len(lane)]
        return min(waiting, key=lambda lane: lane.head()[1], default=None)


def test_a_call_rule_from_a_users_file_is_used_from_yaml():
    """A rule registered in this file, named in the scenario, calls the earlier ticket ahead
    of a more urgent priority class (the ticket rule would call VIP first)."""
    assert "longest_wait_test" in CALL_RULES
    groups = [{"name": "all", "windows": 1, "calls": ["*"], "rule": "longest_wait_test"}]
    pop = population([0.0, 1.0, 2.0], service=[0, 0, 1], priority=[1, 1, 0])
    mine = run(zoned(groups, [counter_shift(group="all")]), pop).customers
    groups[0]["rule"] = "ticket"
    default = run(zoned(groups, [counter_shift(group="all")]), pop).customers
    assert mine.counter_start.tolist() == [0.0, 5.0, 10.0]
    assert default.counter_start.tolist() == [0.0, 10.0, 5.0]


def test_an_unknown_rule_is_a_located_error():
    with pytest.raises(ScenarioError, match=r'counters.groups\[0\].rule: unknown call rule "fifo"'):
        zoned([{"name": "all", "windows": 1, "rule": "fifo"}], [counter_shift(group="all")])


# ------------------------------------------------------------ floating staff
def test_a_floater_goes_where_the_longest_waiting_ticket_is():
    """A floater over two groups, free at 09:10, calls the group whose ticket waited
    longest (business, ticket taken at 09:02) before general's (09:03)."""
    sc = zoned([{"name": "general", "windows": 1, "calls": ["a"]},
                {"name": "business", "windows": 1, "calls": ["vip"]}],
               [counter_shift("f", groups=["general", "business"]),
                counter_shift("g", group="general", start="09:30")])
    pop = population([0.0, 2.0, 3.0], service=[0, 1, 0], counter_minutes_drawn=[10.0, 5.0, 5.0])
    c = run(sc, pop).customers
    assert c.counter_start.tolist() == [0.0, 10.0, 15.0]
    assert c.window.tolist() == [0, 1, 0]


def test_flex_between_groups_opens_the_second_business_window():
    """A general clerk moves to business when two business tickets wait, and back."""
    sc = zoned([{"name": "general", "windows": 1, "calls": ["a"]},
                {"name": "business", "windows": 2, "calls": ["vip"]}],
               [counter_shift("g", group="general"), counter_shift("b", group="business")],
               flex=[{"from": "counter.general", "to": "counter.business",
                      "queue_at_least": 2, "queue_at_most": 0}])
    pop = population([0.0, 0.5, 1.0], service=[1, 1, 1], counter_minutes_drawn=10.0)
    c = run(sc, pop).customers
    assert c.counter_start.tolist() == [0.0, 1.0, 10.0]
    assert sorted(c.window.tolist()) == [1, 1, 2]


def test_nobody_left_in_a_group_turns_its_tickets_away_not_others():
    """The business clerk leaves at 09:30 and nobody else calls 'vip': those tickets are
    turned away; 'a' tickets are still served by general."""
    sc = zoned([{"name": "general", "windows": 1, "calls": ["a"]},
                {"name": "business", "windows": 1, "calls": ["vip"]}],
               [counter_shift("g", group="general"),
                counter_shift("b", group="business", end="09:30")])
    pop = population([40.0, 41.0], service=[1, 0])
    c = run(sc, pop).customers
    assert c.outcome.tolist() == [Outcome.TURNED_AWAY, Outcome.SERVED_COUNTER]


# ---------------------------------------------------------------- the greeter
def test_with_max_queue_2_the_greeters_queue_never_exceeds_2():
    """A slow greeter and a crowd: the triage queue stays at or below 2 all day, and those
    turned past the greeter take a ticket at once."""
    sc = hallsim.load_scenario("scenarios/weekday.yaml").with_changes(
        {"triage.max_queue": 2, "triage.minutes": {"dist": "exponential", "mean": 2.0}})
    unlimited = sc.with_changes({"triage.max_queue": None})
    for k in range(3):
        day = hallsim.runs.simulation.run_day(sc, 5, k).records
        assert day.level(Level.QUEUE_TRIAGE)[1].max(initial=0) <= 2
    free = hallsim.runs.simulation.run_day(unlimited, 5, 0).records
    assert free.level(Level.QUEUE_TRIAGE)[1].max() > 2


# ------------------------------------------------------------------- theory
@pytest.fixture(scope="module")
def disjoint_runs():
    """Two groups serving disjoint services: A, M/M/5 at rho 0.8 (1.6/min, 2.5 min);
    B, M/M/3 at rho 0.8 (1.6/min, 1.5 min); 24-hour days, 2-hour warm-up."""
    sc = hallsim.Scenario.from_dict({
        "name": "disjoint", "hours": {"open": "00:00", "close": "24:00"},
        "warmup_minutes": 120,
        "profile": [{"from": "00:00", "to": "24:00", "rate": 192}],
        "services": [
            {"name": "a", "share": 0.5, "counter_minutes": {"dist": "exponential", "mean": 2.5}},
            {"name": "b", "share": 0.5, "counter_minutes": {"dist": "exponential", "mean": 1.5}}],
        "counters": {"windows": 8, "groups": [{"name": "A", "windows": 5, "calls": ["a"]},
                                              {"name": "B", "windows": 3, "calls": ["b"]}]},
        "detractor": {"target_wait_minutes": 0},
        "shifts": [counter_shift("a", group="A", start="00:00", end="24:00", count=5),
                   counter_shift("b", group="B", start="00:00", end="24:00", count=3)],
    })
    return hallsim.replicate(sc, reps=80, seed=31, jobs=2).runs


@pytest.mark.parametrize(("group", "mu", "servers"), [("A", 0.4, 5), ("B", 1 / 1.5, 3)])
def test_two_disjoint_groups_each_agree_with_erlang_c(disjoint_runs, group, mu, servers):
    """Each group's P(wait > 0) within 5% and mean wait within 12% of its own Erlang C
    (and within 4 standard errors of the replication means)."""
    theory = mmc_abandonment(1.6, mu, servers)
    for column, value, rel in ((f"groups.{group}.service_level", 1 - theory["p_wait"], 0.05),
                               (f"groups.{group}.mean_wait_min", theory["mean_wait"], 0.12)):
        x = disjoint_runs[column].to_numpy()
        mean, se = x.mean(), x.std(ddof=1) / math.sqrt(len(x))
        assert abs(mean - value) <= 4 * se and abs(mean - value) <= rel * value, \
            (column, mean, value, se)


def test_a_vip_group_with_the_order_rule_gives_vips_shorter_waits():
    """With VIPs in the same priority class as everyone, a VIP window calling by the order
    rule gives VIPs shorter waits than the ticket rule on the same customers, every day
    summed; every customer at a window was called by its group."""
    base = hallsim.load_scenario("scenarios/branch-zones.yaml").with_changes(
        {"services.vip.priority": 1, "counters.groups.general.calls": ["cash", "transfer", "card"]})
    ticket = base.with_changes({"counters.groups.vip.rule": "ticket"})
    reps = hallsim.replicate(base, reps=8, seed=3)
    fair = hallsim.replicate(ticket, reps=8, seed=3)
    vip = "services.vip.mean_wait_min"
    assert reps.runs[vip].mean() < fair.runs[vip].mean()
    calls = {"general": {"cash", "transfer", "card"}, "business": {"enterprise"},
             "vip": {"vip", "cash", "transfer", "card", "enterprise"}}
    served = reps.customers[reps.customers["outcome"] == "counter"]
    assert all(svc in calls[g] for g, svc in zip(served["group"], served["service"], strict=True))


# ------------------------------------------------------------------ results
def test_summary_and_customers_report_groups_and_services():
    """A zoned hall's summary has groups and services; customers.csv has group and window;
    a hall without groups has neither."""
    sc = hallsim.load_scenario("scenarios/branch-zones.yaml")
    day = hallsim.simulate(sc, seed=2)
    summary = day.summary
    assert set(summary["groups"]) == {"general", "vip", "business"}
    assert set(summary["groups"]["vip"]) == {"served", "mean_wait_min", "p90_wait_min",
                                             "service_level", "utilisation",
                                             "window_utilisation"}
    assert set(summary["services"]) == {"cash", "transfer", "card", "vip", "enterprise"}
    served = sum(g["served"]["mean"] for g in summary["groups"].values())
    assert served == summary["metrics"]["served_counter"]["mean"]
    frame = day.customers
    at_counter = frame["outcome"] == "counter"
    assert frame.loc[at_counter, "window"].between(1, 8).all()
    assert frame.loc[~at_counter, "window"].isna().all()
    plain = hallsim.simulate(hallsim.load_scenario("scenarios/weekday.yaml"), seed=2)
    assert "groups" not in plain.summary and "group" not in plain.customers


def test_the_shipped_zoned_branch_holds_every_invariant():
    """Groups, a floater, flex between groups and the greeter's limit, checked after every
    event over three days."""
    sc = hallsim.load_scenario("scenarios/branch-zones.yaml")
    for k in range(3):
        assert run_checked(Hall(sc, draw_population(sc, Streams(4, k)))).checks > 500


# ------------------------------------------------------------------ the file
@pytest.mark.parametrize(("change", "message"), [
    ({"counters.windows": 9}, r"counters.windows: must equal the groups' windows \(8\)"),
    ({"counters.groups": [{"name": "general", "windows": 5, "calls": ["cash", "transfer"]},
                          {"name": "vip", "windows": 1, "calls": ["vip"]},
                          {"name": "business", "windows": 2, "calls": ["enterprise"]}]},
     r'services\[2\].name: no counter group calls "card"'),
    ({"shifts.vip.group": "gold"}, r'shifts.*group: unknown counter group "gold"'),
    ({"shifts.vip.group": None}, r"shifts.*: with several counter groups"),
    ({"flex": [{"from": "counter.general", "to": "counter.nope", "queue_at_least": 2,
                "queue_at_most": 0}]}, r'flex\[0\].to: unknown counter group "nope"'),
])
def test_zone_mistakes_are_located_errors(change, message):
    sc = hallsim.load_scenario("scenarios/branch-zones.yaml")
    with pytest.raises(ScenarioError, match=message):
        sc.with_changes(change)


def test_an_uncalled_service_exits_2_naming_it(tmp_path):
    """From the command line: exit status 2 and the service named, no traceback."""
    import subprocess
    import sys
    from pathlib import Path

    text = Path("scenarios/branch-zones.yaml").read_text(encoding="utf-8").replace(
        "calls: [enterprise]", "calls: [cash]").replace('calls: [vip, "*"]', "calls: [vip]")
    path = tmp_path / "zones.yaml"
    path.write_text(text, encoding="utf-8")
    out = subprocess.run([sys.executable, "-m", "hallsim", "validate", str(path)],
                         capture_output=True, text=True)
    assert out.returncode == 2
    assert 'no counter group calls "enterprise"' in out.stderr and "Traceback" not in out.stderr


# ------------------------------------------------------------------ bookings
def _booking(**changes):
    booking = {"service": "vip", "slots": {"from": "09:30", "to": "11:00", "every": 30},
               "show": 1.0, "punctuality": {"dist": "constant", "value": -5}}
    booking.update(changes)
    return booking


def test_booked_customers_arrive_at_slot_plus_punctuality_and_skip_the_greeter():
    """Punctual to -5 minutes with show 1: three booked arrivals at 09:25, 09:55, 10:25,
    each taking a ticket without the greeter."""
    sc = tiny(appointments=[_booking()], shifts=[counter_shift(), {
        "name": "g", "role": "triage", "start": "09:00", "end": "12:00", "count": 1}])
    pop = draw_population(sc, Streams(3, 0))
    booked = pop.booked
    assert pop.arrival[booked].tolist() == [25.0, 55.0, 85.0]
    assert pop.slot[booked].tolist() == [30.0, 60.0, 90.0]
    c = run(sc, pop).customers
    assert not c.triaged[booked].any() and (np.isnan(c.triage_enter[booked])).all()


def test_the_show_rate_is_the_share_who_come():
    """Over 400 days of 6 slots at show 0.9, the share who came is 0.9 within 4 standard
    errors."""
    sc = tiny(appointments=[_booking(show=0.9, slots={"from": "09:00", "to": "12:00",
                                                      "every": 30})])
    came = [int(draw_population(sc, Streams(5, k)).booked.sum()) for k in range(400)]
    share = np.mean(came) / 6
    assert abs(share - 0.9) <= 4 * math.sqrt(0.9 * 0.1 / (6 * 400))


def test_adding_appointments_leaves_every_walk_in_unchanged():
    """The walk-ins of a hall with bookings are the hall's customers without them: same
    arrivals, services and every draw, in the same order."""
    plain = hallsim.load_scenario("scenarios/weekday.yaml")
    booked = plain.with_changes({"appointments": [
        {"service": "new_line", "slots": {"from": "10:00", "to": "18:00", "every": 20},
         "show": 0.8, "punctuality": {"dist": "normal", "mean": -2, "sd": 5}}]})
    for k in range(3):
        a, b = draw_population(plain, Streams(9, k)), draw_population(booked, Streams(9, k))
        walk_in = ~b.booked
        assert b.booked.sum() > 10
        for name in DRAWN_NAMES:
            if name in ("booked", "slot"):
                continue
            np.testing.assert_array_equal(getattr(a, name), getattr(b, name)[walk_in],
                                          err_msg=name)


def test_from_the_slot_on_a_booking_is_called_before_walk_ins():
    """A booked customer arriving early (09:02 for 09:06) waits like anyone until the slot,
    then is called ahead of walk-ins who took their tickets earlier."""
    pop = population([0.0, 1.0, 1.5, 2.0], booked=[False, False, False, True],
                     slot=[math.nan, math.nan, math.nan, 6.0])
    c = run(tiny(), pop).customers
    # one 5-minute window: 0 served 0-5; at 5 the slot has not come (walk-in 1 called),
    # at 10 the booking (slot 6) is called before walk-in 2.
    assert c.counter_start.tolist() == [0.0, 5.0, 15.0, 10.0]


def test_a_clerk_flexed_between_counter_groups_goes_back_to_their_own_group():
    """flex counter.general -> counter.business (as in scenarios/branch-zones.yaml): the
    general clerk helps business while its queue is long and goes back once it is down to
    queue_at_most. after_job tells a flexed member by ``role != base``, which a move between
    counter groups never changes: the clerk stayed at business for the rest of the shift
    while the general window sat free, and the 'a' tickets of 09:30 were turned away at
    12:00 (the invariant checker did not see it: the clerk's groups no longer held
    general)."""
    from hallsim.model.codes import Outcome
    sc = zoned([{"name": "general", "windows": 1, "calls": ["a"]},
                {"name": "business", "windows": 2, "calls": ["vip"]}],
               [counter_shift("g", group="general"), counter_shift("b", group="business")],
               flex=[{"from": "counter.general", "to": "counter.business",
                      "queue_at_least": 2, "queue_at_most": 0}])
    pop = population([0.0, 0.5, 1.0, 30.0, 31.0], service=[1, 1, 1, 0, 0],
                     counter_minutes_drawn=10.0)
    c = run(sc, pop).customers
    assert (c.outcome == Outcome.SERVED_COUNTER).all()
    assert c.counter_start.tolist()[3:] == [30.0, 40.0]
    assert c.window.tolist()[3:] == [0, 0]
