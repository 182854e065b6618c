"""The fitted hall as a scenario: plain data in the file format, and readable YAML text."""

from __future__ import annotations

from dataclasses import dataclass, field

import yaml

from ..scenario.scenario import Scenario
from .arrivals import Arrivals, load_levels
from .calls import CallOrder
from .patience import PatienceFit
from .services import ServiceFit
from .windows import Staffing
from .zones import Zone

LEVEL_ORDER = ("peak", "mid", "low")


class Clock(str):
    """A time of day, always written as a double-quoted "HH:MM"."""


class _Dumper(yaml.SafeDumper):
    pass


_Dumper.add_representer(Clock, lambda d, v: d.represent_scalar("tag:yaml.org,2002:str", str(v),
                                                               style='"'))


@dataclass(frozen=True)
class Fit:
    """Everything learnt from one ticket log."""

    name: str
    arrivals: Arrivals
    loads: dict[str, float]
    levels: list[str]          # each interval's load level
    exact_rates: bool
    services: list[ServiceFit]
    patience: PatienceFit
    staffing: Staffing
    calls: CallOrder
    zones: list[Zone] = field(default_factory=list)   # counter groups (empty: one pool)


def make_fit(name: str, arrivals: Arrivals, services: list[ServiceFit], patience: PatienceFit,
             staffing: Staffing, exact_rates: bool, calls: CallOrder,
             zones: list[Zone] | None = None) -> Fit:
    loads, levels = load_levels(arrivals.rates)
    return Fit(name, arrivals, loads, levels, exact_rates, services, patience, staffing, calls,
               list(zones or []))


def _profile(fit: Fit) -> list[dict]:
    a = fit.arrivals
    periods: list[dict] = []
    for start, rate, level in zip(a.starts, a.rates, fit.levels, strict=True):
        end = int(start) + a.interval
        if fit.exact_rates:
            periods.append({"from": Clock(a.hours.clock(start)), "to": Clock(a.hours.clock(end)),
                            "rate": round(float(rate), 3)})
        elif periods and periods[-1]["load"] == level:
            periods[-1]["to"] = Clock(a.hours.clock(end))
        else:
            periods.append({"from": Clock(a.hours.clock(start)), "to": Clock(a.hours.clock(end)),
                            "load": level})
    return periods


def scenario_data(fit: Fit) -> dict:
    """The scenario as plain data (times as ``Clock`` strings)."""
    a = fit.arrivals
    first = set(fit.calls.first)
    data: dict = {
        "name": fit.name,
        "hours": {"open": Clock(a.hours.clock(a.open)), "close": Clock(a.hours.clock(a.close))},
        "interval_minutes": a.interval,
        "loads": {k: fit.loads[k] for k in LEVEL_ORDER if k in fit.loads},
        "profile": _profile(fit),
        "services": [{"name": s.name, "share": s.share, "counter_minutes": s.chosen,
                      **({"priority": 0} if s.name in first else {})} for s in fit.services],
        "counters": {"windows": fit.staffing.windows},
        "patience": fit.patience.spec if fit.patience.spec is not None else "none",
        "shifts": [{**s, "start": Clock(s["start"]), "end": Clock(s["end"])}
                   for s in fit.staffing.shifts],
    }
    if fit.zones:
        data["counters"] = {"windows": sum(len(z.windows) for z in fit.zones),
                            "groups": [{"name": z.name, "windows": len(z.windows),
                                        "calls": list(z.calls)} for z in fit.zones]}
        data["shifts"] = [{**s, "start": Clock(s["start"]), "end": Clock(s["end"])}
                          for z in fit.zones for s in z.shifts()]
    flex = fit.staffing.flex
    if flex is not None and flex.written:
        # floor staff who only step in: all day, as the log cannot tell when they are there
        data["shifts"].append({"name": "floor", "role": "preprocess",
                               "start": Clock(a.hours.clock(a.open)),
                               "end": Clock(a.hours.clock(a.close)), "count": flex.people})
        data["flex"] = [{"from": "preprocess", "to": "counter", "queue_at_least": flex.at_least,
                         "queue_at_most": flex.at_most}]
    return data


def _flow(item: dict) -> str:
    return yaml.dump(item, Dumper=_Dumper, default_flow_style=True, allow_unicode=True,
                     sort_keys=False, width=10_000).strip()


def scenario_yaml(fit: Fit, header: list[str]) -> str:
    """The scenario file's text: a comment header, then one line per period, service, shift."""
    data = scenario_data(fit)
    lines = [f"# {h}" for h in header]
    for key, value in data.items():
        if key in ("profile", "services", "shifts", "flex"):
            lines.append(f"{key}:")
            lines += [f"  - {_flow(item)}" for item in value]
        elif key == "counters" and "groups" in value:
            lines += ["counters:", f"  windows: {value['windows']}", "  groups:"]
            lines += [f"    - {_flow(group)}" for group in value["groups"]]
        elif isinstance(value, dict):
            lines.append(f"{key}: {_flow(value)}")
        else:
            lines.append(yaml.dump({key: value}, Dumper=_Dumper, allow_unicode=True,
                                   default_flow_style=True, width=10_000).strip()[1:-1])
    return "\n".join(lines) + "\n"


def check_scenario(text: str, origin: str) -> Scenario:
    """Validate the written text exactly as ``load_scenario`` would."""
    return Scenario.from_dict(yaml.safe_load(text), origin=origin)
