"""The facilitator guide (培训师手册): a half-day workshop's timings, the answer key (the
reference plan, its score beside today's plan, staff on duty against the workload half hour
by half hour) and debrief (复盘) questions along the course's four levers and its tactics for
each load level, each with what to look for in this challenge."""

from __future__ import annotations

from ..i18n import _, display
from ..output.labels import fmt, label, survey_note
from ..output.printable import Block, Bullets, Heading, Para, Table
from ..scenario.clock import format_clock
from ..scenario.schema import ScenarioModel
from .challenge import Challenge, expected_arrivals, on_duty_profile
from .numbers import busiest_hour, flat_stretch, mean_counter_minutes, post_name, shift_rows, zone_rows
from .scoring import PlanScore
from .worksheet import slots

KEY_METRICS = ("mean_wait_min", "p90_wait_min", "service_level", "abandon_rate",
               "detractor_rate", "nps", "staff_hours", "overtime_min")
LEVELS = ("peak", "mid", "low")


def workshop(challenge: Challenge) -> list[Block]:
    """Timings for three and a half hours, with the material each step uses."""
    name = challenge.path.name
    rows = [
        ["0:00–0:15", _("Opening: the three questions of flexible scheduling (busy hours, busy "
                        "days, busy zones) and this challenge's goal"), "brief.html"],
        ["0:15–0:40", _("The hall and its numbers: the service mix, customers × minutes ÷ 60, "
                        "the service level and the budget"), _("worksheet, page 1")],
        ["0:40–1:30", _("Teams draft a plan on the time grid and add up its hours"),
         _("worksheet, page 2")],
        ["1:30–1:45", _("Break"), "–"],
        ["1:45–2:10", _("Teams type their plans; the trainer scores them on the same simulated "
                        "customers"), f"hallsim exercise score {name} team-*.yaml --out board/"],
        ["2:10–2:50", _("Debrief: the leaderboard, the reference plan and the questions below"),
         _("this guide")],
        ["2:50–3:20", _("Second round: each team improves its plan and scores again"),
         "plan-template.yaml"],
        ["3:20–3:30", _("Wrap-up: one change each team would make in its own hall"), "–"],
    ]
    return [Heading(_("A half-day workshop (3½ hours)"), 2),
            Table([_("time"), _("step"), _("material")], rows, widths=[1.1, 4.0, 2.4]),
            Para(_("A web room does the same without files: hallsim serve, then open the "
                   "challenge under Exercise rooms; teams submit from their laptops."))]


def _on_duty(sc: ScenarioModel, at: float) -> int:
    times, counts = on_duty_profile(sc, "counter")
    before = [c for t, c in zip(times, counts, strict=True) if t <= at]
    return int(before[-1]) if before else 0


def coverage_rows(challenge: Challenge, plans: list[PlanScore]) -> list[list[str]]:
    """Per half hour: customers per hour, windows the workload needs, counter staff on duty in
    each plan (breaks deducted; flexed staff not counted)."""
    sc = challenge.scenario
    minutes = mean_counter_minutes(sc)
    rows = []
    for start, end in slots(sc):
        per_hour = expected_arrivals(sc, start, end) * 60 / (end - start)
        rows.append([f"{format_clock(start)}–{format_clock(end)}", f"{per_hour:.0f}",
                     f"{per_hour * minutes / 60:.1f}",
                     *[str(_on_duty(p.plan.scenario, (start + end) / 2)) for p in plans]])
    return rows


def _worst(s: PlanScore) -> str:
    w = s.worst_interval
    return _("{plan} is worst at {start}–{end} (mean wait {wait:.1f} min): {why}.").format(
        plan=s.team, start=w["start"], end=w["end"], wait=w["mean_wait_min"], why=w["why"])


