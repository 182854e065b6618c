"""Translations of what users read (reports, briefs, console, pages), through gettext.

Mark text with ``_("...")`` (or ``ngettext``) where it is produced, never where it is
defined at import time: the language is chosen per run (``--lang``) or per web request,
so a module-level constant must hold the English msgid and be translated when shown
(``_(LABELS[name])``).  Catalogs live in ``locales/<lang>/LC_MESSAGES/hallsim.mo``; a
language without a catalog falls back to the English text.

    with language("zh"):
        print(_("mean wait"))          # 平均等候时间
"""

from __future__ import annotations

import gettext as _gettext
import locale
import os
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from pathlib import Path

DOMAIN = "hallsim"
LOCALES = Path(__file__).parent / "locales"
LANGUAGES = ("en", "zh")
_current: ContextVar[str] = ContextVar("hallsim_language", default="en")


@cache
def translations(lang: str) -> _gettext.NullTranslations:
    """The catalog for ``lang`` ("en", "zh"), or the identity when there is none."""
    return _gettext.translation(DOMAIN, LOCALES, languages=[lang], fallback=True)


def normalise(lang: str | None) -> str:
    """``"zh_CN.UTF-8"`` → ``"zh"``; anything unknown → ``"en"``."""
    if not lang:
        return "en"
    code = lang.replace("-", "_").split(".")[0].split("_")[0].lower()
    return code if code in LANGUAGES else "en"


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


def _(message: str) -> str:
    """``message`` in the current language."""
    return translations(_current.get()).gettext(message)


gettext = _


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural form for ``n``, in the current language."""
    return translations(_current.get()).ngettext(singular, plural, n)


__all__ = ["LANGUAGES", "_", "current", "from_environment", "gettext", "language", "ngettext",
           "normalise", "set_language", "translations"]
