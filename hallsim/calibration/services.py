"""The service mix and each service's counter time, fitted by maximum likelihood among
exponential, gamma and lognormal, the one with the lowest AIC chosen."""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import stats

from ..i18n import N_

# A counter time logged as 0 s (called and finished within the same second) is taken as
# half a second, so that the gamma and lognormal likelihoods stay finite.
SMALLEST_MINUTES = 0.5 / 60
MIN_SAMPLE = 5
CANDIDATES = ("exponential", "gamma", "lognormal")


@dataclass(frozen=True)
class Candidate:
    """One distribution fitted to one service's counter times."""

    dist: str
    params: dict[str, float]        # in the scenario's terms: mean (and cv)
    loglik: float
    aic: float
    ks: float                       # Kolmogorov-Smirnov distance to the sample
    frozen: object = field(repr=False, compare=False, default=None)   # scipy frozen distribution

    @property
    def spec(self) -> dict:
        return {"dist": self.dist, **{k: round(v, 4) for k, v in self.params.items()}}


@dataclass(frozen=True)
class ServiceFit:
    """A service's share of tickets and its counter-time fit."""

    name: str
    tickets: int
    share: float
    served: int
    candidates: list[Candidate]     # sorted by AIC; empty when too few were served
    chosen: dict                    # the scenario's counter_minutes spec
    sample: np.ndarray = field(repr=False, compare=False, default_factory=lambda: np.zeros(0))
    note: str = ""


def ks_distance(ordered: np.ndarray, cdf) -> float:
    """The two-sided Kolmogorov-Smirnov statistic of a sorted sample against ``cdf`` (what
    ``scipy.stats.kstest`` computes, with the sample sorted once for all candidates)."""
    n = len(ordered)
    f = cdf(ordered)
    steps = np.arange(1, n + 1) / n
    return float(max(np.max(steps - f), np.max(f - (steps - 1 / n))))


def fit_candidates(x: np.ndarray) -> list[Candidate]:
    """Fit the three candidates to positive times ``x`` (minutes), best AIC first."""
    x = np.maximum(np.asarray(x, dtype=float), SMALLEST_MINUTES)
    out = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        _, scale = stats.expon.fit(x, floc=0)
        expon = stats.expon(scale=scale)
        out.append(("exponential", {"mean": float(scale)}, expon, 1))
        if np.ptp(x) > 0:
            a, _, scale = stats.gamma.fit(x, floc=0)
            out.append(("gamma", {"mean": float(a * scale), "cv": float(1 / math.sqrt(a))},
                        stats.gamma(a, scale=scale), 2))
            s, _, scale = stats.lognorm.fit(x, floc=0)
            out.append(("lognormal", {"mean": float(scale * math.exp(s * s / 2)),
                                      "cv": float(math.sqrt(math.expm1(s * s)))},
                        stats.lognorm(s, scale=scale), 2))
    fits = []
    ordered = np.sort(x)
    for dist, params, frozen, k in out:
        loglik = float(np.sum(frozen.logpdf(x)))
        ks = ks_distance(ordered, frozen.cdf)
        fits.append(Candidate(dist, params, loglik, 2 * k - 2 * loglik, ks, frozen))
    return sorted(fits, key=lambda c: c.aic)


def fit_services(tickets: pd.DataFrame) -> list[ServiceFit]:
    """Shares (all tickets) and counter times (served tickets) per service, most common first.

    Shares are rounded to 6 decimals and sum to exactly 1.
    """
    counts = tickets["service"].value_counts(sort=False)
    names = sorted(counts.index, key=lambda s: (-counts[s], str(s)))
    total = int(counts.sum())
    shares = [round(float(counts[s]) / total, 6) for s in names]
    shares[0] = round(1.0 - sum(shares[1:]), 6)
    # Column by column (no copy of the whole table): a million tickets stay cheap.
    served = tickets["served"].to_numpy(dtype=bool)
    span = tickets["finished"].to_numpy()[served] - tickets["called"].to_numpy()[served]
    minutes = span / np.timedelta64(1, "s") / 60.0
    codes, labels = pd.factorize(tickets["service"])
    served_codes = codes[served]
    order = np.argsort(served_codes, kind="stable")
    edges = np.searchsorted(served_codes[order], np.arange(len(labels) + 1))
    samples = {labels[k]: minutes[order[edges[k]:edges[k + 1]]] for k in range(len(labels))}
    overall = float(np.mean(minutes)) if len(minutes) else 1.0
    result = []
    for name, share in zip(names, shares, strict=True):
        x = samples.get(name, np.zeros(0))
        if len(x) >= MIN_SAMPLE and np.mean(x) > 0:
            cands = fit_candidates(x)
            chosen, note = cands[0].spec, ""
        else:
            cands = []
            mean = float(np.mean(x)) if len(x) and np.mean(x) > 0 else overall
            chosen = {"dist": "exponential", "mean": round(max(mean, SMALLEST_MINUTES), 4)}
            note = N_("too few served tickets to fit")   # translated where shown
        result.append(ServiceFit(str(name), int(counts[name]), share, len(x), cands, chosen, x, note))
    return result


def qq_points(sample: np.ndarray, frozen, points: int = 200) -> tuple[np.ndarray, np.ndarray]:
    """Theoretical against sample quantiles at ``points`` evenly spaced probabilities."""
    p = (np.arange(points) + 0.5) / points
    return frozen.ppf(p), np.quantile(np.maximum(sample, SMALLEST_MINUTES), p)
