"""Floor levers a challenge may open to teams, priced in the one budget (hours-equivalent).

The four levers of the course's field exercise (现场演练), besides the shift plan itself:

* ``kiosks``: how many of the hall's kiosk places are switched on (cap: the places);
* ``divert_online`` / ``divert_self_service``: the greeter's diversion effort (引导客户分流),
  up to the trainer's cap, priced per percentage point above the hall's own;
* ``preprocess``: which services floor staff prepare (业务预处理), priced per service added;
* ``streamline``: a cut in a service's counter time (流程优化), priced per percent.

The hall as it is (its kiosks on, its diversion shares, the services it prepares, its
counter times) costs nothing; a team pays for what it adds, and taking something away
earns nothing back. A plan's choices are applied to the challenge's hall as data, so the
simulation engine never knows levers exist. Levers the challenge does not open are not
applied (the hall stays as it is) and are reported as broken rules; choices beyond a cap
are simulated as written and reported, like every other broken rule.

There is no kiosk-help role: the model has no staff at the kiosks, so a "kiosk helper"
is a greeter (``role: triage``), whose diversion to kiosks is the ``divert_self_service``
lever.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Annotated, Any

import yaml
from pydantic import Field

from ..errors import ScenarioError, quote
from ..i18n import _, display
from ..scenario import ime, loading
from ..scenario.distributions import scaled_data
from ..scenario.schema import PreprocessOption, ScenarioModel, Share, _Strict

Price = Annotated[float, Field(ge=0)]
Percent = Annotated[float, Field(ge=0, lt=100)]
LEVERS = ("kiosks", "divert_online", "divert_self_service", "preprocess", "streamline")


class KioskLever(_Strict):
    places: Annotated[int, Field(ge=0)]    # kiosk places in the hall: the most a team can switch on
    price_hours: Price                     # per kiosk switched on beyond the hall's own


class DivertLever(_Strict):
    max: Share                             # the highest share a team may ask the greeters for
    price_hours_per_point: Price           # per percentage point above the hall's own


class PreprocessLever(_Strict):
    price_hours_per_service: Price         # per service added to those floor staff prepare
    services: dict[str, PreprocessOption] = {}   # what floor staff could also prepare, and how


class StreamlineLever(_Strict):
    max_percent: Annotated[float, Field(gt=0, lt=100)]   # the largest cut of one service
    price_hours_per_percent: Price         # per percent cut, summed over services
    services: list[str] | None = None      # which services may be streamlined (all if absent)


class Levers(_Strict):
    """The ``exercise.levers`` block of a challenge: what teams may change, caps and prices."""

    kiosks: KioskLever | None = None
    divert_online: DivertLever | None = None
    divert_self_service: DivertLever | None = None
    preprocess: PreprocessLever | None = None
    streamline: StreamlineLever | None = None

    def opened(self) -> list[str]:
        return [name for name in LEVERS if getattr(self, name) is not None]


class Choices(_Strict):
    """A plan's ``levers:`` block: what the team changes in the hall."""

    kiosks: Annotated[int, Field(ge=0)] | None = None
    divert_online: Share | None = None
    divert_self_service: Share | None = None
    preprocess: list[str] | None = None           # the services floor staff prepare, all of them
    streamline: dict[str, Percent] | None = None  # service → percent cut from its counter time

    def used(self) -> list[str]:
        return [name for name in LEVERS if getattr(self, name) is not None]


@dataclass(frozen=True)
class Purchase:
    """One lever a plan sets: what it chose against the hall's own, and what that costs."""

    lever: str
    choice: Any          # the team's value (int, share, list of services, {service: percent})
    hall: Any            # the hall's own value
    amount: float        # units bought: kiosks, points, services, percent
    cost: float          # hours-equivalent, 0 for levers the challenge does not open
    opened: bool
    names: dict[str, str] = field(default_factory=dict, compare=False)  # service id → shown

    def describe(self) -> str:
        """``kiosks 6 (hall 4): +2 × 1.5 h = 3 h``, in the current language."""
        return _("{choice} (hall {hall}): {cost}").format(
            choice=self.short(), hall=_show(self.lever, self.hall, self.names),
            cost=_cost_text(self))

    def short(self) -> str:
        """``kiosks 6``: the lever and the team's choice, for a leaderboard cell."""
        return f"{lever_label(self.lever)} {_show(self.lever, self.choice, self.names)}"


