"""The scenario file format (contract section 2) as pydantic models.

Field-level rules live here; rules that relate several fields (shares sum to 1,
the profile tiles the day, breaks inside shifts...) live in ``consistency.py`` so
each error can point at the exact field and YAML line.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, WithJsonSchema, model_validator

from ..i18n import _
from .bookings import OFFSET_MODELS, Appointment
from .clock import Clock
from .distributions import Distribution

Share = Annotated[float, Field(ge=0, le=1)]
Role = Literal["counter", "triage", "preprocess"]
Lang = Literal["en", "zh", "zh-Hant"]
# A display name per language ({zh: 缴费}); ids stay what files and overrides use.
DisplayName = dict[Lang, Annotated[str, Field(min_length=1)]]
ROLES: tuple[str, ...] = ("counter", "triage", "preprocess")
Post = Annotated[str, Field(pattern=r"^(counter|triage|preprocess|counter\..+)$"), WithJsonSchema(
    {"type": "string", "pattern": r"^(counter|triage|preprocess|counter\..+)$",
     "description": "a role (counter, triage, preprocess) or counter.GROUP"})]


def _doc(meaning: str, unit: str | None = None, example: object = None, **kwargs: Any) -> Any:
    """A field's one-line meaning, unit and example, for the JSON Schema and docs/scenario.md."""
    extra: dict = {"unit": unit} if unit else {}
    return Field(description=meaning, examples=[example] if example is not None else None,
                 json_schema_extra=extra or None, **kwargs)


def _also_none_word(schema: dict) -> None:
    schema.setdefault("anyOf", []).append({"const": "none"})


def _none_word(value: object) -> object:
    """``patience: none`` (the word) means nobody abandons."""
    if value is None or (isinstance(value, str) and value.strip().lower() == "none"):
        return None
    return value


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Hours(_Strict):
    """Opening hours: doors open and close (no arrivals after closing; those inside are served)."""

    open: Clock = _doc("when the doors open", "HH:MM", "09:00")
    close: Clock = _doc("when the doors close; staff on late shifts serve those still inside",
                        "HH:MM", "18:00")


class Period(_Strict):
    """One stretch of the day's arrival profile: a load level or a direct rate (not both)."""

    start: Clock = _doc("start of the stretch", "HH:MM", "10:00", alias="from")
    end: Clock = _doc("end of the stretch (the next one starts here)", "HH:MM", "12:00", alias="to")
    load: str | None = _doc("a level named under loads:", None, "peak", default=None)
    rate: Annotated[float, Field(ge=0)] | None = _doc("arrivals per hour, instead of a load level",
                                                      "customers/hour", 55, default=None)

    @model_validator(mode="after")
    def _one_of_load_or_rate(self) -> Period:
        if (self.load is None) == (self.rate is None):
            raise ValueError(_("give exactly one of 'load' (a load level) or 'rate' "
                               "(customers/hour)"))
        return self


class SelfServiceOption(_Strict):
    """A service that can be done at a self-service kiosk (自助终端)."""

    eligible: Share = _doc("share of this service's customers who could use a kiosk", "share",
                           0.8)
    minutes: Distribution = _doc("time at the kiosk", "minutes",
                                 {"dist": "lognormal", "mean": 2.0, "cv": 0.4})
    fail: Share = _doc("share of kiosk attempts that fail; they then take a counter ticket",
                       "share", 0.1, default=0.0)


class PreprocessOption(_Strict):
    """Pre-processing (业务预处理) by floor staff while the customer waits for a counter."""

    eligible: Share = _doc("share of this service's customers who can be pre-processed",
                           "share", 0.7)
    minutes: Distribution = _doc("time the floor staff spend pre-processing one customer",
                                 "minutes", {"dist": "exponential", "mean": 3.0})
    saves: Share = _doc("fraction of the counter time saved when pre-processing finished before "
                        "the call", "share", 0.35)


