"""``--help`` in the user's language: argparse's own words and hallsim's help texts are
looked up in the catalogs when the help is formatted.

The parser is built in English (its help strings are the msgids); ``localise`` gives every
parser and sub-parser a formatter that translates at format time, so ``hallsim --lang zh
--help`` and ``hallsim run --help`` under a Chinese locale print Chinese. Option names,
metavars and the example commands stay as the user types them.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from .i18n import LANGUAGES, N_, _, translate

# argparse's own words (Python's own catalog is not installed with hallsim).
ARGPARSE_WORDS = (N_("positional arguments"), N_("options"), N_("show this help message and exit"),
                  N_("show program's version number and exit"), N_("examples:"))


class _Section(argparse.HelpFormatter._Section):  # type: ignore[name-defined]
    """A section whose heading ends in a full-width colon when it is Chinese."""

    def format_help(self) -> str:
        text = str(super().format_help())
        heading = self.heading
        if heading and any("\u3400" <= c <= "\u9fff" for c in heading):
            text = text.replace(f"{heading}:\n", f"{heading}：\n", 1)
        return text


class LocalHelp(argparse.RawDescriptionHelpFormatter):
    """Help text in the current language; examples and exit statuses kept as laid out."""

    _Section = _Section  # type: ignore[assignment]

    def add_usage(self, usage, actions, groups, prefix=None):  # type: ignore[no-untyped-def]
        super().add_usage(usage, actions, groups, _("usage: ") if prefix is None else prefix)

    def start_section(self, heading: str | None) -> None:
        super().start_section(translate(heading) if heading else heading)

    def _get_help_string(self, action: argparse.Action) -> str | None:
        return translate(action.help) if action.help else action.help

    def _format_text(self, text: str) -> str:
        return super()._format_text(translate_block(text))


def translate_block(text: str) -> str:
    """A description or epilog: each paragraph translated whole if the catalog has it,
    else line by line (the example commands themselves are not in any catalog)."""
    out = []
    for paragraph in text.split("\n\n"):
        whole = translate(paragraph)
        out.append(whole if whole != paragraph else
                   "\n".join(translate(line) for line in paragraph.split("\n")))
    return "\n\n".join(out)


def localise(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """Give ``parser`` and all its sub-parsers the translating formatter."""
    parser.formatter_class = LocalHelp
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in dict.fromkeys(action.choices.values()):
                localise(sub)
    return parser


def language_in(argv: Sequence[str]) -> str | None:
    """The ``--lang`` given anywhere on the command line (the last one), before parsing, so
    that ``--help`` and argument errors speak it too."""
    found = None
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv):
            found = argv[i + 1]
        elif arg.startswith("--lang="):
            found = arg.split("=", 1)[1]
    return found if found in LANGUAGES else None


__all__ = ["LocalHelp", "language_in", "localise", "translate_block"]
