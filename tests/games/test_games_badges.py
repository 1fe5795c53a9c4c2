"""Badges: rule kinds, tiers, idempotency, catalogue validation."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from games import (
    BADGE_RULES,
    Badge,
    BadgeError,
    Event,
    OperatorHistory,
    Tier,
    badge_progress,
    default_catalogue,
    evaluate_badges,
)

T0 = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)  # 12:00 Moscow


def calls(verdicts, standard="empathy", start=T0, step=timedelta(minutes=10), score=95):
    return [
        Event(
            "call",
            f"c{start.timestamp():.0f}-{i}",
            "ivanov",
            start + i * step,
            {"score": score, "duration": 60, "verdicts": {standard: v}},
        )
        for i, v in enumerate(verdicts)
    ]


def events(kind, payloads, start=T0):
    return [
        Event(kind, f"{kind}{i}", "ivanov", start + timedelta(hours=i), payload)
        for i, payload in enumerate(payloads)
    ]


def catalogue(key):
    return [badge for badge in default_catalogue() if badge.key == key]


def tiers_of(history, key, earned=()):
    return [a.tier for a in evaluate_badges(history, catalogue(key), set(earned))]


def history(evts):
    return OperatorHistory("ivanov", tuple(evts))


def test_default_catalogue_is_valid_and_complete():
    badges = default_catalogue()
    assert len(badges) >= 8
    assert len({b.key for b in badges}) == len(badges)
    assert {b.rule for b in badges} == set(BADGE_RULES)
    for badge in badges:
        assert badge.icon == f"{badge.key}.svg"
        assert badge.name and badge.description
        assert [t.name for t in badge.tiers] == ["bronze", "silver", "gold"]
    assert evaluate_badges(history([]), badges, set()) == []


@pytest.mark.parametrize(
    ("verdicts", "tiers"),
    [
        ([True] * 19, []),
        ([True] * 20, ["bronze"]),
        ([True] * 49, ["bronze"]),
        ([True] * 50, ["bronze", "silver"]),
        ([True] * 100, ["bronze", "silver", "gold"]),
        # a violation restarts the run
        ([True] * 15 + [False] + [True] * 15, []),
        # not applicable neither counts nor breaks
        ([True] * 10 + [None] * 5 + [True] * 10, ["bronze"]),
        # the best run counts, even if a later run is shorter
        ([True] * 20 + [False] + [True] * 3, ["bronze"]),
    ],
)
def test_voice_smile_consecutive_empathy(verdicts, tiers):
    assert tiers_of(history(calls(verdicts)), "voice_smile") == tiers


def test_runs_follow_time_not_input_order():
    evts = calls([True] * 10 + [False] + [True] * 10)
    assert tiers_of(history(reversed(evts)), "voice_smile") == []


def test_fixer_uses_resolution():
    assert tiers_of(history(calls([True] * 10, standard="resolution")), "fixer") == ["bronze"]
    assert tiers_of(history(calls([True] * 10)), "fixer") == []


def test_idempotent_and_only_new_tiers():
    h = history(calls([True] * 55))
    first = evaluate_badges(h, catalogue("voice_smile"), set())
    assert [a.tier for a in first] == ["bronze", "silver"]
    earned = {(a.badge_key, a.tier) for a in first}
    assert evaluate_badges(h, catalogue("voice_smile"), earned) == []
    assert tiers_of(h, "voice_smile", {("voice_smile", "bronze")}) == ["silver"]


def test_reason_is_russian_with_plural():
    (bronze,) = evaluate_badges(history(calls([True] * 20)), catalogue("voice_smile"))
    assert bronze.reason == "«Голос с улыбкой», бронза: эмпатия соблюдена в 20 звонках подряд"
    (cert,) = evaluate_badges(
        history(events("certification", [{"passed": True, "percent": 97}])), catalogue("cert_ace")
    )
    assert cert.reason == "«Отличник аттестации», бронза: аттестация сдана на 95% и выше 1 раз"


def daily_calls(days_verdicts, standard="forbidden_words"):
    evts = []
    for day, verdicts in enumerate(days_verdicts):
        start = T0 + timedelta(days=day)
        evts += calls(verdicts, standard=standard, start=start)
    return evts


@pytest.mark.parametrize(
    ("days", "tiers"),
    [
        ([[True, True]] * 6, []),
        ([[True, True]] * 7, ["bronze"]),
        ([[True]] * 3 + [[True, False]] + [[True]] * 6, []),
        ([[True]] * 30, ["bronze", "silver"]),
        # a day without applicable verdicts (day off, or no such standard) does not break
        ([[True]] * 4 + [[None]] + [[True]] * 3, ["bronze"]),
    ],
)
def test_no_stop_words_clean_days(days, tiers):
    assert tiers_of(history(daily_calls(days)), "no_stop_words") == tiers


def test_clean_days_are_moscow_days():
    # 20:30 and 21:30 UTC are on different Moscow days (23:30 and 00:30)
    late = datetime(2025, 3, 3, 20, 30, tzinfo=UTC)
    evts = calls([True, True], standard="forbidden_words", start=late, step=timedelta(hours=1))
    rule = catalogue("no_stop_words")[0]
    one_tier = replace(rule, tiers=(Tier("bronze", 2),))
    assert [a.tier for a in evaluate_badges(history(evts), [one_tier])] == ["bronze"]
    early = datetime(2025, 3, 3, 10, 0, tzinfo=UTC)
    same_day = calls([True, True], standard="forbidden_words", start=early, step=timedelta(hours=1))
    assert evaluate_badges(history(same_day), [one_tier]) == []


@pytest.mark.parametrize(
    ("payloads", "tiers"),
    [
        ([{"passed": True, "percent": 94.9}], []),
        ([{"passed": True, "percent": 95}], ["bronze"]),
        ([{"passed": True}], []),  # no percent recorded
        ([{"passed": False, "percent": 99}], []),
        ([{"passed": True, "percent": 100}] * 3, ["bronze", "silver"]),
    ],
)
def test_cert_ace(payloads, tiers):
    assert tiers_of(history(events("certification", payloads)), "cert_ace") == tiers


@pytest.mark.parametrize(
    ("key", "kind", "payloads", "tiers"),
    [
        ("listener", "listening", [{}] * 9, []),
        ("listener", "listening", [{}] * 10, ["bronze"]),
        ("listener", "listening", [{}] * 30, ["bronze", "silver"]),
        ("favourite", "rating", [{"stars": 5}] * 10, ["bronze"]),
        ("favourite", "rating", [{"stars": 5}] * 9 + [{"stars": 4}] * 5, []),
        ("on_time", "ticket", [{"resolved_within_sla": True}] * 25, ["bronze"]),
        ("on_time", "ticket", [{"resolved_within_sla": False}] * 30, []),
    ],
)
def test_count_badges(key, kind, payloads, tiers):
    assert tiers_of(history(events(kind, payloads)), key) == tiers


def night(hour_utc, score=95, n=10):
    start = datetime(2025, 3, 3, hour_utc, 0, tzinfo=UTC)
    return calls([True] * n, start=start, step=timedelta(minutes=1), score=score)


@pytest.mark.parametrize(
    ("evts", "tiers"),
    [
        (night(21), ["bronze"]),  # 00:00 Moscow
        (night(2), ["bronze"]),  # 05:00 Moscow
        (night(3), []),  # 06:00 Moscow: day shift
        (night(20), []),  # 23:00 Moscow
        (night(22, score=70), []),  # too low a score
        (night(22, n=5) + night(23, n=5), ["bronze"]),
    ],
)
def test_night_watch_in_moscow_time(evts, tiers):
    assert tiers_of(history(evts), "night_watch") == tiers


def test_night_window_wrapping_midnight():
    badge = replace(
        catalogue("night_watch")[0],
        params={"start_hour": 22, "end_hour": 2},
        tiers=(Tier("bronze", 10),),
    )
    assert [a.tier for a in evaluate_badges(history(night(20)), [badge])] == ["bronze"]  # 23:00
    assert evaluate_badges(history(night(0)), [badge]) == []  # 03:00 Moscow


def test_duplicate_events_count_once():
    evts = events("listening", [{}] * 10)
    assert tiers_of(history(evts + evts), "listener") == ["bronze"]
    assert tiers_of(history(evts[:5] * 2), "listener") == []


def test_history_refuses_other_operators():
    stranger = Event("listening", "x", "petrov", T0, {})
    with pytest.raises(BadgeError, match="petrov"):
        OperatorHistory("ivanov", (stranger,))


def badge(**overrides):
    values = {
        "key": "b",
        "name": "Б",
        "description": "Д",
        "rule": "count",
        "params": {"source_kind": "listening"},
        "tiers": (Tier("bronze", 1), Tier("silver", 2)),
        "goal": "{count}",
        "unit": ("раз", "раза", "раз"),
    }
    values.update(overrides)
    return Badge(**values)


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        (badge(rule="mystery"), "неизвестное правило 'mystery'"),
        (badge(params={"source_kind": "chat"}), "source_kind"),
        (badge(rule="consecutive_met", params={}), "standard"),
        (badge(rule="certifications", params={"min_percent": 101}), "min_percent"),
        (badge(rule="night_calls", params={"start_hour": 3, "end_hour": 3}), "не должны совпадать"),
        (badge(rule="night_calls", params={"start_hour": 24, "end_hour": 3}), "start_hour"),
        (badge(tiers=(Tier("silver", 1),)), "уровни"),
        (badge(tiers=()), "уровни"),
        (badge(tiers=(Tier("bronze", 5), Tier("silver", 5))), "пороги"),
        (badge(tiers=(Tier("bronze", 0),)), "пороги"),
        (badge(goal="без счётчика"), "count"),
    ],
)
def test_invalid_badges(bad, message):
    with pytest.raises(BadgeError, match=message):
        evaluate_badges(history([]), [bad])


def test_duplicate_badge_keys():
    with pytest.raises(BadgeError, match="повторяется"):
        evaluate_badges(history([]), [badge(), badge()])


def test_badge_progress():
    h = history(calls([True] * 30))
    by_key = {p.badge_key: p for p in badge_progress(h, default_catalogue())}
    smile = by_key["voice_smile"]
    assert (smile.value, smile.tier, smile.next_tier, smile.next_threshold) == (
        30,
        "bronze",
        "silver",
        50,
    )
    listener = by_key["listener"]
    assert (listener.value, listener.tier, listener.next_tier) == (0, None, "bronze")
    gold = badge_progress(history(calls([True] * 100)), catalogue("voice_smile"))[0]
    assert (gold.tier, gold.next_tier, gold.next_threshold) == ("gold", None, None)
