"""The one root exception of the games package and its children.

Every error raised on purpose by ``games`` derives from :class:`GamesError`, so the
app layer can catch one class and show the message to the person who typed the input::

    GamesError                  bad input to the games package
    ├── ClockError              a naive datetime where a time zone is required
    ├── EventError              unknown source kind, malformed event payload
    ├── RuleSetError            invalid points rules (``.problems`` lists every one)
    ├── BadgeError              invalid badge catalogue or operator history
    ├── ChallengeError          invalid challenge (end before start, unknown metric, ...)
    ├── ProgressionError        invalid level ladder or streak target
    └── LeaderboardError        unknown period, invalid leaderboard rows
"""

from __future__ import annotations


class GamesError(Exception):
    """Bad input to the games package; the message says what was wrong and what is accepted."""


class ClockError(GamesError):
    """A naive datetime was given where a time-zone-aware one is required."""


class EventError(GamesError):
    """An event has an unknown source kind or a malformed payload."""


class RuleSetError(GamesError):
    """A points rule set is invalid.

    :param problems: every problem found, one message each, so a form can show them all.
    """

    def __init__(self, problems: list[str] | str) -> None:
        self.problems: list[str] = [problems] if isinstance(problems, str) else list(problems)
        super().__init__("Правила начисления баллов некорректны: " + "; ".join(self.problems))


class BadgeError(GamesError):
    """A badge catalogue or an operator history is invalid."""


class ChallengeError(GamesError):
    """A challenge definition or its input values are invalid."""


class ProgressionError(GamesError):
    """A level ladder or a streak target is invalid."""


class LeaderboardError(GamesError):
    """A leaderboard period or row is invalid."""
