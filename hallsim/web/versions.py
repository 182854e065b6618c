"""Earlier versions of a stored scenario: each save keeps the text it replaces.

Layout under the data folder::

    versions/<name>/<id>.yaml     the file as it was before a save; <id> is the UTC time
                                  of that save (``20261130T231502123456Z``)

At most ``keep`` versions per scenario are kept, the oldest removed first.
"""

from __future__ import annotations

import re
from datetime import datetime, timezone
from pathlib import Path

import yaml

from ..output.outfiles import write_atomic

VERSION_ID = re.compile(r"^\d{8}T\d{12}Z(?:-\d{1,4})?$")


class Versions:
    """The kept versions of every scenario, under ``root``."""

    def __init__(self, root: Path, keep: int = 50):
        if keep < 1:
            raise ValueError(f"'keep' must be >= 1 (got {keep})")
        self.root, self.keep = root, keep

    def _folder(self, name: str) -> Path:
        return self.root / name

    def add(self, name: str, data: bytes) -> str:
        """Keep ``data`` as the newest version of ``name``; returns its id."""
        folder = self._folder(name)
        folder.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
        vid, n = stamp, 1
        while (folder / f"{vid}.yaml").exists():
            vid, n = f"{stamp}-{n}", n + 1
        write_atomic(folder / f"{vid}.yaml", data)
        for old in self.ids(name)[self.keep:]:
            (folder / f"{old}.yaml").unlink(missing_ok=True)
        return vid

    def ids(self, name: str) -> list[str]:
        """Version ids of ``name``, newest first."""
        folder = self._folder(name)
        if not folder.is_dir():
            return []
        found = [p.stem for p in folder.glob("*.yaml") if VERSION_ID.match(p.stem)]
        return sorted(found, key=_order, reverse=True)

    def read(self, name: str, vid: str) -> str:
        """A version's text; KeyError if there is no such version."""
        path = self._folder(name) / f"{vid}.yaml"
        if not VERSION_ID.match(vid) or not path.is_file():
            raise KeyError(vid)
        return path.read_text(encoding="utf-8")

    def describe(self, name: str) -> list[dict]:
        """Id, time saved over (ISO, UTC), scenario title and size of every version, newest first."""
        out = []
        for vid in self.ids(name):
            text = self.read(name, vid)
            try:
                data = yaml.safe_load(text)
            except yaml.YAMLError:
                data = None
            title = str(data.get("name", name)) if isinstance(data, dict) else name
            when = datetime.strptime(vid[:22], "%Y%m%dT%H%M%S%fZ").replace(tzinfo=timezone.utc)
            out.append({"id": vid, "saved_at": when.isoformat(timespec="seconds"),
                        "title": title, "bytes": len(text.encode("utf-8"))})
        return out


def _order(vid: str) -> tuple[str, int]:
    stamp, _sep, n = vid.partition("-")
    return stamp, int(n or 0)
