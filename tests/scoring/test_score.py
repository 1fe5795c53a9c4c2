"""The score formula: weights, not-applicable criteria, human override, critical cap, CSAT."""

from __future__ import annotations

import pytest

from scoring import Criterion, Scorecard, ScoreError, Verdict, compute_score, csat_points, whole_percents

CARD = Scorecard("Тест", 1, (
    Criterion("a", "А", "", 1.0, False, "greeting"),
    Criterion("b", "Б", "", 2.0, False, "closing"),
    Criterion("c", "В", "", 1.0, True, "forbidden_words"),
), critical_cap=50.0)

T, F, N = True, False, None

CASES = [
    # auto, human, csat, value, capped
    ("all met", {"a": T, "b": T, "c": T}, {}, None, 100.0, False),
    ("weights count", {"a": F, "b": T, "c": T}, {}, None, 75.0, False),
    ("n/a drops out", {"a": N, "b": T, "c": T}, {}, None, 100.0, False),
    ("n/a renormalises", {"a": N, "b": F, "c": T}, {}, None, round(100 / 3, 2), False),
    ("missing key is n/a", {"b": T, "c": T}, {}, None, 100.0, False),
    ("critical caps", {"a": T, "b": T, "c": F}, {}, None, 50.0, True),
    ("cap only lowers", {"a": F, "b": F, "c": F}, {}, None, 0.0, False),
    ("human clears the critical", {"a": T, "b": T, "c": F}, {"c": T}, None, 100.0, False),
    ("human finds a critical", {"a": T, "b": T, "c": T}, {"c": F}, None, 50.0, True),
    ("human n/a overrides", {"a": F, "b": T, "c": T}, {"a": N}, None, 100.0, False),
    ("csat blends", {"a": T, "b": T, "c": T}, {}, 1, 80.0, False),
    ("csat 3 is 50", {"a": F, "b": F, "c": T}, {}, 3, 0.8 * 25 + 0.2 * 50, False),
    ("csat alone when nothing applies", {"a": N, "b": N, "c": N}, {}, 5, 100.0, False),
    ("nothing at all", {"a": N, "b": N, "c": N}, {}, None, None, False),
    ("cap after csat", {"a": T, "b": T, "c": F}, {}, 5, 50.0, True),
]


@pytest.mark.parametrize(("auto", "human", "csat", "value", "capped"),
                         [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_score_value(auto, human, csat, value, capped):
    score = compute_score(CARD, auto, human, csat)
    assert score.value == (pytest.approx(value) if value is not None else None)
    assert score.capped is capped


def test_lines_keep_both_verdicts_and_mark_the_cap():
    score = compute_score(CARD, {"a": T, "b": F, "c": F}, {"b": T})
    lines = {ln.key: ln for ln in score.lines}
    assert (lines["b"].source, lines["b"].verdict, lines["b"].auto_verdict) == ("human", T, F)
    assert lines["a"].source == "auto"
    assert lines["c"].capped_by_critical and not lines["a"].capped_by_critical
    assert lines["b"].points == pytest.approx(50.0)
    assert sum(ln.weight for ln in score.lines) == pytest.approx(1.0)
    assert score.components == {"auto": 25.0, "human": 100.0, "csat": None}


def test_not_applicable_line_has_no_points_and_no_weight():
    line = compute_score(CARD, {"a": N, "b": T, "c": T}).lines[0]
    assert (line.points, line.weight) == (None, 0.0)


def test_accepts_verdict_objects_from_evaluate():
    auto = {"a": Verdict("a", True, (), 1.0), "b": Verdict("b", False, (), 1.0)}
    assert compute_score(CARD, auto).value == pytest.approx(100 / 3, abs=0.01)


def test_configurable_cap():
    card = Scorecard("Тест", 2, CARD.criteria, critical_cap=20.0)
    assert compute_score(card, {"a": T, "b": T, "c": F}).value == 20.0


def test_csat_weight_zero_ignores_csat():
    assert compute_score(CARD, {"a": T, "b": T, "c": T}, csat=1, csat_weight=0).value == 100.0


@pytest.mark.parametrize(("csat", "points"), [(1, 0.0), (2, 25.0), (3, 50.0), (5, 100.0)])
def test_csat_mapping(csat, points):
    assert csat_points(csat) == points


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"csat": 0}, "csat must be an integer from 1 to 5"),
    ({"csat": 6}, "csat must be an integer from 1 to 5"),
    ({"csat": 4.5}, "csat must be an integer from 1 to 5"),
    ({"csat": True}, "csat must be an integer from 1 to 5"),
    ({"csat_weight": 1.5}, "csat_weight must be a number from 0 to 1"),
    ({"human_verdicts": {"zzz": True}}, "not on scorecard"),
    ({"human_verdicts": {"a": "да"}}, "must be true, false or null"),
])
def test_bad_input_is_refused(kwargs, message):
    with pytest.raises(ScoreError, match=message):
        compute_score(CARD, {"a": T}, **kwargs)


@pytest.mark.parametrize(("shares", "step", "expected"), [
    ({"a": 1, "b": 1, "c": 1}, 1.0, {"a": 34.0, "b": 33.0, "c": 33.0}),  # not 33 + 33 + 33 = 99
    ({"a": 1, "b": 1, "c": 2, "d": 1, "e": 3, "f": 1.5, "g": 1, "h": 1}, 0.1, None),
    ({"a": 0.15, "b": 0.35, "c": 0.5}, 1.0, {"a": 15.0, "b": 35.0, "c": 50.0}),
    ({"a": 1, "b": 0}, 1.0, {"a": 100.0, "b": 0.0}),
    ({}, 1.0, {}),
])
def test_whole_percents_add_up_to_exactly_100(shares, step, expected):
    got = whole_percents(shares, step)
    if expected is not None:
        assert got == expected
    if shares:
        assert round(sum(got.values()), 6) == 100.0
        assert all(abs(got[k] - 100 * v / sum(shares.values())) < step for k, v in shares.items())


def test_the_score_keeps_what_it_would_be_without_the_cap():
    score = compute_score(CARD, {"a": T, "b": T, "c": F})
    assert (score.value, score.uncapped, score.capped) == (50.0, 75.0, True)
    assert score.to_dict()["uncapped"] == 75.0
    assert compute_score(CARD, {"a": T, "b": T, "c": T}).uncapped == 100.0
