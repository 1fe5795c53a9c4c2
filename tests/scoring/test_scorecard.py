"""Scorecard model: the default card, validation errors, JSON round trip."""

from __future__ import annotations

import json

import pytest

from scoring import APPLICABILITY, DETECTORS, Criterion, Scorecard, ScorecardError, ScoringError
from scoring import default_scorecard as default

KEYS = ("greeting", "identification", "empathy", "no_interruption", "resolution",
        "forbidden_words", "closing", "hold_etiquette")


def test_default_card_has_the_eight_standards():
    card = default().validate()
    assert card.keys == KEYS
    assert card.name == "Стандарт обслуживания" and card.version == 1
    assert {c.key for c in card.criteria if c.critical} == {"resolution", "forbidden_words"}
    weights = card.weights()
    assert weights["resolution"] > weights["empathy"] > weights["greeting"]
    assert sum(weights.values()) == pytest.approx(1.0)
    assert all(c.title and c.description for c in card.criteria)


def test_json_round_trip():
    card = default()
    text = json.dumps(card.to_dict(), ensure_ascii=False)
    assert Scorecard.from_dict(json.loads(text)) == card


def crit(**overrides) -> Criterion:
    fields = {"key": "greeting", "title": "Приветствие", "description": "", "weight": 1.0,
              "critical": False, "detector": "greeting", "params": {},
              "applicability": "always"} | overrides
    return Criterion(**fields)


BAD = [
    ("zero weight", [crit(weight=0)], "weight must be a positive number"),
    ("negative weight", [crit(weight=-1)], "weight must be a positive number"),
    ("nan weight", [crit(weight=float("nan"))], "weight must be a positive number"),
    ("text weight", [crit(weight="1")], "weight must be a positive number"),
    ("duplicate key", [crit(), crit(title="Ещё раз")], "duplicate criterion key 'greeting'"),
    ("unknown detector", [crit(detector="smile")], "unknown detector 'smile'; accepted: "),
    ("unknown gate", [crit(applicability="sometimes")], "unknown applicability 'sometimes'"),
    ("bad key", [crit(key="Greeting!")], "key must be lower-case latin"),
    ("empty title", [crit(title=" ")], "title must be a non-empty string"),
    ("critical not bool", [crit(critical="yes")], "critical must be true or false"),
    ("params not object", [crit(params=[1])], "params must be an object"),
    ("no criteria", [], "at least one criterion"),
]


@pytest.mark.parametrize(("criteria", "message"), [b[1:] for b in BAD], ids=[b[0] for b in BAD])
def test_invalid_card_is_refused(criteria, message):
    with pytest.raises(ScorecardError, match=message):
        Scorecard("Карта", 1, tuple(criteria)).validate()


@pytest.mark.parametrize(("card", "message"), [
    (Scorecard("", 1, (crit(),)), "name must be a non-empty string"),
    (Scorecard("Карта", 0, (crit(),)), "version must be an integer >= 1"),
    (Scorecard("Карта", 1, (crit(),), critical_cap=120), "critical_cap must be a number"),
])
def test_invalid_card_fields(card, message):
    with pytest.raises(ScorecardError, match=message):
        card.validate()


@pytest.mark.parametrize(("data", "message"), [
    ([], "must be a JSON object"),
    ({"name": "К", "version": 1}, "missing field"),
    ({"name": "К", "version": 1, "criteria": [], "colour": "red"}, "unknown field"),
    ({"name": "К", "version": 1, "criteria": "greeting"}, "must be a list"),
    ({"name": "К", "version": 1, "criteria": [{"key": "greeting"}]}, "missing field"),
])
def test_from_dict_errors(data, message):
    with pytest.raises(ScorecardError, match=message):
        Scorecard.from_dict(data)


def test_errors_share_one_root():
    assert issubclass(ScorecardError, ScoringError)


def test_registries_cover_the_default_card():
    card = default()
    assert {c.detector for c in card.criteria} <= set(DETECTORS)
    assert {c.applicability for c in card.criteria} <= set(APPLICABILITY)


def test_unknown_criterion_lookup_names_the_known_ones():
    with pytest.raises(ScorecardError, match="known: greeting"):
        default().criterion("smile")
