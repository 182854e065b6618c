"""Appointments (预约) in the scenario file: booked slots for a service, the share who come,
and how early or late they arrive."""

from __future__ import annotations

from typing import Annotated, Literal, Union

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, model_validator

from ..i18n import _
from .clock import Clock


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Slots(_Strict):
    """Booking slots: one every ``every`` minutes from ``from`` (inclusive) to ``to``."""

    start: Clock = Field(alias="from", description="the first slot", examples=["10:00"])
    end: Clock = Field(alias="to", description="no slot at or after this time",
                       examples=["16:00"])
    every: Annotated[int, Field(ge=1)] = Field(description="minutes between slots",
                                               examples=[30], json_schema_extra={"unit": "minutes"})
    per_slot: Annotated[int, Field(ge=1)] = Field(1, description="bookings per slot",
                                                  examples=[1])

    def times(self) -> list[int]:
        """The slot times (minutes since midnight)."""
        return list(range(self.start, self.end, self.every))


class OffsetUniform(_Strict):
    """Anything from ``low`` to ``high`` minutes from the slot (negative: early)."""

    dist: Literal["uniform"]
    low: float = Field(description="earliest, minutes from the slot", examples=[-10])
    high: float = Field(description="latest, minutes from the slot", examples=[5])

    @model_validator(mode="after")
    def _ordered(self) -> OffsetUniform:
        if self.high < self.low:
            raise ValueError(_("'high' must be >= 'low' (got low={low}, high={high})").format(
                low=self.low, high=self.high))
        return self

    def sample(self, rng: np.random.Generator, n: int) -> np.ndarray:
        return rng.uniform(self.low, self.high, n)


class OffsetNormal(_Strict):
    """Normally spread around ``mean`` minutes from the slot."""

    dist: Literal["normal"]
    mean: float = Field(description="mean, minutes from the slot (negative: early)",
                        examples=[-3])
    sd: Annotated[float, Field(ge=0)] = Field(description="standard deviation, minutes",
                                              examples=[4])

    def sample(self, rng: np.random.Generator, n: int) -> np.ndarray:
        return rng.normal(self.mean, self.sd, n)


class OffsetConstant(_Strict):
    """Always ``value`` minutes from the slot."""

    dist: Literal["constant"]
    value: float = Field(description="minutes from the slot (negative: early)", examples=[0])

    def sample(self, rng: np.random.Generator, n: int) -> np.ndarray:
        return np.full(n, float(self.value))


Offset = Annotated[Union[OffsetUniform, OffsetNormal, OffsetConstant],  # noqa: UP007
                   Field(discriminator="dist")]


class Appointment(_Strict):
    """Booked visits for one service. A booked customer who comes arrives at slot +
    punctuality, takes a ticket without the greeter, and from the slot time on is called
    before the walk-ins of every group that calls the service (also when late)."""

    service: str = Field(description="the service booked (a name under services:)",
                         examples=["enterprise"])
    slots: Slots = Field(description="when the slots are",
                         examples=[{"from": "10:00", "to": "16:00", "every": 30, "per_slot": 1}])
    show: Annotated[float, Field(ge=0, le=1)] = Field(
        1.0, description="share of bookings who come", examples=[0.9],
        json_schema_extra={"unit": "share"})
    punctuality: Offset = Field(
        OffsetConstant(dist="constant", value=0.0),
        description="minutes from the slot at which those who come arrive (negative: early)",
        examples=[{"dist": "uniform", "low": -10, "high": 5}])


OFFSET_MODELS: list[type[BaseModel]] = [Slots, OffsetUniform, OffsetNormal, OffsetConstant,
                                        Appointment]
