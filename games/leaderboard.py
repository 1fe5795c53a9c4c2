"""Leaderboard ranking and fairness rules, and the Moscow period windows it covers.

Order: rows sort by

1. higher ``score`` — points, or points per handled call in normalised mode;
2. more handled ``calls``;
3. earlier ``last_award_at`` — who got there first (``None``, never awarded, comes last);
4. ``operator`` login alphabetically.

Rank numbers use *competition ranking* ("1, 2, 2, 4"): rows equal on the merit keys 1–3
share a rank and the next rank skips. The login (4) only makes the display order stable;
it is not merit, so it never splits a rank.

Fairness: in normalised mode the score is points per handled call, compared as exact
fractions; ``min_calls`` leaves out operators with fewer handled calls in both modes (and
normalised mode always leaves out operators with no calls), so one lucky call cannot top
the board.

Periods are Moscow calendar periods (weeks start on Monday); :func:`period_bounds` returns
the half-open UTC window ``[start, end)`` to filter ledger rows with.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from fractions import Fraction

from .clock import moscow_day, moscow_midnight, require_aware
from .errors import LeaderboardError


@dataclass(frozen=True)
class Row:
    """One operator's totals for the period.

    :param operator: login.
    :param team: team name.
    :param points: ledger sum in the period.
    :param calls: calls handled in the period.
    :param last_award_at: time of the operator's latest ledger row in the period.
    """

    operator: str
    team: str
    points: int
    calls: int
    last_award_at: datetime | None = None


@dataclass(frozen=True)
class Ranked:
    """A leaderboard line.

    :param rank: competition rank (1, 2, 2, 4).
    :param score: points, or points per call in normalised mode.
    """

    rank: int
    operator: str
    team: str
    points: int
    calls: int
    score: float


def _check(row: Row) -> None:
    if not isinstance(row.calls, int) or isinstance(row.calls, bool) or row.calls < 0:
        raise LeaderboardError(
            f"{row.operator}: calls должно быть целым >= 0, получено {row.calls!r}",
            code="bad_calls_count",
            operator=row.operator,
            calls=row.calls,
        )
    if not isinstance(row.points, int) or isinstance(row.points, bool):
        raise LeaderboardError(
            f"{row.operator}: points должно быть целым, получено {row.points!r}",
            code="bad_points",
            operator=row.operator,
            points=row.points,
        )
    if row.last_award_at is not None:
        require_aware(row.last_award_at, f"last_award_at оператора {row.operator}")


def rank(rows: Iterable[Row], normalise: bool = False, min_calls: int = 0) -> list[Ranked]:
    """Rank operators, see the module docstring for the order and the fairness rules.

    :param rows: one row per operator.
    :param normalise: score by points per handled call instead of points.
    :param min_calls: leave out operators with fewer handled calls.
    """
    if isinstance(min_calls, bool) or not isinstance(min_calls, int) or min_calls < 0:
        raise LeaderboardError(
            f"min_calls должно быть целым >= 0, получено {min_calls!r}",
            code="bad_min_calls",
            min_calls=min_calls,
        )
    kept = []
    seen: set[str] = set()
    for row in rows:
        _check(row)
        if row.operator in seen:
            raise LeaderboardError(
                f"оператор {row.operator} встречается в таблице дважды",
                code="duplicate_operator",
                operator=row.operator,
            )
        seen.add(row.operator)
        if row.calls >= min_calls and (row.calls > 0 or not normalise):
            kept.append(row)

    def score(row: Row) -> Fraction:
        return Fraction(row.points, row.calls) if normalise else Fraction(row.points)

    far_future = datetime.max.replace(tzinfo=UTC)

    def merit(row: Row) -> tuple[Fraction, int, datetime]:
        return (-score(row), -row.calls, row.last_award_at or far_future)

    ordered = sorted(kept, key=lambda row: (merit(row), row.operator))
    result: list[Ranked] = []
    for position, row in enumerate(ordered, 1):
        shared = result and merit(ordered[position - 2]) == merit(row)
        number = result[-1].rank if shared else position
        result.append(
            Ranked(number, row.operator, row.team, row.points, row.calls, float(score(row)))
        )
    return result


def _day_start(today: date) -> date:
    return today


def _week_start(today: date) -> date:
    return today - timedelta(days=today.weekday())


def _month_start(today: date) -> date:
    return today.replace(day=1)


def _next_day(start: date) -> date:
    return start + timedelta(days=1)


def _next_week(start: date) -> date:
    return start + timedelta(days=7)


def _next_month(start: date) -> date:
    return (start.replace(day=28) + timedelta(days=4)).replace(day=1)


PERIODS: dict[str, tuple[Callable[[date], date], Callable[[date], date]] | None] = {
    "day": (_day_start, _next_day),
    "week": (_week_start, _next_week),
    "month": (_month_start, _next_month),
    "all": None,
}
PERIOD_TITLES: dict[str, str] = {
    "day": "Сегодня",
    "week": "Неделя",
    "month": "Месяц",
    "all": "Всё время",
}


def period_bounds(period: str, now: datetime) -> tuple[datetime | None, datetime]:
    """Return the UTC window ``[start, end)`` of the Moscow period containing ``now``.

    ``day``: today 00:00 to tomorrow 00:00 Moscow; ``week``: Monday to next Monday;
    ``month``: the 1st to the next 1st; ``all``: ``(None, now)``.

    :param period: ``day``, ``week``, ``month`` or ``all``.
    :param now: the current time, tz-aware.
    """
    require_aware(now, "now")
    if period not in PERIODS:
        raise LeaderboardError(
            f"неизвестный период {period!r}; допустимые: {', '.join(PERIODS)}",
            code="unknown_period",
            period=period,
            accepted=tuple(PERIODS),
        )
    rule = PERIODS[period]
    if rule is None:
        return None, now.astimezone(UTC)
    start_of, next_of = rule
    start = start_of(moscow_day(now))
    return moscow_midnight(start), moscow_midnight(next_of(start))
