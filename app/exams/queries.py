"""Read-only queries behind the exam pages."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import func, select

import carriers
from app.exams import admission, attempts, errors
from app.extensions import db
from app.models import (
    BankQuestion,
    CertificationRule,
    Exam,
    ExamAttempt,
    OperatorSkill,
    QuestionBank,
    Role,
    User,
)


def banks() -> list[QuestionBank]:
    return list(db.session.scalars(select(QuestionBank).order_by(QuestionBank.name)))


def bank_sizes() -> dict[int, int]:
    return dict(
        db.session.execute(select(BankQuestion.bank_id, func.count()).group_by(BankQuestion.bank_id)).all()
    )


def index_page(user: User) -> dict[str, Any]:
    exams_ = list(db.session.scalars(select(Exam).order_by(Exam.title)))
    certs = {r.exam_id: r for r in db.session.scalars(select(CertificationRule))}
    mine = list(
        db.session.scalars(
            select(ExamAttempt)
            .where(ExamAttempt.user_id == user.id)
            .order_by(ExamAttempt.id.desc())
            .limit(20)
        )
    )
    rows = []
    for exam in exams_:
        tries = [a for a in mine if a.exam_id == exam.id]
        rows.append(
            {
                "exam": exam,
                "cert": certs.get(exam.id),
                "permission": attempts.permission(user, exam),
                "open": next((a for a in tries if a.status == "open"), None),
                "tries": len(tries),
            }
        )
    return {
        "rows": rows,
        "attempts": mine,
        "banks": banks(),
        "sizes": bank_sizes(),
        "admission": admission.admission_of(user) if user.role == Role.OPERATOR else None,
        "notices": admission.notices_for(user),
        "pending": len(attempts.grading_queue()) if user.role in (Role.MANAGER, Role.QA_LISTENER) else 0,
        "unadmitted": admission.unadmitted_recent() if user.role in (Role.MANAGER, Role.ADMIN) else [],
    }


def certifications_granted(exam: Exam) -> list[str]:
    """Titles of the certifications passing ``exam`` grants («Линия МТС»), in rule order."""
    rules = select(CertificationRule.title).where(CertificationRule.exam_id == exam.id)
    return list(db.session.scalars(rules.order_by(CertificationRule.id)))


class ScoresRefused(errors.ExamFlowError):
    """Typed points the grader must correct: ``fields`` maps each slot to what is wrong there."""

    def __init__(self, fields: dict[str, str]) -> None:
        word = "поле" if len(fields) == 1 else "поля"
        super().__init__(f"Оценка не сохранена — исправьте отмеченное {word}.")
        self.fields = fields


def manual_scores(attempt: ExamAttempt, form: Mapping[str, str]) -> dict[str, float]:
    """Points typed by the grader for each pending slot, as fractions of the question's mark;
    :class:`ScoresRefused` names every field that is not a number within the mark. An attempt
    without a result has nothing to grade: ``{}`` (:func:`attempts.grade_manually` refuses it)."""
    result = attempts.result_of(attempt)
    if result is None:
        return {}
    scores: dict[str, float] = {}
    wrong: dict[str, str] = {}
    marks = {r.slot: r.grade.max for r in result.per_question}
    for slot in result.pending_manual:
        raw = (form.get(slot) or "").replace(",", ".").strip()
        try:
            points = float(raw)
        except ValueError:
            wrong[slot] = f"Вопрос {slot[1:]}: укажите баллы числом от 0 до {marks[slot]:g}."
            continue
        if not 0 <= points <= marks[slot]:
            wrong[slot] = f"Вопрос {slot[1:]}: баллы должны быть от 0 до {marks[slot]:g}."
            continue
        scores[slot] = points / marks[slot] if marks[slot] else 0.0
    if wrong:
        raise ScoresRefused(wrong)
    return scores


def certifications_page() -> dict[str, Any]:
    operators = list(
        db.session.scalars(
            select(User).where(User.role == Role.OPERATOR, User.active.is_(True)).order_by(User.full_name)
        )
    )
    skills: dict[int, set[str]] = {}
    for skill in db.session.scalars(select(OperatorSkill)):
        skills.setdefault(skill.user_id, set()).add(skill.carrier.code)
    admissions = admission.admissions_of(operators)
    table = [
        {"user": u, "admission": admissions[u.id], "lines": skills.get(u.id, set())} for u in operators
    ]
    titles = {c.code: c.name for c in carriers.CATALOGUE.values()}
    return {"table": table, "expiring": admission.expiring(), "titles": titles}
