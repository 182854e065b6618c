"""The format's reference cannot drift: docs/*.md and docs/*.schema.json are exactly what
`hallsim schema` prints, and the JSON Schema accepts the shipped files and refuses typos."""

import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from hallsim.cli import main

DOCS = Path(__file__).resolve().parent.parent / "docs"
SCENARIOS = Path(__file__).resolve().parent.parent / "scenarios"


def _printed(capsys, *args: str) -> str:
    assert main(["schema", *args]) == 0
    return capsys.readouterr().out


@pytest.mark.parametrize("kind", ["scenario", "plan", "challenge", "rules"])
def test_committed_reference_is_the_commands_output(kind, capsys):
    """docs/<kind>.md and docs/<kind>.schema.json: regenerate with `hallsim schema` if this fails."""
    markdown = _printed(capsys, "--kind", kind, "--markdown")
    assert (DOCS / f"{kind}.md").read_text(encoding="utf-8") == markdown, (
        f"run: hallsim schema --kind {kind} --markdown > docs/{kind}.md")
    schema = _printed(capsys, "--kind", kind)
    assert (DOCS / f"{kind}.schema.json").read_text(encoding="utf-8") == schema, (
        f"run: hallsim schema --kind {kind} > docs/{kind}.schema.json")


def test_reference_names_every_key_with_its_meaning(capsys):
    """Every scenario key has a row with a meaning; times, shares and defaults are spelt out."""
    text = _printed(capsys, "--markdown")
    for key in ("target_wait_minutes", "interval_minutes", "warmup_minutes", "online_eligible",
                "self_select", "occupied_weight", "queue_at_least", "divert_self_service"):
        row = next(line for line in text.splitlines() if line.startswith(f"| `{key}` |"))
        assert row.split(" | ")[5].strip(), f"{key} has no meaning"
    assert '| `target_wait_minutes` | number | minutes | `10` | >= 0 |' in text
    assert '| `start` | time "HH:MM" | HH:MM | required |' in text
    assert "### `lognormal`" in text and "| `cv` | number |" in text


def _schema(kind: str) -> dict:
    return json.loads((DOCS / f"{kind}.schema.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("path", sorted(SCENARIOS.glob("*.yaml")), ids=lambda p: p.name)
def test_shipped_scenarios_satisfy_the_json_schema(path):
    """What an editor checks agrees with hallsim: the shipped halls are valid."""
    jsonschema.validate(yaml.safe_load(path.read_text(encoding="utf-8")), _schema("scenario"))


def test_shipped_challenges_and_plans_satisfy_their_schemas():
    """Each challenge and its reference plan validate against their own schemas."""
    for path in sorted((SCENARIOS / "exercise").glob("*.yaml")):
        kind = "plan" if ".reference" in path.name else "challenge"
        jsonschema.validate(yaml.safe_load(path.read_text(encoding="utf-8")), _schema(kind))


def test_the_json_schema_refuses_what_hallsim_refuses():
    """A typo'd key, an unquoted time and a share above 1 are each refused by the schema."""
    data = yaml.safe_load((SCENARIOS / "mid.yaml").read_text(encoding="utf-8"))
    schema = _schema("scenario")
    for broken in ({"counters": {"windos": 8}}, {"hours": {"open": 540, "close": "18:00"}},
                   {"triage": {**data["triage"], "divert_online": 1.5}}):
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate({**data, **broken}, schema)
    jsonschema.validate({**data, "patience": "none"}, schema)