def answer_key(challenge: Challenge, today: PlanScore, reference: PlanScore | None) -> list[Block]:
    """The reference plan and how it compares with today's plan."""
    blocks: list[Block] = [Heading(_("Answer key"), 2)]
    if reference is None:
        blocks.append(Para(_("The challenge names no reference plan; only today's plan is "
                             "scored below.")))
    plans = [today] + ([reference] if reference is not None else [])
    if reference is not None:
        ref = reference.plan.scenario
        head, rows = shift_rows(ref)
        blocks += [Para(_("The reference plan ({file}): {hours:.1f} staff hours of the {budget:g} "
                          "in the budget.").format(file=reference.plan.path.name,
                                                   hours=reference.means["staff_hours"],
                                                   budget=challenge.exercise.budget_staff_hours)),
                   Table(head, rows)]
        flex = [_("{from_role} helps {to_role} when its queue reaches {high}, and goes back at "
                  "{low}.").format(from_role=post_name(ref, f.from_role), to_role=post_name(ref, f.to_role),
                                   high=f.queue_at_least, low=f.queue_at_most)
                for f in ref.flex]
        bought = [p.describe() for p in reference.bought]
        if flex or bought:
            blocks.append(Bullets(flex + bought))
    blocks += [Para(_("Simulated on the same {days} days (lower score is better):").format(
                   days=len(today.result.days))),
               Table([_("metric"), *[p.team for p in plans]],
                     [[_("score"), *[f"{p.score:.1f}" for p in plans]]]
                     + [[label(m), *[fmt(m, p.means[m]) for p in plans]] for m in KEY_METRICS],
                     widths=[2.0] + [1.5] * len(plans)),
               Bullets([_worst(p) for p in plans]),
               Heading(_("Counter staff on duty against the workload"), 3),
               Table([_("half hour"), _("customers per hour"), _("windows needed"),
                      *[p.team for p in plans]], coverage_rows(challenge, plans))]
    return blocks


def level_of(sc: ScenarioModel, name: str | None, per_hour: float, top: float) -> str:
    """peak, mid or low: the load's own name if it is one of those, else by its rate."""
    if name in LEVELS:
        return str(name)
    share = per_hour / top if top else 0.0
    return "peak" if share >= 0.85 else "mid" if share >= 0.6 else "low"


def load_levels(sc: ScenarioModel) -> list[tuple[float, float, str]]:
    """The day's stretches by load level (neighbouring periods of one level merged)."""
    rates = [(p.start, p.end, p.load, sc.loads[p.load] if p.load is not None else p.rate or 0.0)
             for p in sc.profile]
    top = max(r for *_rest, r in rates)
    out: list[tuple[float, float, str]] = []
    for start, end, name, rate in rates:
        level = level_of(sc, name, rate, top)
        if out and out[-1][2] == level and out[-1][1] == start:
            out[-1] = (out[-1][0], end, level)
        else:
            out.append((start, end, level))
    return out


def tactics(sc: ScenarioModel) -> Table:
    names = {"peak": _("peak (高峰)"), "mid": _("mid load (中峰)"), "low": _("low (低峰)")}
    what = {"peak": _("every window open, no breaks; the greeter diverts at the door; floor "
                      "staff open a spare window when the queue builds"),
            "mid": _("stagger the breaks here; floor staff pre-process waiting customers; "
                     "windows matched to the workload"),
            "low": _("few windows; breaks, training and back-office work; spare staff "
                     "pre-process and help at the kiosks")}
    return Table([_("time of day"), _("load level"), _("the course's tactic")],
                 [[f"{format_clock(a)}–{format_clock(b)}", names[level], what[level]]
                  for a, b, level in load_levels(sc)], widths=[1.4, 1.4, 4.7])


def _look(text: str) -> str:
    return _("What to look for: {text}").format(text=text)


def peak_sentence(sc: ScenarioModel) -> str:
    """The busiest time, or that demand is flat when no moment stands out."""
    flat = flat_stretch(sc)
    if flat is not None:
        rate, start, end = flat
        return _("demand is flat: about {rate:.0f} customers an hour from {start} to {end}, with "
                 "no busiest moment; the table above shows where the reference keeps up.").format(
                     rate=rate, start=format_clock(start), end=format_clock(end))
    rate, when = busiest_hour(sc)
    return _("the busiest time is {when} with {rate:.0f} customers an hour; the table above "
             "shows where the reference keeps up.").format(when=format_clock(when), rate=rate)


