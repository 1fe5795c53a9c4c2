"""Question banks: store :class:`exams.Question` values as JSON, import and export GIFT."""

from __future__ import annotations

import dataclasses
import logging
from typing import Any

from sqlalchemy import select

import exams
from app.exams.messages import russian, sentence
from app.extensions import db
from app.models import BankQuestion, QuestionBank
from app.outcome import Refused

log = logging.getLogger("ulybka.exams")


class BankError(Refused):
    """A bank operation cannot be done; the message (Russian) says why."""


def question_to_dict(question: exams.Question) -> dict[str, Any]:
    return dataclasses.asdict(question)


def question_from_dict(data: dict[str, Any]) -> exams.Question:
    values = dict(data)
    values["choices"] = tuple(exams.Choice(**c) for c in data.get("choices", ()))
    values["numeric"] = tuple(exams.NumericAnswer(**n) for n in data.get("numeric", ()))
    values["pairs"] = tuple(exams.MatchPair(**p) for p in data.get("pairs", ()))
    return exams.Question(**values)


TYPE_TITLES: dict[str, str] = {
    "multichoice": "Выбор ответа",
    "truefalse": "Верно/неверно",
    "shortanswer": "Короткий ответ",
    "numerical": "Числовой",
    "matching": "На соответствие",
    "essay": "Эссе",
    "description": "Описание",
}
"""Russian names of the question types for pages (the CLI's JSON keeps the Moodle names)."""


def find_bank(name: str) -> QuestionBank | None:
    return db.session.scalar(select(QuestionBank).where(QuestionBank.name == " ".join(name.split())))


def bank_name_of(name: str) -> str:
    """A bank name with spaces tidied; :class:`BankError` when it is empty or too long."""
    name = " ".join(name.split())
    if not name:
        raise BankError("Укажите название банка вопросов.")
    if len(name) > 120:
        raise BankError("Название банка — не длиннее 120 символов.")
    return name


def ensure_bank(name: str) -> QuestionBank:
    name = bank_name_of(name)
    bank = find_bank(name)
    if bank is None:
        bank = QuestionBank(name=name)
        db.session.add(bank)
        db.session.flush()
    return bank


def import_gift(bank_name: str, data: bytes) -> dict[str, Any]:
    """Parse a GIFT file and add its questions to a bank (created when there is something to add).

    Questions already in the bank (same :func:`exams.fingerprint`) are skipped, so importing
    the same file twice adds nothing. Returns ``{"imported", "by_type", "errors"}`` (Moodle type
    names, Russian messages with line numbers) plus ``bank``, ``duplicates``, ``warnings`` and
    ``refused``: True when the file as a whole is not GIFT (not text, markup, no question in
    it); its one error, on line 0, says why and what is expected, and nothing is written.
    """
    name = bank_name_of(bank_name)
    try:
        result = exams.parse_gift_bytes(data)
    except exams.GiftFileError as exc:
        log.info("GIFT import into bank %r refused: %s", name, exc)
        return {
            "imported": 0,
            "by_type": dict.fromkeys(exams.QUESTION_TYPES, 0),
            "errors": [{"line": 0, "message": sentence(russian(str(exc)))}],
            "bank": name,
            "duplicates": 0,
            "warnings": [],
            "refused": True,
        }
    bank = find_bank(name)
    known: set[str] = set()
    if bank is not None:
        known = set(
            db.session.scalars(select(BankQuestion.fingerprint).where(BankQuestion.bank_id == bank.id))
        )
    added: list[tuple[str, exams.Question]] = []
    duplicates = 0
    for question in result.questions:
        digest = exams.fingerprint(question)
        if digest in known:
            duplicates += 1
            continue
        known.add(digest)
        added.append((digest, question))
    if added and bank is None:
        bank = ensure_bank(name)
    for digest, question in added:
        db.session.add(
            BankQuestion(
                bank=bank,
                fingerprint=digest,
                type=question.type,
                category=question.category,
                title=question.title[:200],
                data=question_to_dict(question),
            )
        )
    db.session.flush()
    report = exams.summarise(exams.GiftResult(tuple(q for _, q in added), result.errors))
    report["errors"] = [{"line": e["line"], "message": russian(e["message"])} for e in report["errors"]]
    log.info(
        "GIFT import into bank %r: %s added, %s duplicates, %s errors",
        name,
        len(added),
        duplicates,
        len(result.errors),
    )
    return {
        **report,
        "duplicates": duplicates,
        "bank": name,
        "warnings": [russian(w.message) for w in result.warnings],
        "refused": False,
    }


def questions_of(bank: QuestionBank) -> list[exams.Question]:
    return [question_from_dict(row.data) for row in bank.questions]


def export_bank(bank: QuestionBank) -> str:
    return exams.export_gift(questions_of(bank))


def categories_of(bank: QuestionBank) -> dict[str, int]:
    counts: dict[str, int] = {}
    for row in bank.questions:
        if row.type != "description":
            counts[row.category] = counts.get(row.category, 0) + 1
    return dict(sorted(counts.items()))
