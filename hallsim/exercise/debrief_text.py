"""The debrief's sentences, in the current language: over budget first (it decides the rank),
then where a plan lost or gained most against the reference and the winner, and why, then
what each lever it bought saved."""

from __future__ import annotations

from ..i18n import _, ngettext
from ..scenario.clock import format_clock
from .causes import Cause, Shortfall
from .debrief import Debrief, LeverSaving, Stretch, TeamDebrief, Versus

# A second stretch (the other way) is told when it is at least this share of the first.
ALSO_TOLD = 0.25


def span(start: float, end: float) -> str:
    """``12:00–12:45``."""
    return f"{format_clock(start)}–{format_clock(end)}"


def hours_span(t: TeamDebrief, hours: list[int]) -> str:
    return span(float(t.hours.start[hours[0]]), float(t.hours.end[hours[-1]]))


def staff_noun(role: str) -> str:
    return {"counter": _("counter staff"), "triage": _("greeters"),
            "preprocess": _("floor staff")}.get(role, role)


def stage_noun(stage: str) -> str:
    return {"triage": _("greeter"), "kiosk": _("kiosk"), "counter": _("counter")}[stage]


def other_name(v: Versus) -> str:
    if v.kind == "reference":
        return _("the reference plan")
    return _("the winner, {team}").format(team=v.other)


def _short(c: Shortfall, who: str, other: str) -> str:
    """Why ``who`` was short of ``other``'s staff then."""
    role = staff_noun(c.role)
    if c.on_duty == 0 and c.on_break > 0:
        return _("all {n} {role} of {who} were on break, where {other} had {m} on duty").format(
            n=c.on_shift, role=role, who=who, other=other, m=c.other)
    if c.on_break > 0:
        return _("{k} of the {n} {role} of {who} were on break, leaving {on} on duty where "
                 "{other} had {m}").format(k=c.on_break, n=c.on_shift, role=role, who=who,
                                          on=c.on_duty, other=other, m=c.other)
    return _("{who} had {on} {role} on duty where {other} had {m}").format(
        who=who, on=c.on_duty, role=role, other=other, m=c.other)


def _cause(cause: Cause, who: str, other: str) -> tuple[str | None, str]:
    """The stretch to name (for a staffing cause) and the clause saying why."""
    if isinstance(cause, Shortfall):
        return span(cause.start, cause.end), _short(cause, who, other)
    return None, _("the longest extra wait was at the {stage}: {minutes:.1f} min per customer "
                   "against {other_minutes:.1f}").format(stage=stage_noun(cause.stage),
                                                         minutes=cause.minutes,
                                                         other_minutes=cause.other)


def _stretch_sentence(t: TeamDebrief, v: Versus, stretch: Stretch, lost: bool,
                      main: bool) -> str:
    other = other_name(v)
    hours = hours_span(t, stretch.hours)
    if lost:
        named, why = _cause(stretch.cause, t.team, other)
        head = _("{team} lost most to {other} at {when}").format(team=t.team, other=other,
                                                                 when=named or hours)
        wait = _("customers arriving {hours} waited {minutes:.1f} min longer").format(
            hours=hours, minutes=abs(stretch.wait))
    else:
        named, why = _cause(stretch.cause, other, t.team)
        head = _("{team} did best against {other} at {when}").format(team=t.team, other=other,
                                                                     when=named or hours)
        wait = _("customers arriving {hours} waited {minutes:.1f} min less").format(
            hours=hours, minutes=abs(stretch.wait))
    if main:
        points = _("{points:.1f} of the {gap:.1f} points between the plans").format(
            points=abs(stretch.points), gap=abs(v.gap))
    else:
        points = ngettext("{points:.1f} point", "{points:.1f} points",
                          round(abs(stretch.points))).format(points=abs(stretch.points))
    return _("{head}: {why}; {wait} ({points}).").format(head=head, why=why, wait=wait,
                                                        points=points)


def versus_sentences(t: TeamDebrief, v: Versus) -> list[str]:
    """Where the plan lost (or gained) most against one other plan, and why."""
    behind = v.gap >= 0
    first, second = (v.lost, v.gained) if behind else (v.gained, v.lost)
    if first is None:
        return [_("{team} scored the same as {other} in every hour.").format(
            team=t.team, other=other_name(v))] if second is None else [
            _stretch_sentence(t, v, second, lost=not behind, main=True)]
    out = [_stretch_sentence(t, v, first, lost=behind, main=True)]
    if second is not None and abs(second.points) >= max(ALSO_TOLD * abs(first.points), 0.5):
        out.append(_stretch_sentence(t, v, second, lost=not behind, main=False))
    return out


def lever_sentence(t: TeamDebrief, saving: LeverSaving) -> str:
    lever = saving.purchase.short()
    cost = saving.purchase.cost
    if abs(saving.saving) <= saving.ci95 or saving.saving <= 0:
        return _("{lever} ({cost:g} h of the budget) made no clear difference: {saving:+.1f} ± "
                 "{ci:.1f} points.").format(lever=lever, cost=cost, saving=saving.saving,
                                            ci=saving.ci95)
    best = max(range(len(saving.wait_saved)), key=lambda k: saving.wait_saved[k])
    return _("{lever} ({cost:g} h of the budget) saved {saving:.1f} ± {ci:.1f} points; it cut "
             "waits most at {hours} ({minutes:.1f} min per customer).").format(
        lever=lever, cost=cost, saving=saving.saving, ci=saving.ci95,
        hours=hours_span(t, [best]), minutes=saving.wait_saved[best])


def sentences(t: TeamDebrief, debrief: Debrief) -> list[str]:
    """The team's debrief as sentences; the first names the decisive hours (or, for a plan
    over budget, says so: that decides its rank before any hour does)."""
    out = []
    if t.over_budget:
        out.append(_("{team} is over budget: {used:g} h against a budget of {budget:g} h, so it "
                     "ranks after every plan within budget, whatever its score.").format(
            team=t.team, used=round(t.budget_used, 1), budget=debrief.budget))
    elif not t.valid:
        n = len(t.violations)
        out.append(ngettext("{team} breaks {n} rule, so it ranks after the plans that keep "
                            "them.", "{team} breaks {n} rules, so it ranks after the plans "
                            "that keep them.", n).format(team=t.team, n=n))
    if not t.versus and t.winner:
        out.append(_("{team} ranks first.").format(team=t.team))
    for v in t.versus:
        out += versus_sentences(t, v)
    return out + [lever_sentence(t, s) for s in t.levers]


__all__ = ["sentences", "span", "staff_noun", "stage_noun"]
