"""Knowledge-base lookup statistics (training.lookup)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from training import continues, lookup_stats

T0 = datetime(2025, 5, 1, 9, 0)


def at(seconds: float | None) -> datetime | None:
    return None if seconds is None else T0 + timedelta(seconds=seconds)


@pytest.mark.parametrize(
    ("events", "searches", "median", "zero"),
    [
        ([], 0, None, []),
        ([("a", "тариф", T0, at(10), True)], 1, 10.0, []),
        (
            [
                ("a", "тариф", T0, at(10), True),
                ("b", "роуминг", T0, at(30), True),
                ("c", "apn", T0, at(20), True),
                ("d", "apn", T0, None, True),
            ],
            4, 20.0, [],
        ),
        (
            [("a", "q", T0, at(4), True), ("b", "q", T0, at(8), True)],
            2, 6.0, [],
        ),
        (
            [
                ("a", "Тариф Ёж", T0, None, False),
                ("b", "тариф  еж", T0, None, False),
                ("c", "esim", T0, None, False),
                ("d", "   ", T0, None, False),
                ("e", "абв", T0, None, False),
            ],
            5, None, [("тариф еж", 2), ("esim", 1), ("абв", 1)],
        ),
        ([("a", "q", T0, at(-5), True)], 1, None, []),
    ],
)
def test_lookup_stats(
    events: list[tuple[str, str, datetime, datetime | None, bool]],
    searches: int,
    median: float | None,
    zero: list[tuple[str, int]],
) -> None:
    stats = lookup_stats(events)
    assert stats.searches == searches
    assert stats.median_seconds_to_open == median
    assert stats.zero_result_queries == zero


@pytest.mark.parametrize(
    ("previous", "query", "same"),
    [
        ("з", "за", True),
        ("замена сим", "замена симки", True),
        ("замена симки", "замена сим", True),  # erasing
        ("Замена  Сим", "замена сим", True),
        ("ёлка", "елка", True),
        ("роуминг", "роуминг", True),
        ("роуминг", "тариф", False),
        ("замена сим", "замена карты", False),
        ("", "тариф", False),
        ("тариф", "   ", False),
    ],
)
def test_a_query_continues_the_one_being_typed(previous: str, query: str, same: bool) -> None:
    assert continues(previous, query) is same


def test_the_thirty_second_promise() -> None:
    delays = [5, 12, 29, 30, 31, 45, 80, 8, 20, 25]
    events = [("a", "q", T0, T0 + timedelta(seconds=d), True) for d in delays]
    events.append(("b", "q", T0, None, True))  # never opened: not counted against the promise
    stats = lookup_stats(events)
    assert (stats.opened, stats.within_promise) == (10, 7)
    assert stats.promise_share == pytest.approx(0.7)
    assert stats.p90_seconds_to_open == 45
    assert lookup_stats([]).promise_share is None and lookup_stats([]).p90_seconds_to_open is None