class Service(_Strict):
    """One business customers come for (缴费, 办卡, 套餐变更...); the shares sum to 1."""

    name: str = _doc("the service's name (used in overrides: services.NAME.share=0.3)", None,
                     "plan_change")
    label: DisplayName | None = _doc("display names by language, shown in place of the name "
                                     "(en, zh, zh-Hant)", None, {"zh": "套餐变更"},
                                     default=None)
    share: Share = _doc("share of arrivals who come for this service; all shares sum to 1",
                        "share", 0.3)
    counter_minutes: Distribution = _doc("time at the counter", "minutes",
                                         {"dist": "gamma", "mean": 7.0, "cv": 0.6})
    self_service: SelfServiceOption | None = _doc("can be done at a kiosk (absent: never)", None,
                                                  default=None)
    preprocess: PreprocessOption | None = _doc("can be pre-processed by floor staff (absent: "
                                               "never)", None, default=None)
    online_eligible: Share = _doc("share a greeter may send to online channels", "share", 0.3,
                                  default=0.0)
    priority: int = _doc("queue priority class: lower numbers are called first", None, 0,
                         default=1)


class Triage(_Strict):
    """The greeter's desk (引导分流): asks what customers need and routes them."""

    minutes: Distribution = _doc("time the greeter spends with one customer", "minutes",
                                 {"dist": "exponential", "mean": 0.75})
    divert_online: Share = _doc("of online-eligible customers, the share sent online",
                                "share", 0.5, default=0.0)
    divert_self_service: Share = _doc("of kiosk-eligible customers, the share a greeter sends to "
                                      "a kiosk", "share", 0.7, default=0.0)
    self_select: Share = _doc("of kiosk-eligible customers, the share who try a kiosk when no "
                              "greeter is on duty", "share", 0.25, default=0.0)
    max_queue: Annotated[int, Field(ge=1)] | None = _doc(
        "the greeter intercepts arrivals only while fewer than this wait; the others take a "
        "ticket or (self_select) a kiosk at once (absent: no limit)", "customers", 2,
        default=None)


class SelfService(_Strict):
    """The self-service kiosks (machines, not staff)."""

    kiosks: Annotated[int, Field(ge=0)] = _doc("number of kiosks", "kiosks", 4, default=0)


class CounterGroup(_Strict):
    """A zone of counter windows (忙区): which services its windows call, and in what order."""

    name: Annotated[str, Field(min_length=1)] = _doc(
        "the group's name (shifts sit at it: group: NAME)", None, "vip")
    label: DisplayName | None = _doc("display names by language, shown in place of the name "
                                     "(en, zh, zh-Hant)", None, {"zh": "贵宾"}, default=None)
    windows: Annotated[int, Field(ge=1)] = _doc("windows in this group", "windows", 1)
    calls: Annotated[list[str], Field(min_length=1)] = _doc(
        'services its windows call; "*" is every service not named earlier in this list',
        None, ["vip", "*"], default=["*"])
    rule: str = _doc("ticket: lowest priority, then earliest ticket, among the services called; "
                     "order: the first service listed with anyone waiting (or a rule registered "
                     "in Python)", None, "order", default="ticket")


class Counters(_Strict):
    """The counter windows: at most this many customers served at counters at once."""

    windows: Annotated[int, Field(ge=1)] = _doc("number of counter windows", "windows", 8)
    groups: list[CounterGroup] | None = _doc(
        "zones of windows with their own call lists (absent: one group calling every "
        "service); their windows add up to windows", None,
        [{"name": "general", "windows": 5}, {"name": "vip", "windows": 1,
                                             "calls": ["vip", "*"], "rule": "order"}],
        default=None)


class Promoter(_Strict):
    """Waiting → probability of an NPS promoter (score 9-10): the same forms as the detractor
    curve, falling as the wait grows.

    Defaults are an assumption, placed with the detractor defaults so that those served
    within about 12 minutes are mostly promoters (the same 2020 survey of telecom-store
    visitors) and a hall where nobody waits scores an NPS of about +57. Calibrate with the
    hall's own 0-10 scores (``hallsim fit detractor``).
    """

    curve: Literal["logistic", "table"] = _doc(
        "logistic: p(w) = base + (max - base) / (1 + exp(-(w - midpoint) / scale)); table: "
        "linear between points", None, "logistic", default="logistic")
    base: Share = _doc("promoter probability with no wait (logistic)", "share", 0.65,
                       default=0.65)
    max: Share = _doc("promoter probability after a very long wait (logistic; the long-wait "
                      "end of the curve, below base)", "share", 0.03, default=0.03)
    midpoint_minutes: Annotated[float, Field(ge=0)] = _doc(
        "wait at which the probability is halfway from base to max (logistic)", "minutes", 12.0,
        default=12.0)
    scale_minutes: Annotated[float, Field(gt=0)] = _doc(
        "how quickly the probability falls around the midpoint (logistic)", "minutes", 2.0,
        default=2.0)
    points: list[tuple[Annotated[float, Field(ge=0)], Share]] | None = _doc(
        "[minutes, probability] pairs in increasing minutes (curve: table)", None,
        [[0, 0.6], [10, 0.45], [16, 0.15], [25, 0.03]], default=None)
    abandoned: Share = _doc("promoter probability of a customer who abandons", "share", 0.0,
                            default=0.0)

    @model_validator(mode="after")
    def _curve_fields(self) -> Promoter:
        _check_curve(self.curve, self.points)
        return self