def lever_label(name: str) -> str:
    return {"kiosks": _("kiosks"), "divert_online": _("divert online"),
            "divert_self_service": _("divert to kiosks"), "preprocess": _("pre-processing"),
            "streamline": _("streamlining")}[name]


def service_names(hall: ScenarioModel) -> dict[str, str]:
    """Each service as people read it: its display name with the id a plan writes
    (``套餐变更（plan_change）``), or the id alone when it has no display name."""
    out = {}
    for s in hall.services:
        label = display(s.label, s.name)
        out[s.name] = s.name if label == s.name else _("{label} ({id})").format(label=label,
                                                                             id=s.name)
    return out


def _list(items: list[str]) -> str:
    return _(", ").join(items)


def _show(lever: str, value: Any, names: dict[str, str] | None = None) -> str:
    names = names or {}
    if lever in ("divert_online", "divert_self_service"):
        return f"{100 * value:g}%"
    if lever == "preprocess":
        return _list([names.get(v, v) for v in value]) if value else _("none")
    if lever == "streamline":
        cuts = [f"{names.get(name, name)} −{pct:g}%" for name, pct in value.items() if pct]
        return _list(cuts) if cuts else _("none")
    return str(value)


def _cost_text(p: Purchase) -> str:
    if not p.opened:
        return _("not open in this challenge, not applied")
    unit = {"kiosks": _("kiosk(s)"), "divert_online": _("point(s)"),
            "divert_self_service": _("point(s)"), "preprocess": _("service(s)"),
            "streamline": "%"}[p.lever]
    if p.amount <= 0:
        return _("nothing added, no cost")
    price = p.cost / p.amount
    return _("+{amount:g} {unit} × {price:g} h = {cost:g} h").format(amount=p.amount, unit=unit,
                                                                     price=price, cost=p.cost)


def hall_values(hall: ScenarioModel) -> dict[str, Any]:
    """The hall's own setting of every lever (what a team gets for nothing)."""
    triage = hall.triage
    return {
        "kiosks": hall.self_service.kiosks,
        "divert_online": triage.divert_online if triage else 0.0,
        "divert_self_service": triage.divert_self_service if triage else 0.0,
        "preprocess": [s.name for s in hall.services if s.preprocess is not None],
        "streamline": {},
    }


def _points(share: float) -> float:
    """A share as percentage points, rounded so that 0.7 − 0.5 is exactly 20."""
    return round(100 * share, 6)


def purchases(choices: Choices, levers: Levers, hall: ScenarioModel) -> list[Purchase]:
    """Every lever the plan sets, with its cost in hours-equivalent (0 if not opened)."""
    own = hall_values(hall)
    bought = []
    for name in choices.used():
        choice, spec = getattr(choices, name), getattr(levers, name)
        if name == "kiosks":
            amount = float(max(0, choice - own[name]))
            price = spec.price_hours if spec else 0.0
        elif name in ("divert_online", "divert_self_service"):
            amount = max(0.0, _points(choice) - _points(own[name]))
            price = spec.price_hours_per_point if spec else 0.0
        elif name == "preprocess":
            amount = float(len(set(choice) - set(own[name])))
            price = spec.price_hours_per_service if spec else 0.0
        else:
            amount = round(sum(choice.values()), 6)
            price = spec.price_hours_per_percent if spec else 0.0
        bought.append(Purchase(name, choice, own[name], amount, round(amount * price, 6),
                               spec is not None, service_names(hall)))
    return bought


def lever_hours(bought: list[Purchase]) -> float:
    """What the levers cost in all, hours-equivalent."""
    return round(sum(p.cost for p in bought), 6)


