"""Ledger: exactly-once keys, daily caps, short calls, reversals, pending vs final."""

from datetime import UTC, date, datetime, timedelta

import pytest

from games import (
    Award,
    Event,
    EventError,
    Rule,
    RuleSet,
    already_awarded,
    award,
    daily_totals,
    default_ruleset,
    is_final,
    reaward,
    reverse,
)
from games.errors import ClockError

AT = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)
GOOD = {"empathy": True, "greeting": True}


def call(score=95, duration=120, verdicts=None, critical=False, source_id="c1", at=AT):
    payload = {"score": score, "duration": duration, "verdicts": verdicts or {}}
    payload["critical_violation"] = critical
    return Event("call", source_id, "ivanov", at, payload)


def capped(cap):
    return RuleSet(
        1,
        (
            Rule("band", "call_score_band", {"bands": [{"min": 90, "max": 100, "points": 10}]}),
            Rule("std", "standard_met", {"weights": {"empathy": 3, "greeting": 1}}),
            Rule("critical", "critical_violation", {"points": -15}),
        ),
        daily_caps={"call": cap},
        min_call_seconds=15,
    )


def test_unique_keys_and_event_fields():
    awards = award(call(verdicts=GOOD), default_ruleset(), {})
    keys = [a.key for a in awards]
    assert keys == [
        ("call", "c1", "score_band"),
        ("call", "c1", "standards:empathy"),
        ("call", "c1", "standards:greeting"),
    ]
    assert len(set(keys)) == len(keys)
    assert {(a.operator, a.occurred_at, a.ruleset_version) for a in awards} == {("ivanov", AT, 1)}


def test_award_is_deterministic():
    assert award(call(verdicts=GOOD), default_ruleset(), {}) == award(
        call(verdicts=GOOD), default_ruleset(), {}
    )


@pytest.mark.parametrize(
    ("already", "expected"),
    [
        ({}, [10, 3, 1]),
        ({"call": 0}, [10, 3, 1]),
        ({"call": 86}, [10, 3, 1]),  # exactly reaches the cap of 100
        ({"call": 90}, [10, 0, 0]),
        ({"call": 95}, [5, 0, 0]),
        ({"call": 98}, [2, 0, 0]),
        ({"call": 88}, [10, 2, 0]),
        ({"call": 100}, [0, 0, 0]),
        ({"call": 150}, [0, 0, 0]),
        ({"rating": 500}, [10, 3, 1]),  # other kinds' points do not use this cap
    ],
)
def test_daily_cap_trims_positive_points(already, expected):
    awards = award(call(verdicts=GOOD), capped(100), already)
    assert [a.points for a in awards] == expected


def test_cap_is_explained_in_the_reason():
    band, empathy, greeting = award(call(verdicts=GOOD), capped(100), {"call": 95})
    assert band.reason.endswith("(дневной лимит «Звонки» 100 баллов: начислено 5 из 10)")
    assert "начислено 0 из 3" in empathy.reason
    assert "лимит" in greeting.reason
    untouched = award(call(verdicts=GOOD), capped(100), {})
    assert not any("лимит" in a.reason for a in untouched)


@pytest.mark.parametrize("already", [0, 99, 100, 1000])
def test_penalties_are_never_capped(already):
    awards = award(call(critical=True), capped(100), {"call": already})
    assert awards[-1].rule_key == "critical"
    assert awards[-1].points == -15
    assert "лимит" not in awards[-1].reason


def test_uncapped_source_kind():
    event = Event("certification", "e1", "ivanov", AT, {"passed": True})
    assert award(event, default_ruleset(), {"certification": 10_000})[0].points == 20


@pytest.mark.parametrize(
    ("duration", "earns"), [(0, False), (14.9, False), (15, True), (600, True)]
)
def test_ultra_short_calls_earn_nothing(duration, earns):
    awards = award(call(duration=duration, critical=True, verdicts=GOOD), capped(100), {})
    assert bool(awards) is earns


