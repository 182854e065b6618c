"""A CSV export as rows of text with their line numbers: encodings, title rows above the
header, and rows that do not split into the header's fields.

Line numbers are the file's own (the first line is 1), title rows included, so that a
message's ``line 12`` is line 12 in the user's editor.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import ScenarioError
from ..i18n import _

HEADER_SEARCH_ROWS = 30
BOM = b"\xef\xbb\xbf"


@dataclass(frozen=True)
class Rows:
    """Every data row as text, each row's line in the file, and the rows set aside."""

    frame: pd.DataFrame
    lines: np.ndarray
    unsplit: pd.DataFrame          # line, reason, row: rows with the wrong number of fields
    skipped: int                   # lines above the header (title rows)


def _open_error(path: Path, exc: OSError) -> ScenarioError:
    if isinstance(exc, FileNotFoundError):
        return ScenarioError(_("{path}: no such file").format(path=path))
    if isinstance(exc, IsADirectoryError):
        return ScenarioError(_("{path}: is a folder; expected a CSV file").format(path=path))
    return ScenarioError(_("{path}: cannot read: {error}").format(path=path, error=exc))


@dataclass(frozen=True)
class Scan:
    """What one pass over the file tells, without holding it in memory."""

    utf8: bool                 # else GB18030 (or unreadable: decode says so)
    lines: int                 # lines in the file (a last line without a newline counts)
    head: bytes                # the first bytes (BOM removed), to find the header


def scan(path: Path, chunk: int = 1 << 22) -> Scan:
    """Check the encoding and count the lines chunk by chunk: a large log is read by the CSV
    parser straight from the file, never held whole in memory."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    utf8, lines, last, head = True, 0, b"", b""
    try:
        with open(path, "rb") as handle:
            while block := handle.read(chunk):
                if not head:
                    head = block[: 256 * 1024]
                lines += block.count(b"\n")
                last = block[-1:]
                if utf8:
                    try:
                        decoder.decode(block)
                    except UnicodeDecodeError:
                        utf8 = False
            if utf8:
                try:
                    decoder.decode(b"", final=True)
                except UnicodeDecodeError:
                    utf8 = False
    except OSError as exc:
        raise _open_error(path, exc) from None
    if last and last != b"\n":
        lines += 1
    return Scan(utf8, lines, head[3:] if head.startswith(BOM) else head)


def decode(path: Path) -> bytes:
    """The file as UTF-8 bytes (UTF-8 with or without BOM, or GB18030 as Excel writes it)."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise _open_error(path, exc) from None
    if data.startswith(BOM):
        data = data[3:]
    if data.isascii():
        return data
    try:
        codecs.getincrementaldecoder("utf-8")().decode(data, final=True)
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


def _fast_frame(source: Path | bytes, skip: int) -> pd.DataFrame | None:
    """pandas' reader (pyarrow's when installed, its strings kept in Arrow: compact and
    fast); None when some row has the wrong number of fields, which only the slow reader can
    locate."""
    try:
        import pyarrow  # noqa: F401
        engine, dtype = "pyarrow", "string[pyarrow]"
    except ImportError:
        engine, dtype = "c", "str"
    handle = io.BytesIO(source) if isinstance(source, bytes) else source
    try:
        frame = pd.read_csv(handle, dtype=dtype, keep_default_na=False, engine=engine,
                            skiprows=skip or None)
    except pd.errors.EmptyDataError:
        return pd.DataFrame()
    except Exception:  # noqa: BLE001 - pyarrow and C engines raise different types
        return None
    return frame if engine == "pyarrow" else frame.fillna("")


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


class Fallback(Exception):
    """The streamed read cannot number the rows exactly: read the whole file instead."""