def violations(choices: Choices, levers: Levers, hall: ScenarioModel) -> list[str]:
    """Levers used that the challenge does not open, and caps exceeded, in plain words."""
    found: list[str] = []
    own = hall_values(hall)
    for name in choices.used():
        spec, choice = getattr(levers, name), getattr(choices, name)
        label = lever_label(name)
        if spec is None:
            found.append(_("the plan sets the lever '{lever}', which this challenge does not "
                           "open; the hall keeps {value}").format(lever=name,
                                                                value=_show(name, own[name])))
        elif name == "kiosks" and choice > spec.places:
            found.append(_("{lever}: {n} switched on; the hall has {places} kiosk places")
                         .format(lever=label, n=choice, places=spec.places))
        elif name in ("divert_online", "divert_self_service") and choice > spec.max + 1e-12:
            found.append(_("{lever}: {value}; the cap is {cap}").format(
                lever=label, value=_show(name, choice), cap=_show(name, spec.max)))
        elif name == "preprocess":
            allowed = [*own["preprocess"], *spec.services]
            for service in choice:
                if service not in allowed:
                    found.append(_("{lever}: floor staff cannot prepare '{service}' in this "
                                   "challenge; they can prepare {allowed}").format(
                        lever=label, service=service, allowed=", ".join(allowed)))
        elif name == "streamline":
            for service, pct in choice.items():
                if spec.services is not None and service not in spec.services and pct > 0:
                    found.append(_("{lever}: '{service}' cannot be streamlined in this "
                                   "challenge; these can: {allowed}").format(
                        lever=label, service=service, allowed=", ".join(spec.services)))
                elif pct > spec.max_percent + 1e-12:
                    found.append(_("{lever}: '{service}' cut by {pct:g}%; the cap is {cap:g}%")
                                 .format(lever=label, service=service, pct=pct,
                                         cap=spec.max_percent))
    return found


def offers(levers: Levers, hall: ScenarioModel) -> list[tuple[str, str, str]]:
    """Each open lever for the brief: (name, what the hall has and the cap, the price)."""
    own = hall_values(hall)
    rows = []
    if levers.kiosks is not None:
        k = levers.kiosks
        rows.append(("kiosks", _("{on} of {places} kiosk places switched on; switch on up to "
                                 "{places}").format(on=own["kiosks"], places=k.places),
                     _("{price:g} h per kiosk added").format(price=k.price_hours)))
    for name in ("divert_online", "divert_self_service"):
        d = getattr(levers, name)
        if d is not None:
            what = (_("greeters send {share} of online-eligible customers to the app; up to {cap}")
                    if name == "divert_online" else
                    _("greeters send {share} of kiosk-eligible customers to a kiosk; up to {cap}"))
            rows.append((name, what.format(share=_show(name, own[name]), cap=_show(name, d.max)),
                         _("{price:g} h per percentage point above the hall's").format(
                             price=d.price_hours_per_point)))
    names = service_names(hall)
    if levers.preprocess is not None:
        pre = levers.preprocess
        rows.append(("preprocess", _("floor staff prepare {now}; can add {more}").format(
            now=_show("preprocess", own["preprocess"], names),
            more=_list([names.get(s, s) for s in pre.services]) or _("none")),
            _("{price:g} h per service added").format(price=pre.price_hours_per_service)))
    if levers.streamline is not None:
        st = levers.streamline
        which = (_list([names.get(s, s) for s in st.services]) if st.services is not None
                 else _("any service"))
        rows.append(("streamline", _("cut the counter time of {which} by up to {cap:g} percent each")
                     .format(which=which, cap=st.max_percent),
                     _("{price:g} h per percent").format(price=st.price_hours_per_percent)))
    return rows


def template_block(levers: Levers, hall: ScenarioModel) -> str:
    """The ``levers:`` part of a plan template: every open lever at the hall's own setting."""
    opened = levers.opened()
    if not opened:
        return ""
    own = hall_values(hall)
    lines = ["# " + _("Levers open in this challenge: change a value to pull one; what you add "
                      "is paid from the budget."), "levers:"]
    for name, what, price in offers(levers, hall):
        if name == "preprocess":
            value = "[" + ", ".join(own[name]) + "]"
        elif name == "streamline":
            value = "{}"
            listed = levers.streamline.services if levers.streamline else None
            example = (listed or [x.name for x in hall.services])[0]
            what = _("e.g. {{{service}: 10}} for 10 percent off; ").format(service=example) + what
        elif name == "kiosks":
            value = f"{own[name]:g}"
        else:
            value = f"{own[name]:g}"
            what = _("a share ({value} = {percent})").format(
                value=value, percent=_show(name, own[name])) + _("; ") + what
        then = _("; ")   # outside the f-string, where extraction can see it
        lines.append(f"  {name}: {value}   # {what}{then}{price}")
    return "\n".join(lines) + "\n"


