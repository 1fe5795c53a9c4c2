"""Exam assembly, attempt grading and attempt limits (exams.assembly)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from exams import (
    AssemblyError,
    AttemptError,
    ExamPaper,
    ExamSpec,
    ExamSpecError,
    Question,
    TamperedResponseError,
    TimeLimitError,
    apply_manual_grades,
    assemble,
    can_start_attempt,
    fingerprint,
    grade_attempt,
    parse_gift,
)

DEMO = Path(__file__).resolve().parent.parent / "fixtures" / "gift" / "demo.gift"
BANK = parse_gift(DEMO.read_text(encoding="utf-8")).questions
START = datetime(2025, 3, 1, 10, 0, tzinfo=UTC)


def spec(**overrides: object) -> ExamSpec:
    fields: dict[str, object] = {
        "title": "Аттестация: линия МТС",
        "picks": [("Стандарты обслуживания", 3), ("Тарифы/МТС", 2)],
        "time_limit_min": 20,
        "attempt_limit": 3,
        "pass_mark": 80,
    }
    return ExamSpec(**{**fields, **overrides})  # type: ignore[arg-type]


def paper_of(*gifts: str, **overrides: object) -> ExamPaper:
    bank = parse_gift("\n\n".join(gifts)).questions
    return assemble(spec(picks=[("", len(bank))], **overrides), bank, seed=1)


@pytest.mark.parametrize(
    ("overrides", "fragment"),
    [
        ({"picks": []}, "at least one"),
        ({"picks": [("Тарифы", 0)]}, "asks for 0 questions"),
        ({"picks": [("Тарифы", 2.5)]}, "whole number"),
        ({"pass_mark": 101}, "outside 0..100"),
        ({"pass_mark": -1}, "outside 0..100"),
        ({"time_limit_min": 0}, "not positive"),
        ({"attempt_limit": 0}, "below 1"),
    ],
)
def test_spec_validation(overrides: dict[str, object], fragment: str) -> None:
    with pytest.raises(ExamSpecError, match=fragment):
        spec(**overrides)


def test_assembly_draws_n_per_category_reproducibly() -> None:
    paper = assemble(spec(), BANK, seed=42)
    categories = [item.question.category for item in paper.items]
    assert categories.count("Стандарты обслуживания") == 3
    assert categories.count("Тарифы/МТС") == 2
    assert [item.slot for item in paper.items] == ["q1", "q2", "q3", "q4", "q5"]
    assert assemble(spec(), BANK, seed=42) == paper
    assert assemble(spec(), list(reversed(BANK)), seed=42) == paper


def test_different_seeds_give_different_papers() -> None:
    papers = {
        tuple(fingerprint(i.question) for i in assemble(spec(), BANK, seed=s).items)
        for s in range(20)
    }
    assert len(papers) > 5


def test_parent_category_includes_subcategories_without_repeats() -> None:
    picks = [("Тарифы/МТС", 4), ("Тарифы", 7)]
    paper = assemble(spec(picks=picks), BANK, seed=7)
    prints = [fingerprint(i.question) for i in paper.items]
    assert len(prints) == len(set(prints)) == 11
    assert all(i.question.category.startswith("Тарифы/") for i in paper.items)


def test_descriptions_and_duplicates_are_not_drawn() -> None:
    bank = parse_gift("A {T}\n\nA {T}\n\nПамятка\n\nB {F}").questions
    paper = assemble(spec(picks=[("", 2)]), bank, seed=1)
    assert sorted(i.question.text for i in paper.items) == ["A", "B"]
    with pytest.raises(AssemblyError, match="has 2 unused question"):
        assemble(spec(picks=[("", 3)]), bank, seed=1)


def test_not_enough_questions_names_every_short_category() -> None:
    with pytest.raises(AssemblyError) as caught:
        assemble(spec(picks=[("Тарифы/МТС", 9), ("Нет такой", 1)]), BANK, seed=1)
    message = str(caught.value)
    assert "'Тарифы/МТС' has 4 unused question(s) but the exam draws 9" in message
    assert "'Нет такой' has 0" in message


def test_shuffles_can_be_turned_off() -> None:
    plain = assemble(spec(shuffle_questions=False, shuffle_answers=False), BANK, seed=3)
    assert [i.question.category for i in plain.items][:3] == ["Стандарты обслуживания"] * 3
    for item in plain.items:
        assert item.choice_order == tuple(c.id for c in item.question.choices)


def test_answer_shuffle_keeps_every_choice_and_right_side() -> None:
    paper = assemble(spec(picks=[("", 25)]), BANK, seed=5)
    shuffled = 0
    for item in paper.items:
        ids = [c.id for c in item.question.choices]
        assert sorted(item.choice_order) == sorted(ids)
        assert sorted(item.right_order) == sorted({p.right for p in item.question.pairs})
        shuffled += list(item.choice_order) != ids
    assert shuffled > 0


def test_grade_attempt_scores_and_passes() -> None:
    paper = paper_of("a {T}", "b {F}", "c {#5}", "d {~%50%x ~%50%y ~z}", shuffle_questions=False)
    responses = {"q1": True, "q2": False, "q3": "5", "q4": ["a1"]}
    result = grade_attempt(paper, responses, START, START + timedelta(minutes=5))
    assert result.score_pct == 87.5
    assert result.passed is True
    assert [r.grade.score for r in result.per_question] == [1, 1, 1, 0.5]
    assert result.pending_manual == ()
    failed = grade_attempt(paper, {"q1": True}, START, START + timedelta(minutes=5))
    assert (failed.score_pct, failed.passed) == (25.0, False)


@pytest.mark.parametrize(
    ("answers", "passed"),
    [
        ({"q1": True, "q2": False, "q3": True, "q4": False}, True),  # 80% without the essay
        ({"q1": True, "q2": False, "q3": True}, None),  # 60%: the essay decides
        ({"q1": True}, False),  # 20% + essay 20% < 80%
    ],
)
def test_pending_essay_leaves_the_outcome_open(answers: dict[str, object], passed: object) -> None:
    gifts = ["a {T}", "b {F}", "c {T}", "d {F}", "Эссе {}"]
    paper = paper_of(*gifts, shuffle_questions=False)
    result = grade_attempt(paper, {**answers, "q5": "Мой ответ"}, START, START)
    assert result.pending_manual == ("q5",)
    assert result.passed is passed


def test_manual_grades_complete_the_result() -> None:
    paper = paper_of("a {T}", "b {F}", "c {T}", "d {F}", "Эссе {}", shuffle_questions=False)
    result = grade_attempt(paper, {"q1": True, "q2": False, "q3": True, "q5": "..."}, START, START)
    assert result.passed is None
    done = apply_manual_grades(result, {"q5": 1.0})
    assert (done.score_pct, done.passed, done.pending_manual) == (80.0, True, ())
    assert apply_manual_grades(result, {"q5": 0.5}).passed is False
    with pytest.raises(TamperedResponseError, match="not waiting for manual grading"):
        apply_manual_grades(result, {"q1": 1.0})
    with pytest.raises(AttemptError, match="outside 0..1"):
        apply_manual_grades(result, {"q5": 2})


@pytest.mark.parametrize(
    ("elapsed", "accepted"),
    [
        (timedelta(minutes=20), True),
        (timedelta(minutes=20, seconds=30), True),
        (timedelta(minutes=20, seconds=31), False),
        (timedelta(hours=2), False),
    ],
)
def test_time_limit_with_grace(elapsed: timedelta, accepted: bool) -> None:
    paper = paper_of("a {T}", "b {F}")
    if accepted:
        assert grade_attempt(paper, {}, START, START + elapsed).score_pct == 0
    else:
        with pytest.raises(TimeLimitError, match="the limit is 20 min plus 30 s of grace"):
            grade_attempt(paper, {}, START, START + elapsed)


def test_no_time_limit_accepts_late_answers() -> None:
    paper = paper_of("a {T}", time_limit_min=None)
    assert grade_attempt(paper, {"q1": True}, START, START + timedelta(days=1)).passed


@pytest.mark.parametrize(
    ("responses", "submitted", "error", "fragment"),
    [
        ({"q9": True}, START, TamperedResponseError, "slot 'q9' is not on this paper"),
        ({"q1": "a7"}, START, TamperedResponseError, "a7"),
        ({}, START - timedelta(seconds=1), AttemptError, "before the start"),
        ({}, datetime(2025, 3, 1, 10, 1), AttemptError, "timezone-aware"),
    ],
)
def test_attempt_errors(
    responses: dict[str, object], submitted: datetime, error: type[Exception], fragment: str
) -> None:
    paper = paper_of("a {=x ~y}")
    with pytest.raises(error, match=fragment):
        grade_attempt(paper, responses, START, submitted)


@pytest.mark.parametrize(
    ("limit", "used", "in_progress", "allowed", "fragment"),
    [
        (3, 0, False, True, ""),
        (3, 2, False, True, ""),
        (3, 3, False, False, "Попытки исчерпаны: использовано 3 из 3"),
        (3, 5, False, False, "использовано 5 из 3"),
        (None, 100, False, True, ""),
        (3, 1, True, False, "завершите начатую попытку"),
    ],
)
def test_can_start_attempt(
    limit: int | None, used: int, in_progress: bool, allowed: bool, fragment: str
) -> None:
    permission = can_start_attempt(
        spec(attempt_limit=limit), used, attempt_in_progress=in_progress
    )
    assert permission.allowed is allowed
    assert fragment in permission.reason
    assert bool(permission.reason) is not allowed


def test_paper_items_carry_whole_questions() -> None:
    paper = assemble(spec(), BANK, seed=1)
    assert all(isinstance(i.question, Question) for i in paper.items)
    assert paper.seed == 1 and paper.spec.title == "Аттестация: линия МТС"
