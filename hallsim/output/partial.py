"""A sweep's rows streamed to disk as they finish, so an interrupted sweep keeps its work.

While a sweep runs, ``<out>.partial.csv`` grows by one row per finished run (flushed at
once) and ``<out>.partial.json`` says which sweep it belongs to (scenario hash, varied
values, seed). When the sweep ends, the complete table is written to ``<out>`` and both
partial files are removed. ``--resume`` reads the rows back and runs only what is missing.
"""

from __future__ import annotations

import csv
import json
import os
from collections.abc import Mapping, Sequence
from contextlib import suppress
from pathlib import Path
from typing import Any

from ..errors import ScenarioError
from ..i18n import _
from ..results.metrics import METRICS
from .location import output_error
from .outfiles import write_atomic
from .textsafe import CSV_LINE_END, csv_cell, dumps

Key = tuple[int, int]


def partial_paths(out: Path) -> tuple[Path, Path]:
    """``(rows, identity)``: ``x.partial.csv`` and ``x.partial.json`` beside ``x.csv``."""
    stem = out.with_suffix("")
    return stem.with_name(stem.name + ".partial.csv"), stem.with_name(stem.name + ".partial.json")


def _number(text: str) -> float | int:
    try:
        return int(text)
    except ValueError:
        return float(text)


class PartialSweep:
    """The partial files of one sweep: read what an earlier attempt finished, append rows."""

    def __init__(self, out: Path, identity: Mapping[str, Any], columns: Sequence[str]):
        self.rows_path, self.identity_path = partial_paths(out)
        self.identity = json.loads(dumps(identity))
        self.columns = list(columns)
        self._handle: Any = None
        self._writer: Any = None

    def exists(self) -> bool:
        return self.rows_path.exists() or self.identity_path.exists()

    def read(self) -> dict[Key, dict[str, Any]]:
        """Finished runs of an earlier attempt at the same sweep; ScenarioError if it was
        another sweep. A last line cut short by a crash is ignored."""
        try:
            found = json.loads(self.identity_path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, ValueError) as exc:
            raise ScenarioError(_("{path}: cannot read it ({problem}); remove the partial "
                                  "files to start the sweep afresh").format(
                                      path=self.identity_path, problem=exc)) from None
        if found != self.identity:
            raise ScenarioError(_("--resume: {path} belongs to another sweep (a different "
                                  "scenario, --vary values or --seed); remove it or change --out")
                                .format(path=self.rows_path))
        done: dict[Key, dict[str, Any]] = {}
        try:
            with open(self.rows_path, newline="", encoding="utf-8") as handle:
                reader = csv.reader(handle)
                header = next(reader, None)
                if header != [csv_cell(c) for c in self.columns]:
                    return {}
                at = {name: header.index(csv_cell(name)) for name in
                      ("combination", "replication", *METRICS)}
                for row in reader:
                    if len(row) != len(header):
                        continue
                    try:
                        key = (int(row[at["combination"]]), int(row[at["replication"]]))
                        done[key] = {m: _number(row[at[m]]) for m in METRICS}
                    except ValueError:
                        continue
        except FileNotFoundError:
            return {}
        except OSError as exc:
            raise output_error(self.rows_path, exc, _("cannot read")) from None
        return done

    def start(self, rows: Sequence[Mapping[str, Any]]) -> None:
        """Write the identity and the header plus ``rows`` (those kept from an earlier
        attempt), then keep the file open for ``add``."""
        write_atomic(self.identity_path, (dumps(self.identity, indent=2) + "\n").encode("utf-8"))
        lines = [self.columns, *([row.get(c, "") for c in self.columns] for row in rows)]
        import io

        text = io.StringIO()
        csv.writer(text, lineterminator=CSV_LINE_END).writerows(
            [[csv_cell(v) for v in line] for line in lines])
        write_atomic(self.rows_path, text.getvalue().encode("utf-8"))
        try:
            self._handle = open(self.rows_path, "a", newline="", encoding="utf-8")  # noqa: SIM115
        except OSError as exc:
            raise output_error(self.rows_path, exc) from None
        self._writer = csv.writer(self._handle, lineterminator=CSV_LINE_END)

    def add(self, row: Mapping[str, Any]) -> None:
        """Append one finished run and flush it to the operating system at once."""
        try:
            self._writer.writerow([csv_cell(row.get(c, "")) for c in self.columns])
            self._handle.flush()
        except OSError as exc:
            raise output_error(self.rows_path, exc) from None

    def close(self) -> None:
        if self._handle is not None:
            with suppress(OSError):
                os.fsync(self._handle.fileno())
            self._handle.close()
            self._handle = None

    def remove(self) -> None:
        self.close()
        self.rows_path.unlink(missing_ok=True)
        self.identity_path.unlink(missing_ok=True)
