"""The course's words (hallsim/i18n/glossary.yaml): every catalog says the course's terms
the course's way, and never the words the course does not use."""

import re
from pathlib import Path

import pytest
import yaml
from babel.messages.pofile import read_po

from hallsim.i18n import LOCALES, folder

GLOSSARY = yaml.safe_load((LOCALES.parent / "glossary.yaml").read_text(encoding="utf-8"))
CATALOGS = {lang: LOCALES / folder(lang) / "LC_MESSAGES" / "hallsim.po"
            for lang in ("zh", "zh-Hant") if (LOCALES / folder(lang) / "LC_MESSAGES" / "hallsim.po").exists()}


def _messages(po: Path) -> list[tuple[str, str]]:
    """(English, translation) for every entry, plural forms included."""
    with open(po, "rb") as handle:
        catalog = read_po(handle)
    out = []
    for m in catalog:
        if not m.id:
            continue
        ids = [m.id] if isinstance(m.id, str) else list(m.id)
        strings = [m.string] if isinstance(m.string, str) else list(m.string)
        out += [(i, s) for i in ids for s in strings if s]
    return out


def test_the_glossary_names_every_term_in_both_scripts():
    """Each term has its English, a pattern, and a Simplified and a Traditional word."""
    for term in GLOSSARY["terms"]:
        assert {"en", "match", "zh", "zh-Hant"} <= set(term), term
        re.compile(term["match"])


@pytest.mark.parametrize("lang", sorted(CATALOGS))
def test_catalogs_use_the_course_words(lang):
    """Wherever the English says a course term, the translation uses the course's word."""
    messages = _messages(CATALOGS[lang])
    wrong = []
    for term in GLOSSARY["terms"]:
        pattern = re.compile(term["match"], re.IGNORECASE)
        wrong += [f"{term['en']} → {term[lang]}: {english!r} → {text!r}"
                  for english, text in messages if pattern.search(english) and term[lang] not in text]
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("lang", sorted(CATALOGS))
def test_catalogs_never_use_words_the_course_does_not(lang):
    """平峰, 柜台员工, 放弃率, 服务水平, 流程精简, 练习教室, 公共随机数 ... appear nowhere."""
    key = "avoid" if lang == "zh" else "avoid-Hant"
    banned = [(word, term[lang]) for term in GLOSSARY["terms"] for word in term.get(key, [])]
    wrong = [f"{word} (say {meant}): {text!r}" for _english, text in _messages(CATALOGS[lang])
             for word, meant in banned if word in text]
    assert not wrong, "\n".join(wrong)


CJK = r"[\u3400-\u9fff\u3000-\u303f\uff00-\uffef]"
CODE = re.compile(r"\{[^{}]*\}|`[^`]*`")          # placeholders and code keep ASCII
HALF_WIDTH = re.compile(rf"(?<={CJK})\s*[,;:?!()]|[,;?!(]\s*(?={CJK})"
                        rf"|(?<![\w.\-\]'\"]):\s*(?={CJK})")


@pytest.mark.parametrize("lang", sorted(CATALOGS))
def test_chinese_sentences_use_full_width_punctuation(lang):
    """No half-width , ; : ? ! ( ) beside Chinese text (“levers:” and {placeholders} are code)."""
    wrong = [text for _english, text in _messages(CATALOGS[lang])
             if HALF_WIDTH.search(CODE.sub("x", text))]
    assert not wrong, "\n".join(wrong)
