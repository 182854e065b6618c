"""Patience from a ticket log, fitted with censoring.

A served ticket's customer waited ``called - issued`` and was still there: their patience
is at least that (right-censored). A no-show's customer had gone by the call: their
patience is less than ``called - issued`` (left-censored); one never called is known only
to have gone before the day's last call or finish. Fitting the no-shows' times alone as if
they were patiences (the naive estimate, shown beside) ignores everybody who stayed.

The censored exponential is the default. A two-parameter family (gamma, lognormal) is
chosen over it only when it fits significantly better (likelihood-ratio test at 5%: Wilks'
for the gamma, which nests the exponential; Vuong's for the lognormal, which does not) *and*
its mean is identifiable: the 95% interval of the mean (Wald, on the
log scale, from the observed information) no wider than 3 times the estimate. Censored data
often pin down the short patiences and say little about the long tail, where a lognormal's
mean lives; a planner reading "customers wait 54 minutes before leaving" deserves a number
the data support.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import optimize, special, stats

SMALLEST_MINUTES = 0.5 / 60
DAY_NS = 86_400 * 10**9
ALPHA = 0.05
MAX_CI_RATIO = 3.0
FAMILIES = (("exponential", 1), ("gamma", 2), ("lognormal", 2))


@dataclass(frozen=True)
class CensoredCandidate:
    """One family fitted with censoring."""

    dist: str
    params: dict[str, float]     # mean (and cv)
    loglik: float
    aic: float
    mean_ci: tuple[float, float] | None   # 95% interval of the mean (None: not determined)
    p_value: float | None = None          # likelihood ratio against the exponential

    @property
    def identifiable(self) -> bool:
        if self.mean_ci is None:
            return False
        return self.mean_ci[1] - self.mean_ci[0] <= MAX_CI_RATIO * self.params["mean"]

    @property
    def significant(self) -> bool:
        return self.p_value is not None and self.p_value < ALPHA


@dataclass(frozen=True)
class PatienceFit:
    """The censored fits, the one chosen and why, the naive estimate and the data behind them."""

    served: int                  # right-censored observations (waits > 0)
    served_no_wait: int          # served at once: no information on patience
    no_show_called: int          # left-censored at the call
    no_show_uncalled: int        # left-censored at the day's last activity
    candidates: list[CensoredCandidate]   # exponential, gamma, lognormal (those that fitted)
    naive_mean: float | None     # mean of the no-shows' times to the call
    spec: dict | None            # the scenario's patience (None: nobody abandons)
    chosen: str | None = None    # the family written
    rival: str | None = None     # the best-fitting alternative to the exponential

    @property
    def mean(self) -> float | None:
        return None if self.spec is None else float(self.spec["mean"])

    def candidate(self, dist: str | None) -> CensoredCandidate | None:
        return next((c for c in self.candidates if c.dist == dist), None)


def censoring_data(tickets: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
    """Right-censored waits (> 0), left-censored no-show bounds (called, then not called),
    and how many served tickets waited 0."""
    issued, called = tickets["issued"], tickets["called"]
    served = tickets["served"].to_numpy()
    to_call = ((called - issued).dt.total_seconds() / 60.0).to_numpy()
    right = to_call[served]
    no_wait = int(np.sum(right <= 0))
    right = right[right > 0]
    ghost = ~served
    called_ghost = ghost & ~np.isnan(to_call)
    left_called = np.maximum(to_call[called_ghost], SMALLEST_MINUTES)
    # Never called: gone before the day's last call or finish.
    uncalled = ghost & np.isnan(to_call)
    bound = np.zeros(0)
    if uncalled.any():
        start = issued.to_numpy().astype("datetime64[ns]").view(np.int64)
        last = np.fmax(np.fmax(start.astype(float), _ns(called)), _ns(tickets["finished"]))
        day_codes, _days = pd.factorize(start // DAY_NS)
        day_end = np.full(len(_days), -np.inf)
        np.maximum.at(day_end, day_codes, last)
        bound = (day_end[day_codes] - start)[uncalled] / 60e9
    left_uncalled = np.maximum(bound, SMALLEST_MINUTES)
    return right, left_called, left_uncalled, no_wait


def _ns(times: pd.Series) -> np.ndarray:
    """Nanoseconds as floats, NaN for NaT."""
    values = times.to_numpy().astype("datetime64[ns]")
    return np.where(np.isnat(values), np.nan, values.view(np.int64).astype(float))


def grouped(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Distinct values and their counts: logged times are whole seconds, so a million
    tickets have only a few thousand distinct waits, and the likelihood is the same."""
    return np.unique(np.round(values, 6), return_counts=True)


