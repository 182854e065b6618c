"""The format's reference cannot drift: docs/*.md, docs/zh/*.md, docs/zh-Hant/*.md and
docs/*.schema.json are exactly what `hallsim schema` prints, the Chinese references are
Chinese around the keys, and the JSON Schema accepts the shipped files and refuses typos."""

import json
from pathlib import Path

import jsonschema
import pytest
import yaml
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from hallsim import formats
from hallsim.cli import main
from hallsim.i18n import LOCALES, language
from hallsim.scenario import reference

DOCS = Path(__file__).resolve().parent.parent / "docs"
SCENARIOS = Path(__file__).resolve().parent.parent / "scenarios"


def _printed(capsys, *args: str) -> str:
    assert main(["schema", *args]) == 0
    return capsys.readouterr().out


KINDS = formats.KINDS


@pytest.mark.parametrize("kind", KINDS)
def test_committed_reference_is_the_commands_output(kind, capsys):
    """docs/<kind>.md and docs/<kind>.schema.json: regenerate with `hallsim schema` if this fails."""
    markdown = _printed(capsys, "--kind", kind, "--markdown", "--lang", "en")
    assert (DOCS / f"{kind}.md").read_text(encoding="utf-8") == markdown, (
        f"run: hallsim schema --kind {kind} --markdown --lang en > docs/{kind}.md")
    schema = _printed(capsys, "--kind", kind, "--lang", "zh")  # for editors: English whatever --lang
    assert (DOCS / f"{kind}.schema.json").read_text(encoding="utf-8") == schema, (
        f"run: hallsim schema --kind {kind} > docs/{kind}.schema.json")


def test_reference_names_every_key_with_its_meaning(capsys):
    """Every scenario key has a row with a meaning; times, shares and defaults are spelt out."""
    text = _printed(capsys, "--markdown", "--lang", "en")
    for key in ("target_wait_minutes", "interval_minutes", "warmup_minutes", "online_eligible",
                "self_select", "occupied_weight", "queue_at_least", "divert_self_service"):
        row = next(line for line in text.splitlines() if line.startswith(f"| `{key}` |"))
        assert row.split(" | ")[5].strip(), f"{key} has no meaning"
    assert '| `target_wait_minutes` | number | minutes | `10` | >= 0 |' in text
    assert '| `start` | time "HH:MM" | HH:MM | required |' in text
    assert "### `lognormal`" in text and "| `cv` | number |" in text


@pytest.mark.parametrize("lang", ["zh", "zh-Hant"])
@pytest.mark.parametrize("kind", KINDS)
def test_committed_chinese_reference_is_the_commands_output(kind, lang, capsys):
    """docs/zh/<kind>.md and docs/zh-Hant/<kind>.md: regenerate with `hallsim schema --lang`."""
    markdown = _printed(capsys, "--kind", kind, "--markdown", "--lang", lang)
    assert (DOCS / lang / f"{kind}.md").read_text(encoding="utf-8") == markdown, (
        f"run: hallsim schema --kind {kind} --markdown --lang {lang} > docs/{lang}/{kind}.md")


@pytest.mark.parametrize("lang", ["zh", "zh-Hant"])
def test_chinese_reference_keeps_the_keys_and_translates_the_rest(lang, capsys):
    """Keys, defaults and examples stay as the user types them; the words around them
    (headings, types, meanings, units) are Chinese, with no English description left."""
    text = _printed(capsys, "--markdown", "--lang", lang)
    row = next(line for line in text.splitlines() if line.startswith("| `target_wait_minutes` |"))
    cells = [c.strip() for c in row.split(" | ")]
    assert cells[0] == "| `target_wait_minutes`" and cells[3] == "`10`" and cells[4] == ">= 0"
    assert cells[1] == {"zh": "数值", "zh-Hant": "數值"}[lang]
    assert cells[5].startswith({"zh": "达标率", "zh-Hant": "達標率"}[lang])
    with language("en"):
        english = {t for kind in KINDS for t in reference.texts(formats.model(kind)) if len(t) > 20}
    assert [t for t in english if t in text] == []


@pytest.mark.parametrize("po", ["zh", "zh_Hant"])
def test_every_description_and_unit_has_a_translation(po):
    """What the references show from the models is in each Chinese catalog, translated
    (Babel's extractor for it: hallsim.formats.extract, mapped in pyproject.toml)."""
    with open(LOCALES / po / "LC_MESSAGES" / "hallsim.po", "rb") as handle:
        catalog = {m.id: m.string for m in read_po(handle) if m.id and not m.fuzzy}
    texts = {t for kind in KINDS for t in reference.texts(formats.model(kind))}
    assert sorted(t for t in texts if not catalog.get(t)) == []


def test_pybabel_extracts_the_models_texts():
    """`pybabel extract -F pyproject.toml` runs hallsim.formats.extract on formats.py (before
    the plain Python mapping), which yields the file's own marked strings and the models'."""
    tomllib = pytest.importorskip("tomllib")
    config = tomllib.loads((DOCS.parent / "pyproject.toml").read_text(encoding="utf-8"))
    methods = [(m["pattern"], m["method"]) for m in config["tool"]["babel"]["mappings"]]
    assert methods[0] == ("**/formats.py", "hallsim.formats:extract")
    found = {message[2] for message in extract_from_dir(str(DOCS.parent / "hallsim"), [methods[0]])}
    assert "Scenario file reference" in found
    assert {t for kind in KINDS for t in reference.texts(formats.model(kind))} <= found


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
