"""Listening assignments (training.listening)."""

from __future__ import annotations

import random
from collections import Counter
from datetime import datetime, timedelta

import pytest

from training import (
    QUESTIONS,
    REASON_LABELS,
    CallInfo,
    Pick,
    SamplingError,
    pick_exemplary,
    questions_for,
    risk_weight,
    sample_for_listener,
)

T0 = datetime(2025, 5, 1, 9, 0)


def call(
    id: int, score: float | None = 80, rating: int | None = None, dispute: bool = False,
    operator: str = "ivanova",
) -> CallInfo:
    return CallInfo(id, score, rating, dispute, operator, T0 + timedelta(minutes=id))


def pool(size: int = 200) -> list[CallInfo]:
    rng = random.Random(99)
    calls = []
    for i in range(size):
        risky = i % 10 == 0
        calls.append(
            call(
                i,
                score=rng.uniform(20, 50) if risky else rng.uniform(75, 100),
                rating=rng.choice([1, 2]) if risky else rng.choice([None, 4, 5]),
                dispute=i % 20 == 0,
                operator=f"op{i % 7}",
            )
        )
    return calls


@pytest.mark.parametrize(
    ("info", "weight"),
    [
        (call(1, score=None), 1.0),
        (call(1, score=100, rating=5), 1.0),
        (call(1, score=0), 4.0),
        (call(1, score=None, rating=1), 3.0),
        (call(1, score=None, dispute=True), 5.0),
        (call(1, score=0, rating=1, dispute=True), 10.0),
        (call(1, score=150, rating=9), 1.0),
    ],
)
def test_risk_weight(info: CallInfo, weight: float) -> None:
    assert risk_weight(info) == pytest.approx(weight)


@pytest.mark.parametrize(("n", "share", "randoms"), [(20, 0.25, 5), (10, 0.0, 0), (8, 1.0, 8)])
def test_sample_sizes_and_random_share(n: int, share: float, randoms: int) -> None:
    picks = sample_for_listener(pool(), n, random_share=share, seed="anna-2025-05-01")
    assert len(picks) == n == len({p.call_id for p in picks})
    assert sum(p.reason == "random" for p in picks) == randoms
    assert all(p.reason in REASON_LABELS for p in picks)


def test_sample_is_reproducible_and_order_independent() -> None:
    calls = pool()
    first = sample_for_listener(calls, 20, seed=7)
    assert sample_for_listener(list(reversed(calls)), 20, seed=7) == first
    assert sample_for_listener(calls, 20, seed=8) != first


def test_risk_picks_favour_risky_calls() -> None:
    calls = pool()
    risky_ids = {c.id for c in calls if c.id % 10 == 0}
    hits = Counter()
    for seed in range(30):
        for pick in sample_for_listener(calls, 20, seed=seed):
            hits[pick.reason] += 1
            hits["risky" if pick.reason != "random" and pick.call_id in risky_ids else "-"] += 1
    risky_share = hits["risky"] / (30 * 15)
    assert risky_share > 0.25  # the base rate is 0.10
    assert hits["open_dispute"] > 0 and hits["low_score"] > 0


def test_small_pool_returns_everything() -> None:
    calls = [call(1), call(2, score=10)]
    picks = sample_for_listener(calls, 10, seed=1)
    assert sorted(p.call_id for p in picks) == [1, 2]
    assert sample_for_listener([], 5) == []


@pytest.mark.parametrize(("n", "share"), [(-1, 0.25), (5, -0.1), (5, 1.5)])
def test_sampling_rejects_bad_parameters(n: int, share: float) -> None:
    with pytest.raises(SamplingError):
        sample_for_listener(pool(10), n, random_share=share)


@pytest.mark.parametrize(
    ("info", "reason"),
    [
        (call(1, score=10, rating=1, dispute=True), "open_dispute"),
        (call(2, score=59), "low_score"),
        (call(3, score=90, rating=3), "low_rating"),
        (call(4, score=90, rating=5), "risk"),
    ],
)
def test_risk_reasons(info: CallInfo, reason: str) -> None:
    assert sample_for_listener([info], 1, random_share=0) == [Pick(info.id, reason)]


