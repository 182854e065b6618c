"""Slips a Chinese input method makes in a YAML file, found and named with their fix.

A full-width colon (``start：``, ``09：00``), a full-width comma inside ``{...}`` or
``[...]``, Chinese quotation marks around a value, a role or a service written in Chinese,
a percentage where a share is meant. Each hint says what to write instead. Comments are
never read; names keep any punctuation they like (only punctuation where YAML expects its
own is a slip).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from ..i18n import _

# The course's words (and common English ones) for the three staff roles.
ROLE_WORDS: dict[str, str] = {
    "greeter": "triage", "guide": "triage", "host": "triage", "引导员": "triage",
    "引导": "triage", "引导分流": "triage", "分流": "triage", "大堂经理": "triage",
    "引導員": "triage", "引導": "triage", "分流員": "triage", "大堂經理": "triage",
    "teller": "counter", "clerk": "counter", "window": "counter", "营业员": "counter",
    "柜员": "counter", "柜台": "counter", "窗口": "counter", "營業員": "counter",
    "櫃員": "counter", "櫃檯": "counter", "floor": "preprocess", "pre-process": "preprocess",
    "pre_process": "preprocess", "preprocessing": "preprocess", "预处理": "preprocess",
    "业务预处理": "preprocess", "預處理": "preprocess", "業務預處理": "preprocess",
}

_COLON_AS_KEY = re.compile(r"^(\s*(?:-\s+)?[^\s#'\"“‘:][^：#:]*?)：(?=\s|$)")
# a key typed with "：" and nothing after it before the value (``start："09:00"``)
_COLON_TIGHT = re.compile(r"^(\s*(?:-\s+)?[^\s#'\"“‘:：{}\[\],，]+)：(?=\S)")
# the same where YAML parses it as one odd key: an ASCII key in a flow map or at a line's start
_KEY_GLUED = re.compile(r"((?:^|[{,])\s*(?:-\s+)?)([A-Za-z_][A-Za-z0-9_]*)：")
_COLON_IN_FLOW = re.compile(r"[{,，]\s*[^\s{},，：\"']+：")
_CLOCK = re.compile(r"\d{1,2}：\d{2}")
_OPEN_QUOTE = re.compile(r"(?:^|[:：]\s+|[\[{,，]\s*|-\s+)([“‘])")


def _code(line: str) -> str:
    """The line without its comment (a ``#`` at the start or after a space)."""
    match = re.search(r"(^|\s)#", line)
    return line[:match.start()] if match else line


def slips(text: str) -> list[tuple[int, str]]:
    """``(line, hint)`` for every input-method slip outside comments, in line order."""
    found: list[tuple[int, str]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        code = _code(line)
        if (_COLON_AS_KEY.search(code) or _COLON_TIGHT.search(code)
                or _COLON_IN_FLOW.search(code) or _CLOCK.search(code)):
            found.append((number, _('full-width colon "：" (a Chinese input method\'s): write '
                                    'the ASCII ":" (switch the input method to English '
                                    'punctuation)')))
        depth = 0
        for char in code:
            depth += char in "{[" or -(char in "}]")
            if char == "，" and depth > 0:
                found.append((number, _('full-width comma "，" between items: write the ASCII '
                                        '","')))
                break
        if _OPEN_QUOTE.search(code):
            found.append((number, _('Chinese quotation marks “ ” or ‘ ’: write ASCII quotes, '
                                    'e.g. "09:00"')))
    return found


def repair(text: str) -> str:
    """The text with every slip of ``slips`` replaced by the ASCII punctuation meant."""
    out = []
    for line in text.splitlines(keepends=True):
        code = _code(line.rstrip("\r\n"))
        rest = line[len(code):]
        code = _CLOCK.sub(lambda m: m.group(0).replace("：", ":"), code)
        code = _COLON_TIGHT.sub(lambda m: m.group(1) + ": ", code)
        code = re.sub(r"：(?=\s|$)", ":", code)
        code = _fix_flow(code)
        code = code.replace("“", '"').replace("”", '"').replace("‘", "'").replace("’", "'")
        out.append(code + rest)
    return "".join(out)


def glued_keys(text: str) -> list[tuple[int, str]]:
    """``(line, hint)`` for keys typed with a full-width colon that YAML reads without a
    syntax error, as one odd key (``{name: a, start："09:00"}``): an ASCII key followed by
    "：" at a line's start or after "{" or ","; text values with "：" are not slips."""
    found = []
    for number, line in enumerate(text.splitlines(), start=1):
        for match in _KEY_GLUED.finditer(_code(line)):
            found.append((number, _('full-width colon "：" after "{key}" (a Chinese input '
                                    'method\'s): write "{key}:"').format(key=match.group(2))))
    return found


def repair_glued(text: str) -> str:
    """The text with each key of ``glued_keys`` followed by ": " instead of "："."""
    out = []
    for line in text.splitlines(keepends=True):
        code = _code(line.rstrip("\r\n"))
        fixed = _KEY_GLUED.sub(lambda m: m.group(1) + m.group(2) + ": ", code)
        out.append(fixed + line[len(code):])
    return "".join(out)


def _fix_flow(code: str) -> str:
    """Inside ``{...}`` / ``[...]``: "，" → ",", and "key：value" → "key: value"."""
    chars, depth = list(code), 0
    for i, char in enumerate(chars):
        depth += char in "{[" or -(char in "}]")
        if depth > 0 and char == "，":
            chars[i] = ","
        elif depth > 0 and char == "：":
            chars[i] = ": "
    return "".join(chars)


def value_hint(value: object) -> str:
    """A hint for a text value holding a slip (``"18：00"``, ``“09:00”``), or ""."""
    if not isinstance(value, str):
        return ""
    if "：" in value:
        return _(' (full-width colon "：": write "{fixed}")').format(
            fixed=value.replace("：", ":").strip("“”‘’\"'"))
    if value[:1] in "“‘" or value[-1:] in "”’":
        return _(' (Chinese quotation marks: write "{fixed}" with ASCII quotes)').format(
            fixed=value.strip("“”‘’"))
    return ""


def key_hint(key: str) -> str:
    """A key that swallowed a full-width colon (``self_service： {kiosks``) → its fix, or ""."""
    if "：" not in key:
        return ""
    return _(' (full-width colon "：" after "{key}": write "{key}:")').format(
        key=key.split("：")[0].strip())


def role_hint(value: object) -> str:
    """``greeter`` / ``引导员`` → " (did you mean 'triage'?)", or ""."""
    if not isinstance(value, str):
        return ""
    meant = ROLE_WORDS.get(value.strip().lower()) or ROLE_WORDS.get(value.strip())
    return _(" (did you mean '{role}'?)").format(role=meant) if meant else ""


def share_hint(value: object) -> str:
    """A share written as a percentage (``70``) → " (a share: write 0.7 for 70%)", or ""."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 1 < value <= 100:
        return ""
    return _(" (a share, not a percentage: write {share:g} for {value:g}%)").format(
        share=value / 100, value=value)


def service_hint(name: str, services: Iterable[tuple[str, Mapping[Any, str] | None]]) -> str:
    """A service named by its display name (``开户``) → " (did you mean 'new_line' (开户)?)"."""
    for ident, label in services:
        if label and name.strip() in {v.strip() for v in label.values()}:
            return _(" (did you mean '{name}' ({label})? plans name services by their "
                           "id)").format(name=ident, label=name.strip())
    return ""


__all__ = ["ROLE_WORDS", "glued_keys", "key_hint", "repair", "repair_glued", "role_hint",
           "service_hint", "share_hint", "slips", "value_hint"]
