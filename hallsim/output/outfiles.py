"""Writing output: every file complete or not at all, every folder from one run.

``write_atomic`` writes a temporary file beside the target, flushes it to disk (fsync)
and renames it into place. ``write_files`` writes a whole output folder: into a fresh
temporary folder beside the target that is then swapped in, so a folder never mixes two
runs' files (``swap``: recoverable after a crash at any point); with a ``manifest.json``
that names the run and every file's SHA-256. A folder that holds other files than a
previous hallsim output (``--out .``, say) is written in place instead, file by file, with
the named ``last`` file removed first and written last. Either way the folder's lock is
held (``location.claim``) while writing.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from . import swap, textsafe
from .location import OutputError, claim, output_error
from .swap import fsync_folder

MANIFEST = "manifest.json"


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_bytes(fd: int, data: bytes) -> None:
    """Write all of ``data`` to ``fd`` (the one place output bytes reach the disk)."""
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``path`` completely or not at all; an OS error becomes an ``OutputError``."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise output_error(path, exc) from None
    try:
        try:
            write_bytes(fd, data)
            os.fsync(fd)
        finally:
            os.close(fd)
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; give the usual permissions
        os.replace(tmp, path)
    except BaseException as exc:
        Path(tmp).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise output_error(path, exc) from None
        raise
    fsync_folder(path.parent)


def manifest(files: Mapping[str, bytes], about: Mapping[str, Any] | None = None) -> bytes:
    """``manifest.json``: what made the folder (``about``) and each file's size and SHA-256."""
    from .. import __version__

    doc = {"hallsim": __version__, **(about or {}),
           "files": {name: {"bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}
                     for name, data in sorted(files.items())}}
    return (textsafe.dumps(doc, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def run_about(kind: str, scenarios: Mapping[str, Any], seed: int | None, replications: int) -> dict:
    """The manifest's description of a run: kind, each scenario's name and hash, seed, reps."""
    return {"kind": kind,
            "scenarios": {role: {"name": sc.name, "sha256": scenario_hash(sc)}
                          for role, sc in scenarios.items()},
            "seed": seed, "replications": replications}


def scenario_hash(scenario: Any) -> str:
    """SHA-256 of a scenario's content (its fields as canonical JSON): equal files, equal hash."""
    import json

    text = json.dumps(scenario.to_dict(), sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _ours(folder: Path) -> bool:
    """Whether ``folder`` is missing, or holds exactly a previous hallsim output."""
    if not folder.exists():
        return True
    if folder == Path.cwd() or not (folder / MANIFEST).is_file():
        return False
    try:
        import json

        listed = set(json.loads((folder / MANIFEST).read_text(encoding="utf-8"))["files"])
    except (OSError, ValueError, KeyError, TypeError):
        return False
    return {p.name for p in folder.iterdir()} <= listed | {MANIFEST}


def write_files(folder: Path, files: Mapping[str, bytes | str], last: str,
                about: Mapping[str, Any] | None = None) -> list[Path]:
    """Write an output folder (see the module docstring); returns the files written.

    ``about`` goes into ``manifest.json`` (e.g. the scenario's hash, seed, replications).
    """
    data = {name: content.encode("utf-8") if isinstance(content, str) else content
            for name, content in files.items()}
    order = [name for name in data if name != last] + [last]
    data[MANIFEST] = manifest(data, about)
    order.insert(-1, MANIFEST)
    with claim(folder) as target:
        if _ours(target):
            _swap_in(target, data, order)
        else:
            _in_place(target, data, order, last)
    return [Path(folder) / name for name in order]


def _in_place(target: Path, data: Mapping[str, bytes], order: list[str], last: str) -> None:
    try:
        (target / last).unlink(missing_ok=True)
    except OSError as exc:
        raise output_error(target / last, exc) from None
    for name in order:
        write_atomic(target / name, data[name])


def _swap_in(target: Path, data: Mapping[str, bytes], order: list[str]) -> None:
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        staged = swap.stage(target)
    except OSError as exc:
        raise output_error(target, exc) from None
    try:
        for name in order:
            write_atomic(staged / name, data[name])
        os.chmod(staged, 0o777 & ~_umask())
        swap.exchange(staged, target)
    except OSError as exc:
        raise output_error(target, exc) from None
    finally:
        shutil.rmtree(staged, ignore_errors=True)  # gone already once it was swapped in


__all__ = ["MANIFEST", "OutputError", "fsync_folder", "manifest", "run_about", "scenario_hash",
           "write_atomic", "write_bytes",
           "write_files"]
