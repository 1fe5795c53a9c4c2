"""Rule sets: validation, serialisation and what each rule kind awards."""

import json
from datetime import UTC, datetime

import pytest

from games import RULE_KINDS, Event, Rule, RuleSet, RuleSetError, award, default_ruleset

AT = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)


def call(score=95, duration=120, verdicts=None, critical=False, source_id="c1"):
    payload = {"score": score, "duration": duration, "verdicts": verdicts or {}}
    payload["critical_violation"] = critical
    return Event("call", source_id, "ivanov", AT, payload)


def points(awards):
    return {a.rule_key: a.points for a in awards}


def test_default_ruleset_is_valid_and_versioned():
    ruleset = default_ruleset()
    assert ruleset.validate() is ruleset
    assert ruleset.version == 1
    kinds = {rule.kind for rule in ruleset.rules}
    assert kinds == set(RULE_KINDS)


def test_empathy_weighs_more_than_greeting():
    weights = next(r for r in default_ruleset().rules if r.kind == "standard_met").params
    assert weights["weights"]["empathy"] > weights["weights"]["greeting"]


def test_round_trip_through_json():
    ruleset = default_ruleset()
    data = json.loads(json.dumps(ruleset.to_dict()))
    assert RuleSet.from_dict(data) == ruleset


@pytest.mark.parametrize(
    ("score", "expected"),
    [
        (100, 10),
        (90, 10),
        (89.5, 10),  # rounded half up to 90
        (89.4, 5),
        (89, 5),
        (75, 5),
        (74, 2),
        (60, 2),
        (59, None),
        (0, None),
    ],
)
def test_score_bands(score, expected):
    assert points(award(call(score=score), default_ruleset(), {})).get("score_band") == expected


@pytest.mark.parametrize(
    ("verdicts", "expected"),
    [
        ({"empathy": True}, {"standards:empathy": 3}),
        ({"greeting": True}, {"standards:greeting": 1}),
        ({"empathy": None, "greeting": False}, {}),
        (
            {"empathy": True, "resolution": True},
            {"standards:empathy": 3, "standards:resolution": 3},
        ),
        ({"unknown_standard": True}, {}),
    ],
)
def test_standards_met_only_when_applicable_and_met(verdicts, expected):
    got = points(award(call(score=10, verdicts=verdicts), default_ruleset(), {}))
    assert got == expected


def test_critical_violation_is_a_penalty():
    got = points(award(call(score=95, critical=True), default_ruleset(), {}))
    assert got == {"score_band": 10, "critical": -15}


@pytest.mark.parametrize(
    ("kind", "payload", "expected"),
    [
        ("rating", {"stars": 5}, {"five_stars": 5}),
        ("rating", {"stars": 4}, {}),
        ("listening", {}, {"listening": 3}),
        ("listening", {"completed": False}, {}),
        ("certification", {"passed": True, "percent": 80}, {"certification": 20}),
        ("certification", {"passed": False}, {}),
        ("ticket", {"resolved_within_sla": True}, {"ticket_sla": 2}),
        ("ticket", {"resolved_within_sla": False}, {}),
    ],
)
def test_other_sources(kind, payload, expected):
    event = Event(kind, "7", "ivanov", AT, payload)
    assert points(award(event, default_ruleset(), {})) == expected


def test_reasons_are_russian_and_say_the_points():
    awards = award(call(score=93, verdicts={"empathy": True}), default_ruleset(), {})
    reasons = [a.reason for a in awards]
    assert reasons == [
        "Оценка звонка 93 — диапазон 90–100: +10 баллов",
        "Стандарт «Эмпатия» соблюдён: +3 балла",
    ]


def bands(*triples):
    return {"bands": [{"min": lo, "max": hi, "points": p} for lo, hi, p in triples]}


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        (Rule("b", "call_score_band", bands((90, 100, 10), (80, 90, 5))), "пересекаются"),
        (Rule("b", "call_score_band", bands((0, 100, 1), (50, 60, 5))), "пересекаются"),
        (Rule("b", "call_score_band", bands((90, 80, 10))), "min <= max"),
        (Rule("b", "call_score_band", bands((90, 101, 10))), "max <= 100"),
        (Rule("b", "call_score_band", {"bands": []}), "непустым"),
        (Rule("b", "call_score_band", {"bands": [{"min": 1, "max": 2}]}), "points"),
        (Rule("s", "standard_met", {"weights": {"empathy": -1}}), "empathy"),
        (Rule("s", "standard_met", {"weights": {}}), "weights"),
        (Rule("c", "critical_violation", {"points": 5}), "отрицательным"),
        (Rule("r", "rating_stars", {"min_stars": 6, "points": 5}), "min_stars"),
        (Rule("l", "listening_completed", {"points": 0}), "больше нуля"),
        (Rule("l", "listening_completed", {"points": "3"}), "целым"),
        (Rule("x", "mystery", {}), "неизвестный вид 'mystery'"),
        (Rule("Bad Key", "listening_completed", {"points": 1}), "ключ правила"),
        (Rule("a:reversal:1", "listening_completed", {"points": 1}), "ключ правила"),
    ],
)
def test_invalid_rules(rule, message):
    with pytest.raises(RuleSetError, match=message):
        RuleSet(2, (rule,)).validate()


def test_adjacent_bands_do_not_overlap():
    RuleSet(2, (Rule("b", "call_score_band", bands((0, 49, 0), (50, 100, 1))),)).validate()


def test_every_problem_is_reported_at_once():
    ruleset = RuleSet(
        0,
        (
            Rule("a", "listening_completed", {"points": 1}),
            Rule("a", "listening_completed", {"points": 1}),
        ),
        daily_caps={"call": -1, "chat": 5},
        min_call_seconds=-3,
    )
    with pytest.raises(RuleSetError) as caught:
        ruleset.validate()
    assert len(caught.value.problems) == 5
    assert "повторяется" in str(caught.value)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ([], "словарь"),
        ({"rules": []}, "version"),
        ({"version": 1, "rules": "x"}, "списком"),
        ({"version": 1, "rules": [{"kind": "count"}]}, "key, kind"),
        ({"version": 1, "rules": [], "daily_caps": []}, "daily_caps"),
        ({"version": 1, "rules": [{"key": "a", "kind": "mystery"}]}, "mystery"),
    ],
)
def test_from_dict_refuses_bad_input(data, message):
    with pytest.raises(RuleSetError, match=message):
        RuleSet.from_dict(data)


def test_from_dict_does_not_share_params_with_the_input():
    data = default_ruleset().to_dict()
    ruleset = RuleSet.from_dict(data)
    data["rules"][0]["params"]["bands"][0]["points"] = 999
    assert ruleset.rules[0].params["bands"][0]["points"] == 10


def test_award_validates_the_ruleset_first():
    broken = RuleSet(1, (Rule("c", "critical_violation", {"points": 3}),))
    with pytest.raises(RuleSetError):
        award(call(), broken, {})
