"""Gamification for Ulybka: points ledger, badges, levels, streaks, challenges, leaderboards.

Pure Python (stdlib and zoneinfo only): plain values in, frozen dataclasses out. The app
layer loads rows, calls these functions and writes the results. Every deliberate error is a
:class:`GamesError`. All calendar arithmetic is in Moscow time (:mod:`games.clock`).
"""

from .badges import (
    BADGE_RULES,
    TIER_COLOURS,
    TIER_TITLES,
    TIERS,
    Badge,
    BadgeAward,
    BadgeProgress,
    OperatorHistory,
    Tier,
    badge_progress,
    default_catalogue,
    evaluate_badges,
    validate_catalogue,
)
from .challenges import METRICS, Challenge, Progress, progress, winners
from .clock import MOSCOW, moscow_day, moscow_midnight, to_moscow
from .errors import (
    BadgeError,
    ChallengeError,
    ClockError,
    EventError,
    GamesError,
    LeaderboardError,
    ProgressionError,
    RuleSetError,
)
from .events import SOURCE_KINDS, Event
from .leaderboard import PERIOD_TITLES, PERIODS, Ranked, Row, period_bounds, rank
from .ledger import (
    DISPUTE_WINDOW,
    Award,
    already_awarded,
    award,
    daily_totals,
    is_final,
    reaward,
    replay,
    reverse,
)
from .levels import LADDER, Level, level_for
from .rules import RULE_KINDS, Rule, RuleSet, default_ruleset
from .streaks import Streak, streak

__all__ = [
    "BADGE_RULES",
    "DISPUTE_WINDOW",
    "LADDER",
    "METRICS",
    "MOSCOW",
    "PERIODS",
    "PERIOD_TITLES",
    "RULE_KINDS",
    "SOURCE_KINDS",
    "TIERS",
    "TIER_COLOURS",
    "TIER_TITLES",
    "Award",
    "Badge",
    "BadgeAward",
    "BadgeError",
    "BadgeProgress",
    "Challenge",
    "ChallengeError",
    "ClockError",
    "Event",
    "EventError",
    "GamesError",
    "LeaderboardError",
    "Level",
    "OperatorHistory",
    "Progress",
    "ProgressionError",
    "Ranked",
    "Row",
    "Rule",
    "RuleSet",
    "RuleSetError",
    "Streak",
    "Tier",
    "already_awarded",
    "award",
    "badge_progress",
    "daily_totals",
    "default_catalogue",
    "default_ruleset",
    "evaluate_badges",
    "is_final",
    "level_for",
    "moscow_day",
    "moscow_midnight",
    "period_bounds",
    "progress",
    "rank",
    "reaward",
    "replay",
    "reverse",
    "streak",
    "to_moscow",
    "validate_catalogue",
    "winners",
]