def censored_loglik(frozen, left: tuple[np.ndarray, np.ndarray],
                    right: tuple[np.ndarray, np.ndarray]) -> float:
    """Log-likelihood of left-censored (patience < x) and right-censored (patience >= x)
    observations, given as (distinct values, counts)."""
    return float(np.dot(left[1], frozen.logcdf(left[0])) + np.dot(right[1], frozen.logsf(right[0])))


def _build(dist: str, theta: np.ndarray):
    """The frozen distribution for ``theta`` = (log mean, log cv); the exponential has only
    the mean."""
    mean = math.exp(theta[0])
    if dist == "exponential":
        return stats.expon(scale=mean)
    cv = math.exp(theta[1])
    if dist == "gamma":
        shape = 1.0 / (cv * cv)
        return stats.gamma(shape, scale=mean / shape)
    s2 = math.log1p(cv * cv)
    return stats.lognorm(math.sqrt(s2), scale=mean * math.exp(-s2 / 2))


def _log_cdf_sf(dist: str, theta: np.ndarray, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """log P(patience < x) and log P(patience >= x) from the special functions directly
    (the same values as ``_build(dist, theta).logcdf/logsf``, without scipy.stats' overhead
    per call, which dominates an optimiser's few hundred calls)."""
    mean = math.exp(theta[0])
    if dist == "exponential":
        z = x / mean
        return np.log(-np.expm1(-z)), -z
    cv = math.exp(theta[1])
    if dist == "gamma":
        shape = 1.0 / (cv * cv)
        z = x * shape / mean
        with np.errstate(divide="ignore"):
            return np.log(special.gammainc(shape, z)), np.log(special.gammaincc(shape, z))
    s2 = math.log1p(cv * cv)
    z = (np.log(x) - (theta[0] - s2 / 2)) / math.sqrt(s2)
    return special.log_ndtr(z), special.log_ndtr(-z)


def _nll(dist: str, theta: np.ndarray, left, right) -> float:
    if not np.all(np.abs(theta) < 50):
        return 1e300
    lc, _ls = _log_cdf_sf(dist, theta, left[0])
    _rc, rs = _log_cdf_sf(dist, theta, right[0])
    value = -(float(np.dot(left[1], lc)) + float(np.dot(right[1], rs)))
    return value if np.isfinite(value) else 1e300


def fit_one(dist: str, left, right, start: float) -> tuple[object, float, np.ndarray] | None:
    """Maximum likelihood by scipy.optimize on the grouped censored likelihood, in
    (log mean, log cv): the same estimate as ``scipy.stats.<dist>.fit(CensoredData(...),
    floc=0)``, in a fraction of the time. Returns the distribution, the log-likelihood and
    the parameters."""
    x0 = [math.log(start)] if dist == "exponential" else [math.log(start), 0.0]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        res = optimize.minimize(lambda theta: _nll(dist, theta, left, right), np.array(x0),
                                method="Nelder-Mead",
                                options={"xatol": 1e-7, "fatol": 1e-9, "maxiter": 4000})
    if not np.isfinite(res.fun) or res.fun >= 1e300:
        return None
    return _build(dist, res.x), -float(res.fun), res.x


def mean_interval(dist: str, theta: np.ndarray, left, right) -> tuple[float, float] | None:
    """95% Wald interval of the mean, on the log scale, from the observed information (a
    central-difference Hessian of the negative log-likelihood); None when the likelihood is
    flat or not curved upwards there (the mean is not determined by the data)."""
    k = len(theta)
    h = 1e-3

    def f(t: np.ndarray) -> float:
        return _nll(dist, t, left, right)

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        hess = np.zeros((k, k))
        f0 = f(theta)
        for i in range(k):
            for j in range(i, k):
                ei, ej = np.eye(k)[i] * h, np.eye(k)[j] * h
                if i == j:
                    value = (f(theta + ei) - 2 * f0 + f(theta - ei)) / (h * h)
                else:
                    value = (f(theta + ei + ej) - f(theta + ei - ej) - f(theta - ei + ej)
                             + f(theta - ei - ej)) / (4 * h * h)
                hess[i, j] = hess[j, i] = value
    if not np.all(np.isfinite(hess)) or np.any(np.linalg.eigvalsh(hess) <= 0):
        return None
    var = float(np.linalg.inv(hess)[0, 0])
    if not var > 0:
        return None
    half = stats.norm.ppf(0.975) * math.sqrt(var)
    if half > 30:
        return None
    return math.exp(theta[0] - half), math.exp(theta[0] + half)


def _params(dist: str, theta: np.ndarray) -> dict[str, float]:
    if dist == "exponential":
        return {"mean": math.exp(theta[0])}
    return {"mean": math.exp(theta[0]), "cv": math.exp(theta[1])}


def likelihood_ratio_p(dist: str, theta: np.ndarray, theta_exp: np.ndarray, gain: float,
                       extra: int, left, right) -> float:
    """p-value of the likelihood-ratio test of ``dist`` against the exponential.

    The gamma nests the exponential (cv = 1): Wilks' test, 2 x gain against chi-squared
    with ``extra`` degrees of freedom. The lognormal does not: Vuong's (1989) test for
    non-nested models, the gain less the extra parameters (as AIC counts them) over the
    spread of the observations' own log-likelihood differences, against the normal; a few
    log-likelihood units over thousands of tickets are then noise, not evidence.
    """
    if dist == "gamma":
        return float(stats.chi2.sf(max(2 * gain, 0.0), extra))
    lc, _ls = _log_cdf_sf(dist, theta, left[0])
    ec, _es = _log_cdf_sf("exponential", theta_exp, left[0])
    _rc, rs = _log_cdf_sf(dist, theta, right[0])
    _erc, ers = _log_cdf_sf("exponential", theta_exp, right[0])
    d = np.concatenate((lc - ec, rs - ers))
    w = np.concatenate((left[1], right[1])).astype(float)
    n = w.sum()
    mean = float(np.dot(w, d)) / n
    spread = math.sqrt(max(float(np.dot(w, (d - mean) ** 2)) / n, 0.0) * n)
    if not spread > 0 or not np.isfinite(spread):
        return 1.0
    return float(stats.norm.sf((gain - extra) / spread))


def choose(candidates: list[CensoredCandidate]
           ) -> tuple[CensoredCandidate | None, CensoredCandidate | None]:
    """The candidate to write and the best-fitting alternative to the exponential: that
    alternative (or the next best) only if significantly better and identifiable."""
    rivals = sorted((c for c in candidates if c.dist != "exponential"), key=lambda c: -c.loglik)
    qualified = [c for c in rivals if c.significant and c.identifiable]
    exponential = next((c for c in candidates if c.dist == "exponential"), None)
    return (qualified[0] if qualified else exponential), (rivals[0] if rivals else None)


def fit_patience(tickets: pd.DataFrame) -> PatienceFit:
    """The censored exponential, gamma and lognormal; the exponential unless another fits
    significantly better and has an identifiable mean (see the module's docstring)."""
    right, left_called, left_uncalled, no_wait = censoring_data(tickets)
    left = np.concatenate((left_called, left_uncalled))
    naive = float(np.mean(left_called)) if len(left_called) else None
    if len(left) == 0:
        return PatienceFit(len(right), no_wait, len(left_called), len(left_uncalled), [], naive,
                           None)
    grouped_left, grouped_right = grouped(left), grouped(right)
    # Start from the exposure estimate: total time observed waiting per no-show.
    start = max((right.sum() + left.sum()) / len(left), SMALLEST_MINUTES)
    fits: dict[str, tuple[float, np.ndarray]] = {}
    for dist, _k in FAMILIES:
        found = fit_one(dist, grouped_left, grouped_right, start)
        if found is not None:
            fits[dist] = (found[1], found[2])
    candidates = []
    base = fits.get("exponential")
    for dist, k in FAMILIES:
        if dist not in fits:
            continue
        loglik, theta = fits[dist]
        p_value = None
        if base is not None and dist != "exponential":
            p_value = likelihood_ratio_p(dist, theta, base[1], loglik - base[0], k - 1,
                                         grouped_left, grouped_right)
        candidates.append(CensoredCandidate(
            dist, _params(dist, theta), loglik, 2 * k - 2 * loglik,
            mean_interval(dist, theta, grouped_left, grouped_right), p_value))
    chosen, rival = choose(candidates)
    spec = None
    if chosen is not None:
        spec = {"dist": chosen.dist, **{k: round(max(v, 1e-3), 4) for k, v in chosen.params.items()}}
    return PatienceFit(len(right), no_wait, len(left_called), len(left_uncalled), candidates,
                       naive, spec, chosen.dist if chosen else None,
                       rival.dist if rival else None)
