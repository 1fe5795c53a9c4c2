"""Russian sentences about the errors of the pure ``exams`` package, picked by their ``code``.

The wording itself lives in the one catalogue, :mod:`app.wording` (``app/wording/exams.py``);
this module only shapes it for the exam pages: :func:`explain` turns an :class:`exams.ExamError`
into a whole sentence for a flash message, :func:`gift_problem` a GIFT syntax problem into a
line of the import report.
"""

from __future__ import annotations

from typing import Any

import exams
from app.wording import say


def explain(error: exams.ExamError, outcome: str = "") -> str:
    """A whole Russian sentence (capital letter, full stop) for an error of :mod:`exams`.

    :param error: the error; its ``code`` picks the wording, its ``params`` fill it in.
    :param outcome: what did not happen, put before the reason: «Экзамен не создан» gives
        «Экзамен не создан — в банке не хватает вопросов: …».
    """
    text = say(error)
    return sentence(f"{outcome} — {text}" if outcome else text)


def gift_problem(problem: exams.GiftError) -> dict[str, Any]:
    """``{"line", "code", "message"}`` for one broken question (or a note on line 0); the
    message is a Russian clause shown after «Строка N:»."""
    return {"line": problem.line, "code": problem.code, "message": say(problem)}


def sentence(text: str) -> str:
    """``text`` with a capital first letter and a full stop at the end."""
    text = text.strip()
    if not text:
        return text
    text = text[0].upper() + text[1:]
    return text if text.endswith((".", "!", "?")) else text + "."
