"""``--help`` in the user's language: argparse's own words and hallsim's help texts are
looked up in the catalogs when the help is formatted.

The parser is built in English (its help strings are the msgids); ``localise`` gives every
parser and sub-parser a formatter that translates at format time, so ``hallsim --lang zh
--help`` and ``hallsim run --help`` under a Chinese locale print Chinese. Option names,
metavars and the example commands stay as the user types them.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Sequence
from typing import NoReturn

from .i18n import LANGUAGES, N_, _, option, translate

# argparse's own words (Python's own catalog is not installed with hallsim).
ARGPARSE_WORDS = (N_("positional arguments"), N_("options"), N_("show this help message and exit"),
                  N_("show program's version number and exit"), N_("examples:"))
# The comments after the example commands (the commands themselves stay as typed).
EXAMPLE_NOTES = (N_("table + reports/weekday/report.html"), N_("reports/weekday/report.html"),
                 N_("warnings (unstaffed hours) fail too"), N_("all cores"),
                 N_("every scenario key (docs/scenario.md)"), N_("for VS Code's YAML extension"),
                 N_("with a verdict on the weighted score"), N_("a staff hour weighs 30 points"))
_NOTE = re.compile(r"^(\s*hallsim .*?\s# )(.+)$")


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
                   "\n".join(_line(line) for line in paragraph.split("\n")))
    return "\n\n".join(out)


def _line(line: str) -> str:
    """A line of a description or epilog; an example command keeps its command and has its
    comment translated."""
    note = _NOTE.match(line)
    if note:
        return note.group(1) + translate(note.group(2))
    return translate(line)


# argparse's error messages (3.11 to 3.13 wordings), by pattern: {0}, {1} are the groups.
ARGPARSE_ERRORS = (
    (re.compile(r"argument (\S+): (.*)", re.S), N_("argument {0}: {1}")),
    (re.compile(r"the following arguments are required: (.*)", re.S),
     N_("the following arguments are required: {0}")),
    (re.compile(r"invalid choice: (.*) \(choose from (.*)\)", re.S),
     N_("invalid choice: {0} (choose from {1})")),
    (re.compile(r"unrecognized arguments: (.*)", re.S), N_("unrecognized arguments: {0}")),
    (re.compile(r"expected one argument"), N_("expected one argument")),
    (re.compile(r"expected at least one argument"), N_("expected at least one argument")),
    (re.compile(r"invalid (\w+) value: (.*)", re.S), N_("invalid {0} value: {1}")),
    (re.compile(r"ambiguous option: (\S+) could match (.*)", re.S),
     N_("ambiguous option: {0} could match {1}")),
)


def argparse_error(message: str) -> str:
    """One of argparse's error messages in the current language (nested ones too)."""
    for pattern, text in ARGPARSE_ERRORS:
        found = pattern.fullmatch(message)
        if found:
            parts = [argparse_error(g) if i == len(found.groups()) - 1 else g
                     for i, g in enumerate(found.groups())]
            return translate(text).format(*parts)
    return message


class LocalParser(argparse.ArgumentParser):
    """An argument parser whose errors are in the current language."""

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(2, _("{prog}: error: {message}").format(prog=self.prog,
                                                          message=argparse_error(message)) + "\n")


def localise(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """Give ``parser`` and all its sub-parsers the translating formatter."""
    parser.formatter_class = LocalHelp
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in dict.fromkeys(action.choices.values()):
                localise(sub)
    return parser


def language_in(argv: Sequence[str]) -> str | None:
    """The ``--lang`` given anywhere on the command line (the last known one), before
    parsing, so that ``--help`` and argument errors speak it too."""
    found = None
    for i, arg in enumerate(argv):
        value = (argv[i + 1] if arg == "--lang" and i + 1 < len(argv) else
                 arg.split("=", 1)[1] if arg.startswith("--lang=") else None)
        # an unknown one is an error to report in the others' language
        if value is not None and option(value) in LANGUAGES:
            found = option(value)
    return found


__all__ = ["LocalHelp", "LocalParser", "argparse_error", "language_in", "localise",
           "translate_block"]
