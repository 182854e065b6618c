"""The web app's data folder: scenarios and challenges as YAML files, written atomically.

Layout of ``--data DIR`` (created and seeded with the shipped examples on first use)::

    scenarios/<name>.yaml            scenarios planners edit and run
    challenges/<name>.yaml           exercise challenges (+ <name>.reference.yaml)
    versions/<name>/<id>.yaml        what each save of a scenario replaced (``versions``)
    hallsim.db                       rooms, teams, plans, scores and run history (SQLite)
    runs/<id>/report.html            run and compare reports, removed when a run expires
"""

from __future__ import annotations

import re
import shutil
import sys
import unicodedata
from pathlib import Path

import yaml

from ..errors import ScenarioError
from ..exercise.challenge import Challenge, load_challenge
from ..output.outfiles import write_atomic
from .versions import Versions

NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")


def slug(text: str, fallback: str = "") -> str:
    """A safe file name from a user's text: lower-case ASCII letters, digits, '-' and '_'.

    The text is NFKC-normalised and case-folded ("Straße" is "strasse", "ＡＢ" is "ab"),
    accents are dropped ("Café" is "cafe"), and each run of spaces, punctuation and symbols
    becomes one '-' ("A&B", "A+B" and "a b" are all "a-b"). Chinese and other non-ASCII
    letters keep a readable, stable form: each becomes its code point (``u4e00``).
    """
    out = []
    folded = unicodedata.normalize("NFKC", text.strip()).casefold()
    for ch in unicodedata.normalize("NFKD", folded):
        if ch.isascii() and (ch.isalnum() or ch in "-_"):
            out.append(ch)
        elif ch.isascii() or unicodedata.category(ch).startswith(("Z", "P", "S", "C")):
            out.append("-")
        elif unicodedata.category(ch) != "Mn":
            out.append(f"u{ord(ch):x}")
    name = re.sub(r"-{2,}", "-", "".join(out)).strip("-_")[:64].strip("-_")
    return name or fallback


def shipped_scenarios() -> Path | None:
    """The ``scenarios/`` folder shipped with hallsim: beside the package in a source checkout
    or an editable install, or under ``share/hallsim`` when installed from a wheel."""
    here = Path(__file__).resolve().parents[2] / "scenarios"
    for candidate in (here, Path(sys.prefix) / "share" / "hallsim" / "scenarios"):
        if (candidate / "weekday.yaml").is_file():
            return candidate
    return None


class Store:
    """Scenarios and challenges as files under ``root``; names are slugs, writes atomic."""

    def __init__(self, root: str | Path, seed: bool = True):
        self.root = Path(root)
        self.scenarios = self.root / "scenarios"
        self.challenges = self.root / "challenges"
        self.runs = self.root / "runs"
        self.versions = Versions(self.root / "versions")
        fresh = not self.scenarios.exists()
        for folder in (self.scenarios, self.challenges, self.runs):
            folder.mkdir(parents=True, exist_ok=True)
        if seed and fresh:
            self.seed()

    def seed(self) -> None:
        """Copy the shipped scenarios and exercise challenges (never over a user's file)."""
        source = shipped_scenarios()
        if source is None:
            return
        for path in sorted(source.glob("*.yaml")):
            target = self.scenarios / f"{slug(path.stem)}.yaml"
            if not target.exists():
                write_atomic(target, path.read_bytes())
        for path in sorted((source / "exercise").glob("*.yaml")):
            target = self.challenges / path.name
            if not target.exists():
                shutil.copyfile(path, target)

    # -- scenarios ---------------------------------------------------------------------------
    def scenario_names(self) -> list[str]:
        return sorted(p.stem for p in self.scenarios.glob("*.yaml") if NAME.match(p.stem))

    def scenario_path(self, name: str) -> Path:
        if not NAME.match(name):
            raise KeyError(name)
        return self.scenarios / f"{name}.yaml"

    def read_scenario(self, name: str) -> str:
        path = self.scenario_path(name)
        if not path.is_file():
            raise KeyError(name)
        return path.read_text(encoding="utf-8")

    def write_scenario(self, name: str, text: str) -> Path:
        """Write ``name``; the text it replaces is kept as a version (an unchanged save is no write)."""
        path = self.scenario_path(name)
        data = text.encode("utf-8")
        if path.is_file():
            before = path.read_bytes()
            if before == data:
                return path
            self.versions.add(name, before)
        write_atomic(path, data)
        return path

    def restore(self, name: str, vid: str) -> Path:
        """Make version ``vid`` of ``name`` current again (the current text becomes a version)."""
        return self.write_scenario(name, self.versions.read(name, vid))

    def describe(self, name: str) -> dict:
        """Name, title and opening hours of a stored scenario, for lists (never raises)."""
        try:
            data = yaml.safe_load(self.read_scenario(name))
        except (yaml.YAMLError, KeyError, OSError, UnicodeDecodeError):
            data = None
        data = data if isinstance(data, dict) else {}
        hours = data["hours"] if isinstance(data.get("hours"), dict) else {}
        return {"name": name, "title": str(data.get("name", name)),
                "open": str(hours.get("open", "")), "close": str(hours.get("close", ""))}

    # -- challenges --------------------------------------------------------------------------
    def challenge_names(self) -> list[str]:
        return sorted(p.stem for p in self.challenges.glob("*.yaml")
                      if NAME.match(p.stem) and not p.stem.endswith(".reference")
                      and "." not in p.stem)

    def challenge(self, name: str) -> Challenge:
        if name not in self.challenge_names():
            raise KeyError(name)
        return load_challenge(self.challenges / f"{name}.yaml")


def require_name(text: str, what: str = "name") -> str:
    """A stored name from a user's text, or a ScenarioError when nothing usable is left."""
    name = slug(text)
    if not NAME.match(name):
        raise ScenarioError(f"{what}: expected letters or digits, got {text!r}")
    return name
