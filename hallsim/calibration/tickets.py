"""Reading a queue-ticket log (contract §7, §7a): columns, outcomes, times, and rows that
cannot be used.

Every row either becomes a ticket or is rejected with its line number in the file and the
first reason that applies; nothing is dropped silently. A status the log uses that is not
understood stops the fit (exit 2) with each value, its count and a suggested
``outcome_values`` line, unless the user chooses to leave those rows out.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from ..errors import ScenarioError, quote
from ..i18n import _
from . import timestamps
from .csvread import read_rows

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


IGNORED = "unknown outcome (ignored)"


@dataclass(frozen=True)
class TicketLog:
    """The usable tickets (one row each) and what was rejected, by reason and by line."""

    tickets: pd.DataFrame      # line, ticket_id, service, issued, called, finished, served, window
    rejects: pd.DataFrame      # line, reason, then the row's original fields
    rows: int                  # data rows read
    skipped: int = 0           # title lines above the header
    zone: str | None = None    # the time zone offsets were converted to (None: no offsets)
    ignored: dict[str, int] = field(default_factory=dict)   # unmapped statuses left out

    @property
    def reject_counts(self) -> dict[str, int]:
        return {str(k): int(v) for k, v in self.rejects["reason"].value_counts().sort_index().items()}

    @property
    def bad_share(self) -> float:
        """Rows that could not be used, as a share of the rows read (rows with a status the
        user chose to leave out, ``--ignore-unknown``, are not counted as bad)."""
        bad = len(self.rejects) - sum(self.ignored.values())
        return bad / self.rows if self.rows else 0.0


def _key(name: str) -> str:
    return "".join(str(name).split()).lower().lstrip("\ufeff")


def read_column_map(path: str | Path | None) -> tuple[dict[str, str], dict[str, str]]:
    """A ``--columns`` file: ``{field: header in the log}``, and an optional
    ``outcome_values: {word in the log: served | no_show}``. Read with the scenario loader's
    limits (size, aliases, repeated keys), every value as the text written."""
    if path is None:
        return {}, {}
    from ..scenario.loading import TextLoader, read_yaml

    data, _node = read_yaml(path, TextLoader)
    outcomes = data.pop("outcome_values", None) or {}
    known = (*FIELDS, "date")
    columns: dict[str, str] = {}
    for name, header in data.items():
        if name not in known:
            raise ScenarioError(_("{path}: {field}: unknown field (expected one of {known}, "
                                  "outcome_values)").format(path=path, field=quote(str(name)),
                                                            known=", ".join(known)))
        if not isinstance(header, str):
            raise ScenarioError(_("{path}: {field}: expected the column's header, a single "
                                  "name").format(path=path, field=name))
        columns[name] = header
    if not isinstance(outcomes, dict) or any(v not in ("served", "no_show") for v in outcomes.values()):
        raise ScenarioError(_("{path}: outcome_values: expected {{word in the log: served | "
                              "no_show}}").format(path=path))
    return columns, {_key(k): v for k, v in outcomes.items()}


def _found(header: list[str], mapping: dict[str, str]) -> dict[str, str]:
    """Which header holds each field (mapped, else by its usual names)."""
    by_key = {_key(h): h for h in header}
    found: dict[str, str] = {}
    for name in (*FIELDS, "date"):
        if name in mapping:
            if _key(mapping[name]) in by_key:
                found[name] = by_key[_key(mapping[name])]
            continue
        for alias in ALIASES[name]:
            if _key(alias) in by_key:
                found[name] = by_key[_key(alias)]
                break
    return found


def _resolve(path: Path, header: list[str], mapping: dict[str, str], line: int) -> dict[str, str]:
    found = _found(header, mapping)
    by_key = {_key(h) for h in header}
    for name, wanted in mapping.items():
        if _key(wanted) not in by_key:
            raise ScenarioError(_("{path}: line {line}: no column {column} for {field} (columns: "
                                  "{columns}); correct the name in the --columns file").format(
                path=path, line=line, column=quote(wanted), field=name, columns=", ".join(header)))
    missing = [f for f in (*REQUIRED, "called_at", "finished_at") if f not in found]
    if missing:
        raise ScenarioError(_(
            "{path}: line {line}: no column for {fields} (columns: {columns}); name them as in "
            "the contract (ticket_id, service, issued_at, called_at, finished_at, outcome, "
            "window), in Chinese (票号, 业务类型, 取号时间, 叫号时间, 完成时间, 结果, 窗口), or map "
            "them with --columns MAP.yaml; if title rows sit above the header, skip them with "
            "--skip-rows N").format(path=path, line=line, fields=", ".join(missing),
                                    columns=", ".join(header)))
    return found


def _suggestion(values: dict[str, str]) -> str:
    """The ``outcome_values`` line to add to a ``--columns`` file."""
    return yaml.safe_dump({"outcome_values": values}, default_flow_style=True, allow_unicode=True,
                          width=10_000).strip()[1:-1]


def _unknown_statuses(path: Path, statuses: pd.Series, finished_empty: np.ndarray,
                      lines: np.ndarray) -> str:
    """The message naming every unmapped status: count, first line, a suggested meaning."""
    counts = statuses.value_counts(sort=False)
    names = sorted(counts.index, key=lambda v: (-counts[v], str(v)))
    described, suggested = [], {}
    for value in names:
        rows = (statuses == value).to_numpy()
        # A status whose rows mostly have a finish time was most likely served.
        suggested[str(value)] = "served" if (~finished_empty[rows]).mean() >= 0.5 else "no_show"
        described.append(_("{value}: {n} row(s), first on line {line}").format(
            value=quote(str(value)), n=int(counts[value]), line=int(lines[rows][0])))
    first = int(lines[(statuses == names[0]).to_numpy()][0])
    return _("{path}: line {line}: outcome: {n} status value(s) not understood ({values}). Say "
             "what each means in a --columns file, e.g.\n  {suggestion}\n(served, or no_show: "
             "the customer had gone when called), or leave those rows out with "
             "--ignore-unknown").format(path=path, line=first, n=len(names),
                                        values="; ".join(described),
                                        suggestion=_suggestion(suggested))


def _times(path: Path, text: dict[str, pd.Series], empty: dict[str, np.ndarray],
           tz: str | None) -> tuple[dict[str, np.ndarray], str | None]:
    """Each time column on the hall's clock (NaT where empty or unreadable) and the zone
    offsets were converted to."""
    values = {}
    for name in TIME_FIELDS:
        column = text[name]
        if "date" in text:            # times of day beside a date column
            short = ~empty[name] & (column.str.len() <= 8).to_numpy(dtype=bool)
            column = column.where(~short, text["date"] + " " + column)
        values[name] = column
    offsets = {name: timestamps.offset_rows(values[name]) for name in TIME_FIELDS}
    found = sum((timestamps.offsets_found(values[n], offsets[n]) for n in TIME_FIELDS),
                start=Counter())
    hall = timestamps.hall_zone(found, tz, str(path))
    zone_name = None if hall is None else (tz or next(iter(found)))
    return ({name: timestamps.parse_times(values[name], offsets[name], hall).to_numpy()
             for name in TIME_FIELDS}, zone_name)


def read_log(path: str | Path, columns: dict[str, str] | None = None,
             outcome_values: dict[str, str] | None = None, *, skip_rows: int | None = None,
             tz: str | None = None, ignore_unknown: bool = False) -> TicketLog:
    """Read and check a ticket log; raise ``ScenarioError`` if the file itself is unusable
    or uses a status nobody said the meaning of (unless ``ignore_unknown``)."""
    path = Path(path)
    mapping = columns or {}
    got = read_rows(path, lambda row: len(_found(row, mapping)) >= 3, skip_rows)
    raw, line = got.frame, got.lines
    found = _resolve(path, [str(c) for c in raw.columns], mapping, got.skipped + 1)
    n = len(raw)
    text = {f: raw[h] if f == "ticket_id" else raw[h].str.strip() for f, h in found.items()}
    empty = {f: (t == "").to_numpy(dtype=bool) for f, t in text.items()}
    reasons: list[str] = [""]
    code = np.zeros(n, dtype=np.int16)      # index into reasons: the first that applies

    def reject(mask: np.ndarray, why: str) -> None:
        reasons.append(why)
        code[mask & (code == 0)] = len(reasons) - 1

    words = {**OUTCOME_WORDS, **(outcome_values or {})}
    codes, uniques = pd.factorize(text["outcome"])
    meaning = np.array([words.get(_key(w), words.get(w, "")) for w in uniques] + [""], dtype=object)
    outcome = meaning[codes]
    unknown = (outcome == "") & ~empty["outcome"]
    ignored: dict[str, int] = {}
    if unknown.any():
        if not ignore_unknown:
            raise ScenarioError(_unknown_statuses(path, text["outcome"][unknown].reset_index(drop=True),
                                                  empty["finished_at"][unknown], line[unknown]))
        ignored = {str(k): int(v) for k, v in text["outcome"][unknown].value_counts().items()}
    for name in REQUIRED:
        reject(empty[name], f"missing {name}")
    reject(unknown, IGNORED)
    served = outcome == "served"
    for name in ("called_at", "finished_at"):
        reject(served & empty[name], f"missing {name}")
    times, zone_name = _times(path, text, empty, tz)
    for name in TIME_FIELDS:
        reject(np.isnat(times[name]) & ~empty[name], f"bad time in {name}")
    reject(times["called_at"] < times["issued_at"], "called before issued")
    reject(served & (times["finished_at"] < times["called_at"]), "finished before called")

    ok = code == 0
    tickets = pd.DataFrame({
        "line": line[ok],
        "ticket_id": text["ticket_id"][ok].reset_index(drop=True) if "ticket_id" in text
        else line[ok].astype(str),
        "service": text["service"].to_numpy(dtype=object)[ok],
        "issued": times["issued_at"][ok],
        "called": times["called_at"][ok],
        "finished": np.where(served, times["finished_at"], np.datetime64("NaT"))[ok],
        "served": served[ok],
        "window": text["window"].to_numpy(dtype=object)[ok] if "window" in text
        else np.full(ok.sum(), "", dtype=object),
    })
    bad = np.flatnonzero(~ok)
    rejects = pd.DataFrame({"line": line[bad], "reason": np.array(reasons, dtype=object)[code[bad]]})
    original = raw.iloc[bad]        # the whole original row, as read
    for header in raw.columns:
        rejects[header] = original[header].to_numpy(dtype=object)
    if len(got.unsplit):
        rejects = pd.concat([rejects, got.unsplit], ignore_index=True).sort_values("line", kind="stable")
    return TicketLog(tickets, rejects.reset_index(drop=True), n + len(got.unsplit), got.skipped,
                     zone_name, ignored)


def reject_fix(reason: str) -> tuple[str, str]:
    """The field a rejection reason is about, and how to fix such rows (in the user's language)."""
    if reason.startswith("missing "):
        return reason[len("missing "):], _("empty; fill it in or remove the row")
    if reason.startswith("bad time in "):
        return reason[len("bad time in "):], _("not a date and time; write it as "
                                                "2026-03-02 09:14:05")
    fixes = {
        "called before issued": ("called_at", _("earlier than issued_at; check that the two "
                                                "columns are not swapped")),
        "finished before called": ("finished_at", _("earlier than called_at; check that the two "
                                                    "columns are not swapped")),
        "wrong number of fields": (_("(row)"), _("not as many fields as the header; quote values "
                                                 "that contain commas")),
        IGNORED: ("outcome", _("a status left out with --ignore-unknown; map it with "
                               "outcome_values to use the row")),
    }
    return fixes.get(reason, ("", reason))
