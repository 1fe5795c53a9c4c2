"""Writing exams: picks from question banks, pass mark, time limit, the certification an exam grants.

Verb-named functions that take model objects, ``flush()`` and leave the commit to the caller;
refusals raise :class:`app.exams.errors.ExamFlowError`.
"""

from __future__ import annotations

import logging
import re
import secrets
from typing import Any

from sqlalchemy import select

import carriers
import exams
from app.exams.bank import questions_of
from app.exams.errors import ExamFlowError
from app.exams.messages import explain
from app.extensions import db
from app.models import (
    CertificationRule,
    Exam,
    QuestionBank,
)

log = logging.getLogger("ulybka.exams")


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
                title=f"Линия {carriers.carrier_name(carrier)}",
                valid_days=valid_days,
            )
        )
    db.session.flush()
    log.info("exam %s «%s» created", exam.key, exam.title)
    return exam


def new_exam_key() -> str:
    return "exam-" + secrets.token_hex(4)


# --- attempts ---------------------------------------------------------------------------------


def banks_by_name(name: str) -> QuestionBank:
    bank = db.session.scalar(select(QuestionBank).where(QuestionBank.name == name))
    if bank is None:
        raise ExamFlowError(f"Банка вопросов «{name}» нет.")
    return bank
