"""Question banks: store :class:`exams.Question` values as JSON, import and export GIFT."""

from __future__ import annotations

import dataclasses
import logging
from typing import Any

from sqlalchemy import select

import exams
from app.exams.messages import gift_problem, sentence
from app.extensions import db
from app.models import BankQuestion, QuestionBank
from app.outcome import Refused
from app.wording import say

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

    A question already in the bank, or repeated earlier in the same file (same
    :func:`exams.fingerprint`), is skipped, so importing the same file twice adds nothing.

    Returns ``imported`` (count), ``by_type`` (Moodle type names), ``duplicates``
    (``[{"line", "title"}]``: the line each skipped question starts on and its title),
    ``errors`` (``[{"line", "code", "message"}]``, the message a Russian clause), ``warnings``
    (Russian), ``bank`` and ``refused``: True when the file as a whole is not GIFT (not text,
    markup, no question in it); its one error, on line 0, is a whole sentence saying why and
    what is expected, and nothing is written.

    :param bank_name: the bank to add to (created when missing).
    :param data: the raw file.
    :raises BankError: the bank name is empty or too long.
    """
    name = bank_name_of(bank_name)
    try:
        result = exams.parse_gift_bytes(data)
    except exams.GiftFileError as exc:
        log.info("GIFT import into bank %r refused (%s): %s", name, exc.code, exc)
        return {
            "imported": 0,
            "by_type": dict.fromkeys(exams.QUESTION_TYPES, 0),
            "duplicates": [],
            "errors": [{"line": 0, "code": exc.code, "message": sentence(say(exc))}],
            "warnings": [],
            "bank": name,
            "refused": True,
        }
    bank = find_bank(name)
    known: set[str] = set()
    if bank is not None:
        known = set(
            db.session.scalars(select(BankQuestion.fingerprint).where(BankQuestion.bank_id == bank.id))
        )
    added: list[tuple[str, exams.Question]] = []
    duplicates: list[dict[str, Any]] = []
    lines = result.lines or (0,) * len(result.questions)
    for line, question in zip(lines, result.questions, strict=True):
        digest = exams.fingerprint(question)
        if digest in known:
            duplicates.append({"line": line, "title": question.title})
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
    summary = exams.summarise(exams.GiftResult(tuple(q for _, q in added)))
    log.info(
        "GIFT import into bank %r: %s added, %s duplicates, %s errors",
        name,
        len(added),
        len(duplicates),
        len(result.errors),
    )
    return {
        "imported": summary["imported"],
        "by_type": summary["by_type"],
        "duplicates": duplicates,
        "errors": [gift_problem(problem) for problem in result.errors],
        "warnings": [sentence(say(warning)) for warning in result.warnings],
        "bank": name,
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
