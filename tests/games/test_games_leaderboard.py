"""Leaderboard: tie-breaks, competition ranks, normalisation and Moscow periods."""

from datetime import UTC, datetime, timedelta

import pytest

from games import ClockError, LeaderboardError, Row, period_bounds, rank

T = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)


def table(ranked):
    return [(r.rank, r.operator) for r in ranked]


def test_higher_points_first():
    rows = [Row("a", "t1", 10, 5), Row("b", "t1", 30, 5), Row("c", "t2", 20, 5)]
    assert table(rank(rows)) == [(1, "b"), (2, "c"), (3, "a")]


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        # equal points: more calls first
        ([Row("a", "t", 50, 10), Row("b", "t", 50, 12)], [(1, "b"), (2, "a")]),
        # equal points and calls: who got there first
        (
            [Row("a", "t", 50, 10, T + timedelta(hours=1)), Row("b", "t", 50, 10, T)],
            [(1, "b"), (2, "a")],
        ),
        # never awarded comes after an award time
        ([Row("a", "t", 0, 10, None), Row("b", "t", 0, 10, T)], [(1, "b"), (2, "a")]),
        # all merit keys equal: shared rank, login only orders the display
        ([Row("b", "t", 50, 10, T), Row("a", "t", 50, 10, T)], [(1, "a"), (1, "b")]),
    ],
)
def test_tie_breaks(rows, expected):
    assert table(rank(rows)) == expected


def test_competition_ranking_skips_after_a_tie():
    rows = [
        Row("d", "t", 10, 1, T),
        Row("c", "t", 20, 2, T),
        Row("b", "t", 20, 2, T),
        Row("a", "t", 30, 3, T),
    ]
    assert table(rank(rows)) == [(1, "a"), (2, "b"), (2, "c"), (4, "d")]


def test_negative_points_rank_last():
    rows = [Row("a", "t", -5, 3), Row("b", "t", 0, 3)]
    assert table(rank(rows)) == [(1, "b"), (2, "a")]


def test_normalised_scores_points_per_call():
    rows = [Row("busy", "t", 300, 100), Row("careful", "t", 100, 20), Row("one", "t", 10, 1)]
    ranked = rank(rows, normalise=True, min_calls=10)
    assert [(r.operator, r.score) for r in ranked] == [("careful", 5.0), ("busy", 3.0)]
    raw = rank(rows)
    assert [(r.operator, r.score) for r in raw] == [("busy", 300), ("careful", 100), ("one", 10)]


@pytest.mark.parametrize(
    ("min_calls", "kept"),
    [(0, ["a", "b", "c"]), (1, ["a", "b", "c"]), (10, ["b", "c"]), (20, ["c"]), (21, [])],
)
def test_min_calls_threshold(min_calls, kept):
    rows = [Row("a", "t", 50, 9), Row("b", "t", 50, 10), Row("c", "t", 50, 20)]
    ranked = rank(rows, normalise=True, min_calls=min_calls)
    assert sorted(r.operator for r in ranked) == kept


def test_normalised_mode_leaves_out_operators_without_calls():
    ranked = rank([Row("idle", "t", 20, 0), Row("a", "t", 5, 1)], normalise=True)
    assert table(ranked) == [(1, "a")]
    assert table(rank([Row("idle", "t", 20, 0)])) == [(1, "idle")]


def test_equal_fractions_tie_exactly():
    rows = [Row("a", "t", 1, 3, T), Row("b", "t", 2, 6, T), Row("c", "t", 3, 9, T)]
    ranked = rank(rows, normalise=True)
    # equal score, so more calls wins; equal fractions never split by float noise
    assert table(ranked) == [(1, "c"), (2, "b"), (3, "a")]
    rows = [Row("a", "t", 1, 3, T), Row("b", "t", 1, 3, T)]
    assert table(rank(rows, normalise=True)) == [(1, "a"), (1, "b")]


@pytest.mark.parametrize(
    ("rows", "kwargs", "message"),
    [
        ([Row("a", "t", 1, -1)], {}, "calls"),
        ([Row("a", "t", 1.5, 1)], {}, "points"),
        ([Row("a", "t", 1, 1), Row("a", "t", 2, 2)], {}, "дважды"),
        ([Row("a", "t", 1, 1)], {"min_calls": -1}, "min_calls"),
    ],
)
def test_bad_rows(rows, kwargs, message):
    with pytest.raises(LeaderboardError, match=message):
        rank(rows, **kwargs)


def test_naive_last_award_at_refused():
    with pytest.raises(ClockError):
        rank([Row("a", "t", 1, 1, datetime(2025, 3, 3))])


def utc(*args):
    return datetime(*args, tzinfo=UTC)


@pytest.mark.parametrize(
    ("period", "now", "start", "end"),
    [
        # 12:00 UTC on Wednesday 5 March = 15:00 Moscow
        ("day", utc(2025, 3, 5, 12), utc(2025, 3, 4, 21), utc(2025, 3, 5, 21)),
        # 22:00 UTC on the 5th is already the 6th in Moscow
        ("day", utc(2025, 3, 5, 22), utc(2025, 3, 5, 21), utc(2025, 3, 6, 21)),
        # 20:59 UTC on the 5th is still the 5th in Moscow
        ("day", utc(2025, 3, 5, 20, 59), utc(2025, 3, 4, 21), utc(2025, 3, 5, 21)),
        # weeks start on Monday 00:00 Moscow = Sunday 21:00 UTC
        ("week", utc(2025, 3, 5, 12), utc(2025, 3, 2, 21), utc(2025, 3, 9, 21)),
        # Sunday 21:30 UTC is Monday in Moscow: a new week
        ("week", utc(2025, 3, 9, 21, 30), utc(2025, 3, 9, 21), utc(2025, 3, 16, 21)),
        ("month", utc(2025, 3, 5, 12), utc(2025, 2, 28, 21), utc(2025, 3, 31, 21)),
        # 31 March 22:00 UTC is 1 April in Moscow
        ("month", utc(2025, 3, 31, 22), utc(2025, 3, 31, 21), utc(2025, 4, 30, 21)),
        ("month", utc(2024, 12, 20), utc(2024, 11, 30, 21), utc(2024, 12, 31, 21)),
        ("month", utc(2024, 2, 10), utc(2024, 1, 31, 21), utc(2024, 2, 29, 21)),
        ("all", utc(2025, 3, 5, 12), None, utc(2025, 3, 5, 12)),
    ],
)
def test_period_bounds(period, now, start, end):
    got_start, got_end = period_bounds(period, now)
    assert (got_start, got_end) == (start, end)
    assert got_end.utcoffset() == timedelta(0)
    assert got_start is None or got_start <= now < got_end


def test_unknown_period():
    with pytest.raises(LeaderboardError, match="day, week, month, all"):
        period_bounds("year", T)


def test_period_needs_aware_now():
    with pytest.raises(ClockError):
        period_bounds("day", datetime(2025, 3, 5))
