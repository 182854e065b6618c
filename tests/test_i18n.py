"""Translations: catalogs complete and compiled, every marked string extractable, --lang and
the locale choose the language, and Chinese text renders in plots."""

import ast
import functools
import io
import os
import re
import string
import subprocess
import sys
import warnings
from pathlib import Path

import matplotlib
import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po
from rich.console import Console

from hallsim import formats
from hallsim.i18n import LANGUAGES, LOCALES, _, folder, language, ngettext, normalise
from hallsim.output import console, plots
from hallsim.output.htmlpage import figure, page
from hallsim.scenario import reference
from tests.helpers import tiny

PACKAGE = Path(__file__).resolve().parent.parent / "hallsim"
CATALOGS = sorted(LOCALES.glob("*/LC_MESSAGES/hallsim.po"))
MARKERS = {"_": 1, "N_": 1, "gettext": 1, "ngettext": 2}


def _catalog(path: Path):
    with path.open("rb") as f:
        return read_po(f)


def _fields(text: str) -> set[str]:
    return {name for _lit, name, _spec, _conv in string.Formatter().parse(text) if name is not None}


def test_there_is_a_chinese_catalog_and_english_needs_none():
    """zh is available from its compiled file; English is the msgids themselves."""
    assert LANGUAGES[0] == "en" and "zh" in LANGUAGES
    assert [p.parent.parent.name for p in CATALOGS] == [folder(lang) for lang in LANGUAGES
                                                        if lang != "en"]


def _messages(catalog) -> dict:
    """What a catalog translates, without the header a tool writes (Babel's version, dates)."""
    def key(text):  # read_mo gives plural forms as lists, read_po as tuples
        return tuple(text) if isinstance(text, (list, tuple)) else text

    return {(key(m.id), m.context): key(m.string) for m in catalog if m.id and not m.fuzzy}


@pytest.mark.parametrize("po", CATALOGS, ids=lambda p: p.parent.parent.name)
def test_committed_mo_is_the_compiled_po(po):
    """The .mo next to each .po holds exactly the .po's translations and plural rule (run
    pybabel compile); tool headers such as Generated-By may differ between Babel releases."""
    source = _catalog(po)
    with po.with_suffix(".mo").open("rb") as f:
        compiled = read_mo(f)
    hint = f"{po.with_suffix('.mo')} is stale: run `pybabel compile -d hallsim/i18n/locales -D hallsim`"
    assert _messages(compiled) == _messages(source), hint
    assert compiled.plural_forms == source.plural_forms, hint


