"""What each viewer of a room may see (contract section 8a, ``hide_until_reveal``).

The trainer (with the room's trainer token) sees the whole board at any time. Until the
trainer reveals, a room that hides scores shows everyone else only which teams have
submitted, and a team only its own scorecard, without its rank (a rank tells about the
other teams). After reveal, or in a room that does not hide, everyone sees the board.
"""

from __future__ import annotations

# A scorecard's fields that compare the team with other teams.
_RANKING = ("rank", "vs_reference", "ahead_of_next")


def board_for(board: dict, trainer: bool) -> dict:
    """The leaderboard as this viewer may see it: while hidden, no plans, scores or levers."""
    if trainer or not board["hidden"]:
        return board
    return {**board, "plans": [], "pending": []}


def card_for(card: dict, hidden: bool) -> dict:
    """A team's own scorecard as the team may see it: while hidden, without its rank."""
    if not hidden:
        return card
    return {k: (None if k in _RANKING else v) for k, v in card.items()}