def _check_curve(curve: str, points: list[tuple[float, float]] | None) -> None:
    if curve == "table":
        if not points or len(points) < 2:
            raise ValueError(_("curve 'table' needs 'points': at least two [minutes, "
                               "probability]"))
        minutes = [m for m, _p in points]
        if any(b <= a for a, b in zip(minutes[:-1], minutes[1:], strict=True)):
            raise ValueError(_("'points' must be in strictly increasing order of minutes"))
    elif points is not None:
        raise ValueError(_("'points' goes with curve: table (this curve is logistic)"))


class Detractor(_Strict):
    """Waiting → probability of an NPS detractor (score 0-6).

    Defaults are an assumption, placed so that p(13 min) < 0.5 < p(16 min): a
    2020 survey of 660 visitors to telecom stores found those who waited under
    13 minutes mostly promoters and those over 16 minutes mostly detractors.
    Calibrate with the hall's own survey data.
    """

    curve: Literal["logistic", "table"] = _doc(
        "logistic: p(w) = base + (max - base) / (1 + exp(-(w - midpoint) / scale)); table: "
        "linear between points", None, "logistic", default="logistic")
    base: Share = _doc("detractor probability with no wait (logistic)", "share", 0.08,
                       default=0.08)
    max: Share = _doc("detractor probability after a very long wait (logistic)", "share",
                      0.85, default=0.85)
    midpoint_minutes: Annotated[float, Field(ge=0)] = _doc(
        "wait at which the probability is halfway from base to max (logistic)", "minutes", 14.5,
        default=14.5)
    scale_minutes: Annotated[float, Field(gt=0)] = _doc(
        "how quickly the probability rises around the midpoint (logistic)", "minutes", 2.0,
        default=2.0)
    points: list[tuple[Annotated[float, Field(ge=0)], Share]] | None = _doc(
        "[minutes, probability] pairs in increasing minutes (curve: table)", None,
        [[0, 0.05], [10, 0.12], [16, 0.5], [25, 0.85]], default=None)
    abandoned: Share = _doc("detractor probability of a customer who abandons", "share", 0.9,
                            default=0.9)
    occupied_weight: Share = _doc("how much waiting while being pre-processed counts in the "
                                  "curve (occupied time feels shorter)", "share", 0.5,
                                  default=0.5)
    target_wait_minutes: Annotated[float, Field(ge=0)] = _doc(
        "service level = share of customers served within this wait", "minutes", 10.0,
        default=10.0)

    promoter: Promoter = _doc("waiting → probability of an NPS promoter (score 9-10); the "
                              "defaults are an assumption", None, default_factory=Promoter)

    @model_validator(mode="after")
    def _curve_fields(self) -> Detractor:
        _check_curve(self.curve, self.points)
        return self


class Break(_Strict):
    """A break in a shift; a staff member finishes the customer in hand first."""

    at: Clock = _doc("when the break starts", "HH:MM", "13:30")
    minutes: Annotated[float, Field(gt=0)] = _doc("length of the break", "minutes", 45)


class Shift(_Strict):
    """A block of identical shifts (弹性排班): who works when, and their breaks."""

    name: str = _doc("the shift's name (overrides: shifts.NAME.count=3)", None, "early")
    role: Role = _doc("counter: serves at a window; triage: the greeter; preprocess: floor staff "
                      "who pre-process waiting customers", None, "counter")
    start: Clock = _doc("start of the shift", "HH:MM", "09:00")
    end: Clock = _doc("end of the shift; work after it is overtime", "HH:MM", "13:30")
    count: Annotated[int, Field(ge=0)] = _doc("how many staff work this shift", "staff", 2)
    breaks: list[Break] = _doc("breaks, each taken by every member of the shift", None,
                               [{"at": "13:30", "minutes": 45}], default=[])
    group: str | None = _doc("counter shifts: the window group they sit at (default: the only "
                             "group)", None, "general", default=None)
    groups: list[str] | None = _doc("counter shifts: float over these groups, going where the "
                                    "longest-waiting ticket is", None, ["general", "business"],
                                    default=None)


