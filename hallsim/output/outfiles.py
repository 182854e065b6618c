"""Writing output files atomically: a temporary file in the same folder, then a rename.

``report.html`` (or whichever file is named last) is removed first and written
last, so an interrupted run never leaves a report that looks complete.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping
from pathlib import Path


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; give the usual permissions
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_files(folder: Path, files: Mapping[str, bytes | str], last: str) -> list[Path]:
    """Write every file, each atomically, with ``last`` removed first and written last."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / last).unlink(missing_ok=True)
    order = [name for name in files if name != last] + [last]
    written = []
    for name in order:
        content = files[name]
        write_atomic(folder / name, content.encode("utf-8") if isinstance(content, str) else content)
        written.append(folder / name)
    return written
