"""Translations of what users read (reports, briefs, console, pages), through gettext.

Mark text with ``_("...")`` (or ``ngettext``) where it is produced, never where it is
defined at import time: the language is chosen per run (``--lang``) or per web request,
so a module-level constant must hold the English msgid, marked ``N_("...")`` so that
extraction finds it, and be translated when shown with ``translate(LABELS[name])``
(``_()`` itself takes only a literal, outside any f-string: extraction reads the source).  Catalogs live in
``locales/<lang>/LC_MESSAGES/hallsim.po`` (the source, edited by translators) and ``.mo``
(compiled); a language is available when its ``.mo`` exists, and text a catalog lacks
falls back to English.  The README ("Languages") shows how to extract, translate and
compile.

    with language("zh"):
        print(_("mean wait"))          # 平均等候时间
"""

from __future__ import annotations

import gettext as _gettext
import locale
import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from pathlib import Path
from typing import Any

DOMAIN = "hallsim"
LOCALES = Path(__file__).parent / "locales"


def folder(lang: str) -> str:
    """The catalog folder of a language: ``zh-Hant`` lives in ``zh_Hant`` (Babel's name)."""
    return lang.replace("-", "_")


def available() -> tuple[str, ...]:
    """English plus every language with a compiled catalog: a new language is a file."""
    found = sorted(p.parent.parent.name.replace("_", "-")
                   for p in LOCALES.glob(f"*/LC_MESSAGES/{DOMAIN}.mo"))
    return ("en", *[lang for lang in found if lang != "en"])


LANGUAGES = available()
_current: ContextVar[str] = ContextVar("hallsim_language", default="en")


@cache
def translations(lang: str) -> _gettext.NullTranslations:
    """The catalog for ``lang`` ("en", "zh", "zh-Hant"), or the identity when there is none."""
    return _gettext.translation(DOMAIN, LOCALES, languages=[folder(lang)], fallback=True)


_TRADITIONAL = frozenset({"hant", "tw", "hk", "mo"})


def normalise(lang: str | None) -> str:
    """``"zh_CN.UTF-8"`` → ``"zh"``; ``"zh_TW"``, ``"zh-HK"``, ``"zh-Hant"`` → ``"zh-Hant"``;
    anything unknown → ``"en"``."""
    if not lang:
        return "en"
    parts = lang.split(".")[0].split("@")[0].replace("_", "-").lower().split("-")
    code = parts[0]
    if code == "zh" and _TRADITIONAL & set(parts[1:]) and "zh-Hant" in LANGUAGES:
        return "zh-Hant"
    return code if code in LANGUAGES else "en"


def option(text: str) -> str:
    """A ``--lang`` value: the language an alias names (``zh_Hant``, ``zh_TW``, ``zh-TW``,
    ``zh_CN``, ``zh-CN``, ``zh-Hans`` ...), or ``text`` as given when it names none of the
    catalogs (argparse then refuses it, listing the choices)."""
    code = text.split(".")[0].split("@")[0].replace("_", "-").lower().split("-")[0]
    chosen = normalise(text)
    return chosen if chosen.split("-")[0].lower() == code else text


def from_environment() -> str:
    """The user's language from ``LANGUAGE``/``LC_ALL``/``LC_MESSAGES``/``LANG``, else English."""
    for var in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var)
        if value and value not in ("C", "POSIX"):
            return normalise(value.split(":")[0])
    try:
        return normalise(locale.getlocale()[0])
    except ValueError:
        return "en"


def current() -> str:
    """The language in force in this context."""
    return _current.get()


def set_language(lang: str | None) -> None:
    """Use ``lang`` from now on in this context (``None``: from the environment)."""
    _current.set(normalise(lang) if lang else from_environment())


@contextmanager
def language(lang: str | None) -> Iterator[str]:
    """Use ``lang`` inside the block only (safe for concurrent web requests)."""
    token = _current.set(normalise(lang) if lang else from_environment())
    try:
        yield _current.get()
    finally:
        _current.reset(token)


# BCP 47 tags for ``<html lang>``: the script, so that browsers pick Simplified or
# Traditional glyph forms (and fonts) for the page.
_HTML_TAGS = {"zh": "zh-Hans", "zh-Hant": "zh-Hant"}


def html_lang(lang: str | None = None) -> str:
    """The ``lang`` attribute of a page in ``lang`` (default: the current language):
    ``"en"``, ``"zh-Hans"`` or ``"zh-Hant"``."""
    code = lang or _current.get()
    return _HTML_TAGS.get(code, code)


def N_(message: str) -> str:
    """Mark ``message`` for extraction without translating it (module-level constants)."""
    return message


def _(message: str) -> str:
    """``message`` in the current language."""
    return translations(_current.get()).gettext(message)


gettext = _


def pgettext(context: str, message: str) -> str:
    """``message`` in the current language, where the same English word means something
    else elsewhere: ``context`` (a literal) tells the two apart in the catalogs."""
    return translations(_current.get()).pgettext(context, message)


def translate(message: str) -> str:
    """A message held in a variable (marked ``N_`` where defined), in the current language."""
    return translations(_current.get()).gettext(message)


# Where a display name lacks the reader's language: the nearest script first, then English.
_NEAREST = {"zh-Hant": ("zh-Hant", "zh", "en"), "zh": ("zh", "zh-Hant", "en"), "en": ("en",)}


def display(name: str | Mapping[Any, str] | None, default: str = "") -> str:
    """A name the file gives per language (``{en: ..., zh: 缴费, zh-Hant: 繳費}``), in the
    current language; plain text is shown as written, and ``default`` when there is none."""
    if name is None:
        return default
    if isinstance(name, str):
        return name
    for lang in _NEAREST.get(_current.get(), (_current.get(), "en")):
        if name.get(lang):
            return name[lang]
    return next((v for v in name.values() if v), default)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural form for ``n``, in the current language."""
    return translations(_current.get()).ngettext(singular, plural, n)


__all__ = ["LANGUAGES", "N_", "_", "available", "current", "display", "folder", "from_environment",
           "gettext", "html_lang", "language", "ngettext", "normalise", "option", "set_language",
           "translate", "translations"]
