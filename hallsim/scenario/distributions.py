"""Service-time and patience distributions: validated specs that sample in numpy blocks.

All times are in minutes. Each spec draws a whole block at once from an explicit
``numpy.random.Generator``; the model never draws one number at a time.
"""

from __future__ import annotations

import math
from typing import Annotated, Any, Literal, Union

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, PositiveFloat, model_validator

NonNegative = Annotated[float, Field(ge=0)]


def _minutes(meaning: str) -> Any:
    return Field(description=meaning, json_schema_extra={"unit": "minutes"})


class _Dist(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    def sample(self, rng: np.random.Generator, n: int) -> np.ndarray:
        raise NotImplementedError

    @property
    def mean_minutes(self) -> float:
        raise NotImplementedError


class Exponential(_Dist):
    """Memoryless: many short, a few long (cv 1). {dist: exponential, mean: 3}"""

    dist: Literal["exponential"]
    mean: PositiveFloat = _minutes("the mean")

    def sample(self, rng: np.random.Generator, n: int) -> np.ndarray:
        return rng.exponential(self.mean, n)

    @property
    def mean_minutes(self) -> float:
        return self.mean


class LogNormal(_Dist):
    """Skewed with a long right tail, typical of service times. {dist: lognormal, mean: 3, cv: 0.5}"""

    dist: Literal["lognormal"]
    mean: PositiveFloat = _minutes("the mean")
    cv: NonNegative = Field(description="coefficient of variation: standard deviation / mean")

    def sample(self, rng: np.random.Generator, n: int) -> np.ndarray:
        # Parameters of the underlying normal that give this mean and coefficient of variation.
        sigma2 = math.log1p(self.cv**2)
        return rng.lognormal(math.log(self.mean) - sigma2 / 2, math.sqrt(sigma2), n)

    @property
    def mean_minutes(self) -> float:
        return self.mean


class Gamma(_Dist):
    """Skewed, lighter tail than lognormal. {dist: gamma, mean: 7, cv: 0.6}"""

    dist: Literal["gamma"]
    mean: PositiveFloat = _minutes("the mean")
    cv: NonNegative = Field(description="coefficient of variation: standard deviation / mean")

    def sample(self, rng: np.random.Generator, n: int) -> np.ndarray:
        if self.cv == 0:
            return np.full(n, self.mean)
        shape = 1.0 / self.cv**2
        return rng.gamma(shape, self.mean / shape, n)

    @property
    def mean_minutes(self) -> float:
        return self.mean


class Constant(_Dist):
    """Always the same time. {dist: constant, value: 5}"""

    dist: Literal["constant"]
    value: NonNegative = _minutes("the time")

    def sample(self, rng: np.random.Generator, n: int) -> np.ndarray:
        return np.full(n, float(self.value))

    @property
    def mean_minutes(self) -> float:
        return self.value


class Uniform(_Dist):
    """Any time between low and high, equally likely. {dist: uniform, low: 2, high: 6}"""

    dist: Literal["uniform"]
    low: NonNegative = _minutes("the shortest time")
    high: NonNegative = _minutes("the longest time")

    @model_validator(mode="after")
    def _ordered(self) -> Uniform:
        if self.high < self.low:
            raise ValueError(f"'high' must be >= 'low' (got low={self.low}, high={self.high})")
        return self

    def sample(self, rng: np.random.Generator, n: int) -> np.ndarray:
        return rng.uniform(self.low, self.high, n)

    @property
    def mean_minutes(self) -> float:
        return (self.low + self.high) / 2


class Triangular(_Dist):
    """From a three-point estimate. {dist: triangular, low: 2, mode: 4, high: 10}"""

    dist: Literal["triangular"]
    low: NonNegative = _minutes("the shortest time")
    mode: NonNegative = _minutes("the most likely time")
    high: NonNegative = _minutes("the longest time")

    @model_validator(mode="after")
    def _ordered(self) -> Triangular:
        if not self.low <= self.mode <= self.high or self.low == self.high:
            raise ValueError(
                "need low <= mode <= high and low < high "
                f"(got low={self.low}, mode={self.mode}, high={self.high})"
            )
        return self

    def sample(self, rng: np.random.Generator, n: int) -> np.ndarray:
        return rng.triangular(self.low, self.mode, self.high, n)

    @property
    def mean_minutes(self) -> float:
        return (self.low + self.mode + self.high) / 3


class Empirical(_Dist):
    """Resampled from measured times. {dist: empirical, values: [2.5, 3.1, 4.0]}"""

    dist: Literal["empirical"]
    values: Annotated[list[NonNegative], Field(min_length=1)] = _minutes(
        "measured times, drawn with replacement")

    def sample(self, rng: np.random.Generator, n: int) -> np.ndarray:
        return rng.choice(np.asarray(self.values, dtype=float), n)

    @property
    def mean_minutes(self) -> float:
        return float(np.mean(self.values))


Distribution = Annotated[
    Union[Exponential, LogNormal, Gamma, Constant, Uniform, Triangular, Empirical],  # noqa: UP007
    Field(discriminator="dist"),
]

DIST_NAMES = ("exponential", "lognormal", "gamma", "constant", "uniform", "triangular", "empirical")
