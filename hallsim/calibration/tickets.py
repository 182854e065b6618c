"""Reading a queue-ticket log (contract §7): columns, time formats, and rows that cannot be used.

Every row either becomes a ticket or is rejected with its CSV line number (the header is
line 1) and the first reason that applies; nothing is dropped silently.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from ..errors import ScenarioError, quote

FIELDS = ("ticket_id", "service", "issued_at", "called_at", "finished_at", "outcome", "window")
REQUIRED = ("service", "issued_at", "outcome")
TIME_FIELDS = ("issued_at", "called_at", "finished_at")

# Header names understood without a --columns map (compared without case and spaces).
ALIASES: dict[str, tuple[str, ...]] = {
    "ticket_id": ("ticket_id", "ticket", "ticket_no", "number", "票号", "排队号", "号码", "取号号码"),
    "service": ("service", "service_type", "business", "业务类型", "业务", "业务名称", "业务种类"),
    "issued_at": ("issued_at", "issued", "issue_time", "取号时间"),
    "called_at": ("called_at", "called", "call_time", "叫号时间"),
    "finished_at": ("finished_at", "finished", "finish_time", "完成时间", "结束时间", "办结时间",
                    "办理完成时间"),
    "outcome": ("outcome", "result", "status", "结果", "状态", "办理结果", "办理状态"),
    "window": ("window", "window_id", "counter", "窗口", "窗口号", "柜台"),
    "date": ("date", "日期"),
}
OUTCOME_WORDS: dict[str, str] = {
    "served": "served", "done": "served", "completed": "served", "已办理": "served",
    "办结": "served", "已办结": "served", "完成": "served", "已完成": "served", "已服务": "served",
    "no_show": "no_show", "no-show": "no_show", "noshow": "no_show", "no show": "no_show",
    "missed": "no_show", "absent": "no_show", "过号": "no_show", "未到": "no_show",
    "弃号": "no_show", "放弃": "no_show",
}


@dataclass(frozen=True)
class TicketLog:
    """The usable tickets (one row each) and what was rejected, by reason and by line."""

    tickets: pd.DataFrame      # line, ticket_id, service, issued, called, finished, served, window
    rejects: pd.DataFrame      # line, reason, then the row's original fields
    rows: int                  # data rows read

    @property
    def reject_counts(self) -> dict[str, int]:
        return {str(k): int(v) for k, v in self.rejects["reason"].value_counts().sort_index().items()}

    @property
    def bad_share(self) -> float:
        return len(self.rejects) / self.rows if self.rows else 0.0


def _key(name: str) -> str:
    return "".join(str(name).split()).lower().lstrip("\ufeff")


def read_column_map(path: str | Path | None) -> tuple[dict[str, str], dict[str, str]]:
    """A ``--columns`` file: ``{field: header in the log}``, and an optional
    ``outcome_values: {word in the log: served | no_show}``."""
    if path is None:
        return {}, {}
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError, UnicodeDecodeError) as exc:
        raise ScenarioError(f"{path}: cannot read the column map: {exc}") from None
    if not isinstance(data, dict):
        raise ScenarioError(f"{path}: expected a mapping of field: column header")
    outcomes = data.pop("outcome_values", None) or {}
    known = (*FIELDS, "date")
    columns: dict[str, str] = {}
    for field, header in data.items():
        if field not in known:
            raise ScenarioError(f"{path}: {field}: unknown field (expected one of "
                                f"{', '.join(known)}, outcome_values)")
        columns[str(field)] = str(header)
    if not isinstance(outcomes, dict) or any(v not in ("served", "no_show") for v in outcomes.values()):
        raise ScenarioError(f"{path}: outcome_values: expected {{word: served | no_show}}")
    return columns, {_key(k): v for k, v in outcomes.items()}


def _read_csv(path: Path) -> pd.DataFrame:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return pd.read_csv(path, dtype=str, keep_default_na=False, encoding=encoding,
                               skipinitialspace=True)
        except UnicodeDecodeError:
            continue
        except FileNotFoundError:
            raise ScenarioError(f"{path}: no such file") from None
        except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
            raise ScenarioError(f"{path}: not a readable CSV file: {exc}") from None
    raise ScenarioError(f"{path}: neither UTF-8 nor GB18030 text")


def _resolve(path: Path, header: list[str], mapping: dict[str, str]) -> dict[str, str]:
    """Which header holds each field."""
    by_key = {_key(h): h for h in header}
    found: dict[str, str] = {}
    for field in (*FIELDS, "date"):
        if field in mapping:
            if _key(mapping[field]) not in by_key:
                raise ScenarioError(f"{path}: line 1: no column {quote(mapping[field])} for "
                                    f"{field} (columns: {', '.join(header)})")
            found[field] = by_key[_key(mapping[field])]
            continue
        for alias in ALIASES[field]:
            if _key(alias) in by_key:
                found[field] = by_key[_key(alias)]
                break
    missing = [f for f in (*REQUIRED, "called_at", "finished_at") if f not in found]
    if missing:
        raise ScenarioError(
            f"{path}: line 1: no column for {', '.join(missing)} (columns: {', '.join(header)}); "
            "name them as in the contract (ticket_id, service, issued_at, called_at, finished_at, "
            "outcome, window), in Chinese (票号, 业务类型, 取号时间, 叫号时间, 完成时间, 结果, 窗口), "
            "or map them with --columns MAP.yaml")
    return found


def parse_times(text: pd.Series) -> pd.Series:
    """Datetimes in whatever single format the column uses (NaT where unreadable or empty)."""
    filled = text[text != ""]
    if filled.empty:
        return pd.Series(pd.NaT, index=text.index, dtype="datetime64[ns]")
    from pandas.tseries.api import guess_datetime_format

    fmt = guess_datetime_format(filled.iloc[0])
    out = pd.to_datetime(text, format=fmt, errors="coerce") if fmt else \
        pd.Series(pd.NaT, index=text.index, dtype="datetime64[ns]")
    retry = out.isna() & (text != "")
    if retry.any():
        out.loc[retry] = pd.to_datetime(text[retry], format="mixed", errors="coerce")
    return out.astype("datetime64[ns]")


def read_log(path: str | Path, columns: dict[str, str] | None = None,
             outcome_values: dict[str, str] | None = None) -> TicketLog:
    """Read and check a ticket log; raise ``ScenarioError`` only if the file itself is unusable."""
    path = Path(path)
    raw = _read_csv(path)
    found = _resolve(path, [str(c) for c in raw.columns], columns or {})
    n = len(raw)
    text = {f: raw[h].str.strip() for f, h in found.items()}
    line = np.arange(2, n + 2)
    reason = pd.Series("", index=raw.index, dtype=object)

    def reject(mask: pd.Series, why: str) -> None:
        reason[mask & (reason == "")] = why

    words = {**OUTCOME_WORDS, **(outcome_values or {})}
    codes, uniques = pd.factorize(text["outcome"])
    meaning = np.array([words.get(_key(w), words.get(w, "")) for w in uniques] + [""], dtype=object)
    outcome = pd.Series(meaning[codes], index=raw.index)
    for field in REQUIRED:
        reject(text[field] == "", f"missing {field}")
    reject((outcome == "") & (text["outcome"] != ""), "unknown outcome")
    served = outcome == "served"
    for field in ("called_at", "finished_at"):
        reject(served & (text[field] == ""), f"missing {field}")

    times = {}
    for field in TIME_FIELDS:
        values = text[field]
        if "date" in text:
            short = (values != "") & (values.str.len() <= 8)
            values = values.where(~short, text["date"] + " " + values)
        times[field] = parse_times(values)
        reject(times[field].isna() & (text[field] != ""), f"bad time in {field}")
    reject(times["called_at"] < times["issued_at"], "called before issued")
    reject(served & (times["finished_at"] < times["called_at"]), "finished before called")

    ok = (reason == "").to_numpy()
    tickets = pd.DataFrame({
        "line": line[ok],
        "ticket_id": text["ticket_id"][ok].to_numpy() if "ticket_id" in text else line[ok].astype(str),
        "service": text["service"][ok].to_numpy(),
        "issued": times["issued_at"][ok].to_numpy(),
        "called": times["called_at"][ok].to_numpy(),
        "finished": times["finished_at"][ok].where(served[ok]).to_numpy(),
        "served": served[ok].to_numpy(),
        "window": text["window"][ok].to_numpy() if "window" in text else np.full(ok.sum(), ""),
    })
    bad = ~ok
    rejects = pd.DataFrame({"line": line[bad], "reason": reason[bad].to_numpy()})
    for field, header in found.items():
        rejects[header] = raw[header].to_numpy()[bad]
    return TicketLog(tickets, rejects, n)
