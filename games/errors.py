"""The one root exception of the games package and its children.

Every error raised on purpose by ``games`` derives from :class:`GamesError`, so the
app layer can catch one class::

    GamesError            games_error      bad input to the games package
    ├── ClockError        clock_error      a naive datetime where a time zone is required
    ├── EventError        invalid_event    unknown source kind, malformed event payload
    ├── RuleSetError      invalid_rules    invalid points rules (``.problems`` lists every one)
    ├── BadgeError        invalid_badges   invalid badge catalogue or operator history
    ├── ChallengeError    invalid_challenge  invalid challenge (end before start, unknown metric)
    ├── ProgressionError  invalid_progression  invalid level ladder or streak target
    └── LeaderboardError  invalid_leaderboard  unknown period, invalid leaderboard rows

Each error carries a stable ``code`` (the class default above, or a more specific one given
where it is raised, e.g. ``"challenge_ends_before_start"``) and ``params``, the values a
sentence about it needs. ``str(error)`` is a Russian note for logs and tests; people read the
wording the app keeps by code (``app/wording/games.py``).
"""

from __future__ import annotations

from typing import Any


class GamesError(Exception):
    """Bad input to the games package.

    :param message: what was wrong and what is accepted, for logs.
    :param code: stable identifier of what went wrong; the class default when omitted.
    :param params: the values the sentence needs (keys, values given, accepted values ...).
    """

    code: str = "games_error"

    def __init__(self, message: str, *, code: str | None = None, **params: Any) -> None:
        super().__init__(message)
        self.code = code or type(self).code
        self.params: dict[str, Any] = params


class ClockError(GamesError):
    """A naive datetime was given where a time-zone-aware one is required."""

    code = "clock_error"


class EventError(GamesError):
    """An event has an unknown source kind or a malformed payload."""

    code = "invalid_event"


class RuleSetError(GamesError):
    """A points rule set is invalid.

    :param problems: every problem found, one message each, so a form can show them all;
        also in ``params["problems"]``.
    """

    code = "invalid_rules"

    def __init__(
        self, problems: list[str] | str, *, code: str | None = None, **params: Any
    ) -> None:
        listed = [problems] if isinstance(problems, str) else list(problems)
        super().__init__(
            "Правила начисления баллов некорректны: " + "; ".join(listed),
            code=code,
            problems=tuple(listed),
            **params,
        )
        self.problems: list[str] = listed


class BadgeError(GamesError):
    """A badge catalogue or an operator history is invalid."""

    code = "invalid_badges"


class ChallengeError(GamesError):
    """A challenge definition or its input values are invalid."""

    code = "invalid_challenge"


class ProgressionError(GamesError):
    """A level ladder or a streak target is invalid."""

    code = "invalid_progression"


class LeaderboardError(GamesError):
    """A leaderboard period or row is invalid."""

    code = "invalid_leaderboard"
