"""Exams, attempts, manual grading, certification passes, admission to the line.

Verb-named functions that take model objects, ``flush()`` and leave the commit to the caller.
Problems the person can act on raise :class:`ExamFlowError` with a Russian message.
"""

from __future__ import annotations

import logging
import re
import secrets
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

import exams
from app.certification.bank import question_from_dict, questions_of
from app.certification.messages import explain
from app.certification.rewards import award_training_event
from app.extensions import db
from app.formatting import format_datetime
from app.models import (
    BankQuestion,
    Carrier,
    CertificationPass,
    CertificationRule,
    Exam,
    ExamAttempt,
    LineAvailability,
    OperatorSkill,
    QuestionBank,
    Role,
    TrainingNotice,
    User,
    utcnow,
)
from app.outcome import Refused

log = logging.getLogger("ulybka.exams")
CARRIER_TITLES = {"mts": "МТС", "megafon": "МегаФон", "beeline": "Билайн"}


class ExamFlowError(Refused):
    """An exam action was refused; the message (Russian) says why and what to do."""


# --- exams ------------------------------------------------------------------------------------


def parse_picks(text: str) -> list[list[Any]]:
    """``Категория: N`` per line (``*: N`` or ``: N`` for the whole bank)."""
    picks = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        match = re.fullmatch(r"\s*(.*?)\s*[:=]\s*(\d+)\s*", line)
        if not match or int(match.group(2)) < 1:
            raise ExamFlowError(
                f"Строка {number} «{line.strip()}»: пишите «Категория: число», например «Тарифы/МТС: 3»."
            )
        category = "" if match.group(1) in ("", "*") else match.group(1)
        picks.append([category, int(match.group(2))])
    if not picks:
        raise ExamFlowError("Укажите хотя бы одну категорию и число вопросов из неё.")
    return picks


def spec_of(exam: Exam) -> exams.ExamSpec:
    return exams.ExamSpec(
        exam.title,
        tuple((c, n) for c, n in exam.picks),
        exam.time_limit_min,
        exam.attempt_limit,
        exam.pass_mark,
        exam.shuffle_questions,
        exam.shuffle_answers,
    )


def create_exam(
    *,
    key: str,
    title: str,
    bank: QuestionBank,
    picks: list[list[Any]],
    time_limit_min: int | None,
    attempt_limit: int | None,
    pass_mark: float,
    shuffle_questions: bool = True,
    shuffle_answers: bool = True,
    carrier: str | None = None,
    valid_days: int = 180,
) -> Exam:
    """Create an exam (checked against the bank) and, with ``carrier``, the certification it grants."""
    exam = Exam(
        key=key,
        title=title.strip(),
        bank=bank,
        picks=picks,
        time_limit_min=time_limit_min,
        attempt_limit=attempt_limit,
        pass_mark=pass_mark,
        shuffle_questions=shuffle_questions,
        shuffle_answers=shuffle_answers,
    )
    try:
        exams.assemble(spec_of(exam), questions_of(bank), seed="check")
    except exams.ExamError as exc:
        raise ExamFlowError(explain(exc, "Экзамен не создан")) from None
    if db.session.scalar(select(Exam).where(Exam.key == key)) is not None:
        raise ExamFlowError(f"Экзамен с ключом «{key}» уже есть.")
    db.session.add(exam)
    if carrier:
        db.session.add(
            CertificationRule(
                key=f"line_{carrier}_{key}"[:60],
                exam=exam,
                carrier=carrier,
                title=f"Линия {CARRIER_TITLES[carrier]}",
                valid_days=valid_days,
            )
        )
    db.session.flush()
    log.info("exam %s «%s» created", exam.key, exam.title)
    return exam


def new_exam_key() -> str:
    return "exam-" + secrets.token_hex(4)