class FlexRule(_Strict):
    """An idle staff member of one role helps another when its queue grows, then goes back."""

    from_role: Post = _doc("the role that helps (counter.GROUP: that group's counter staff)",
                           None, "preprocess", alias="from")
    to_role: Post = _doc("the role helped (counter.GROUP: that group's windows)", None,
                         "counter", alias="to")
    queue_at_least: Annotated[int, Field(ge=1)] = _doc("move when the helped role's queue "
                                                       "reaches this", "customers", 8)
    queue_at_most: Annotated[int, Field(ge=0)] = _doc("go back once it is down to this",
                                                      "customers", 3)


class ScenarioModel(_Strict):
    """The validated content of one scenario file (times in minutes since midnight)."""

    name: Annotated[str, Field(min_length=1)] = _doc(
        "the scenario's name: report titles and the default folder reports/NAME/", None,
        "weekday")
    hours: Hours = _doc("opening hours", None, {"open": "09:00", "close": "18:00"})
    warmup_minutes: Annotated[float, Field(ge=0)] = _doc(
        "customers arriving in the first minutes after opening are left out of customer "
        "statistics", "minutes", 0, default=0.0)
    load_factor: Annotated[float, Field(gt=0)] = _doc(
        "scales every arrival rate (a busy day, 忙日: 1.3)", "factor", 1.3, default=1.0)
    loads: dict[str, Annotated[float, Field(ge=0)]] = _doc(
        "arrival rates of named load levels (高峰/中峰/低峰)", "customers/hour",
        {"peak": 120, "mid": 70, "low": 30}, default={})
    profile: Annotated[list[Period], Field(min_length=1)] = _doc(
        "arrivals through the day: stretches that cover open to close exactly", None,
        [{"from": "09:00", "to": "10:00", "load": "mid"}])
    services: Annotated[list[Service], Field(min_length=1)] = _doc(
        "what customers come for; shares sum to 1", None)
    triage: Triage | None = _doc("the greeter's desk (absent: nobody is triaged, and nobody is "
                                 "sent to a kiosk)", None, default=None)
    self_service: SelfService = _doc("self-service kiosks", None, {"kiosks": 4},
                                     default=SelfService())
    counters: Counters = _doc("counter windows", None, {"windows": 8})
    patience: Annotated[Distribution | None, BeforeValidator(_none_word)] = Field(
        default=None, description="how long a customer waits before abandoning (none, or "
        "absent: nobody abandons)", examples=[{"dist": "exponential", "mean": 30}],
        json_schema_extra=_also_none_word)
    detractor: Detractor = _doc("waiting → probability of an NPS detractor (score 0-6)", None,
                                default=Detractor())
    shifts: list[Shift] = _doc("the shift plan", None, default=[])
    flex: list[FlexRule] = _doc("flexible help between roles", None,
                                [{"from": "preprocess", "to": "counter", "queue_at_least": 8,
                                  "queue_at_most": 3}], default=[])
    appointments: list[Appointment] = _doc(
        "booked visits (预约) on streams of their own: adding them never changes a walk-in",
        None, [{"service": "enterprise", "slots": {"from": "10:00", "to": "16:00", "every": 30},
                "show": 0.9, "punctuality": {"dist": "uniform", "low": -10, "high": 5}}],
        default=[])
    interval_minutes: Annotated[int, Field(ge=5, le=240)] = _doc(
        "length of the report's through-the-day intervals", "minutes", 30, default=30)


def all_field_names() -> set[str]:
    """Every key the format knows, for 'did you mean' hints on typos."""
    from . import distributions as d

    names: set[str] = set()
    models: list[type[BaseModel]] = [
        Hours, Period, SelfServiceOption, PreprocessOption, Service, Triage, SelfService, Counters,
        CounterGroup,
        Detractor, Break, Shift, FlexRule, ScenarioModel, *d.REGISTRY.values(), *OFFSET_MODELS]
    for model in models:
        for field_name, info in model.model_fields.items():
            names.add(info.alias or field_name)
    return names