@pytest.mark.parametrize("po", CATALOGS, ids=lambda p: p.parent.parent.name)
def test_every_message_is_translated_with_the_same_placeholders(po):
    """No empty or fuzzy translation, and each keeps exactly the msgid's {placeholders}."""
    problems = []
    for message in _catalog(po):
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy or not all(strings):
            problems.append(f"untranslated: {ids[0]!r}")
            continue
        for translated in strings:
            if _fields(translated) != _fields(ids[0]):
                problems.append(f"placeholders differ: {ids[0]!r} → {translated!r}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("po", CATALOGS, ids=lambda p: p.parent.parent.name)
def test_no_message_is_in_a_catalog_twice(po):
    """Each msgid appears once in its context (msgfmt refuses duplicates; Babel silently
    keeps the last); the same msgid under a ``msgctxt`` is another message."""
    text = po.read_text(encoding="utf-8")
    ids = ["".join(re.findall(r'"(.*)"', context)) + "\x04" + "".join(re.findall(r'"(.*)"', m))
           for context, m in re.findall(r'^(?:msgctxt ((?:".*"\n)+))?msgid ((?:".*"\n)+)', text, re.M)]
    assert sorted(i for i in set(ids) if ids.count(i) > 1) == []


# A .po line is blank, a comment, a keyword with its quoted string, or a continuation string;
# a string must close on its own line (msgfmt refuses the file otherwise, Babel reads on).
PO_LINE = re.compile(r'^(|#.*|(msgctxt|msgid|msgid_plural|msgstr(\[\d+\])?) "(?:[^"\\]|\\.)*"'
                     r'|"(?:[^"\\]|\\.)*")$')


@pytest.mark.parametrize("po", CATALOGS, ids=lambda p: p.parent.parent.name)
def test_every_line_of_the_catalog_is_one_msgfmt_reads(po):
    bad = [f"{n}: {line}" for n, line in enumerate(po.read_text(encoding="utf-8").splitlines(), 1)
           if not PO_LINE.match(line)]
    assert bad == []


def _extracted() -> set[str]:
    mapping = [("**.py", "python")]
    return {msg[2] if isinstance(msg[2], str) else msg[2][0]
            for msg in extract_from_dir(str(PACKAGE), mapping)}


@pytest.mark.parametrize("po", CATALOGS, ids=lambda p: p.parent.parent.name)
def test_every_marked_string_in_the_code_is_in_the_catalog(po):
    """Text wrapped in _() since the catalog was last updated fails here until translated.
    A regional catalog (zh_Hant) may lack text its base language (zh) has: gettext falls back
    to it (繁體 readers then see 简体 until the regional entry is added)."""
    known = {m.id if isinstance(m.id, str) else m.id[0] for m in _catalog(po) if m.id}
    base = po.parents[2] / po.parent.parent.name.split("_")[0] / "LC_MESSAGES" / po.name
    if base != po:
        known |= {m.id if isinstance(m.id, str) else m.id[0] for m in _catalog(base) if m.id}
    missing = sorted(_extracted() - known)
    assert not missing, ("not in the catalog (README, 'Languages': extract, update, translate, "
                         f"compile): {missing}")


def test_translated_calls_take_a_literal_outside_any_f_string():
    """_() of a variable, or inside an f-string, is invisible to extraction: never translated."""
    bad = []
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        in_fstring = {id(n) for js in ast.walk(tree) if isinstance(js, ast.JoinedStr)
                      for n in ast.walk(js)}
        for node in ast.walk(tree):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                    and node.func.id in MARKERS and path.name != "__init__.py"):
                literal = all(isinstance(a, ast.Constant) and isinstance(a.value, str)
                              for a in node.args[:MARKERS[node.func.id]])
                if not literal or id(node) in in_fstring:
                    bad.append(f"{path.relative_to(PACKAGE.parent)}:{node.lineno}")
    assert not bad, ("use a literal in _(); for a constant marked N_(), use "
                     f"hallsim.i18n.translate(): {bad}")


def test_language_is_per_context_and_falls_back_to_english():
    """Inside language("zh") text is Chinese; outside, and for unknown languages, English."""
    with language("zh"):
        assert _("mean wait") == "平均等候时间"
        assert ngettext("{n} rule broken", "{n} rules broken", 2).format(n=2) == "违反 2 条规则"
        assert _("a sentence nobody translated") == "a sentence nobody translated"
    assert _("mean wait") == "mean wait"
    assert normalise("zh_CN.UTF-8") == "zh" and normalise("xx_YY") == "en"


def test_console_table_in_chinese():
    """The run table's headings, labels and units are Chinese under --lang zh."""
    summary = {"replications": 2, "metrics": {
        "mean_wait_min": {"mean": 4.25, "ci95": 0.5}, "abandon_rate": {"mean": 0.031, "ci95": 0.004}}}
    out = Console(file=io.StringIO(), width=100)
    with language("zh"):
        out.print(console.summary_table(summary, "标题"))
    text = out.file.getvalue()
    assert "指标" in text and "平均等候时间" in text and "4.2 分钟" in text
    assert "0.4 个百分点" in text and "3.1%" in text


@pytest.mark.parametrize(("args", "env", "expected"), [
    (["--lang", "zh"], {"LANG": "en_US.UTF-8"}, "通过"),
    ([], {"LANG": "zh_CN.UTF-8"}, "通过"),
    ([], {"LANG": "C"}, ": ok ("),
])
def test_validate_speaks_the_chosen_or_the_locale_language(args, env, expected):
    """--lang wins; without it the locale (LANG) decides; C means English."""
    clean = {k: v for k, v in os.environ.items() if k not in ("LANGUAGE", "LC_ALL", "LC_MESSAGES")}
    proc = subprocess.run([sys.executable, "-m", "hallsim", "validate", "scenarios/mid.yaml", *args],
                          capture_output=True, text=True, check=False, env={**clean, **env})
    assert proc.returncode == 0, proc.stderr
    assert expected in proc.stdout


def test_html_page_declares_its_language():
    """The page's lang attribute names the script, so browsers pick Simplified or
    Traditional glyphs and fonts."""
    with language("zh"):
        assert '<html lang="zh-Hans">' in page("t", "")
    with language("zh-Hant"):
        assert '<html lang="zh-Hant">' in page("t", "")
    assert '<html lang="en">' in page("t", "")