# --- attempts ---------------------------------------------------------------------------------


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
    award_training_event(
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


# --- admission --------------------------------------------------------------------------------


def rules() -> list[exams.Certification]:
    rows = db.session.execute(
        select(CertificationRule, Exam.key).join(Exam).order_by(CertificationRule.id)
    ).all()
    return [exams.Certification(r.key, r.title, r.carrier, exam_key, r.valid_days) for r, exam_key in rows]


def _passes_of(user_ids: list[int]) -> dict[int, list[exams.CertPass]]:
    """Every certification pass of these users: user id -> ``(rule key, passed_at, revoked_at)``."""
    passes: dict[int, list[exams.CertPass]] = {user_id: [] for user_id in user_ids}
    if not user_ids:
        return passes
    rows = db.session.execute(
        select(
            CertificationPass.user_id,
            CertificationRule.key,
            CertificationPass.passed_at,
            CertificationPass.revoked_at,
        )
        .join(CertificationRule)
        .where(CertificationPass.user_id.in_(user_ids))
    )
    for user_id, key, passed_at, revoked_at in rows:
        passes[user_id].append((key, passed_at, revoked_at))
    return passes


def admissions_of(users: list[User], now: datetime | None = None) -> dict[int, dict[str, exams.Admission]]:
    """:func:`admission_of` for many operators at once (two queries): user id -> carrier -> admission."""
    now = now or utcnow()
    in_force = rules()
    passes = _passes_of([u.id for u in users])
    out = {}
    for user in users:
        state = exams.admission_state(passes[user.id], now, in_force)
        out[user.id] = {
            code: state.get(code, exams.Admission(True, "Для этой линии аттестация не требуется."))
            for code in CARRIER_TITLES
        }
    return out


def admission_of(user: User, now: datetime | None = None) -> dict[str, exams.Admission]:
    """Admission per carrier code (every carrier; a line without a certification rule is open)."""
    return admissions_of([user], now)[user.id]


def admission_json(user: User) -> dict[str, Any]:
    return {
        code: {
            "admitted": a.admitted,
            "reason": a.reason,
            "expires_at": a.expires_at.astimezone(UTC).isoformat() if a.expires_at else None,
            "renew_soon": a.renew_soon,
        }
        for code, a in admission_of(user).items()
    }


def lines_of(user: User) -> list[dict[str, Any]]:
    """The operator's lines with admission and the availability switch."""
    admission = admission_of(user)
    flags = {
        row.carrier_id: row.available
        for row in db.session.scalars(select(LineAvailability).where(LineAvailability.user_id == user.id))
    }
    skills = db.session.scalars(
        select(OperatorSkill).where(OperatorSkill.user_id == user.id).join(Carrier).order_by(Carrier.id)
    )
    return [
        {
            "carrier": s.carrier,
            "admission": admission[s.carrier.code],
            "available": flags.get(s.carrier_id, False),
        }
        for s in skills
    ]


def set_availability(user: User, carrier: Carrier, available: bool) -> None:
    """Put an operator on or off a carrier's line; going on needs a valid certification."""
    if available:
        if (
            db.session.scalar(
                select(OperatorSkill).where(
                    OperatorSkill.user_id == user.id, OperatorSkill.carrier_id == carrier.id
                )
            )
            is None
        ):
            raise ExamFlowError(f"{user.full_name} не работает на линии {carrier.name}.")
        admission = admission_of(user)[carrier.code]
        if not admission.admitted:
            raise ExamFlowError(f"Нельзя поставить на линию {carrier.name}. {admission.reason}")
    row = db.session.scalar(
        select(LineAvailability).where(
            LineAvailability.user_id == user.id, LineAvailability.carrier_id == carrier.id
        )
    )
    if row is None:
        row = LineAvailability(user_id=user.id, carrier_id=carrier.id)
        db.session.add(row)
    row.available, row.changed_at = available, utcnow()
    db.session.flush()


def revoke_for_carrier(carrier_code: str, reason: str, now: datetime | None = None) -> int:
    """Revoke every valid pass of the carrier's certifications, take those operators off the
    line and notify them; returns how many passes were revoked."""
    now = now or utcnow()
    keys = exams.certifications_for(carrier_code, rules())
    if not keys:
        return 0
    passes = list(
        db.session.scalars(
            select(CertificationPass)
            .join(CertificationRule)
            .where(CertificationRule.key.in_(keys), CertificationPass.revoked_at.is_(None))
        )
    )
    carrier = db.session.scalar(select(Carrier).where(Carrier.code == carrier_code))
    for cert_pass in passes:
        cert_pass.revoked_at, cert_pass.revoked_reason = now, reason[:300]
    titles: dict[int, dict[str, None]] = {}
    for cert_pass in passes:
        titles.setdefault(cert_pass.user_id, {})[cert_pass.certification.title] = None
    for user_id, named in titles.items():
        names = ", ".join(f"«{title}»" for title in named)
        what = f"Аттестация {names} отозвана" if len(named) == 1 else f"Аттестации {names} отозваны"
        db.session.add(
            TrainingNotice(
                user_id=user_id,
                text=f"{what}: {reason} Пройдите переаттестацию, чтобы вернуться на линию."[:400],
            )
        )
        if carrier is not None:
            for row in db.session.scalars(
                select(LineAvailability).where(
                    LineAvailability.user_id == user_id, LineAvailability.carrier_id == carrier.id
                )
            ):
                row.available = False
    db.session.flush()
    log.info("revoked %s certification passes of carrier %s", len(passes), carrier_code)
    return len(passes)


def expiring(now: datetime | None = None, within_days: int = exams.RENEW_WITHIN_DAYS) -> list[dict[str, Any]]:
    """Certifications of active operators that run out within ``within_days`` (for the manager's
    reminders), soonest first. A certification runs out when its latest valid pass does, as on
    the admission grid: a pass renewed by this or another exam of the same certification
    takes it off the list."""
    now = now or utcnow()
    operators = list(
        db.session.scalars(
            select(User)
            .where(User.role == Role.OPERATOR, User.active.is_(True))
            .where(User.id.in_(select(CertificationPass.user_id)))
        )
    )
    in_force = rules()
    passes = _passes_of([u.id for u in operators])
    out = []
    for user in operators:
        for state in exams.certification_states(passes[user.id], now, in_force):
            if state.expires_at is not None and state.expires_at - now <= timedelta(days=within_days):
                out.append(
                    {
                        "user": user,
                        "title": state.title,
                        "carrier": state.carrier,
                        "expires_at": state.expires_at,
                        "days_left": (state.expires_at - now).days,
                    }
                )
    out.sort(key=lambda e: (e["expires_at"], e["user"].full_name))
    return out


def notices_for(user: User, limit: int = 10) -> list[TrainingNotice]:
    return list(
        db.session.scalars(
            select(TrainingNotice)
            .where(TrainingNotice.user_id == user.id)
            .order_by(TrainingNotice.id.desc())
            .limit(limit)
        )
    )


def certified_counts() -> dict[str, int]:
    rows = db.session.execute(
        select(CertificationRule.carrier, func.count(func.distinct(CertificationPass.user_id)))
        .join(CertificationRule)
        .where(CertificationPass.revoked_at.is_(None))
        .group_by(CertificationRule.carrier)
    ).all()
    return dict(rows)


def banks_by_name(name: str) -> QuestionBank:
    bank = db.session.scalar(select(QuestionBank).where(QuestionBank.name == name))
    if bank is None:
        raise ExamFlowError(f"Банка вопросов «{name}» нет.")
    return bank
