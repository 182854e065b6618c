"""Where output goes: names become safe folder names, and a location is checked and
claimed before any simulating.

A scenario, team or challenge name is never a path: ``slug`` keeps letters (Chinese
included), digits, ``-`` and ``_`` and nothing else, so a default output always lands
under ``reports/``. Only an explicit ``--out`` writes elsewhere.

``claim(path)`` checks the location (no file in the way, a writable folder, not inside a
folder another run is writing) and holds a lock beside it (``.NAME.lock``) until the
output is written, so a second run into the same place exits 2 instead of mixing files.
"""

from __future__ import annotations

import errno
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ..errors import ScenarioError, quote

try:
    import fcntl
except ImportError:  # Windows: no advisory locks; the other checks still apply
    fcntl = None  # type: ignore[assignment]

REPORTS = Path("reports")
MAX_SLUG = 60


class OutputError(ScenarioError):
    """An output location that cannot be used; the message names the path and the reason."""


def slug(name: str, fallback: str = "scenario") -> str:
    """A folder-name-safe form of a name: letters (any script), digits, ``-`` and ``_``.

    No separators, no dots (so no ``..`` and no hidden names), at most 60 characters.
    """
    text = re.sub(r"[^\w-]+", "-", str(name), flags=re.UNICODE)
    text = re.sub(r"-{2,}", "-", text).strip("-_")[:MAX_SLUG].strip("-_")
    return text or fallback


def default_folder(*names: str, suffix: str = "") -> Path:
    """``reports/<slug>`` (names joined by ``-vs-``), e.g. ``reports/weekday-vs-peak``."""
    return REPORTS / ("-vs-".join(slug(n) for n in names) + suffix)


def _why(exc: OSError) -> str:
    reasons = {errno.ENOSPC: "the disk is full", errno.EDQUOT: "the disk quota is used up",
               errno.EACCES: "permission denied", errno.EPERM: "permission denied",
               errno.EROFS: "read-only file system", errno.ENOTDIR: "a file is in the way",
               errno.EISDIR: "is a folder", errno.ENAMETOOLONG: "the name is too long"}
    return reasons.get(exc.errno or 0, exc.strerror or str(exc))


def output_error(path: Path | str, exc: OSError, action: str = "cannot write") -> OutputError:
    """The user's message for an OS error while writing ``path``."""
    return OutputError(f"{path}: {action}: {_why(exc)}")


def check_target(path: Path | str, kind: str = "folder") -> Path:
    """Check an output folder (or ``kind="file"``) can be written; return it, absolute.

    Raises ``OutputError`` naming the path and the reason: a file (or folder) in the way,
    a folder that cannot be written, or a folder another run is writing.
    """
    target = Path(os.path.abspath(os.fspath(path)))
    if target.exists() or target.is_symlink():
        if kind == "folder" and not target.is_dir():
            raise OutputError(f"{path}: a file is in the way (expected a folder for the output)")
        if kind == "file" and target.is_dir():
            raise OutputError(f"{path}: is a folder (expected a file name for the output)")
    existing = target if target.is_dir() else target.parent
    while not existing.exists():
        existing = existing.parent
    if not existing.is_dir():
        raise OutputError(f"{path}: cannot create it: {existing} is a file, not a folder")
    if not os.access(existing, os.W_OK | os.X_OK):
        raise OutputError(f"{path}: cannot write there: {existing} is not writable")
    if kind == "file" and target.exists() and not os.access(target, os.W_OK):
        raise OutputError(f"{path}: cannot write there: the file is not writable")
    for ancestor in [target, *target.parents]:
        if ancestor.parent == ancestor:
            break
        if _busy(ancestor):
            raise OutputError(f"{path}: another hallsim run is writing {ancestor} now; wait for "
                              "it to finish or choose another --out")
    return target


# path -> (file descriptor, depth): locks this process holds (a claim is re-entrant)
_HELD: dict[str, list[int]] = {}


def lock_path(target: Path) -> Path:
    return target.parent / f".{target.name}.lock"


def _busy(target: Path) -> bool:
    """Whether another process holds the lock of ``target``."""
    lock = lock_path(target)
    if fcntl is None or str(target) in _HELD or not lock.exists():
        return False
    try:
        fd = os.open(lock, os.O_RDONLY)
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except OSError:
        return True
    finally:
        os.close(fd)
    return False


@contextmanager
def claim(path: Path | str, kind: str = "folder") -> Iterator[Path]:
    """Check ``path`` and hold its lock for the duration; yields the absolute path."""
    target = check_target(path, kind)
    key = str(target)
    if key in _HELD:
        _HELD[key][1] += 1
    else:
        _HELD[key] = [_lock(target, path), 1]
    try:
        yield target
    finally:
        _HELD[key][1] -= 1
        if _HELD[key][1] == 0:
            fd = _HELD.pop(key)[0]
            if fd >= 0:
                lock_path(target).unlink(missing_ok=True)
                os.close(fd)


def _lock(target: Path, shown: Path | str) -> int:
    if fcntl is None:
        return -1
    lock = lock_path(target)
    try:
        lock.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise output_error(lock.parent, exc, "cannot create the folder") from None
    for _ in range(10):
        try:
            fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise output_error(shown, exc) from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            raise OutputError(f"{shown}: another hallsim run is writing there now (it holds "
                              f"{quote(str(lock))}); wait for it to finish or choose another "
                              "--out") from None
        try:  # the holder before us may have removed the file after we opened it
            if os.stat(lock).st_ino == os.fstat(fd).st_ino:
                os.ftruncate(fd, 0)
                os.write(fd, f"{os.getpid()}\n".encode())
                return fd
        except FileNotFoundError:
            pass
        os.close(fd)
    raise OutputError(f"{shown}: could not take the lock {lock}")
