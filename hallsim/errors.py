"""The one error type users see for bad input (exit status 2 on the command line)."""

from __future__ import annotations


class ScenarioError(ValueError):
    """A scenario, plan or override that cannot be used; one located message per problem."""

    def __init__(self, messages: list[str] | str):
        self.messages = [messages] if isinstance(messages, str) else list(messages)
        super().__init__("\n".join(self.messages))
