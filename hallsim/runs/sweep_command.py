"""``hallsim sweep``: many scenario variants, one CSV (or Parquet) row per replication."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..commands import _load
from ..errors import ScenarioError
from ..i18n import _
from ..output.location import check_target, claim, default_folder


def cmd_sweep(args: argparse.Namespace) -> int:
    from ..output import console
    from ..output.outfiles import scenario_hash, write_atomic
    from ..output.partial import PartialSweep
    from ..results.metrics import METRICS
    from ..scenario.overrides import parse_values
    from .arguments import check_paths
    from .sweep import SweepFailed, SweepInterrupted, combinations, sweep

    scenario = _load(args.scenario)
    vary = dict(parse_values(text) for text in args.vary)
    out = Path(args.out) if args.out else default_folder(scenario.name, suffix="-sweep.csv")
    if out.suffix not in (".csv", ".parquet"):
        raise ScenarioError(f"--out {out}: expected a .csv or .parquet file name")
    combos = combinations(vary)
    check_paths(scenario, combos)  # a mistyped --vary path: exit 2 before anything is written
    with claim(out, "file"):
        partial = PartialSweep(out, {"scenario": scenario_hash(scenario), "vary": vary,
                                     "seed": args.seed},
                               [*vary, "combination", "replication", *METRICS])
        for path in (partial.rows_path, partial.identity_path):
            check_target(path, "file")
        done = {}
        if args.resume:
            done = partial.read()
        elif partial.exists():
            raise ScenarioError(_("{path}: an interrupted sweep left its rows here; add --resume "
                                  "to finish it, or remove the file to start afresh")
                                .format(path=partial.rows_path))
        kept = [{**combos[i], "combination": i, "replication": k, **m}
                for (i, k), m in sorted(done.items()) if i < len(combos) and k < args.reps]
        partial.start(kept)
        client = _dask_client(args.dask)
        total = len(combos) * args.reps
        try:
            with console.progress(total, _("sweeping {name}").format(name=scenario.name)
                                  ) as advance:
                frame = sweep(scenario, vary, reps=args.reps, seed=args.seed, jobs=args.jobs,
                              client=client, progress=advance, on_row=partial.add,
                              done={(r["combination"], r["replication"]): r for r in kept})
        except SweepFailed as failed:
            partial.close()
            partial.remove()
            if failed.bad_input:  # every value refused: the --vary values are wrong
                raise ScenarioError(sorted({f["reason"] for f in failed.failures})) from None
            _print_failures(failed.failures)
            return 1
        except SweepInterrupted as stop:
            partial.close()
            print(_("hallsim: interrupted; {n} completed run(s) kept in {path}; run the same "
                    "command with --resume to finish").format(n=len(stop.partial),
                                                              path=partial.rows_path),
                  file=sys.stderr)
            return 130
        finally:
            partial.close()
            if client is not None:
                client.close()
        failures = frame.attrs.get("failures", [])
        write_atomic(out, _table_bytes(frame, out))
        partial.remove()
    print(_("{n} runs written to {path}").format(n=len(frame), path=out), file=sys.stderr)
    _print_failures(failures)
    return 1 if failures else 0


def _print_failures(failures: list[dict]) -> None:
    for failure in failures:
        params = ", ".join(f"{k}={v}" for k, v in failure.items() if k not in ("combination", "reason"))
        print(_("failed: {params}: {reason}").format(params=params, reason=failure["reason"]),
              file=sys.stderr)


def _dask_client(address: str | None):
    if not address:
        return None
    try:
        from distributed import Client
    except ImportError:
        raise ScenarioError("--dask needs dask.distributed: pip install 'hallsim[dask]'") from None
    return Client(address)


def _table_bytes(frame, out: Path) -> bytes:
    if out.suffix == ".parquet":
        import io

        try:
            buffer = io.BytesIO()
            frame.to_parquet(buffer, index=False)
        except ImportError:
            raise ScenarioError(f"--out {out}: writing .parquet needs pyarrow "
                                "(pip install pyarrow), or use .csv") from None
        return buffer.getvalue()  # parquet is typed: numbers are never formulas
    from ..output.textsafe import csv_text

    return csv_text(frame).encode("utf-8")