def test_exemplary_calls_come_from_colleagues() -> None:
    calls = [
        call(1, score=99, operator="me"),
        call(2, score=95, rating=5, operator="a"),
        call(3, score=94, operator="a"),
        call(4, score=90, rating=4, operator="b"),
        call(5, score=97, rating=3, operator="c"),
        call(6, score=98, dispute=True, operator="d"),
        call(7, score=80, operator="e"),
        call(8, score=None, operator="f"),
    ]
    for seed in range(10):
        picks = pick_exemplary(calls, "me", k=2, seed=seed)
        ids = {p.call_id for p in picks}
        assert len(picks) == 2 and ids <= {2, 3, 4}
        assert 4 in ids  # one call per colleague while colleagues last
        assert all(p.reason == "exemplary" for p in picks)
    assert pick_exemplary(calls, "me", k=2, seed=3) == pick_exemplary(calls[::-1], "me", 2, 3)
    assert len(pick_exemplary(calls, "me", k=5)) == 3
    assert pick_exemplary(calls, "me", k=0) == []


@pytest.mark.parametrize(
    ("info", "reason", "template"),
    [
        (call(1, score=95, rating=5), None, "exemplary"),
        (call(2, score=30), None, "low_score"),
        (call(3, score=90, rating=2), None, "low_rating"),
        (call(4, score=90, dispute=True), None, "open_dispute"),
        (call(5, score=70), None, "default"),
        (call(6, score=95), "random", "default"),
        (call(7, score=30), "exemplary", "exemplary"),
    ],
)
def test_questions_for(info: CallInfo, reason: str | None, template: str) -> None:
    questions = questions_for(info, reason)
    assert len(questions) == 3 == len(set(questions))
    assert set(questions) <= set(QUESTIONS[template])
    assert questions == questions_for(info, reason)
    assert all(q.endswith("?") for q in questions)


def test_questions_vary_between_calls() -> None:
    firsts = {questions_for(call(i, score=95, rating=5))[0] for i in range(30)}
    assert len(firsts) > 1
    assert len(questions_for(call(1, score=95), count=2)) == 2


STANDARDS = (("greeting", "Приветствие", False), ("identification", "Идентификация", None),
             ("empathy", "Эмпатия", False), ("resolution", "Решение вопроса", True),
             ("closing", "Завершение", True), ("tone", "Улыбка в голосе", True))


def with_standards(info: CallInfo, standards=STANDARDS) -> CallInfo:
    from dataclasses import replace

    return replace(info, standards=standards)


def test_questions_of_a_low_scored_call_are_about_the_standards_it_missed():
    """Before: the same generic questions for every call, whatever it was about."""
    from training.listening import MISSED_QUESTIONS

    questions = questions_for(with_standards(call(1, score=40)), "low_score", 3)
    assert set(questions[:2]) == {MISSED_QUESTIONS["greeting"], MISSED_QUESTIONS["empathy"]}
    assert len(questions) == 3 and questions[2] in QUESTIONS["low_score"]


def test_questions_of_an_exemplary_call_are_about_what_it_did_well():
    from training.listening import MET_QUESTIONS

    for n in range(10):
        questions = questions_for(with_standards(call(n, score=95)), "exemplary", 3)
        met = {MET_QUESTIONS["resolution"], MET_QUESTIONS["closing"],
               "Как в этом звонке выполнен стандарт «Улыбка в голосе»? Запишите слова оператора."}
        assert set(questions) == met  # never about a missed or a not applicable standard


def test_a_disputed_call_asks_about_the_dispute_first():
    questions = questions_for(with_standards(call(3, dispute=True)), "open_dispute", 3)
    assert questions[0] in QUESTIONS["open_dispute"]
    assert any("Приветствие не засчитано" in q for q in questions[1:])


def test_a_call_that_missed_nothing_is_asked_about_what_it_did_well():
    from training.listening import MET_QUESTIONS

    clean = (("greeting", "Приветствие", True), ("closing", "Завершение", True), ("empathy", "Эмпатия", None))
    questions = questions_for(with_standards(call(5, score=70), clean), "random", 3)
    assert {MET_QUESTIONS["greeting"], MET_QUESTIONS["closing"]} <= set(questions)
