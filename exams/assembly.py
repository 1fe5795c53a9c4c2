"""Exam assembly from a question bank, attempt grading and attempt limits."""

from __future__ import annotations

import random
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from .errors import (
    AssemblyError,
    AttemptError,
    ExamSpecError,
    TamperedResponseError,
    TimeLimitError,
)
from .grading import Grade, grade
from .question import Question, fingerprint

GRACE_SECONDS = 30
"""Slack after the time limit for the submit request to arrive."""


@dataclass(frozen=True)
class ExamSpec:
    """How to build an exam.

    :param title: shown to the examinee, e.g. «Аттестация: линия МТС».
    :param picks: ``(category, n)``: draw ``n`` random questions from ``category`` and its
        subcategories (``"Тарифы"`` includes ``"Тарифы/МТС"``).
    :param time_limit_min: minutes from start to submit; None for no limit.
    :param attempt_limit: attempts allowed; None for unlimited.
    :param pass_mark: percent needed to pass, 0..100.
    :param shuffle_questions: shuffle the order of questions on each paper.
    :param shuffle_answers: shuffle multichoice answers and matching right-hand sides.
    """

    title: str
    picks: tuple[tuple[str, int], ...]
    time_limit_min: int | None = None
    attempt_limit: int | None = None
    pass_mark: float = 80.0
    shuffle_questions: bool = True
    shuffle_answers: bool = True

    def __post_init__(self) -> None:
        picks = tuple((str(category), n) for category, n in self.picks)
        object.__setattr__(self, "picks", picks)
        if not picks:
            raise ExamSpecError("an exam needs at least one (category, number) pick", code="no_picks")
        for category, n in picks:
            if isinstance(n, bool) or not isinstance(n, int) or n < 1:
                raise ExamSpecError(
                    f"pick for category '{category}' asks for {n!r} questions; give a whole "
                    "number of 1 or more",
                    code="bad_pick_count",
                    category=category,
                    count=n,
                )
        if not 0 <= self.pass_mark <= 100:
            raise ExamSpecError(
                f"pass mark {self.pass_mark} is outside 0..100 percent",
                code="pass_mark_out_of_range",
                pass_mark=self.pass_mark,
            )
        if self.time_limit_min is not None and self.time_limit_min <= 0:
            raise ExamSpecError(
                f"time limit {self.time_limit_min} min is not positive; give minutes or None",
                code="time_limit_not_positive",
                minutes=self.time_limit_min,
            )
        if self.attempt_limit is not None and self.attempt_limit < 1:
            raise ExamSpecError(
                f"attempt limit {self.attempt_limit} is below 1; give 1 or more, or None",
                code="attempt_limit_below_one",
                limit=self.attempt_limit,
            )


@dataclass(frozen=True)
class PaperItem:
    """One question on a paper, with the order its answers are shown in.

    :param slot: the key of its response (``q1``, ``q2`` ...).
    :param choice_order: multichoice/truefalse choice ids in display order.
    :param right_order: matching right-hand texts in display order.
    """

    slot: str
    question: Question
    choice_order: tuple[str, ...] = ()
    right_order: tuple[str, ...] = ()


@dataclass(frozen=True)
class ExamPaper:
    """A concrete exam drawn for one attempt; reproducible from ``spec``, bank and ``seed``."""

    spec: ExamSpec
    seed: int | str
    items: tuple[PaperItem, ...]

    def item(self, slot: str) -> PaperItem:
        """The item in ``slot``."""
        for item in self.items:
            if item.slot == slot:
                return item
        raise TamperedResponseError(
            f"slot '{slot}' is not on this paper; its slots are q1..q{len(self.items)}",
            code="slot_not_on_paper",
            slot=slot,
            slots=len(self.items),
        )


@dataclass(frozen=True)
class QuestionResult:
    """The grade of one slot."""

    slot: str
    grade: Grade


