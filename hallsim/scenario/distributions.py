"""Service-time and patience distributions: validated specs that sample in numpy blocks.

All times are in minutes. Each spec draws a whole block at once from an explicit
``numpy.random.Generator``; the model never draws one number at a time.

A distribution is a subclass of ``Dist`` with a ``dist: Literal[NAME]`` field: it
registers itself under NAME when defined (``REGISTRY``), and every field declared with
``minutes(...)`` is a time, so ``scaled(factor)`` (a faster process) multiplies it with
no code of its own. The scenario format accepts the distributions registered when
``Distribution`` is built below (the built-in ones).
"""

from __future__ import annotations

import math
import typing
from typing import Annotated, Any, ClassVar, Literal, Union

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, PositiveFloat, model_validator

from ..i18n import _

NonNegative = Annotated[float, Field(ge=0)]


def minutes(meaning: str) -> Any:
    """A field that holds a time in minutes (or a list of them): scaled by ``scaled()``."""
    return Field(description=meaning, json_schema_extra={"unit": "minutes"})


REGISTRY: dict[str, type[Dist]] = {}


class Dist(BaseModel):
    """Base of every distribution: ``sample``, ``mean_minutes`` and ``scaled``."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    name: ClassVar[str] = ""

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        field = cls.model_fields.get("dist")
        names = typing.get_args(field.annotation) if field is not None else ()
        if len(names) != 1 or not isinstance(names[0], str):
            raise TypeError(f"{cls.__name__} needs a field dist: Literal['its name']")
        if names[0] in REGISTRY and REGISTRY[names[0]] is not cls:
            raise ValueError(f"distribution {names[0]!r} is already registered")
        cls.name = names[0]
        REGISTRY[names[0]] = cls

    def sample(self, rng: np.random.Generator, n: int) -> np.ndarray:
        raise NotImplementedError

    @property
    def mean_minutes(self) -> float:
        raise NotImplementedError

    @classmethod
    def time_fields(cls) -> tuple[str, ...]:
        """The fields declared with ``minutes(...)``."""
        return tuple(name for name, info in cls.model_fields.items()
                     if isinstance(info.json_schema_extra, dict)
                     and info.json_schema_extra.get("unit") == "minutes")

    def scaled(self, factor: float) -> Dist:
        """The same shape with every time multiplied by ``factor`` (shape parameters such as
        ``cv`` kept)."""
        changes: dict[str, Any] = {}
        for name in self.time_fields():
            value = getattr(self, name)
            changes[name] = ([v * factor for v in value] if isinstance(value, list)
                             else value * factor)
        return type(self).model_validate({**self.model_dump(), **changes})




class Exponential(Dist):
    """Memoryless: many short, a few long (cv 1). {dist: exponential, mean: 3}"""

    dist: Literal["exponential"]
    mean: PositiveFloat = minutes("the mean")

    def sample(self, rng: np.random.Generator, n: int) -> np.ndarray:
        return rng.exponential(self.mean, n)

    @property
    def mean_minutes(self) -> float:
        return self.mean


class LogNormal(Dist):
    """Skewed with a long right tail, typical of service times. {dist: lognormal, mean: 3, cv: 0.5}"""

    dist: Literal["lognormal"]
    mean: PositiveFloat = minutes("the mean")
    cv: NonNegative = Field(description="coefficient of variation: standard deviation / mean")

    def sample(self, rng: np.random.Generator, n: int) -> np.ndarray:
        # Parameters of the underlying normal that give this mean and coefficient of variation.
        sigma2 = math.log1p(self.cv**2)
        return rng.lognormal(math.log(self.mean) - sigma2 / 2, math.sqrt(sigma2), n)

    @property
    def mean_minutes(self) -> float:
        return self.mean


class Gamma(Dist):
    """Skewed, lighter tail than lognormal. {dist: gamma, mean: 7, cv: 0.6}"""

    dist: Literal["gamma"]
    mean: PositiveFloat = minutes("the mean")
    cv: NonNegative = Field(description="coefficient of variation: standard deviation / mean")

    def sample(self, rng: np.random.Generator, n: int) -> np.ndarray:
        if self.cv == 0:
            return np.full(n, self.mean)
        shape = 1.0 / self.cv**2
        return rng.gamma(shape, self.mean / shape, n)

    @property
    def mean_minutes(self) -> float:
        return self.mean


class Constant(Dist):
    """Always the same time. {dist: constant, value: 5}"""

    dist: Literal["constant"]
    value: NonNegative = minutes("the time")

    def sample(self, rng: np.random.Generator, n: int) -> np.ndarray:
        return np.full(n, float(self.value))

    @property
    def mean_minutes(self) -> float:
        return self.value


class Uniform(Dist):
    """Any time between low and high, equally likely. {dist: uniform, low: 2, high: 6}"""

    dist: Literal["uniform"]
    low: NonNegative = minutes("the shortest time")
    high: NonNegative = minutes("the longest time")

    @model_validator(mode="after")
    def _ordered(self) -> Uniform:
        if self.high < self.low:
            raise ValueError(_("'high' must be >= 'low' (got low={low}, high={high})").format(
                low=self.low, high=self.high))
        return self

    def sample(self, rng: np.random.Generator, n: int) -> np.ndarray:
        return rng.uniform(self.low, self.high, n)

    @property
    def mean_minutes(self) -> float:
        return (self.low + self.high) / 2


class Triangular(Dist):
    """From a three-point estimate. {dist: triangular, low: 2, mode: 4, high: 10}"""

    dist: Literal["triangular"]
    low: NonNegative = minutes("the shortest time")
    mode: NonNegative = minutes("the most likely time")
    high: NonNegative = minutes("the longest time")

    @model_validator(mode="after")
    def _ordered(self) -> Triangular:
        if not self.low <= self.mode <= self.high or self.low == self.high:
            raise ValueError(_("need low <= mode <= high and low < high (got low={low}, "
                               "mode={mode}, high={high})").format(low=self.low, mode=self.mode,
                                                                  high=self.high))
        return self

    def sample(self, rng: np.random.Generator, n: int) -> np.ndarray:
        return rng.triangular(self.low, self.mode, self.high, n)

    @property
    def mean_minutes(self) -> float:
        return (self.low + self.mode + self.high) / 3


class Empirical(Dist):
    """Resampled from measured times. {dist: empirical, values: [2.5, 3.1, 4.0]}"""

    dist: Literal["empirical"]
    values: Annotated[list[NonNegative], Field(min_length=1)] = minutes(
        "measured times, drawn with replacement")

    def sample(self, rng: np.random.Generator, n: int) -> np.ndarray:
        return rng.choice(np.asarray(self.values, dtype=float), n)

    @property
    def mean_minutes(self) -> float:
        return float(np.mean(self.values))


if typing.TYPE_CHECKING:
    Distribution = Dist
else:  # the registered distributions, told apart by their ``dist`` field
    Distribution = Annotated[Union[tuple(REGISTRY.values())],  # noqa: UP007
                             Field(discriminator="dist")]

DIST_NAMES = tuple(REGISTRY)


def scaled_data(data: dict, factor: float) -> dict:
    """A distribution given as file data, with every time multiplied by ``factor``."""
    dist = REGISTRY[data["dist"]].model_validate(data).scaled(factor)
    return {**data, **{k: v for k, v in dist.model_dump().items() if k in data}}
