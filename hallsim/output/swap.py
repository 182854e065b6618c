"""Replacing an output folder as a whole so that a crash at any moment loses no report, and
clearing what killed writes left beside an output.

A new folder is staged beside the target (``.NAME.xxxxxxxx.tmp``) and swapped in by two
renames: the previous folder moves into a backup (``.NAME.xxxxxxxx.old/previous``), the
staged folder takes its name, and only then is the backup removed. Between the two renames
the target does not exist: a run killed there (``kill -9``, a power cut) leaves the previous
report in the backup. ``recover``, which the next claim of the folder runs under its lock,
puts that backup back when the target is missing, and removes a backup only once a folder
stands at the target, so the only copy of a report is never deleted.

A single file is written to ``.NAME.xxxxxxxx.tmp`` beside it and renamed into place
(``outfiles.write_atomic``): a killed write leaves the file as it was, and the next claim
of the file removes the temporary (``remove_temporaries``).

Errors are the operating system's (``OSError``); callers word them for the user.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from pathlib import Path

BACKUP_ITEM = "previous"


def fsync_folder(folder: Path) -> None:
    """Make a rename in ``folder`` durable (where the platform allows)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _pattern(target: Path) -> re.Pattern[str]:
    # mkdtemp's random part: 8 of a-z, 0-9 and _
    return re.compile(rf"^\.{re.escape(target.name)}\.[a-z0-9_]{{8}}\.(tmp|old)$")


def is_working_path(path: Path, target: Path) -> bool:
    """Whether ``path`` is named as a staging folder, backup or temporary file of ``target``."""
    return path.parent == target.parent and bool(_pattern(target).match(path.name))


def leftovers(target: Path) -> tuple[list[Path], list[Path]]:
    """``(staged, backups)``: the working folders of earlier swaps into ``target``."""
    pattern = _pattern(target)
    try:
        found = [p for p in target.parent.iterdir()
                 if pattern.match(p.name) and p.is_dir() and not p.is_symlink()]
    except OSError:
        return [], []
    return ([p for p in found if p.name.endswith(".tmp")],
            [p for p in found if p.name.endswith(".old")])


def remove_temporaries(target: Path) -> None:
    """Remove the temporary files (``.NAME.xxxxxxxx.tmp``) that writes of the file
    ``target`` killed midway left beside it (hold its lock while calling)."""
    pattern = _pattern(target)
    try:
        found = [p for p in target.parent.iterdir()
                 if pattern.match(p.name) and p.name.endswith(".tmp") and p.is_file()
                 and not p.is_symlink()]
    except OSError:
        return
    for path in found:
        path.unlink(missing_ok=True)


def recover(target: Path) -> Path | None:
    """Finish what a killed swap left beside ``target`` (hold its lock while calling).

    If ``target`` is missing and a backup holds a previous folder, that folder is put back
    (the newest, should there be several). Then staging folders are removed, and backups
    too, but a backup holding a folder only when ``target`` stands. Returns the backup that
    was restored, or None.
    """
    staged, backups = leftovers(target)
    restored = None
    if not os.path.lexists(target):
        kept = [b for b in backups if os.path.lexists(b / BACKUP_ITEM)]
        if kept:
            restored = max(kept, key=lambda b: b.stat().st_mtime_ns)
            os.rename(restored / BACKUP_ITEM, target)
            fsync_folder(target.parent)
    standing = os.path.lexists(target)
    for backup in backups:
        if standing or not os.path.lexists(backup / BACKUP_ITEM):
            shutil.rmtree(backup, ignore_errors=True)
    for folder in staged:
        shutil.rmtree(folder, ignore_errors=True)
    return restored


def stage(target: Path) -> Path:
    """A fresh, empty staging folder beside ``target``."""
    return Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp"))


def exchange(staged: Path, target: Path) -> None:
    """Put the folder ``staged`` in ``target``'s place; see the module docstring.

    Interrupted in between (Ctrl-C, SIGTERM, an OS error), the previous folder goes back.
    """
    if not os.path.lexists(target):
        os.rename(staged, target)
        fsync_folder(target.parent)
        return
    backup = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}.", suffix=".old"))
    try:
        os.rename(target, backup / BACKUP_ITEM)
        os.rename(staged, target)
        fsync_folder(target.parent)
    finally:  # judged by what is on disk, not by how far the code got
        if not os.path.lexists(target) and os.path.lexists(backup / BACKUP_ITEM):
            os.rename(backup / BACKUP_ITEM, target)
        if os.path.lexists(target):
            shutil.rmtree(backup, ignore_errors=True)