@dataclass(frozen=True)
class AttemptResult:
    """A graded attempt.

    :param score_pct: points earned over points available, in percent (2 decimals); manual
        questions count 0 until graded.
    :param passed: True/False, or None while manual grading could still change the outcome.
    :param pending_manual: slots that a person has to grade.
    """

    score_pct: float
    passed: bool | None
    per_question: tuple[QuestionResult, ...]
    pending_manual: tuple[str, ...]
    pass_mark: float = field(default=80.0)


@dataclass(frozen=True)
class Permission:
    """Whether something may start, and why not (Russian, for the examinee)."""

    allowed: bool
    reason: str = ""


def _in_category(question: Question, category: str) -> bool:
    return not category or question.category == category or question.category.startswith(
        category + "/"
    )


def assemble(spec: ExamSpec, bank: Iterable[Question], seed: int | str) -> ExamPaper:
    """Draw a paper: ``n`` random questions per pick, never the same question twice.

    The bank is deduplicated and ordered by :func:`fingerprint` first, so which questions are
    drawn depends only on the bank's content, the spec and ``seed`` -- not on the order rows
    were loaded. With ``shuffle_questions`` off, each pick's questions keep the bank's order.
    Descriptions are never drawn.

    :param spec: the exam specification.
    :param bank: every question available.
    :param seed: an attempt id or any value stored with the attempt.
    :raises AssemblyError: a category has fewer drawable questions than the spec asks for.
    """
    unique: dict[str, Question] = {}
    for question in bank:
        if question.type != "description":
            unique.setdefault(fingerprint(question), question)
    position = {key: index for index, key in enumerate(unique)}
    keys = sorted(unique)
    ordered = [unique[key] for key in keys]
    rng = random.Random(f"{spec.title}|{seed}")
    chosen: list[Question] = []
    taken: set[int] = set()
    shortages: list[tuple[str, int, int, int]] = []
    for category, n in spec.picks:
        inside = [i for i, q in enumerate(ordered) if _in_category(q, category)]
        candidates = [i for i in inside if i not in taken]
        if len(candidates) < n:
            shortages.append((category, len(candidates), n, len(inside) - len(candidates)))
            continue
        picked = rng.sample(candidates, n)
        taken.update(picked)
        if not spec.shuffle_questions:
            picked.sort(key=lambda i: position[keys[i]])
        chosen.extend(ordered[i] for i in picked)
    if shortages:
        raise AssemblyError(
            "not enough questions: "
            + "; ".join(
                f"category '{category or '(all)'}' has {available} unused question(s) but the "
                f"exam draws {wanted}"
                for category, available, wanted, _ in shortages
            )
            + "; import more questions or lower the numbers in the exam",
            tuple(shortages),
            code="not_enough_questions",
        )
    if spec.shuffle_questions:
        rng.shuffle(chosen)
    items = tuple(
        _item(f"q{number}", question, rng if spec.shuffle_answers else None)
        for number, question in enumerate(chosen, start=1)
    )
    return ExamPaper(spec, seed, items)


def _item(slot: str, question: Question, rng: random.Random | None) -> PaperItem:
    choices = [c.id for c in question.choices]
    rights = list(dict.fromkeys(p.right for p in question.pairs))
    if rng is not None and question.type in ("multichoice", "matching"):
        rng.shuffle(choices)
        rng.shuffle(rights)
    return PaperItem(slot, question, tuple(choices), tuple(rights))


