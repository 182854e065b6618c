"""``hallsim batch DIR [--target METRIC=VALUE] [--scheduler ADDRESS]``: every hall in a folder.

Each ``*.yaml`` in DIR is a hall: a scenario (or challenge) is run, or advised with
``--target``; a week file is run, or its roster drafted with ``--target``. The halls are
loaded here (a bad file is a row saying why, never a crash) and simulated on Dask: a local
cluster of ``--workers`` processes, or the scheduler at ``--scheduler``. Each finished hall is
written at once to ``OUT/<hall>/`` with ``row.json``; ``--resume`` skips every hall whose
folder holds the row of the same work (same file contents, target, replications, seed), so
an interrupted batch finishes only what is missing. ``OUT/batch.csv`` has one row per hall.
A task whose worker dies is run again on another worker (Dask reschedules it).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import os
import sys
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import pandas as pd

from ..errors import ScenarioError
from ..i18n import _, current
from ..output import console
from ..output.location import claim, default_folder, slug
from ..output.outfiles import write_atomic, write_files
from ..output.textsafe import csv_text, dumps
from .tasks import ROW_METRICS, Job, run_hall

COLUMNS = ["hall", "kind", "task", "status", "message", "folder", *ROW_METRICS,
           "meets_target", "gaps", "seconds"]


def add_commands(commands: Any) -> None:
    from ..cli import language_option, whole_number

    batch = commands.add_parser(
        "batch", help="run or advise every hall (scenario or week file) in a folder, on Dask")
    batch.add_argument("folder", metavar="DIR", help="a folder of scenario and week files")
    batch.add_argument("--target", metavar="METRIC=VALUE", default=None,
                       help="advise each scenario and draft each week's roster for this target "
                       "(e.g. wait_probability=0.2); without it, run each hall")
    batch.add_argument("--scheduler", metavar="ADDRESS", default=None,
                       help="a Dask scheduler, e.g. tcp://host:8786 (default: a local cluster)")
    batch.add_argument("--workers", type=whole_number(1), default=os.cpu_count() or 1,
                       help="worker processes of the local cluster (default: one per core)")
    batch.add_argument("--reps", type=whole_number(1), default=10,
                       help="replications per simulated day (default 10)")
    batch.add_argument("--seed", type=whole_number(0), default=1, help="random seed (default 1)")
    batch.add_argument("--verify-days", type=whole_number(1), default=200,
                       help="fresh days verifying each drafted roster (default 200)")
    batch.add_argument("--out", metavar="DIR", default=None,
                       help="batch.csv and one folder per hall (default reports/<DIR>-batch/)")
    batch.add_argument("--resume", action="store_true",
                       help="keep the halls an interrupted batch finished; run the rest")
    language_option(batch)
    batch.set_defaults(handler=cmd_batch)


def _sha(*paths: Path) -> str:
    digest = hashlib.sha256()
    for path in paths:
        digest.update(path.read_bytes())
    return digest.hexdigest()


def load_halls(folder: Path) -> list[dict[str, Any]]:
    """Every ``*.yaml`` in ``folder``: loaded (``hall``) or why not (``message``)."""
    from ..runs.compare_command import load_for_compare
    from ..week.weekfile import is_week_file, load_week

    if not folder.is_dir():
        raise ScenarioError(_("{path}: not a folder; batch takes a folder of scenario and week "
                              "files").format(path=folder))
    halls = []
    for path in sorted(folder.glob("*.yaml")):
        entry: dict[str, Any] = {"path": path, "name": path.name, "folder": slug(path.stem)}
        try:
            if is_week_file(path):
                week = load_week(path)
                entry.update(kind="week", hall=week,
                             sha256=_sha(path, Path(week.hall.origin)))
            else:
                entry.update(kind="scenario", hall=load_for_compare(str(path))[0],
                             sha256=_sha(path))
        except ScenarioError as exc:
            entry.update(kind="?", hall=None, message=str(exc).replace("\n", " | "))
        halls.append(entry)
    if not halls:
        raise ScenarioError(_("{path}: no *.yaml files in the folder").format(path=folder))
    return halls


def identity(entry: dict[str, Any], job: Job) -> dict[str, Any]:
    """What a finished hall's folder must record for ``--resume`` to keep it."""
    return {"kind": "batch-hall", "file": entry["name"], "sha256": entry.get("sha256"),
            "target": job.target, "reps": job.reps, "seed": job.seed,
            "verify_days": job.verify_days if job.target else None, "lang": job.lang}


