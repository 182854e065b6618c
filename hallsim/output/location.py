"""Where output goes: names become safe folder names, and a location is checked and
claimed before any simulating.

A scenario, team or challenge name is never a path: ``slug`` keeps letters (Chinese
included), digits, ``-`` and ``_`` and nothing else, so a default output always lands
under ``reports/``. Only an explicit ``--out`` writes elsewhere.

``claim(path)`` checks the location (no file in the way, a writable folder, not inside a
folder another run is writing, nothing the command reads replaced or deleted) and holds a
lock beside it (``.NAME.lock``) until the output is written, so a second run into the same
place exits 2 instead of mixing files. A claim first finishes what a killed run left
beside its output: a folder's interrupted swap, a file's temporaries (``swap``).

Outputs against inputs: an output may not be a file the command reads (by name, through a
symbolic link, or a hard link to it), a folder holding one (it would be swapped out or
written among), inside a folder given as input, or where the claim keeps its lock and the
swap its working files. The inputs are those ``hallsim.inputs`` recorded.
"""

from __future__ import annotations

import errno
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .. import inputs
from ..errors import ScenarioError, quote
from ..i18n import _
from . import swap

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
    reasons = {errno.ENOSPC: _("the disk is full"), errno.EDQUOT: _("the disk quota is used up"),
               errno.EACCES: _("permission denied"), errno.EPERM: _("permission denied"),
               errno.EROFS: _("read-only file system"), errno.ENOTDIR: _("a file is in the way"),
               errno.EISDIR: _("is a folder"), errno.ENAMETOOLONG: _("the name is too long")}
    return reasons.get(exc.errno or 0, exc.strerror or str(exc))


def output_error(path: Path | str, exc: OSError, action: str | None = None) -> OutputError:
    """The user's message for an OS error while writing ``path`` (or doing ``action``,
    already translated; default "cannot write")."""
    return OutputError(_("{path}: {action}: {reason}").format(
        path=path, action=action if action is not None else _("cannot write"), reason=_why(exc)))


def check_target(path: Path | str, kind: str = "folder") -> Path:
    """Check an output folder (or ``kind="file"``) can be written; return it, absolute.

    Raises ``OutputError`` naming the path and the reason: a file (or folder) in the way,
    a folder that cannot be written, or a folder another run is writing.
    """
    target = Path(os.path.abspath(os.fspath(path)))
    refuse_inputs(target, path)
    if target.exists() or target.is_symlink():
        if kind == "folder" and not target.is_dir():
            raise OutputError(_("{path}: a file is in the way (expected a folder for the "
                                "output)").format(path=path))
        if kind == "file" and target.is_dir():
            raise OutputError(_("{path}: is a folder (expected a file name for the output)")
                              .format(path=path))
    existing = target if target.is_dir() else target.parent
    while not existing.exists():
        existing = existing.parent
    if not existing.is_dir():
        raise OutputError(_("{path}: cannot create it: {existing} is a file, not a folder")
                          .format(path=path, existing=existing))
    if not os.access(existing, os.W_OK | os.X_OK):
        raise OutputError(_("{path}: cannot write there: {existing} is not writable")
                          .format(path=path, existing=existing))
    if kind == "file" and target.exists() and not os.access(target, os.W_OK):
        raise OutputError(_("{path}: cannot write there: the file is not writable")
                          .format(path=path))
    for ancestor in [target, *target.parents]:
        if ancestor.parent == ancestor:
            break
        if _busy(ancestor):
            raise OutputError(_("{path}: another hallsim run is writing {ancestor} now; wait "
                                "for it to finish or choose another --out").format(
                                    path=path, ancestor=ancestor))
    return target


def _forms(path: Path) -> set[Path]:
    """An absolute path as written and with every symbolic link resolved."""
    return {path, Path(os.path.realpath(path))}


def _within(inner: set[Path], outer: set[Path]) -> bool:
    """Whether some form of ``inner`` lies strictly inside some form of ``outer``."""
    return any(o in i.parents for i in inner for o in outer)


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def refuse_inputs(target: Path, shown: Path | str) -> None:
    """Raise ``OutputError``, naming both, if writing the absolute path ``target`` (a file
    or a folder) would replace or delete a file the command reads."""
    out, lock = _forms(target), _forms(lock_path(target))
    for source in inputs.read():
        given = _forms(source.path)
        if given & out or _same_file(source.path, target):
            raise OutputError(_("{output}: this output is the input {input} (the same file); "
                                "hallsim never writes over a file it reads: choose another "
                                "name for the output").format(output=shown, input=source.shown))
        if _within(given, out):
            raise OutputError(_("{output}: this output folder holds the input {input}, which "
                                "writing the folder could replace or delete; choose a folder "
                                "that holds none of the files the command reads").format(
                                    output=shown, input=source.shown))
        if os.path.isdir(source.path) and _within(out, given):
            raise OutputError(_("{output}: this output is inside the input folder {input}; "
                                "choose a place outside it").format(output=shown,
                                                                    input=source.shown))
        working = any(swap.is_working_path(p, t) for i in given for p in (i, *i.parents)
                      for t in out)
        if given & lock or working:
            raise OutputError(_("{output}: the input {input} is where hallsim keeps its lock or "
                                "working files for this output; move the input or choose "
                                "another name for the output").format(output=shown,
                                                                      input=source.shown))


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
        _recover(target, kind, path, key)
    try:
        yield target
    finally:
        _HELD[key][1] -= 1
        if _HELD[key][1] == 0:
            _release(target, _HELD.pop(key)[0])


def _recover(target: Path, kind: str, shown: Path | str, key: str) -> None:
    """Finish what a killed run left beside ``target`` (its lock now held)."""
    try:
        if kind == "folder":
            swap.recover(target)
        else:
            swap.remove_temporaries(target)
    except OSError as exc:
        _release(target, _HELD.pop(key)[0])
        raise output_error(shown, exc, _("cannot restore the previous output")) from None


# path -> the folders its lock created (deepest first), removed again if left empty
_MADE: dict[str, list[Path]] = {}


def _release(target: Path, fd: int) -> None:
    if fd >= 0:
        lock_path(target).unlink(missing_ok=True)
        os.close(fd)
    for folder in _MADE.pop(str(target), []):   # a failed run leaves no empty folders
        try:
            folder.rmdir()
        except OSError:     # holds the output (or anything else): kept, and its parents too
            break


def _lock(target: Path, shown: Path | str) -> int:
    if fcntl is None:
        return -1
    lock = lock_path(target)
    _MADE[str(target)] = [p for p in (lock.parent, *lock.parent.parents) if not p.exists()]
    try:
        lock.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise output_error(lock.parent, exc, _("cannot create the folder")) from None
    for _attempt in range(10):
        try:
            fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise output_error(shown, exc) from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            raise OutputError(_("{path}: another hallsim run is writing there now (it holds "
                                "{lock}); wait for it to finish or choose another --out").format(
                                    path=shown, lock=quote(str(lock)))) from None
        try:  # the holder before us may have removed the file after we opened it
            if os.stat(lock).st_ino == os.fstat(fd).st_ino:
                os.ftruncate(fd, 0)
                os.write(fd, f"{os.getpid()}\n".encode())
                return fd
        except FileNotFoundError:
            pass
        os.close(fd)
    raise OutputError(_("{path}: could not take the lock {lock}").format(path=shown, lock=lock))