def apply(data: dict, choices: Choices, levers: Levers) -> dict:
    """The hall's file data with the plan's opened levers applied (a changed copy)."""
    data = copy.deepcopy(data)
    if levers.kiosks is not None and choices.kiosks is not None:
        data.setdefault("self_service", {})["kiosks"] = choices.kiosks
    for name in ("divert_online", "divert_self_service"):
        if getattr(levers, name) is not None and getattr(choices, name) is not None:
            data["triage"][name] = getattr(choices, name)
    services = {s["name"]: s for s in data["services"]}
    if levers.preprocess is not None and choices.preprocess is not None:
        for name, service in services.items():
            offer = levers.preprocess.services.get(name)
            if name not in choices.preprocess:
                service.pop("preprocess", None)
            elif "preprocess" not in service and offer is not None:
                service["preprocess"] = offer.model_dump(mode="json", exclude_defaults=False)
    if levers.streamline is not None and choices.streamline is not None:
        for name, pct in choices.streamline.items():
            if pct and name in services:
                service = services[name]
                dist = service["counter_minutes"]
                service["counter_minutes"] = scaled_data(dist, 1 - pct / 100)
    return data


def check_levers(levers: Levers, hall: ScenarioModel, origin: str, node: yaml.Node | None) -> None:
    """Levers that do not fit the challenge's hall are the trainer's mistake: exit 2, located."""
    problems: list[tuple[tuple, str]] = []
    names = [s.name for s in hall.services]
    own = hall_values(hall)
    if levers.kiosks is not None and levers.kiosks.places < own["kiosks"]:
        problems.append((("kiosks", "places"), _(
            "must be at least the hall's kiosks (self_service.kiosks: {kiosks}), got {places}")
            .format(kiosks=own["kiosks"], places=levers.kiosks.places)))
    for name in ("divert_online", "divert_self_service"):
        spec = getattr(levers, name)
        if spec is not None and hall.triage is None:
            problems.append(((name,), _("the hall has no triage: block (no greeters to divert)")))
        elif spec is not None and spec.max < own[name]:
            problems.append(((name, "max"), _(
                "must be at least the hall's triage.{name} ({hall:g}), got {cap:g}").format(
                    name=name, hall=own[name], cap=spec.max)))
    if levers.preprocess is not None:
        for name in levers.preprocess.services:
            if name not in names:
                problems.append((("preprocess", "services", name),
                                 _no_service(name, hall)))
            elif name in own["preprocess"]:
                problems.append((("preprocess", "services", name), _(
                    "the hall already prepares this service (its preprocess: block)")))
    if levers.streamline is not None:
        for i, name in enumerate(levers.streamline.services or []):
            if name not in names:
                problems.append((("streamline", "services", i),
                                 _no_service(name, hall)))
    _raise(problems, ("exercise", "levers"), origin, node)


def check_choices(choices: Choices, hall: ScenarioModel, origin: str,
                  node: yaml.Node | None) -> None:
    """Services a plan's levers name must exist in the hall (typos are bad input: exit 2)."""
    names = [s.name for s in hall.services]
    problems: list[tuple[tuple, str]] = []
    for i, name in enumerate(choices.preprocess or []):
        if name not in names:
            problems.append((("preprocess", i), _no_service(name, hall)))
        elif name in (choices.preprocess or [])[:i]:
            problems.append((("preprocess", i), _("{name} is listed twice").format(
                name=quote(name))))
    for name in choices.streamline or {}:
        if name not in names:
            problems.append((("streamline", name), _no_service(name, hall)))
    _raise(problems, ("levers",), origin, node)


def _no_service(name: str, hall: ScenarioModel) -> str:
    """No such service: the hall's ids, and the id meant when a display name was written."""
    names = list(service_names(hall).values())      # 开户（new_line）: the id beside its name
    hint = ime.service_hint(str(name), [(s.name, s.label) for s in hall.services])
    return _("no service {name} in the hall ({names})").format(
        name=quote(name), names=_(", ").join(names)) + hint


def _raise(problems: list[tuple[tuple, str]], prefix: tuple, origin: str,
           node: yaml.Node | None) -> None:
    if not problems:
        return
    located = []
    for loc, message in problems:
        full = (*prefix, *loc)
        line = loading.line_of(full, node)
        where = f"{origin}:{line}" if line is not None else origin
        path = ".".join(str(p) if not isinstance(p, int) else f"[{p}]" for p in full)
        located.append((line or 0, f"{where}: {path.replace('.[', '[')}: {message}"))
    raise ScenarioError([m for _line, m in sorted(located, key=lambda x: x[0])])