def finished(out: Path, entry: dict[str, Any], job: Job) -> dict[str, Any] | None:
    """The row of a hall an earlier batch finished with the same work, else None."""
    try:
        saved = json.loads((out / entry["folder"] / "row.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(saved, dict) or saved.get("identity") != identity(entry, job):
        return None
    row = saved.get("row")
    return row if isinstance(row, dict) else None


def _client(args: argparse.Namespace, stack: ExitStack) -> Any:
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise ScenarioError(_("batch needs dask.distributed: pip install 'hallsim[dask]'")) from None
    if args.scheduler:
        return stack.enter_context(Client(args.scheduler))
    cluster = stack.enter_context(LocalCluster(n_workers=args.workers, threads_per_worker=1,
                                               processes=True, dashboard_address=None,
                                               silence_logs=logging.ERROR))
    return stack.enter_context(Client(cluster))


def cmd_batch(args: argparse.Namespace) -> int:
    folder = Path(args.folder).resolve()
    job = Job(args.target, args.reps, args.seed, args.verify_days, current())
    halls = load_halls(folder)
    if job.target:
        from ..staffing.targets import parse_target

        for entry in halls:                  # a bad target fails before any work
            if entry["hall"] is not None:
                hall = entry["hall"]
                parse_target(job.target, hall.hall if entry["kind"] == "week" else hall)
                break
    out = Path(args.out) if args.out else default_folder(folder.name, suffix="-batch")
    rows: dict[str, dict[str, Any]] = {}
    with claim(out) as target:
        kept = 0
        for entry in halls:
            if entry["hall"] is None:
                rows[entry["name"]] = _row(entry, job, "bad input", entry["message"])
            elif args.resume and (row := finished(target, entry, job)) is not None:
                rows[entry["name"]] = row
                kept += 1
        pending = [e for e in halls if e["name"] not in rows]
        if args.resume:
            print(_("resuming: {done} hall(s) already finished, {left} to go").format(
                done=kept, left=len(pending)), file=sys.stderr)
        try:
            if pending:
                _run_all(args, job, pending, target, rows)
        except KeyboardInterrupt:
            print(_("hallsim: interrupted; the finished halls are kept in {path}; run the same "
                    "command with --resume to finish").format(path=out), file=sys.stderr)
            return 130
        frame = pd.DataFrame([rows[e["name"]] for e in halls], columns=COLUMNS)
        write_atomic(target / "batch.csv", csv_text(frame).encode("utf-8"))
    bad = frame[frame["status"] != "ok"]
    print(_("{n} hall(s) written to {path}").format(n=len(frame) - len(bad),
                                                    path=out / "batch.csv"), file=sys.stderr)
    for row in bad.itertuples(index=False):
        print(_("{hall}: {status}: {message}").format(hall=row.hall, status=row.status,
                                                      message=row.message), file=sys.stderr)
    return 1 if len(bad) else 0


def _row(entry: dict[str, Any], job: Job, status: str, message: str = "",
         fields: dict[str, Any] | None = None) -> dict[str, Any]:
    task = ("roster" if entry["kind"] == "week" else "advise") if job.target else "run"
    return {"hall": entry["name"], "kind": entry["kind"], "task": task, "status": status,
            "message": message, "folder": entry["folder"] if status == "ok" else "",
            **(fields or {})}


def _run_all(args: argparse.Namespace, job: Job, pending: list[dict[str, Any]], out: Path,
             rows: dict[str, dict[str, Any]]) -> None:
    from distributed import as_completed

    with ExitStack() as stack:
        client = _client(args, stack)
        futures = {}
        for entry in pending:
            future = client.submit(run_hall, entry["hall"], job, pure=False, retries=1)
            futures[future] = entry
        with console.progress(len(pending), _("{n} hall(s)").format(n=len(pending)),
                              ) as advance:
            try:
                for future in as_completed(futures):
                    entry = futures.pop(future)
                    rows[entry["name"]] = _finish(future, entry, job, out)
                    advance(1)
            finally:
                client.cancel(list(futures))


def _finish(future: Any, entry: dict[str, Any], job: Job, out: Path) -> dict[str, Any]:
    """Write a finished hall's folder (with row.json) and return its row."""
    error = future.exception() if future.status == "error" else None
    if error is not None:
        kind = "bad input" if isinstance(error, ScenarioError) else "failed"
        return _row(entry, job, kind, str(error).replace("\n", " | "))
    fields, files = future.result()
    row = _row(entry, job, "ok", "", fields)
    last = "roster.html" if "roster.html" in files else "report.html"
    record = dumps({"identity": identity(entry, job), "row": row}, indent=2,
                   ensure_ascii=False) + "\n"
    write_files(out / entry["folder"], {**files, "row.json": record}, last=last,
                about=identity(entry, job))
    return row
