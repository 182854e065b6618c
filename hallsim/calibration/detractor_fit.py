"""The detractor and promoter curves from survey answers: waiting (minutes) against NPS
score (0-10).

A detractor scores 0-6, a promoter 9-10. The logistic curve
``p(w) = base + (max - base) / (1 + exp(-(w - midpoint) / scale))`` is fitted by maximum
likelihood (Bernoulli answers), with 95% percentile intervals from a seeded bootstrap; the
``table`` curve is the monotone (isotonic) regression of the share on waiting. The detractor
curve rises with the wait, the promoter curve falls (its ``max`` is the long-wait end).
"""

from __future__ import annotations

import base64
import html
import io
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import yaml
from scipy import optimize
from scipy.special import expit, logit

from ..errors import ScenarioError
from ..i18n import N_, _, html_lang, translate
from ..scenario.loading import validate
from ..scenario.schema import Detractor
from .csvread import decode

ALIASES = {"wait_min": ("wait_min", "wait", "wait_minutes", "等待时间", "等候时间", "等待分钟", "等候分钟"),
           "score": ("score", "nps", "nps_score", "评分", "得分", "推荐值", "打分")}
MAX_BAD_SHARE = 0.05
MAX_WAIT = 1440.0              # minutes: a day
MIN_SCALE = 1e-3
PARAMS = ("base", "max", "midpoint_minutes", "scale_minutes")


@dataclass(frozen=True)
class Survey:
    wait: np.ndarray
    detractor: np.ndarray      # bool: score <= 6
    rows: int
    bad_lines: list[tuple[int, str]]
    promoter: np.ndarray | None = None     # bool: score >= 9 (None: not known)


@dataclass(frozen=True)
class SurveyFit:
    survey: Survey
    curve: str
    block: dict                                   # the detractor: block's content
    intervals: dict[str, tuple[float, float]] = field(default_factory=dict)
    boot: int = 0
    seed: int = 0


def _key(name: str) -> str:
    return "".join(str(name).split()).lower().lstrip("\ufeff")