@dataclass(frozen=True)
class Stream:
    """A UTF-8 log with one line per row, parsed by Arrow a block at a time: only one block
    of text is in memory at once, whatever the size of the log."""

    path: Path
    header: list[str]
    skipped: int
    lines: int                 # lines in the file, to check the numbering at the end

    def batches(self, block: int = 1 << 22) -> Iterator[tuple[pd.DataFrame, np.ndarray]]:
        """Each block's rows (Arrow strings) and their lines; ``Fallback`` when a row has the
        wrong number of fields or the rows do not fill the file's lines one by one."""
        import pyarrow as pa
        import pyarrow.csv as pacsv

        text = pd.StringDtype("pyarrow")
        options = (pacsv.ReadOptions(skip_rows=self.skipped + 1, column_names=self.header,
                                     block_size=block, use_threads=False),
                   pacsv.ConvertOptions(column_types={h: pa.string() for h in self.header},
                                        strings_can_be_null=False,
                                        quoted_strings_can_be_null=False))
        first = self.skipped + 2
        try:
            reader = pacsv.open_csv(self.path, read_options=options[0], convert_options=options[1])
            for batch in reader:
                frame = batch.to_pandas(types_mapper={pa.string(): text}.get)
                yield frame, np.arange(first, first + len(frame))
                first += len(frame)
        except (pa.ArrowInvalid, StopIteration):
            raise Fallback from None
        if first - 1 != self.lines:
            raise Fallback


def stream(path: Path, is_header: Callable[[list[str]], bool],
           skip_rows: int | None = None) -> Stream | None:
    """The streamed reader for ``path``, or None where only the whole-file reader will do
    (no pyarrow, not UTF-8, no header line, repeated column names)."""
    try:
        import pyarrow.csv  # noqa: F401
    except ImportError:
        return None
    found = scan(path)
    if not found.utf8:
        return None
    skipped = skip_rows if skip_rows is not None else header_line(found.head, is_header)
    rows = csv.reader(io.StringIO(found.head.decode("utf-8", errors="ignore"), newline=""))
    try:
        for _k in range(skipped):
            next(rows)
        header = next(rows)
    except (StopIteration, csv.Error):
        return None
    if not header or len(set(header)) != len(header) or rows.line_num != skipped + 1:
        return None
    return Stream(path, header, skipped, found.lines)


def read_rows(path: Path, is_header: Callable[[list[str]], bool],
              skip_rows: int | None = None) -> Rows:
    """The rows under the header: ``skip_rows`` lines skipped, or the title rows found.

    A UTF-8 file with one line per row (the usual export) goes straight from the file to
    the parser; anything else (GB18030, quoted line breaks, rows with the wrong number of
    fields) is read into memory and, where needed, row by row."""
    found = scan(path)
    skipped = skip_rows if skip_rows is not None else header_line(found.head, is_header)
    if found.utf8:
        frame = _fast_frame(path, skipped)
        if frame is not None and len(frame.columns) and found.lines == skipped + len(frame) + 1:
            lines = np.arange(skipped + 2, skipped + len(frame) + 2)
            return Rows(frame, lines, pd.DataFrame(columns=["line", "reason", "row"]), skipped)
    data = decode(path)
    if not found.utf8 and skip_rows is None:      # the head was not UTF-8: look again
        skipped = header_line(data, is_header)
    data = _after_lines(data, skipped)
    if not data.strip():
        raise ScenarioError(_("{path}: no header line after {n} skipped line(s)").format(
            path=path, n=skipped) if skipped else
            _("{path}: empty file, expected a header line").format(path=path))
    frame = _fast_frame(data, 0)
    if frame is not None and len(frame.columns):
        lines_in_data = data.count(b"\n") + (0 if data.endswith(b"\n") else 1)
        if lines_in_data == len(frame) + 1:       # one line per row: numbering is trivial
            lines = np.arange(skipped + 2, skipped + len(frame) + 2)
            return Rows(frame, lines, pd.DataFrame(columns=["line", "reason", "row"]), skipped)
    frame, lines, unsplit = _slow_frame(path, data, skipped + 1)
    return Rows(frame, lines, unsplit, skipped)