def _chinese_plan():
    return tiny(shifts=[{"name": "早班柜台", "role": "counter", "start": "09:00", "end": "12:00",
                         "count": 2}])


def test_chinese_shift_names_render_with_no_missing_glyph():
    """With a CJK font installed (fonts-noto-cjk), a Chinese shift name has every glyph."""
    if not plots.cjk_fonts():
        if os.environ.get("CI"):
            pytest.fail("no CJK font: .ci/run installs fonts-noto-cjk")
        pytest.skip("no CJK font installed (Debian/Ubuntu: apt-get install fonts-noto-cjk)")
    with warnings.catch_warnings(record=True) as caught, language("zh"):
        warnings.simplefilter("always")
        picture = plots.render(plots.shift_plan(_chinese_plan()))
    assert picture.missing_glyphs == () and picture.svg is None
    assert not [w for w in caught if "missing from font" in str(w.message)]


def test_without_a_cjk_font_the_html_gets_svg_with_the_text_as_text():
    """No font has the glyphs: the page embeds an SVG whose text the browser draws itself."""
    with matplotlib.rc_context({"font.sans-serif": ["DejaVu Sans"], "font.family": "sans-serif"}):
        picture = plots.render(plots.shift_plan(_chinese_plan()))
    assert picture.missing_glyphs and picture.png.startswith(b"\x89PNG")
    assert "早班柜台" in picture.svg.decode("utf-8")
    html = figure("shift_plan.png", picture, "计划")
    assert re.search(r'src="data:image/svg\+xml;base64,', html)


@functools.cache
def _text_in_the_code() -> tuple[set[str], list[re.Pattern]]:
    """Every string literal of the package (help texts are translated when shown, so they
    are literals, not _() calls), the templates' _() texts, and f-strings as patterns."""
    literals, patterns = set(), []
    for path in PACKAGE.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        parts = {id(v) for n in ast.walk(tree) if isinstance(n, ast.JoinedStr) for v in n.values}
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in parts:
                literals.add(node.value)      # and docstrings' paragraphs, as the schema docs
                literals |= {" ".join(p.split()) for p in node.value.split("\n\n")}
            elif isinstance(node, ast.JoinedStr):     # help=f"... (default {DEFAULT_SEED})"
                fixed = [v.value for v in node.values if isinstance(v, ast.Constant)]
                if sum(map(len, fixed)) >= 10:
                    patterns.append(re.compile("".join(
                        re.escape(v.value) if isinstance(v, ast.Constant) else ".*?"
                        for v in node.values) + r"\Z", re.S))
    for template in (PACKAGE / "web" / "templates").glob("*.html"):
        literals |= {m[1] for m in re.findall(r"""_\((["'])(.*?)\1\)""",
                                              template.read_text(encoding="utf-8"))}
    # The file formats' descriptions and units, as the references show them (what
    # hallsim.formats.extract gives pybabel).
    literals |= {text for kind in formats.KINDS for text in reference.texts(formats.model(kind))}
    return literals, patterns


@pytest.mark.parametrize("po", CATALOGS, ids=lambda p: p.parent.parent.name)
def test_every_message_in_the_catalog_is_still_used(po):
    """A catalog entry whose English no longer appears in the code is stale: a translator
    would review it for nothing (remove it when the text changes)."""
    literals, patterns = _text_in_the_code()
    stale = sorted(m.id if isinstance(m.id, str) else m.id[0] for m in _catalog(po)
                   if m.id and (m.id if isinstance(m.id, str) else m.id[0]) not in literals
                   and not any(p.match(m.id if isinstance(m.id, str) else m.id[0])
                               for p in patterns))
    assert not stale, stale


def test_the_traditional_catalog_has_every_simplified_entry():
    """zh_Hant is a reviewed catalog of its own, not a fallback to 简体: every text the
    Simplified catalog translates is translated in Traditional Chinese too (seed a new
    entry with `opencc -c s2twp`, then use the regional words: 櫃檯, 輪候, 抽號, 窗口)."""
    by_lang = {p.parent.parent.name: {m.id if isinstance(m.id, str) else m.id[0]
                                      for m in _catalog(p) if m.id} for p in CATALOGS}
    if "zh_Hant" in by_lang:
        assert sorted(by_lang["zh"] - by_lang["zh_Hant"]) == []
