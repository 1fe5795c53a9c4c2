"""GIFT export: questions back to text that Moodle and :func:`exams.parse_gift` read.

``parse_gift(export_gift(questions)).questions == questions`` for any parsed questions.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from typing import Final

from .question import BLANK, Choice, NumericAnswer, Question

_SPECIAL: Final[dict[int, str]] = {
    ord("\\"): "\\\\", ord("~"): "\\~", ord("="): "\\=", ord("#"): "\\#", ord("{"): "\\{",
    ord("}"): "\\}", ord(":"): "\\:", ord("\n"): "\\n", ord("\r"): "",
}


def export_gift(questions: Iterable[Question]) -> str:
    """Write questions as GIFT, with a ``$CATEGORY:`` line wherever the category changes.

    :param questions: in the order they should appear.
    """
    chunks: list[str] = []
    category: str | None = ""
    for question in questions:
        if question.category != category:
            category = question.category
            chunks.append(f"$CATEGORY: {category}")
        chunks.append(_question(question))
    return "\n\n".join(chunks) + "\n" if chunks else ""


def escape(text: str) -> str:
    """Escape GIFT's special characters (and newlines) in a piece of text."""
    return text.translate(_SPECIAL)


def _number(value: float) -> str:
    if math.isfinite(value) and value == int(value) and abs(value) < 1e15:
        return str(int(value))
    return repr(value)


def _question(question: Question) -> str:
    head = f"::{escape(question.name)}::" if question.name else ""
    if question.text_format != "moodle":
        head += f"[{question.text_format}]"
    if question.type == "description":
        return head + escape(question.text)
    block = "{" + _WRITERS[question.type](question)
    if question.general_feedback:
        block += f"\n\t####{escape(question.general_feedback)}"
    block += "\n}" if "\n" in block else "}"
    if question.blank_at is None:
        return f"{head}{escape(question.text)} {block}"
    before = question.text[: question.blank_at]
    after = question.text[question.blank_at + len(BLANK):]
    return f"{head}{escape(before)}{block}{escape(after)}"


def _feedback(feedback: str) -> str:
    return f"#{escape(feedback)}" if feedback else ""


def _weight(weight: float) -> str:
    return f"%{_number(weight)}%"


def _answer_lines(lines: Iterable[str]) -> str:
    return "".join(f"\n\t{line}" for line in lines)


def _choice(choice: Choice, marker: str, weight: str) -> str:
    return f"{marker}{weight}{escape(choice.text)}{_feedback(choice.feedback)}"


def _write_multichoice(question: Question) -> str:
    def line(choice: Choice) -> str:
        if question.single and choice.weight == 100:
            return _choice(choice, "=", "")
        return _choice(choice, "~", _weight(choice.weight) if choice.weight else "")

    return _answer_lines(line(c) for c in question.choices)


def _write_shortanswer(question: Question) -> str:
    return _answer_lines(
        _choice(c, "=", "" if c.weight == 100 else _weight(c.weight)) for c in question.choices
    )


def _write_truefalse(question: Question) -> str:
    right = next(c for c in question.choices if c.weight == 100)
    wrong = next(c for c in question.choices if c is not right)
    text = "TRUE" if right.id == "true" else "FALSE"
    if right.feedback:
        return f"{text}#{escape(wrong.feedback)}#{escape(right.feedback)}"
    return text + _feedback(wrong.feedback)


def _write_numerical(question: Question) -> str:
    lines = []
    if len(question.numeric) == 1 and not question.incorrect_feedback:
        only = question.numeric[0]
        if only.weight == 100 and not only.feedback:
            return "#" + _numeric_value(only)
    for answer in question.numeric:
        weight = "" if answer.weight == 100 else _weight(answer.weight)
        lines.append(f"={weight}{_numeric_value(answer)}{_feedback(answer.feedback)}")
    if question.incorrect_feedback:
        lines.append(f"~#{escape(question.incorrect_feedback)}")
    return "#" + _answer_lines(lines)


def _numeric_value(answer: NumericAnswer) -> str:
    if answer.value is None:
        return f"{_number(answer.minimum)}..{_number(answer.maximum)}"
    if answer.tolerance:
        return f"{_number(answer.value)}:{_number(answer.tolerance)}"
    return _number(answer.value)


def _write_matching(question: Question) -> str:
    return _answer_lines(f"={escape(p.left)} -> {escape(p.right)}" for p in question.pairs)


def _write_essay(question: Question) -> str:
    return ""


_WRITERS: Final[dict[str, Callable[[Question], str]]] = {
    "multichoice": _write_multichoice,
    "truefalse": _write_truefalse,
    "shortanswer": _write_shortanswer,
    "numerical": _write_numerical,
    "matching": _write_matching,
    "essay": _write_essay,
}
