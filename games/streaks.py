"""Streaks: Moscow days in a row on which an operator met the daily points target.

Days are Moscow calendar days (UTC+3, no daylight saving time); build ``daily_points`` with
:func:`games.ledger.daily_totals`, which buckets ledger rows by Moscow day, so a call at
22:30 UTC counts for the next day.

* A day counts when its points reach ``target``.
* A *freeze* day (day off, sick leave, holiday) keeps the streak alive without counting;
  a freeze day on which the target was met anyway counts.
* Today is still in progress: not having met the target yet does not break the streak,
  it just is not counted (``today_done`` tells which).
* Any other day below target breaks the streak.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from .clock import as_moscow_day
from .errors import ProgressionError

ONE_DAY = timedelta(days=1)


@dataclass(frozen=True)
class Streak:
    """A streak summary.

    :param current: days in the running streak (today included when already met).
    :param best: the longest streak ever, at least ``current``.
    :param today_done: whether today's target is met.
    """

    current: int
    best: int
    today_done: bool


def streak(
    daily_points: Mapping[date, int],
    target: int,
    today: date | datetime,
    freezes: Collection[date] = frozenset(),
) -> Streak:
    """Compute the current and best streak of days meeting ``target``.

    :param daily_points: {Moscow day: points that day}; missing days have 0.
    :param target: points needed per day, > 0.
    :param today: the current Moscow day, or a tz-aware datetime converted to one.
    :param freezes: Moscow days that keep the streak without counting.
    """
    if isinstance(target, bool) or not isinstance(target, int) or target <= 0:
        raise ProgressionError(
            f"дневная цель должна быть целым числом > 0, получено {target!r}",
            code="bad_streak_target",
            target=target,
        )
    today = as_moscow_day(today)
    met = {day for day, points in daily_points.items() if points >= target and day <= today}
    frozen = {day for day in freezes if day <= today}
    today_done = today in met
    if not met:
        return Streak(0, 0, today_done)
    best = run = 0
    day = min(met)
    while day <= today:
        if day in met:
            run += 1
        elif day not in frozen and day != today:
            run = 0
        best = max(best, run)
        day += ONE_DAY
    return Streak(run, best, today_done)