def row(rule_key, points, source_id="c1", reason="x"):
    return Award("call", source_id, rule_key, points, reason, "ivanov", AT, 1)


def test_reverse_negates_the_originals():
    originals = award(call(verdicts=GOOD, critical=True), default_ruleset(), {})
    reversal = reverse(originals, note="спор №12")
    assert [(r.rule_key, r.points) for r in reversal] == [
        ("score_band:reversal:1", -10),
        ("standards:empathy:reversal:1", -3),
        ("standards:greeting:reversal:1", -1),
        ("critical:reversal:1", 15),
    ]
    assert sum(a.points for a in originals + reversal) == 0
    assert reversal[0].reason.startswith("Отмена начисления (спор №12): -10 баллов. Было: Оценка")
    assert {r.occurred_at for r in reversal} == {AT}


def test_reverse_twice_adds_nothing():
    originals = [row("band", 10)]
    once = reverse(originals)
    assert reverse(originals + once) == []


def test_reverse_numbers_follow_earlier_corrections():
    ledger = [row("band", 10), row("band:reversal:1", -10), row("band:reaward:1", 5)]
    (again,) = reverse(ledger)
    assert (again.rule_key, again.points) == ("band:reversal:2", -5)


def test_reverse_skips_zero_rows():
    assert reverse([row("band", 0)]) == []


def test_rows_of_one_event_must_share_the_operator():
    stranger = Award("call", "c1", "std:empathy", 3, "x", "petrov", AT, 1)
    with pytest.raises(EventError, match="разным операторам"):
        reverse([row("band", 10), stranger])


def test_reaward_after_a_dispute_changes_only_what_changed():
    ruleset = default_ruleset()
    old = award(call(score=80, verdicts={"empathy": False, "greeting": True}), ruleset, {})
    new = award(call(score=92, verdicts={"empathy": True, "greeting": True}), ruleset, {})
    delta = reaward(old, new, note="спор №3")
    assert [(d.rule_key, d.points) for d in delta] == [
        ("score_band:reversal:1", -5),
        ("score_band:reaward:1", 10),
        ("standards:empathy", 3),
    ]
    assert sum(a.points for a in old + delta) == sum(a.points for a in new)
    assert delta[1].reason.startswith("Повторное начисление (спор №3): Оценка звонка 92")
    keys = [a.key for a in old + delta]
    assert len(set(keys)) == len(keys)


def test_reaward_reverses_what_is_no_longer_earned():
    old = [row("band", 10), row("std:empathy", 3)]
    new = [row("band", 10)]
    assert [(d.rule_key, d.points) for d in reaward(old, new)] == [("std:empathy:reversal:1", -3)]


def test_reaward_with_nothing_changed_is_empty():
    rows = award(call(verdicts=GOOD), default_ruleset(), {})
    assert reaward(rows, rows) == []


def test_repeated_disputes_keep_keys_unique():
    ledger = [row("band", 10)]
    for target in (5, 10, 2, 2, 0, 10):
        ledger += reaward(ledger, [row("band", target)] if target else [])
        assert sum(a.points for a in ledger) == target
    keys = [a.key for a in ledger]
    assert len(set(keys)) == len(keys)


def test_reaward_refuses_corrections_as_new_rows():
    with pytest.raises(EventError, match="поправками"):
        reaward([row("band", 10)], [row("band:reaward:1", 5)])


@pytest.mark.parametrize(
    ("elapsed", "final"),
    [
        (timedelta(0), False),
        (timedelta(days=2, hours=23, minutes=59), False),
        (timedelta(days=3), True),
        (timedelta(days=30), True),
    ],
)
def test_pending_until_the_dispute_window_closes(elapsed, final):
    assert is_final(AT, now=AT + elapsed) is final


def test_custom_dispute_window():
    assert is_final(AT, timedelta(hours=1), now=AT + timedelta(hours=1))
    assert not is_final(AT, timedelta(days=7), now=AT + timedelta(days=3))


