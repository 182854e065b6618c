"""Reading a queue-ticket log (contract §7, §7a): columns, outcomes, times, and rows that
cannot be used.

Every row either becomes a ticket or is rejected with its line number in the file and the
first reason that applies; nothing is dropped silently. A status the log uses that is not
understood stops the fit (exit 2) with each value, its count and a suggested
``outcome_values`` line, unless the user chooses to leave those rows out.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from ..errors import ScenarioError, quote
from ..i18n import _
from . import timestamps
from .csvread import Fallback, read_rows, stream
from .rowcheck import IGNORED, REQUIRED, LogState, check_batch

FIELDS = ("ticket_id", "service", "issued_at", "called_at", "finished_at", "outcome", "window")

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
    skipped: int = 0           # title lines above the header
    zone: str | None = None    # the time zone offsets were converted to (None: no offsets)
    ignored: dict[str, int] = field(default_factory=dict)   # unmapped statuses left out

    @property
    def reject_counts(self) -> dict[str, int]:
        return {str(k): int(v) for k, v in self.rejects["reason"].value_counts().sort_index().items()}

    @property
    def bad_counts(self) -> dict[str, int]:
        """Rows that could not be used, by reason (rows left out with ``--ignore-unknown``
        are not bad rows: they are in ``ignored``)."""
        return {k: v for k, v in self.reject_counts.items() if k != IGNORED}

    @property
    def bad_rows(self) -> int:
        return sum(self.bad_counts.values())

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


# Words a status uses when the customer was not served: a cancelled, revoked, skipped or
# expired ticket is a no-show (README: 取消 → no_show); a finish time on such a row is the
# time it was closed, not a service.
NOT_SERVED = ("cancel", "revok", "void", "abandon", "expire", "skip", "miss", "left", "gone",
              "取消", "撤销", "撤回", "作废", "过号", "過號", "弃", "棄", "放弃", "未到", "未办",
              "未辦", "超时", "超時", "离开", "離開", "失效")
SERVED = ("serve", "done", "complet", "finish", "办结", "辦結", "办理", "辦理", "完成", "已服务",
          "已服務")
CHOOSE = "served/no_show"


def suggested_outcome(value: str) -> str | None:
    """``no_show`` for a status that says the ticket was cancelled or skipped, ``served``
    for one that says it was done, None when the word does not say (the user chooses)."""
    word = value.strip().lower()
    if any(w in word for w in NOT_SERVED):
        return "no_show"
    if any(w in word for w in SERVED):
        return "served"
    return None


def _unknown_statuses(path: Path, unknown: dict[str, list[int]]) -> str:
    """The message naming every unmapped status: count, first line, a suggested meaning
    where the word says it, and a plain choice where it does not."""
    names = sorted(unknown, key=lambda v: (-unknown[v][0], v))
    described, suggested, unclear = [], {}, []
    for value in names:
        rows, first, _finished = unknown[value]
        meaning = suggested_outcome(value)
        suggested[value] = meaning or CHOOSE
        if meaning is None:
            unclear.append(quote(value))
        described.append(_("{value}: {n} row(s), first on line {line}").format(
            value=quote(value), n=rows, line=first))
    text = _("{path}: line {line}: outcome: {n} status value(s) not understood ({values}). Say "
             "what each means in a --columns file, e.g.\n  {suggestion}\n(served, or no_show: "
             "the customer had gone when called, or the ticket was cancelled), or leave those "
             "rows out with --ignore-unknown").format(
        path=path, line=min(unknown[v][1] for v in names), n=len(names),
        values="; ".join(described), suggestion=_suggestion(suggested))
    if unclear:
        text += "\n" + _("The log does not say what {values} mean: in place of {choose}, write "
                         "served if those customers were served at a counter, or no_show if "
                         "they left, were cancelled or had gone when called.").format(
            values=_(", ").join(unclear), choose=CHOOSE)
    return text


def _check_all(path: Path, batches: Iterable[tuple[pd.DataFrame, np.ndarray]], skipped: int,
               mapping: dict[str, str], words: dict[str, str], state: LogState
               ) -> tuple[list[pd.DataFrame], list[pd.DataFrame], int]:
    tickets, rejects, rows = [], [], 0
    found: dict[str, str] | None = None
    for raw, line in batches:
        if found is None:
            found = _resolve(path, [str(c) for c in raw.columns], mapping, skipped + 1)
        good, bad = check_batch(raw, line, found, words, state, _key)
        tickets.append(good)
        rejects.append(bad)
        rows += len(raw)
    if found is None:           # no rows streamed: the whole-file reader checks the header
        raise Fallback
    return tickets, rejects, rows


def _stack(parts: list[pd.DataFrame]) -> pd.DataFrame:
    """The batches' tickets as one table, a column at a time, each batch's column let go as
    soon as it is copied (a million tickets are not held twice)."""
    if len(parts) == 1:
        return parts[0].reset_index(drop=True)
    names = list(parts[0].columns)
    columns: dict[str, list] = {name: [part[name] for part in parts] for name in names}
    parts.clear()
    table = {}
    for name in names:
        table[name] = pd.concat(columns.pop(name), ignore_index=True)
    return pd.DataFrame(table)


def read_log(path: str | Path, columns: dict[str, str] | None = None,
             outcome_values: dict[str, str] | None = None, *, skip_rows: int | None = None,
             tz: str | None = None, ignore_unknown: bool = False) -> TicketLog:
    """Read and check a ticket log; raise ``ScenarioError`` if the file itself is unusable
    or uses a status nobody said the meaning of (unless ``ignore_unknown``).

    A UTF-8 log with one line per row is streamed (one block in memory at a time); any
    other is read whole, row by row where rows split wrongly, with exact line numbers."""
    path = Path(path)
    mapping = columns or {}
    words = {**OUTCOME_WORDS, **(outcome_values or {})}

    def is_header(row: list[str]) -> bool:
        return len(_found(row, mapping)) >= 3

    source = stream(path, is_header, skip_rows)
    unsplit = pd.DataFrame(columns=["line", "reason", "row"])
    state = LogState(tz)
    try:
        if source is None:
            raise Fallback
        skipped = source.skipped
        _resolve(path, source.header, mapping, skipped + 1)
        tickets, rejects, rows = _check_all(path, source.batches(), skipped, mapping, words, state)
    except Fallback:
        got = read_rows(path, is_header, skip_rows)
        skipped, unsplit, state = got.skipped, got.unsplit, LogState(tz)
        tickets, rejects, rows = _check_all(path, [(got.frame, got.lines)], skipped, mapping,
                                            words, state)
    hall = timestamps.hall_zone(state.offsets, tz, str(path))
    if state.unknown and not ignore_unknown:
        raise ScenarioError(_unknown_statuses(path, state.unknown))
    table = _stack(tickets)
    bad = pd.concat([*rejects, unsplit] if len(unsplit) else rejects, ignore_index=True)
    bad = bad.sort_values("line", kind="stable").reset_index(drop=True)
    zone_name = None if hall is None else (tz or next(iter(state.offsets)))
    ignored = {value: seen[0] for value, seen in state.unknown.items()}
    return TicketLog(table, bad, rows + len(unsplit), skipped, zone_name, ignored)


def reason_name(reason: str) -> str:
    """A rejection reason in the user's language (the CSV keeps the English one)."""
    for prefix, text in (("missing ", _("missing {field}")),
                         ("bad time in ", _("bad time in {field}"))):
        if reason.startswith(prefix):
            return text.format(field=reason[len(prefix):])
    names = {"called before issued": _("called before issued"),
             "finished before called": _("finished before called"),
             "wrong number of fields": _("wrong number of fields"),
             IGNORED: _("unknown outcome (left out with --ignore-unknown)")}
    return names.get(reason, reason)


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
