"""The one error type users see for bad input (exit status 2 on the command line)."""

from __future__ import annotations


class ScenarioError(ValueError):
    """A scenario, plan or override that cannot be used; one located message per problem.

    A ``ValueError``; the command line prints it and exits with status 2.

    Attributes
    ----------
    messages : list of str
        One message per problem, each naming the file, line and field where known.
    """

    def __init__(self, messages: list[str] | str):
        self.messages = [messages] if isinstance(messages, str) else list(messages)
        super().__init__("\n".join(self.messages))


def quote(text: str) -> str:
    """Quote a user's string for a one-line message: control and line-separator characters
    are escaped (``\\r``, ``\\x85``, ``\\u2028``...), other text, Chinese included, kept."""
    import json
    import unicodedata

    body = json.dumps(text, ensure_ascii=False)
    return "".join(f"\\u{ord(ch):04x}" if unicodedata.category(ch)[0] in "CZ" and ch != " "
                   else ch for ch in body)
