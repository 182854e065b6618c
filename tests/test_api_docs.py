"""The Python API reference: every public name documented with its parameters and returns
and placed on the reference page (docs/api.md, built by Sphinx), and the column dictionary
complete."""

import inspect
import re
from pathlib import Path

import pytest

import hallsim
from hallsim.results import columns

ROOT = Path(__file__).resolve().parent.parent


def members(cls: type) -> list[tuple[str, object]]:
    """The public methods and properties a class itself defines (not pydantic's): what
    autodoc's ``:members:`` shows on the reference page."""
    found = []
    for name, value in vars(cls).items():
        if name.startswith(("_", "model_")):  # private, or pydantic's machinery
            continue
        if isinstance(value, (property, classmethod, staticmethod)) or inspect.isfunction(value) \
                or type(value).__name__ == "cached_property":
            found.append((name, value))
    return found


def problems(name):
    """What the docstring of hallsim.NAME (and of its members, for a class) lacks."""
    obj = getattr(hallsim, name)
    doc = inspect.getdoc(obj) or ""
    found = []
    if not doc:
        found.append(f"{name}: no docstring")
    if "contract section" in doc:
        found.append(f"{name}: cites a contract section users do not have")
    if not inspect.isclass(obj):
        found += [f"{name}: no {s} section" for s in ("Parameters", "Returns")
                  if f"{s}\n{'-' * len(s)}" not in doc]
        return found
    if issubclass(obj, BaseException):
        return found
    for member, value in members(obj):
        target = value.__func__ if isinstance(value, (classmethod, staticmethod)) else value
        text = inspect.getdoc(value) or ""
        is_property = isinstance(value, property) or type(value).__name__ == "cached_property"
        if is_property and ": " in text.split("\n")[0]:  # napoleon: "type: description"
            found.append(f"{name}.{member}: a colon in the first line")
        if "Returns\n-------" not in text:
            found.append(f"{name}.{member}: no Returns section")
        if callable(target) and not isinstance(value, property):
            params = [p for p in inspect.signature(target).parameters if p not in ("self", "cls")]
            if params and "Parameters\n----------" not in text:
                found.append(f"{name}.{member}: no Parameters section")
    return found


@pytest.mark.parametrize("name", sorted(hallsim.__all__))
def test_every_public_name_documents_parameters_and_returns(name):
    """Functions: numpy-style Parameters and Returns; classes: every public method and
    property documented with what it returns (and takes), a property's first line free of
    the colon that napoleon would read as "type: description"."""
    assert problems(name) == []


def test_reference_page_shows_every_public_name_once():
    """docs/api.md has one autodoc directive per name of hallsim.__all__ and none for a name
    that is not public (add the new name to its section when you export one)."""
    text = (ROOT / "docs" / "api.md").read_text(encoding="utf-8")
    shown = re.findall(r"^\.\. auto(?:function|class|exception):: hallsim\.(\w+)", text, re.M)
    assert sorted(shown) == sorted(hallsim.__all__)


@pytest.mark.parametrize("path", sorted(str(p.relative_to(ROOT)) for p in
                                        (ROOT / "scenarios").glob("*.yaml")))
def test_column_dictionary_covers_every_table(path):
    """Every column of customers, intervals and staff for each shipped hall is explained,
    and the dictionary names no column the tables do not have."""
    day = hallsim.simulate(hallsim.load_scenario(ROOT / path))
    for table in ("customers", "intervals", "staff"):
        frame = getattr(day, table)
        assert [c for c in frame.columns if not columns.documented(table, c)] == []
        listed = {c for c in columns.TABLES[table]
                  if not c.endswith("_ROLE") and c not in columns.ONLY_WITH}
        assert listed <= set(frame.columns)
