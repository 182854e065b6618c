"""The scenario file format (contract section 2) as pydantic models.

Field-level rules live here; rules that relate several fields (shares sum to 1,
the profile tiles the day, breaks inside shifts...) live in ``consistency.py`` so
each error can point at the exact field and YAML line.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from .clock import parse_clock
from .distributions import Distribution

Clock = Annotated[int, BeforeValidator(parse_clock)]
Share = Annotated[float, Field(ge=0, le=1)]
Role = Literal["counter", "triage", "preprocess"]
ROLES: tuple[str, ...] = ("counter", "triage", "preprocess")


def _none_word(value: object) -> object:
    """``patience: none`` (the word) means nobody abandons."""
    if value is None or (isinstance(value, str) and value.strip().lower() == "none"):
        return None
    return value


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Hours(_Strict):
    open: Clock
    close: Clock


class Period(_Strict):
    start: Clock = Field(alias="from")
    end: Clock = Field(alias="to")
    load: str | None = None
    rate: Annotated[float, Field(ge=0)] | None = None

    @model_validator(mode="after")
    def _one_of_load_or_rate(self) -> Period:
        if (self.load is None) == (self.rate is None):
            raise ValueError("give exactly one of 'load' (a load level) or 'rate' (customers/hour)")
        return self


class SelfServiceOption(_Strict):
    eligible: Share
    minutes: Distribution
    fail: Share = 0.0


class PreprocessOption(_Strict):
    eligible: Share
    minutes: Distribution
    saves: Share


class Service(_Strict):
    name: str
    share: Share
    counter_minutes: Distribution
    self_service: SelfServiceOption | None = None
    preprocess: PreprocessOption | None = None
    online_eligible: Share = 0.0
    priority: int = 1


class Triage(_Strict):
    minutes: Distribution
    divert_online: Share = 0.0
    divert_self_service: Share = 0.0
    self_select: Share = 0.0


class SelfService(_Strict):
    kiosks: Annotated[int, Field(ge=0)] = 0


class Counters(_Strict):
    windows: Annotated[int, Field(ge=1)]


class Detractor(_Strict):
    """Waiting → probability of an NPS detractor (score 0-6).

    Defaults are an assumption, placed so that p(13 min) < 0.5 < p(16 min): a
    2020 survey of 660 visitors to telecom stores found those who waited under
    13 minutes mostly promoters and those over 16 minutes mostly detractors.
    Calibrate with the hall's own survey data.
    """

    curve: Literal["logistic", "table"] = "logistic"
    base: Share = 0.08
    max: Share = 0.85
    midpoint_minutes: Annotated[float, Field(ge=0)] = 14.5
    scale_minutes: Annotated[float, Field(gt=0)] = 2.0
    points: list[tuple[Annotated[float, Field(ge=0)], Share]] | None = None
    abandoned: Share = 0.9
    occupied_weight: Share = 0.5
    target_wait_minutes: Annotated[float, Field(ge=0)] = 10.0

    @model_validator(mode="after")
    def _curve_fields(self) -> Detractor:
        if self.curve == "table":
            if not self.points or len(self.points) < 2:
                raise ValueError("curve 'table' needs 'points': at least two [minutes, probability]")
            minutes = [m for m, _ in self.points]
            if any(b <= a for a, b in zip(minutes[:-1], minutes[1:], strict=True)):
                raise ValueError("'points' must be in strictly increasing order of minutes")
        elif self.points is not None:
            raise ValueError("'points' goes with curve: table (this curve is logistic)")
        return self


class Break(_Strict):
    at: Clock
    minutes: Annotated[float, Field(gt=0)]


class Shift(_Strict):
    name: str
    role: Role
    start: Clock
    end: Clock
    count: Annotated[int, Field(ge=0)]
    breaks: list[Break] = []


class FlexRule(_Strict):
    from_role: Role = Field(alias="from")
    to_role: Role = Field(alias="to")
    queue_at_least: Annotated[int, Field(ge=1)]
    queue_at_most: Annotated[int, Field(ge=0)]


class ScenarioModel(_Strict):
    """The validated content of one scenario file (times in minutes since midnight)."""

    name: Annotated[str, Field(min_length=1)]
    hours: Hours
    warmup_minutes: Annotated[float, Field(ge=0)] = 0.0
    load_factor: Annotated[float, Field(gt=0)] = 1.0
    loads: dict[str, Annotated[float, Field(ge=0)]] = {}
    profile: Annotated[list[Period], Field(min_length=1)]
    services: Annotated[list[Service], Field(min_length=1)]
    triage: Triage | None = None
    self_service: SelfService = SelfService()
    counters: Counters
    patience: Annotated[Distribution | None, BeforeValidator(_none_word)] = None
    detractor: Detractor = Detractor()
    shifts: list[Shift] = []
    flex: list[FlexRule] = []
    interval_minutes: Annotated[int, Field(ge=5, le=240)] = 30


def all_field_names() -> set[str]:
    """Every key the format knows, for 'did you mean' hints on typos."""
    from . import distributions as d

    names: set[str] = set()
    models: list[type[BaseModel]] = [
        Hours, Period, SelfServiceOption, PreprocessOption, Service, Triage, SelfService, Counters,
        Detractor, Break, Shift, FlexRule, ScenarioModel, d.Exponential, d.LogNormal, d.Gamma,
        d.Constant, d.Uniform, d.Triangular, d.Empirical]
    for model in models:
        for field_name, info in model.model_fields.items():
            names.add(info.alias or field_name)
    return names
