"""Taking exams: start an attempt, autosave answers, submit, expire, grade essays by hand.

Verb-named functions that take model objects, ``flush()`` and leave the commit to the caller;
refusals raise :class:`app.exams.errors.ExamFlowError`.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

import exams
from app.exams.authoring import spec_of
from app.exams.bank import question_from_dict
from app.exams.errors import ExamFlowError
from app.exams.messages import explain
from app.extensions import db
from app.features import announce
from app.formatting import format_datetime
from app.models import (
    BankQuestion,
    CertificationPass,
    CertificationRule,
    Exam,
    ExamAttempt,
    User,
    utcnow,
)

log = logging.getLogger("ulybka.exams")


def attempts_of(user: User, exam: Exam) -> list[ExamAttempt]:
    return list(
        db.session.scalars(
            select(ExamAttempt)
            .where(ExamAttempt.user_id == user.id, ExamAttempt.exam_id == exam.id)
            .order_by(ExamAttempt.id)
        )
    )


def permission(user: User, exam: Exam) -> exams.Permission:
    tries = attempts_of(user, exam)
    return exams.can_start_attempt(
        spec_of(exam), len(tries), attempt_in_progress=any(a.status == "open" for a in tries)
    )


def start_attempt(user: User, exam: Exam, now: datetime | None = None) -> ExamAttempt:
    """Draw a paper and open an attempt; a second open attempt is refused (also under a race:
    ``open_key`` is unique)."""
    allowed = permission(user, exam)
    if not allowed.allowed:
        raise ExamFlowError(allowed.reason)
    seed = secrets.token_hex(8)
    rows = list(exam.bank.questions)
    by_digest = {row.fingerprint: row for row in rows}
    try:
        paper = exams.assemble(spec_of(exam), [question_from_dict(r.data) for r in rows], seed)
    except exams.ExamError as exc:
        raise ExamFlowError(explain(exc, "Попытка не начата")) from None
    attempt = ExamAttempt(
        exam=exam,
        user_id=user.id,
        open_key=f"{user.id}:{exam.id}",
        seed=seed,
        responses={},
        started_at=now or utcnow(),
        paper=[
            {
                "slot": item.slot,
                "question_id": by_digest[exams.fingerprint(item.question)].id,
                "choices": list(item.choice_order),
                "rights": list(item.right_order),
            }
            for item in paper.items
        ],
    )
    db.session.add(attempt)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        raise ExamFlowError("Сначала завершите начатую попытку.") from None
    log.info("attempt %s of exam %s started by %s", attempt.id, exam.key, user.login)
    return attempt


def paper_of(attempt: ExamAttempt) -> exams.ExamPaper:
    ids = [entry["question_id"] for entry in attempt.paper]
    rows = {row.id: row for row in db.session.scalars(select(BankQuestion).where(BankQuestion.id.in_(ids)))}
    items = tuple(
        exams.PaperItem(
            e["slot"],
            question_from_dict(rows[e["question_id"]].data),
            tuple(e["choices"]),
            tuple(e["rights"]),
        )
        for e in attempt.paper
    )
    return exams.ExamPaper(spec_of(attempt.exam), attempt.seed, items)


def deadline_of(attempt: ExamAttempt) -> datetime | None:
    limit = attempt.exam.time_limit_min
    return attempt.started_at + timedelta(minutes=limit) if limit else None


def responses_from_form(paper: exams.ExamPaper, form: Mapping[str, Any]) -> dict[str, Any]:
    """Turn posted fields (``q1``, ``q1.p2`` ...) into the response shapes :func:`exams.grade` takes.

    :raises ExamFlowError: a field names a question or pair that is not on the paper.
    """
    slots = {item.slot: item for item in paper.items}
    for name in form:
        if name == "csrf_token":
            continue
        slot = name.split(".", 1)[0]
        if slot not in slots:
            raise ExamFlowError(
                f"Поле «{name}» не относится к этой попытке — ответы не сохранены. "
                "Обновите страницу и ответьте заново."
            )
    responses: dict[str, Any] = {}
    for slot, item in slots.items():
        question = item.question
        if question.type == "multichoice" and not question.single:
            values = form.getlist(slot) if hasattr(form, "getlist") else form.get(slot, [])
            responses[slot] = list(values)
        elif question.type == "matching":
            prefix = slot + "."
            responses[slot] = {k[len(prefix) :]: v for k, v in form.items() if k.startswith(prefix) and v}
        elif question.type == "truefalse":
            value = form.get(slot)
            responses[slot] = {"true": True, "false": False}.get(value, value) if value else None
        else:
            responses[slot] = form.get(slot) or None
    return responses


def _check_responses(paper: exams.ExamPaper, responses: Mapping[str, Any]) -> None:
    for item in paper.items:
        try:
            exams.grade(item.question, responses.get(item.slot))
        except exams.TamperedResponseError:
            raise ExamFlowError(
                f"Ответ на вопрос {item.slot[1:]} содержит варианты, которых в вопросе нет, — "
                "ответы не сохранены. Обновите страницу и ответьте заново."
            ) from None
        except exams.ResponseError:
            raise ExamFlowError(
                f"Ответ на вопрос {item.slot[1:]} не подходит к типу вопроса — ответы не сохранены."
            ) from None
        if item.question.type == "matching" and responses.get(item.slot):
            rights = set(item.right_order)
            if not set(responses[item.slot].values()) <= rights:
                raise ExamFlowError(
                    f"В вопросе {item.slot[1:]} выбран вариант, которого нет в списке, — ответы не сохранены."
                )


def _require_open(attempt: ExamAttempt, now: datetime) -> None:
    if attempt.status != "open":
        raise ExamFlowError("Попытка уже завершена — ответы больше не принимаются.")
    deadline = deadline_of(attempt)
    if deadline is not None and now > deadline + timedelta(seconds=exams.GRACE_SECONDS):
        raise ExamFlowError(
            f"Время на попытку истекло в {format_datetime(deadline, '%H:%M')} — "
            "ответы после окончания времени не принимаются."
        )


def save_responses(attempt: ExamAttempt, form: Mapping[str, Any], now: datetime | None = None) -> None:
    """Autosave: check and store the answers of an open attempt."""
    now = now or utcnow()
    _require_open(attempt, now)
    paper = paper_of(attempt)
    responses = responses_from_form(paper, form)
    _check_responses(paper, responses)
    attempt.responses = responses
    attempt.saved_at = now
    db.session.flush()


def _result_json(result: exams.AttemptResult) -> dict[str, Any]:
    return {
        "score_pct": result.score_pct,
        "passed": result.passed,
        "pass_mark": result.pass_mark,
        "pending": list(result.pending_manual),
        "questions": {
            r.slot: {
                "score": r.grade.score,
                "max": r.grade.max,
                "feedback": r.grade.feedback,
                "needs_manual": r.grade.needs_manual,
            }
            for r in result.per_question
        },
    }


def _result_from_json(data: dict[str, Any]) -> exams.AttemptResult:
    per = tuple(
        exams.QuestionResult(slot, exams.Grade(q["score"], q["max"], q["feedback"], q["needs_manual"]))
        for slot, q in data["questions"].items()
    )
    return exams.AttemptResult(
        data["score_pct"], data["passed"], per, tuple(data["pending"]), data["pass_mark"]
    )


def submit_attempt(
    attempt: ExamAttempt, form: Mapping[str, Any] | None, now: datetime | None = None
) -> str | None:
    """Grade an attempt. Answers that arrive after the time limit are refused: the attempt is
    then graded on what was autosaved in time. Returns a Russian note for the examinee or None."""
    now = now or utcnow()
    if attempt.status != "open":
        raise ExamFlowError("Попытка уже завершена.")
    paper = paper_of(attempt)
    note = None
    submitted_at = now
    if form is not None:
        try:
            _require_open(attempt, now)
        except ExamFlowError as exc:
            note = f"{exc} Засчитаны ответы, сохранённые до конца времени."
            submitted_at = deadline_of(attempt) or now
        else:
            responses = responses_from_form(paper, form)
            _check_responses(paper, responses)
            attempt.responses = responses
    else:
        deadline = deadline_of(attempt)
        submitted_at = min(now, deadline) if deadline else now
    try:
        result = exams.grade_attempt(paper, attempt.responses, attempt.started_at, submitted_at)
    except exams.ExamError as exc:
        raise ExamFlowError(explain(exc)) from None
    _store_result(attempt, result, submitted_at)
    return note


def _store_result(attempt: ExamAttempt, result: exams.AttemptResult, submitted_at: datetime | None) -> None:
    attempt.result = _result_json(result)
    attempt.score_pct = result.score_pct
    attempt.passed = result.passed
    attempt.open_key = None
    attempt.status = "pending" if result.pending_manual else "graded"
    if submitted_at is not None:
        attempt.submitted_at = submitted_at
    db.session.flush()
    log.info("attempt %s: %s%% (%s)", attempt.id, result.score_pct, attempt.status)
    if attempt.status == "graded":
        _after_final_grade(attempt)


def expire_overdue(attempt: ExamAttempt, now: datetime | None = None) -> bool:
    """Close an open attempt whose time is over (graded on what was saved); True when closed."""
    now = now or utcnow()
    deadline = deadline_of(attempt)
    if attempt.status == "open" and deadline and now > deadline + timedelta(seconds=exams.GRACE_SECONDS):
        submit_attempt(attempt, None, now)
        return True
    return False


def grade_manually(attempt: ExamAttempt, scores: Mapping[str, float], grader: User) -> None:
    """Fill in the hand grades (fractions 0..1) of an attempt waiting in the grading queue."""
    if attempt.status != "pending" or not attempt.result:
        raise ExamFlowError("Эта попытка не ждёт ручной проверки.")
    try:
        result = exams.apply_manual_grades(_result_from_json(attempt.result), scores)
    except exams.ExamError as exc:
        raise ExamFlowError(explain(exc, "Оценка не сохранена")) from None
    attempt.graded_by_id = grader.id
    _store_result(attempt, result, None)


def result_of(attempt: ExamAttempt) -> exams.AttemptResult | None:
    return _result_from_json(attempt.result) if attempt.result else None


def _after_final_grade(attempt: ExamAttempt) -> None:
    rules = db.session.scalars(select(CertificationRule).where(CertificationRule.exam_id == attempt.exam_id))
    if attempt.passed:
        for rule in rules:
            db.session.add(
                CertificationPass(
                    certification=rule,
                    user_id=attempt.user_id,
                    attempt_id=attempt.id,
                    passed_at=attempt.submitted_at or utcnow(),
                )
            )
        db.session.flush()
    announce(  # the points ledger listens
        "training.completed",
        "certification",
        f"attempt:{attempt.id}",
        attempt.user.login,
        attempt.submitted_at or utcnow(),
        {"passed": bool(attempt.passed), "percent": float(attempt.score_pct or 0)},
    )


def grading_queue() -> list[ExamAttempt]:
    return list(
        db.session.scalars(
            select(ExamAttempt).where(ExamAttempt.status == "pending").order_by(ExamAttempt.submitted_at)
        )
    )