def grade_attempt(
    paper: ExamPaper,
    responses: Mapping[str, object],
    started_at: datetime,
    submitted_at: datetime,
    grace_seconds: float = GRACE_SECONDS,
) -> AttemptResult:
    """Grade every slot of a paper.

    :param responses: slot -> response (missing slots are unanswered).
    :param started_at: when the attempt started.
    :param submitted_at: when the answers arrived.
    :param grace_seconds: accepted lateness after the time limit.
    :raises TimeLimitError: submitted after the time limit plus the grace.
    :raises TamperedResponseError: a slot or answer is not on the paper.
    """
    try:
        elapsed = submitted_at - started_at
    except TypeError:
        raise AttemptError(
            "started_at and submitted_at must both be timezone-aware or both naive",
            code="mixed_timezones",
        ) from None
    if elapsed < timedelta(0):
        raise AttemptError(
            f"submitted at {submitted_at.isoformat()}, before the start at "
            f"{started_at.isoformat()}",
            code="submitted_before_start",
            started_at=started_at,
            submitted_at=submitted_at,
        )
    limit = paper.spec.time_limit_min
    if limit is not None and elapsed > timedelta(minutes=limit, seconds=grace_seconds):
        minutes, seconds = divmod(int(elapsed.total_seconds()), 60)
        raise TimeLimitError(
            f"answers arrived {minutes} min {seconds} s after the start; the limit is {limit} "
            f"min plus {grace_seconds:g} s of grace, so they are not accepted",
            code="time_limit_exceeded",
            minutes=minutes,
            seconds=seconds,
            limit=limit,
            grace=grace_seconds,
        )
    for slot in responses:
        paper.item(slot)
    results = tuple(
        QuestionResult(item.slot, grade(item.question, responses.get(item.slot)))
        for item in paper.items
    )
    return _total(results, paper.spec.pass_mark)


def _total(results: tuple[QuestionResult, ...], pass_mark: float) -> AttemptResult:
    available = sum(r.grade.max for r in results)
    earned = sum(r.grade.points for r in results)
    pending = tuple(r.slot for r in results if r.grade.needs_manual)
    open_points = sum(r.grade.max for r in results if r.grade.needs_manual)

    def percent(points: float) -> float:
        return round(100 * points / available, 2) if available else 0.0

    score = percent(earned)
    passed: bool | None = score >= pass_mark
    if pending and not passed and percent(earned + open_points) >= pass_mark:
        passed = None
    return AttemptResult(score, passed, results, pending, pass_mark)


def apply_manual_grades(result: AttemptResult, scores: Mapping[str, float]) -> AttemptResult:
    """Fill in hand grades (fractions 0..1) for pending slots and recompute the result.

    :raises TamperedResponseError: a slot is not pending manual grading.
    :raises AttemptError: a score is outside 0..1.
    """
    strangers = sorted(set(scores) - set(result.pending_manual))
    if strangers:
        raise TamperedResponseError(
            f"slot(s) {', '.join(strangers)} are not waiting for manual grading; pending: "
            f"{', '.join(result.pending_manual) or 'none'}",
            code="slots_not_pending",
            slots=tuple(strangers),
            pending=result.pending_manual,
        )
    for slot, score in scores.items():
        if not 0 <= score <= 1:
            raise AttemptError(
                f"manual score {score} for {slot} is outside 0..1",
                code="manual_score_out_of_range",
                slot=slot,
                score=score,
            )
    updated = tuple(
        QuestionResult(
            r.slot,
            Grade(scores[r.slot], r.grade.max, r.grade.feedback, False)
            if r.slot in scores else r.grade,
        )
        for r in result.per_question
    )
    return _total(updated, result.pass_mark)


def can_start_attempt(
    spec: ExamSpec, attempts_used: int, *, attempt_in_progress: bool = False
) -> Permission:
    """Whether another attempt may start.

    :param attempts_used: attempts already started (finished or not).
    :param attempt_in_progress: an unfinished attempt is still open.
    """
    if attempt_in_progress:
        return Permission(False, "Сначала завершите начатую попытку.")
    if spec.attempt_limit is not None and attempts_used >= spec.attempt_limit:
        return Permission(
            False,
            f"Попытки исчерпаны: использовано {attempts_used} из {spec.attempt_limit}. "
            "Обратитесь к руководителю, чтобы получить дополнительную попытку.",
        )
    return Permission(True)