def test_is_final_needs_aware_times():
    with pytest.raises(ClockError):
        is_final(AT.replace(tzinfo=None), now=AT)


def test_daily_totals_use_moscow_days():
    late_utc = datetime(2025, 3, 3, 21, 30, tzinfo=UTC)  # 00:30 on 4 March in Moscow
    before = datetime(2025, 3, 3, 20, 59, tzinfo=UTC)  # 23:59 on 3 March in Moscow
    rows = [
        Award("call", "a", "band", 10, "x", "ivanov", late_utc),
        Award("call", "b", "band", 5, "x", "ivanov", before),
        Award("call", "b", "critical", -15, "x", "ivanov", before),
    ]
    assert daily_totals(rows) == {date(2025, 3, 4): 10, date(2025, 3, 3): -10}


def test_daily_totals_need_a_time():
    with pytest.raises(EventError, match="occurred_at"):
        daily_totals([Award("call", "a", "band", 10, "x", "ivanov")])


def test_already_awarded_counts_net_positive_points_of_the_day():
    day = date(2025, 3, 3)
    other_day = AT + timedelta(days=1)
    rows = [
        row("band", 10, "c1"),
        row("std:empathy", 3, "c1"),
        row("band", 10, "c2"),
        row("band:reversal:1", -10, "c2"),  # reversed: frees the cap again
        row("critical", -15, "c3"),  # penalties never use up the cap
        Award("call", "c4", "band", 10, "x", "ivanov", other_day),
        Award("rating", "r1", "five", 5, "x", "ivanov", AT),
    ]
    assert already_awarded(rows, day) == {"call": 13, "rating": 5}
    assert already_awarded(rows, day, exclude=[("call", "c1")]) == {"rating": 5}


def test_reaward_with_caps_end_to_end():
    ruleset = capped(12)
    first = award(call(source_id="c1", verdicts=GOOD), ruleset, {})
    assert [a.points for a in first] == [10, 2, 0]
    ledger = list(first)
    second_event = call(source_id="c2", verdicts=GOOD)
    ledger += award(second_event, ruleset, already_awarded(ledger, date(2025, 3, 3)))
    assert sum(a.points for a in ledger) == 12
    # A dispute takes empathy away from c1: its points free the cap for c1 itself.
    fixed = call(source_id="c1", verdicts={"empathy": False, "greeting": True})
    left = already_awarded(ledger, date(2025, 3, 3), exclude=[("call", "c1")])
    ledger += reaward([a for a in ledger if a.source_id == "c1"], award(fixed, ruleset, left))
    assert sum(a.points for a in ledger if a.source_id == "c1") == 11


def test_penalty_does_not_free_the_cap_for_later_rules():
    ruleset = RuleSet(
        1,
        (
            Rule("critical", "critical_violation", {"points": -15}),
            Rule("band", "call_score_band", {"bands": [{"min": 90, "max": 100, "points": 10}]}),
        ),
        daily_caps={"call": 100},
    )
    awards = award(call(critical=True), ruleset, {"call": 95})
    assert [(a.rule_key, a.points) for a in awards] == [("critical", -15), ("band", 5)]


def test_replay_pays_each_event_afresh_within_the_daily_cap():
    from datetime import UTC, datetime, timedelta

    import games

    ruleset = games.RuleSet.from_dict({**games.default_ruleset().to_dict(), "daily_caps": {"call": 25}})
    morning = datetime(2026, 12, 1, 7, 0, tzinfo=UTC)
    events = [games.Event("call", f"c{n}", "anna", morning + timedelta(hours=n),
                          {"score": 95, "duration": 120, "verdicts": {}}) for n in range(4)]
    events.append(games.Event("call", "next-day", "anna", morning + timedelta(days=1),
                              {"score": 95, "duration": 120, "verdicts": {}}))
    rows = games.replay(reversed(events), ruleset)  # any order: replayed in time order
    paid = {row.source_id: row.points for row in rows}
    assert paid == {"c0": 10, "c1": 10, "c2": 5, "c3": 0, "next-day": 10}
