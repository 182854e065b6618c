"""Reading a queue-ticket log (contract §7): columns, time formats, and rows that cannot be used.

Every row either becomes a ticket or is rejected with its CSV line number (the header is
line 1) and the first reason that applies; nothing is dropped silently.
"""

from __future__ import annotations

import csv
import io
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
        # Every value is a header or a word as written: "No" stays "No", not false.
        data = yaml.load(Path(path).read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
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


def _decode(path: Path) -> bytes:
    """The file as UTF-8 bytes (UTF-8 with or without BOM, or GB18030 as Excel writes it)."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ScenarioError(f"{path}: no such file") from None
    except OSError as exc:
        raise ScenarioError(f"{path}: cannot read: {exc}") from None
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        try:
            data = data.decode("gb18030").encode("utf-8")
        except UnicodeDecodeError:
            raise ScenarioError(f"{path}: neither UTF-8 nor GB18030 text") from None
    return data


def _fast_frame(data: bytes) -> pd.DataFrame | None:
    """pandas' reader (pyarrow's when installed); None when some row has the wrong number of
    fields, which only the slow reader can locate."""
    try:
        import pyarrow  # noqa: F401
        engine = "pyarrow"
    except ImportError:
        engine = "c"
    try:
        return pd.read_csv(io.BytesIO(data), dtype=str, keep_default_na=False,
                           engine=engine).fillna("")
    except pd.errors.EmptyDataError:
        return pd.DataFrame()
    except Exception:  # noqa: BLE001 - pyarrow and C engines raise different types
        return None


def _slow_frame(path: Path, data: bytes) -> tuple[pd.DataFrame, np.ndarray, pd.DataFrame]:
    """Row by row with the csv module: exact line numbers, and rows with too few or too many
    fields set aside as rejects."""
    reader = csv.reader(io.StringIO(data.decode("utf-8"), newline=""))
    try:
        header = next(reader)
    except StopIteration:
        raise ScenarioError(f"{path}: empty file, expected a header line") from None
    except csv.Error as exc:
        raise ScenarioError(f"{path}: line 1: {exc}") from None
    rows, lines, bad = [], [], []
    start = reader.line_num + 1
    try:
        for row in reader:
            if not row:
                start = reader.line_num + 1
                continue
            if len(row) != len(header):
                bad.append({"line": start, "reason": "wrong number of fields",
                            "row": ",".join(row)})
            else:
                rows.append(row)
                lines.append(start)
            start = reader.line_num + 1
    except csv.Error as exc:
        raise ScenarioError(f"{path}: line {reader.line_num}: {exc}") from None
    frame = pd.DataFrame(rows, columns=header, dtype=str) if rows else pd.DataFrame(columns=header)
    return frame, np.asarray(lines, dtype=np.int64), pd.DataFrame(bad, columns=["line", "reason", "row"])


def read_csv_rows(path: Path) -> tuple[pd.DataFrame, np.ndarray, pd.DataFrame]:
    """Every data row as strings, each row's line number in the file (the header is line 1),
    and the rows that could not be split into the header's fields."""
    data = _decode(path)
    frame = _fast_frame(data)
    if frame is not None and len(frame.columns):
        lines_in_file = data.count(b"\n") + (0 if data.endswith(b"\n") or not data else 1)
        if lines_in_file == len(frame) + 1:       # one line per row: numbering is trivial
            return frame, np.arange(2, len(frame) + 2), pd.DataFrame(columns=["line", "reason", "row"])
    return _slow_frame(path, data)


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
    if fmt and fmt.startswith("%Y-%m-%d"):
        fmt = "ISO8601"             # pandas' fast path for ISO dates, with or without seconds
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
    raw, line, unsplit = read_csv_rows(path)
    found = _resolve(path, [str(c) for c in raw.columns], columns or {})
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
    for field in REQUIRED:
        reject(empty[field], f"missing {field}")
    reject((outcome == "") & ~empty["outcome"], "unknown outcome")
    served = outcome == "served"
    for field in ("called_at", "finished_at"):
        reject(served & empty[field], f"missing {field}")

    times = {}
    for field in TIME_FIELDS:
        values = text[field]
        if "date" in text:
            short = ~empty[field] & (values.str.len() <= 8).to_numpy(dtype=bool)
            values = values.where(~short, text["date"] + " " + values)
        times[field] = parse_times(values).to_numpy()
        reject(np.isnat(times[field]) & ~empty[field], f"bad time in {field}")
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
    if len(unsplit):
        rejects = pd.concat([rejects, unsplit], ignore_index=True).sort_values("line", kind="stable")
    return TicketLog(tickets, rejects.reset_index(drop=True), n + len(unsplit))
