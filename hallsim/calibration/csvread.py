"""A CSV export as rows of text with their line numbers: encodings, title rows above the
header, and rows that do not split into the header's fields.

Line numbers are the file's own (the first line is 1), title rows included, so that a
message's ``line 12`` is line 12 in the user's editor.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import ScenarioError
from ..i18n import _

HEADER_SEARCH_ROWS = 30


@dataclass(frozen=True)
class Rows:
    """Every data row as text, each row's line in the file, and the rows set aside."""

    frame: pd.DataFrame
    lines: np.ndarray
    unsplit: pd.DataFrame          # line, reason, row: rows with the wrong number of fields
    skipped: int                   # lines above the header (title rows)


def decode(path: Path) -> bytes:
    """The file as UTF-8 bytes (UTF-8 with or without BOM, or GB18030 as Excel writes it)."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ScenarioError(_("{path}: no such file").format(path=path)) from None
    except IsADirectoryError:
        raise ScenarioError(_("{path}: is a folder; expected a CSV file").format(path=path)) from None
    except OSError as exc:
        raise ScenarioError(_("{path}: cannot read: {error}").format(path=path, error=exc)) from None
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        try:
            data = data.decode("gb18030").encode("utf-8")
        except UnicodeDecodeError:
            raise ScenarioError(_("{path}: neither UTF-8 nor GB18030 text; save the file as "
                                  "CSV UTF-8").format(path=path)) from None
    return data


def header_line(data: bytes, is_header: Callable[[list[str]], bool]) -> int:
    """How many lines precede the header: the first of the first rows ``is_header`` accepts
    (0 when none does, so that the missing columns are reported against line 1)."""
    head = data[: 256 * 1024].decode("utf-8", errors="ignore")
    reader = csv.reader(io.StringIO(head, newline=""))
    before = 0
    try:
        for _k in range(HEADER_SEARCH_ROWS):
            row = next(reader)
            if row and is_header(row):
                return before
            before = reader.line_num
    except (StopIteration, csv.Error):
        pass
    return 0


def _after_lines(data: bytes, lines: int) -> bytes:
    start = 0
    for _k in range(lines):
        found = data.find(b"\n", start)
        if found < 0:
            return b""
        start = found + 1
    return data[start:]


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


def _slow_frame(path: Path, data: bytes, first: int) -> tuple[pd.DataFrame, np.ndarray, pd.DataFrame]:
    """Row by row with the csv module: exact line numbers, and rows with too few or too many
    fields set aside. ``first`` is the header's line in the file."""
    reader = csv.reader(io.StringIO(data.decode("utf-8"), newline=""))
    shift = first - 1
    try:
        header = next(reader)
    except StopIteration:
        raise ScenarioError(_("{path}: empty file, expected a header line").format(path=path)) from None
    except csv.Error as exc:
        raise ScenarioError(f"{path}: line {first}: {exc}") from None
    rows, lines, bad = [], [], []
    start = reader.line_num + 1
    try:
        for row in reader:
            if not row:
                start = reader.line_num + 1
                continue
            if len(row) != len(header):
                bad.append({"line": start + shift, "reason": "wrong number of fields",
                            "row": ",".join(row)})
            else:
                rows.append(row)
                lines.append(start + shift)
            start = reader.line_num + 1
    except csv.Error as exc:
        raise ScenarioError(f"{path}: line {reader.line_num + shift}: {exc}") from None
    frame = pd.DataFrame(rows, columns=header, dtype=str) if rows else pd.DataFrame(columns=header)
    return frame, np.asarray(lines, dtype=np.int64), pd.DataFrame(bad, columns=["line", "reason", "row"])


def read_rows(path: Path, is_header: Callable[[list[str]], bool],
              skip_rows: int | None = None) -> Rows:
    """The rows under the header: ``skip_rows`` lines skipped, or the title rows found."""
    data = decode(path)
    skipped = skip_rows if skip_rows is not None else header_line(data, is_header)
    data = _after_lines(data, skipped)
    if not data.strip():
        raise ScenarioError(_("{path}: no header line after {n} skipped line(s)").format(
            path=path, n=skipped) if skipped else
            _("{path}: empty file, expected a header line").format(path=path))
    frame = _fast_frame(data)
    if frame is not None and len(frame.columns):
        lines_in_data = data.count(b"\n") + (0 if data.endswith(b"\n") else 1)
        if lines_in_data == len(frame) + 1:       # one line per row: numbering is trivial
            lines = np.arange(skipped + 2, skipped + len(frame) + 2)
            return Rows(frame, lines, pd.DataFrame(columns=["line", "reason", "row"]), skipped)
    frame, lines, unsplit = _slow_frame(path, data, skipped + 1)
    return Rows(frame, lines, unsplit, skipped)
