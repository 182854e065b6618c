"""Saving an edited scenario keeps what the planner wrote: comments, key order, layout."""

from __future__ import annotations

import copy
import difflib
from pathlib import Path

import pytest
import yaml

from hallsim.scenario.rewrite import rewrite

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = sorted((ROOT / "scenarios").glob("*.yaml"))


def _changed_lines(before: str, after: str) -> list[str]:
    return [line for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
            if line[:1] in "+-" and not line.startswith(("---", "+++"))]


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_a_file_saved_with_no_edits_is_byte_identical(path):
    """Every shipped scenario, rewritten with its own data, is the same bytes."""
    text = path.read_text(encoding="utf-8")
    assert rewrite(text, yaml.safe_load(text)) == text


def test_one_edit_changes_only_that_line_and_keeps_its_quotes_and_alignment():
    """low.yaml (18 comment lines, aligned flow shifts): a start time moved changes one line,
    in place, still quoted."""
    text = (ROOT / "scenarios" / "low.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    data["shifts"][0]["start"] = "09:30"
    out = rewrite(text, data)
    assert _changed_lines(text, out) == [
        '-  - {name: counter_a, role: counter,    start: "09:00", end: "18:00", count: 2,',
        '+  - {name: counter_a, role: counter,    start: "09:30", end: "18:00", count: 2,']
    assert yaml.safe_load(out) == data


def test_a_count_in_a_block_mapping_changes_that_line_only():
    """A plain number in block style is replaced where it stands, its comment kept."""
    text = "name: x   # the hall\ncounters:\n  windows: 8      # eight\nloads: {mid: 50}\n"
    data = yaml.safe_load(text)
    data["counters"]["windows"] = 6
    assert rewrite(text, data) == text.replace("windows: 8 ", "windows: 6 ")


def test_added_and_removed_shifts_touch_only_their_own_lines():
    """A new shift is one new line after the last; a deleted shift's lines (and comment) go."""
    text = (ROOT / "scenarios" / "weekday.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    added = copy.deepcopy(data)
    added["shifts"].append({"name": "late", "role": "counter", "start": "14:00", "end": "18:00", "count": 1})
    assert _changed_lines(text, rewrite(text, added)) == [
        '+  - {name: late, role: counter, start: "14:00", end: "18:00", count: 1}']
    removed = copy.deepcopy(data)
    gone = removed["shifts"].pop(1)
    diff = _changed_lines(text, rewrite(text, removed))
    assert len(diff) == 1 and diff[0].startswith("-") and f"name: {gone['name']}," in diff[0]


def test_a_new_time_of_day_is_quoted_so_that_it_reads_back_as_text():
    """An unquoted 09:30 is read by YAML 1.1 as a number of minutes; new times are quoted."""
    text = "hours:\n  open: '09:00'\nextra: 1\n"
    data = yaml.safe_load(text)
    data["hours"]["open"] = "09:30"
    data["hours"]["close"] = "18:00"
    out = rewrite(text, data)
    assert out == "hours:\n  open: '09:30'\n  close: \"18:00\"\nextra: 1\n"
    assert yaml.safe_load(out) == data


def test_what_the_splice_cannot_place_goes_through_the_round_trip_with_its_comments():
    """Anchored shifts (one node used twice) cannot be spliced: ruamel's round trip keeps the
    comments and the result reads back as the new data."""
    text = "# plan\nbase: &b {start: '09:00', count: 1}   # shared\nshifts:\n- *b\n- *b\n"
    data = yaml.safe_load(text)
    data["shifts"][1] = {"start": "10:00", "count": 2}
    out = rewrite(text, data)
    assert "# plan" in out and "# shared" in out
    assert yaml.safe_load(out) == data


def test_a_number_read_back_as_another_type_is_not_an_edit():
    """3.0 comes back from the browser's JSON as 3: beside a real edit, it stays 3.0."""
    text = "service: {mean: 3.0, cv: 0.5, count: 2}\n"
    data = {"service": {"mean": 3, "cv": 0.5, "count": 4}}
    assert rewrite(text, data) == "service: {mean: 3.0, cv: 0.5, count: 4}\n"
