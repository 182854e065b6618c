"""The Python API reference: every public name documented with its parameters and returns,
docs/api.md generated from the docstrings and current, and the column dictionary complete."""

import inspect
import runpy
from pathlib import Path

import pytest

import hallsim
from hallsim.results import columns

ROOT = Path(__file__).resolve().parent.parent
BUILD = runpy.run_path(str(ROOT / "docs" / "build_api.py"))


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
    for member, value in BUILD["members"](obj):
        target = value.__func__ if isinstance(value, (classmethod, staticmethod)) else value
        text = inspect.getdoc(value) or ""
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
    property documented with what it returns (and takes)."""
    assert problems(name) == []


def test_api_reference_is_generated_from_the_code():
    """docs/api.md is what docs/build_api.py writes now (run it after changing a docstring)."""
    assert (ROOT / "docs" / "api.md").read_text(encoding="utf-8") == BUILD["build"]()


def test_reference_renders_sections_as_markdown():
    """Parameters become a list with types, RST literals become code."""
    text = BUILD["render_doc"]("Do it.\n\nParameters\n----------\nx : int\n    The ``x``.\n"
                               "\nReturns\n-------\nstr\n    Done.\n")
    assert text == "Do it.\n\n*Parameters*\n\n- `x` (int): The `x`.\n\n*Returns*\n\n- str: Done.\n"


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
