"""Levels from lifetime points and daily-target streaks in Moscow time."""

from datetime import UTC, date, datetime, timedelta

import pytest

from games import LADDER, Award, ProgressionError, daily_totals, level_for, streak


@pytest.mark.parametrize(
    ("points", "number", "title", "progress"),
    [
        (-50, 1, "Стажёр", 0.0),
        (0, 1, "Стажёр", 0.0),
        (250, 1, "Стажёр", 0.5),
        (499, 1, "Стажёр", 0.998),
        (500, 2, "Консультант", 0.0),
        (1_000, 2, "Консультант", 0.5),
        (4_000, 4, "Эксперт", 0.0),
        (8_000, 5, "Наставник", 0.0),
        (15_000, 6, "Мастер сервиса", 0.0),
        (29_999, 6, "Мастер сервиса", 0.999933),
        (30_000, 7, "Легенда линии", 1.0),
        (1_000_000, 7, "Легенда линии", 1.0),
    ],
)
def test_levels(points, number, title, progress):
    level = level_for(points)
    assert (level.number, level.title) == (number, title)
    assert level.progress == pytest.approx(progress, abs=1e-6)
    assert level.floor <= max(points, 0)
    assert level.next_floor is None or level.next_floor > points


def test_ladder_has_seven_russian_titles():
    assert [title for _, title in LADDER] == [
        "Стажёр",
        "Консультант",
        "Специалист",
        "Эксперт",
        "Наставник",
        "Мастер сервиса",
        "Легенда линии",
    ]
    assert level_for(30_000).next_floor is None


@pytest.mark.parametrize("ladder", [(), ((10, "A"),), ((0, "A"), (100, "B"), (100, "C"))])
def test_bad_ladders(ladder):
    with pytest.raises(ProgressionError):
        level_for(5, ladder)


def test_custom_ladder():
    level = level_for(150, ((0, "Новичок"), (100, "Профи")))
    assert (level.number, level.title, level.floor, level.next_floor) == (2, "Профи", 100, None)


D = date(2025, 3, 10)  # a Monday


def days(*offsets_points):
    return {D - timedelta(days=offset): points for offset, points in offsets_points}


@pytest.mark.parametrize(
    ("daily", "freezes", "current", "best", "done"),
    [
        ({}, set(), 0, 0, False),
        (days((0, 50)), set(), 1, 1, True),
        (days((0, 49)), set(), 0, 0, False),
        # today not met yet: yesterday's run is still alive
        (days((1, 50), (2, 60)), set(), 2, 2, False),
        (days((0, 50), (1, 50), (2, 50)), set(), 3, 3, True),
        # a missed day breaks the run
        (days((0, 50), (2, 50), (3, 50)), set(), 1, 2, True),
        # a freeze keeps it without counting
        (days((0, 50), (2, 50), (3, 50)), {D - timedelta(days=1)}, 3, 3, True),
        # several freezes in a row (a weekend)
        (days((0, 50), (3, 50)), {D - timedelta(days=1), D - timedelta(days=2)}, 2, 2, True),
        # a frozen day on which the target was met counts anyway
        (days((0, 50), (1, 50)), {D - timedelta(days=1)}, 2, 2, True),
        # yesterday missed and today not done: the streak is gone, best remains
        (days((2, 50), (3, 50), (4, 50)), set(), 0, 3, False),
        # future days are ignored
        (days((-1, 50), (0, 50)), set(), 1, 1, True),
        # a freeze today is harmless
        (days((1, 50)), {D}, 1, 1, False),
    ],
)
def test_streaks(daily, freezes, current, best, done):
    assert streak(daily, 50, D, freezes) == streak(daily, 50, D, frozenset(freezes))
    result = streak(daily, 50, D, freezes)
    assert (result.current, result.best, result.today_done) == (current, best, done)


def test_best_is_the_longest_run_in_history():
    daily = {D - timedelta(days=offset): 80 for offset in range(10, 20)}
    daily.update({D: 80, D - timedelta(days=1): 80})
    assert streak(daily, 50, D) == streak(daily, 50, D, set())
    assert (streak(daily, 50, D).current, streak(daily, 50, D).best) == (2, 10)


@pytest.mark.parametrize("target", [0, -5, 1.5, True])
def test_target_must_be_positive_int(target):
    with pytest.raises(ProgressionError):
        streak({}, target, D)


def award_at(moment, points=60):
    return Award("call", moment.isoformat(), "band", points, "x", "ivanov", moment)


def test_streak_across_midnight_utc_vs_moscow():
    # 21:30 UTC on 9 March is 00:30 on 10 March in Moscow: it counts for the 10th.
    rows = [
        award_at(datetime(2025, 3, 8, 12, 0, tzinfo=UTC)),
        award_at(datetime(2025, 3, 9, 21, 30, tzinfo=UTC)),
    ]
    totals = daily_totals(rows)
    assert totals == {date(2025, 3, 8): 60, date(2025, 3, 10): 60}
    # The 9th was missed in Moscow, although a UTC calendar would show no gap.
    result = streak(totals, 50, date(2025, 3, 10))
    assert (result.current, result.best, result.today_done) == (1, 1, True)


def test_today_as_datetime_is_a_moscow_day():
    totals = {date(2025, 3, 10): 60}
    late_utc = datetime(2025, 3, 9, 21, 5, tzinfo=UTC)  # already the 10th in Moscow
    assert streak(totals, 50, late_utc).today_done is True
    early_utc = datetime(2025, 3, 9, 20, 55, tzinfo=UTC)  # still the 9th in Moscow
    assert streak(totals, 50, early_utc).today_done is False