def debrief(challenge: Challenge, reference: PlanScore | None) -> list[Block]:
    """Questions by lever and by load level, each with what to look for in this hall."""
    sc = challenge.scenario
    rate, when = busiest_hour(sc)
    quiet = sorted(load_levels(sc), key=lambda s: ("low", "mid", "peak").index(s[2]))[0]
    online = sum(s.share * s.online_eligible for s in sc.services)
    kiosk = sum(s.share * (s.self_service.eligible if s.self_service else 0.0) for s in sc.services)
    prepared = [display(s.label, s.name) for s in sc.services if s.preprocess]
    heavy = max(sc.services, key=lambda s: s.share * s.counter_minutes.mean_minutes)
    per_customer = mean_counter_minutes(sc)
    heavy_minutes = heavy.share * heavy.counter_minutes.mean_minutes
    saved = rate * heavy_minutes * 0.1 / 60
    questions: list[str] = [
        _("Flexible scheduling (弹性排班): in which half hours is your counter line below the "
          "windows needed, and what did that cost on your scorecard?"),
        _look(peak_sentence(sc) + (" " + _worst(reference) if reference is not None else "")),
        _("Breaks: when do your staff take their breaks, and how busy is the hall then?"),
        _look(_("the quietest stretch is {start}–{end}; a break in the peak costs more waiting "
                "than the same break there.").format(start=format_clock(quiet[0]),
                                                      end=format_clock(quiet[1]))),
        _("Divert (分流): when is your greeter on duty, and which customers can the greeter send "
          "online or to a kiosk?"),
        _look(_("{online:.0%} of customers could be served online and {kiosk:.0%} at a kiosk; "
                "every one diverted at the peak is a counter service saved.").format(
                    online=online, kiosk=kiosk)),
        _("Pre-processing (预处理): which services can floor staff prepare, and when should they "
          "open a window instead (a flex rule)?"),
        _look(_("services floor staff can prepare: {services}.").format(
            services=_(", ").join(prepared)) if prepared else
            _("no service here can be pre-processed: floor staff help by flexing to a window.")),
        _("Streamlining (流程优化): which service takes the most counter time in all, and what "
          "would a tenth less of it save?"),
        _look(_("{service}: {minutes:.1f} of the {total:.1f} counter minutes per customer; a "
                "tenth less is about {windows:.1f} windows fewer at the busiest time.").format(
                    service=display(heavy.label, heavy.name), minutes=heavy_minutes,
                    total=per_customer, windows=saved)),
    ]
    if sc.counters.groups:
        questions += [_("Busy zones (忙区): which zone's queue was longest, and did a floating "
                        "clerk or a flex rule reach it?"),
                      _look(" ".join(zone_rows(sc)))]
    if sc.load_factor != 1:
        questions += [_("Busy day (忙日): the same hall at {factor:g}× its usual load. Which "
                        "shifts did you add, and which work would you move to another day?")
                      .format(factor=sc.load_factor),
                      _look(_("the budget does not grow as fast as the load: the extra hours "
                              "go where the workload passes the windows, not across the day."))]
    return [Heading(_("Debrief questions (复盘)"), 2), Bullets(questions),
            Heading(_("Tactics by load level"), 3), tactics(sc)]


def guide(challenge: Challenge, today: PlanScore, reference: PlanScore | None) -> list[Block]:
    """The whole guide, as blocks for its page and its PDF."""
    ex = challenge.exercise
    contents = _("In this pack: brief.html (the brief for teams), worksheet.pdf (page 1: the "
                 "numbers; page 2: the time grid, one per team), plan-template.yaml, and this "
                 "guide (guide.html, guide.pdf).")
    return [Heading(_("Facilitator guide: {title}").format(title=display(ex.title))),
            Para(display(ex.goal)), Para(contents),
            *workshop(challenge), *answer_key(challenge, today, reference),
            *debrief(challenge, reference),
            Para(survey_note())]


__all__ = ["answer_key", "coverage_rows", "debrief", "guide", "load_levels", "workshop"]