def read_survey(path: str | Path) -> Survey:
    """Read ``wait_min, score``. A row outside ``0 <= wait_min <= 1440`` or with a score
    that is not a whole number from 0 to 10 is rejected (listed by line, never fitted); over
    5% of them is bad input."""
    path = Path(path)
    try:
        raw = pd.read_csv(io.BytesIO(decode(path)), dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise ScenarioError(_("{path}: not a readable CSV file: {error}").format(
            path=path, error=str(exc).strip())) from None
    by_key = {_key(c): c for c in raw.columns}
    cols = {}
    for f, names in ALIASES.items():
        hit = next((by_key[_key(n)] for n in names if _key(n) in by_key), None)
        if hit is None:
            raise ScenarioError(_("{path}: line 1: no column {field} (columns: {columns}); a survey "
                                  "has columns wait_min, score").format(
                                      path=path, field=f, columns=", ".join(raw.columns)))
        cols[f] = hit
    wait = pd.to_numeric(raw[cols["wait_min"]].str.strip(), errors="coerce").to_numpy(dtype=float)
    score = pd.to_numeric(raw[cols["score"]].str.strip(), errors="coerce").to_numpy(dtype=float)
    reason = np.full(len(raw), "", dtype=object)
    with np.errstate(invalid="ignore"):
        bad_score = ~((score >= 0) & (score <= 10) & (score == np.round(score)))
        bad_wait = ~((wait >= 0) & (wait <= MAX_WAIT))
    reason[bad_score] = _("score: expected a whole number from 0 to 10")
    reason[bad_wait] = _("wait_min: expected minutes from 0 to 1440")
    bad = np.flatnonzero(reason != "")
    bad_lines = [(int(i) + 2, str(reason[i])) for i in bad]
    if len(raw) == 0 or len(bad) > MAX_BAD_SHARE * len(raw):
        shown = "; ".join(_("line {line}").format(line=n) + f": {r}" for n, r in bad_lines[:10])
        raise ScenarioError(_("{path}: {bad} of {rows} rows unusable (more than 5%); nothing "
                              "written: {shown}").format(path=path, bad=len(bad), rows=len(raw),
                                                         shown=shown))
    ok = reason == ""
    return Survey(wait[ok], score[ok] <= 6, len(raw), bad_lines, score[ok] >= 9)


def logistic(w: np.ndarray, base: float, top: float, mid: float, scale: float) -> np.ndarray:
    return base + (top - base) * expit((np.asarray(w) - mid) / scale)


def _unpack(theta: np.ndarray, rising: bool = True) -> tuple[float, float, float, float]:
    """Base and max in (0, 1); the midpoint and scale kept within a day, the range of the
    waits (a flat answer would otherwise send them to infinity)."""
    base = float(expit(theta[0]))
    # Rising: max between base and 1; falling (promoters): max between 0 and base.
    top = (base + (1 - base) * float(expit(theta[1])) if rising
           else base * float(expit(theta[1])))
    mid = float(np.clip(theta[2], 0.0, MAX_WAIT))
    scale = float(np.exp(np.clip(theta[3], np.log(MIN_SCALE), np.log(MAX_WAIT))))
    return base, top, mid, scale


def _mle(wait: np.ndarray, y: np.ndarray, start: np.ndarray, rising: bool = True) -> np.ndarray:
    def nll(theta: np.ndarray) -> float:
        p = np.clip(logistic(wait, *_unpack(theta, rising)), 1e-9, 1 - 1e-9)
        return -float(np.sum(np.where(y, np.log(p), np.log1p(-p))))

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        res = optimize.minimize(nll, start, method="Nelder-Mead",
                                options={"xatol": 1e-4, "fatol": 1e-6, "maxiter": 4000})
    return res.x


def _start(wait: np.ndarray, y: np.ndarray, rising: bool = True) -> np.ndarray:
    lo, hi = np.quantile(wait, [0.2, 0.8])
    early = y[wait <= lo].mean() if (wait <= lo).any() else (0.1 if rising else 0.6)
    late = y[wait >= hi].mean() if (wait >= hi).any() else (0.8 if rising else 0.1)
    scale = max((hi - lo) / 6, 0.5)
    if rising:
        base = np.clip(early, 0.02, 0.9)
        top = np.clip(late, base + 0.05, 0.98)
        second = logit((top - base) / (1 - base))
    else:
        base = np.clip(early, 0.07, 0.98)
        top = np.clip(late, 0.01, base - 0.05)
        second = logit(top / base)
    return np.array([logit(base), second, np.median(wait), np.log(scale)])


def _fit_curve(w: np.ndarray, y: np.ndarray, rising: bool, boot: int, seed: int,
               prefix: str = "") -> tuple[dict, dict[str, tuple[float, float]]]:
    theta = _mle(w, y, _start(w, y, rising), rising)
    base, top, mid, scale = _unpack(theta, rising)
    intervals: dict[str, tuple[float, float]] = {}
    if boot > 0:
        rng = np.random.default_rng(seed)
        draws = []
        for _k in range(boot):
            idx = rng.integers(0, len(w), len(w))
            draws.append(_unpack(_mle(w[idx], y[idx], theta, rising), rising))
        arr = np.array(draws)
        for j, name in enumerate(PARAMS):
            lo, hi = np.quantile(arr[:, j], [0.025, 0.975])
            intervals[prefix + name] = (float(lo), float(hi))
    block = {"curve": "logistic", "base": round(base, 4), "max": round(top, 4),
             "midpoint_minutes": round(mid, 3), "scale_minutes": round(max(scale, MIN_SCALE), 3)}
    return block, intervals


def fit_logistic(survey: Survey, boot: int = 200, seed: int = 1) -> SurveyFit:
    """Both curves when the survey knows promoters (0-10 scores); the bootstrap resamples of
    the promoter curve use their own seeded stream."""
    block, intervals = _fit_curve(survey.wait, survey.detractor, True, boot, seed)
    if survey.promoter is not None:
        promoter, more = _fit_curve(survey.wait, survey.promoter, False, boot, seed + 1,
                                    "promoter.")
        block["promoter"] = promoter
        intervals.update(more)
    return SurveyFit(survey, "logistic", block, intervals, boot, seed)


def fit_table(survey: Survey) -> SurveyFit:
    """Isotonic regression of the detractor (and promoter) share on waiting, over up to 20
    quantile bins."""
    block: dict = {"curve": "table", "points": _table_points(survey.wait, survey.detractor, True)}
    if survey.promoter is not None:
        block["promoter"] = {"curve": "table",
                             "points": _table_points(survey.wait, survey.promoter, False)}
    return SurveyFit(survey, "table", block)


def _table_points(w: np.ndarray, y_bool: np.ndarray, rising: bool) -> list[list[float]]:
    y = y_bool.astype(float)
    bins = int(np.clip(len(w) // 50, 2, 20))
    edges = np.unique(np.quantile(w, np.linspace(0, 1, bins + 1)))
    which = np.clip(np.searchsorted(edges, w, side="right") - 1, 0, max(len(edges) - 2, 0))
    counts = np.bincount(which)
    used = counts > 0
    mean_w = (np.bincount(which, weights=w) / np.maximum(counts, 1))[used]
    rate = (np.bincount(which, weights=y) / np.maximum(counts, 1))[used]
    fitted = optimize.isotonic_regression(rate, weights=counts[used], increasing=rising).x
    points: list[list[float]] = []
    for m, p in zip(np.round(mean_w, 2), np.round(fitted, 4), strict=True):
        if points and m <= points[-1][0]:
            continue
        points.append([float(m), float(p)])
    # Keep only where the curve bends: the ends of each flat run.
    keep = [pt for i, pt in enumerate(points)
            if i in (0, len(points) - 1) or not (points[i - 1][1] == pt[1] == points[i + 1][1])]
    if len(keep) < 2:
        keep = [[0.0, keep[0][1]], [max(keep[0][0], 0.0) + 1.0, keep[0][1]]]
    return keep


def fit_survey(survey: Survey, curve: str, boot: int = 200, seed: int = 1) -> SurveyFit:
    return fit_logistic(survey, boot, seed) if curve == "logistic" else fit_table(survey)


def predict(fit: SurveyFit, wait: np.ndarray) -> np.ndarray:
    b = fit.block
    if fit.curve == "logistic":
        return logistic(wait, b["base"], b["max"], b["midpoint_minutes"], b["scale_minutes"])
    pts = np.array(b["points"])
    return np.interp(wait, pts[:, 0], pts[:, 1])


def block_yaml(fit: SurveyFit) -> str:
    """The scenario's ``detractor:`` block, checked against the schema."""
    block = {**fit.block, "abandoned": 0.9, "occupied_weight": 0.5, "target_wait_minutes": 10.0}
    if "promoter" in block:   # last, so the detractor's own keys read first
        block["promoter"] = {**block.pop("promoter"), "abandoned": 0.0}
    lines = [f"# Fitted by hallsim fit detractor from {len(fit.survey.wait)} answers "
             f"({fit.survey.rows - len(fit.survey.wait)} rows unusable)."]
    if fit.intervals:
        lines.append(f"# 95% intervals (bootstrap, {fit.boot} resamples, seed {fit.seed}):")
        lines += [f"#   {k}: {lo:.4g} .. {hi:.4g}" for k, (lo, hi) in fit.intervals.items()]
    lines.append("# abandoned, occupied_weight and target_wait_minutes are not in a survey: defaults.")
    lines.append("detractor:")
    lines += _block_lines(block, "  ")
    text = "\n".join(lines) + "\n"
    # What is written is what `validate` takes: the schema and the limits on every number.
    validate(Detractor, yaml.safe_load(text)["detractor"], "<fitted detractor block>")
    return text


def _block_lines(block: dict, indent: str) -> list[str]:
    lines = []
    for key, value in block.items():
        if key == "points":
            lines.append(f"{indent}points:")
            lines += [f"{indent}  - [{m:g}, {p:g}]" for m, p in value]
        elif isinstance(value, dict):
            lines.append(f"{indent}{key}:")
            lines += _block_lines(value, indent + "  ")
        else:
            lines.append(f"{indent}{key}: "
                         f"{yaml.safe_dump(value, default_flow_style=True).split(chr(10))[0]}")
    return lines


def _reliability_png(fit: SurveyFit) -> bytes:
    import matplotlib
    import matplotlib.pyplot as plt

    from ..output.plots import png_bytes

    w, y = fit.survey.wait, fit.survey.detractor.astype(float)
    pred = predict(fit, w)
    with matplotlib.rc_context({"text.parse_math": False}):
        fig, (a1, a2) = plt.subplots(1, 2, figsize=(10, 4))
        order = np.argsort(pred, kind="stable")
        groups = np.array_split(order, min(10, max(len(w) // 30, 1)))
        px = [pred[g].mean() for g in groups]
        oy = [y[g].mean() for g in groups]
        a1.plot([0, 1], [0, 1], color="grey", linewidth=0.8)
        a1.plot(px, oy, "o-")
        a1.set_xlabel(_("predicted detractor probability"))
        a1.set_ylabel(_("observed detractor share"))
        a1.set_title(_("Reliability (groups of equal size)"))
        wo = np.argsort(w, kind="stable")
        wgroups = np.array_split(wo, min(15, max(len(w) // 30, 1)))
        a2.plot([w[g].mean() for g in wgroups], [y[g].mean() for g in wgroups], "o",
                label=_("observed share"))
        grid = np.linspace(0, float(w.max()) if len(w) else 1.0, 200)
        a2.plot(grid, predict(fit, grid), label=_("fitted curve"))
        a2.set_xlabel(_("wait (min)"))
        a2.set_ylabel(_("detractor probability"))
        a2.set_ylim(0, 1)
        a2.legend(fontsize=8)
        fig.tight_layout()
        return png_bytes(fig)


# The block's keys, for people (the key itself is shown too: it is what the file says).
FIELDS = {"base": N_("share at no wait"), "max": N_("share at a very long wait"),
          "midpoint_minutes": N_("wait halfway up (min)"), "scale_minutes": N_("steepness (min)"),
          "points": N_("table of points (min, share)")}


def _number(value: object) -> str:
    """A fitted number as people read it (0.0000 rather than 7.049e-44)."""
    if isinstance(value, float):
        return f"{value:.4f}" if abs(value) < 1000 else f"{value:.0f}"
    return str(value)


def detractor_report(fit: SurveyFit, source: str) -> str:
    """A small self-contained page: the fitted block, intervals and the reliability plot."""
    e = html.escape
    png = base64.b64encode(_reliability_png(fit)).decode("ascii")
    flat = {**{k: v for k, v in fit.block.items() if k not in ("curve", "promoter")},
            **{f"promoter.{k}": v for k, v in fit.block.get("promoter", {}).items() if k != "curve"}}

    def name(key: str) -> str:
        field_ = key.removeprefix("promoter.")
        text = translate(FIELDS[field_]) if field_ in FIELDS else field_
        if key != field_:
            text = _("promoters: {field}").format(field=text)
        return f"{e(text)} <code>{e(key)}</code>"

    rows = "".join(f"<tr><td>{name(k)}</td><td>{e(_number(v))}</td><td>"
                   + (f"{_number(fit.intervals[k][0])} – {_number(fit.intervals[k][1])}"
                      if k in fit.intervals else "") + "</td></tr>" for k, v in flat.items())
    bad = "".join("<li>" + e(_("line {line}").format(line=n)) + f"：{e(r)}</li>"
                  for n, r in fit.survey.bad_lines[:50])
    used = _("{source}: {n} answers used, {bad} rows unusable.").format(
        source=source, n=len(fit.survey.wait), bad=len(fit.survey.bad_lines))
    return ('<!DOCTYPE html>\n<html lang="' + html_lang() + '"><head><meta charset="utf-8"><title>'
            + e(_("Detractor curve"))
            + '</title></head><body style="font-family:sans-serif;max-width:1000px;margin:2rem auto">'
            "<h1>" + e(_("Detractor curve from a survey")) + f"</h1><p>{e(used)}"
            "</p><table><tr><th>" + e(_("field")) + "</th><th>"
            + e(_("value")) + "</th><th>" + e(_("95% CI")) + f"</th></tr>{rows}</table>"
            + (f"<ul>{bad}</ul>" if bad else "")
            + '<figure><img alt="' + e(_("Reliability (groups of equal size)"))
            + f'" src="data:image/png;base64,{png}"></figure></body></html>\n')
