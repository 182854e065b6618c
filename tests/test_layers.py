"""Layers point down: the week, roster and batch packages use other modules' public names
only, and nothing of the exercise (plan rules live in hallsim.planning, page parts in
hallsim.output.htmlpage)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "hallsim"


def imports(path: Path) -> list[tuple[str, str]]:
    """(module, name) for every ``from hallsim... import name`` in a file, relative ones
    resolved."""
    here = path.relative_to(PACKAGE.parent).with_suffix("").parts[:-1]
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.ImportFrom):
            continue
        if node.level:
            base = list(here[:len(here) - node.level + 1])
            module = ".".join(base + ([node.module] if node.module else []))
        else:
            module = node.module or ""
        if module.split(".")[0] == "hallsim":
            out += [(module, alias.name) for alias in node.names]
    return out


def test_the_reader_resolves_relative_imports():
    """The check itself: a relative import two levels up names the module it means."""
    found = imports(PACKAGE / "roster" / "draft.py")
    assert ("hallsim.planning.rules", "Rules") in found
    assert ("hallsim.roster", "problem") in found


@pytest.mark.parametrize("package", ["week", "roster", "batch"])
def test_no_private_names_and_no_exercise(package):
    """No ``_helper`` of another module (gettext's ``_`` aside), no hallsim.exercise."""
    wrong = []
    for path in sorted((PACKAGE / package).glob("*.py")):
        for module, name in imports(path):
            if name.startswith("_") and name != "_":
                wrong.append(f"{path.name}: {module}.{name}")
            if module.startswith("hallsim.exercise"):
                wrong.append(f"{path.name}: {module}")
    assert wrong == []
