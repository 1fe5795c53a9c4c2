"""Question model: Moodle's question types as frozen values.

Answer weights are percentages of the question's mark, as in Moodle and GIFT: ``100`` is fully
right, ``50`` half right, ``0`` wrong and negative values are penalties (multiple-answer
multichoice). Answer, numeric-answer and pair ids are assigned by position (``a1``, ``n1``,
``p1`` ...), so a question parsed twice from the same text has the same ids.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Final, Literal

from .errors import QuestionError

QuestionType = Literal[
    "multichoice", "truefalse", "shortanswer", "numerical", "matching", "essay", "description"
]
QUESTION_TYPES: Final[tuple[str, ...]] = (
    "multichoice",
    "truefalse",
    "shortanswer",
    "numerical",
    "matching",
    "essay",
    "description",
)

TextFormat = Literal["moodle", "markdown", "html", "plain"]
TEXT_FORMATS: Final[tuple[str, ...]] = ("moodle", "markdown", "html", "plain")

BLANK: Final[str] = "_____"
"""What replaces the answer block in a missing-word question's text."""

TRUE_ID: Final[str] = "true"
FALSE_ID: Final[str] = "false"


@dataclass(frozen=True)
class Choice:
    """One answer of a multichoice, truefalse or shortanswer question.

    :param id: stable within the question (``a1``, ``a2`` ...; ``true``/``false``).
    :param text: the answer as shown (multichoice) or the accepted pattern (shortanswer,
        where ``*`` is a wildcard and ``\\*`` a literal asterisk).
    :param weight: percent of the mark, -100..100.
    :param feedback: shown when this answer is chosen or matched.
    """

    id: str
    text: str
    weight: float
    feedback: str = ""


@dataclass(frozen=True)
class NumericAnswer:
    """One accepted number range of a numerical question.

    :param minimum: lowest accepted value (inclusive).
    :param maximum: highest accepted value (inclusive).
    :param value: the written value for ``value:tolerance`` answers; ``None`` for ranges.
    :param tolerance: the written tolerance; ``None`` for ranges.
    """

    id: str
    minimum: float
    maximum: float
    weight: float = 100.0
    feedback: str = ""
    value: float | None = None
    tolerance: float | None = None

    @classmethod
    def around(
        cls, id: str, value: float, tolerance: float = 0.0, weight: float = 100.0,
        feedback: str = "",
    ) -> NumericAnswer:
        """Build a ``value:tolerance`` answer."""
        tolerance = abs(tolerance)
        return cls(id, value - tolerance, value + tolerance, weight, feedback, value, tolerance)

    @classmethod
    def between(
        cls, id: str, minimum: float, maximum: float, weight: float = 100.0, feedback: str = ""
    ) -> NumericAnswer:
        """Build a ``minimum..maximum`` answer."""
        return cls(id, minimum, maximum, weight, feedback)

    def accepts(self, number: float) -> bool:
        """Whether ``number`` lies in this answer's range (with a hair of float slack)."""
        slack = 1e-9 * max(1.0, abs(self.minimum), abs(self.maximum))
        return self.minimum - slack <= number <= self.maximum + slack


@dataclass(frozen=True)
class MatchPair:
    """One pair of a matching question; an empty ``left`` makes ``right`` a distractor."""

    id: str
    left: str
    right: str


@dataclass(frozen=True)
class Question:
    """A question of any type; fields a type does not use stay empty.

    :param type: one of :data:`QUESTION_TYPES`.
    :param text: question text; a missing-word question has :data:`BLANK` at ``blank_at``.
    :param name: the GIFT ``::name::`` (may be empty, see :attr:`title`).
    :param category: slash-separated category path, ``""`` for the default category.
    :param text_format: one of :data:`TEXT_FORMATS`.
    :param choices: multichoice / truefalse / shortanswer answers.
    :param numeric: numerical answers.
    :param pairs: matching pairs.
    :param single: multichoice only: one answer may be chosen (False: any number).
    :param general_feedback: shown after grading whatever the answer.
    :param incorrect_feedback: numerical only: shown when no answer range matched.
    :param blank_at: offset of :data:`BLANK` in ``text`` for missing-word questions.
    :param default_mark: points the question is worth in an exam.
    """

    type: QuestionType
    text: str
    name: str = ""
    category: str = ""
    text_format: TextFormat = "moodle"
    choices: tuple[Choice, ...] = ()
    numeric: tuple[NumericAnswer, ...] = ()
    pairs: tuple[MatchPair, ...] = ()
    single: bool = True
    general_feedback: str = ""
    incorrect_feedback: str = ""
    blank_at: int | None = None
    default_mark: float = field(default=1.0)

    def __post_init__(self) -> None:
        if self.type not in QUESTION_TYPES:
            raise QuestionError(
                f"unknown question type '{self.type}'; known: {', '.join(QUESTION_TYPES)}",
                code="unknown_question_type",
                type=self.type,
            )
        if self.text_format not in TEXT_FORMATS:
            raise QuestionError(
                f"unknown text format '{self.text_format}'; known: {', '.join(TEXT_FORMATS)}",
                code="unknown_text_format",
                format=self.text_format,
            )
        for answer in (*self.choices, *self.numeric):
            if not -100 <= answer.weight <= 100:
                raise QuestionError(
                    f"answer {answer.id} weighs {answer.weight}%; weights are -100..100",
                    code="weight_out_of_range",
                    answer=answer.id,
                    weight=answer.weight,
                )

    @property
    def title(self) -> str:
        """The name, or the start of the text when the question has none."""
        if self.name:
            return self.name
        flat = " ".join(self.text.split())
        return flat if len(flat) <= 60 else flat[:59].rstrip() + "…"

    @property
    def is_missing_word(self) -> bool:
        """Whether the answer block sat in the middle of the text."""
        return self.blank_at is not None

    def choice(self, choice_id: str) -> Choice | None:
        """The choice with ``choice_id``, or None."""
        return next((c for c in self.choices if c.id == choice_id), None)


def fingerprint(question: Question) -> str:
    """A stable SHA-256 hex digest of what a question asks and accepts.

    It covers the type, text (whitespace collapsed), format, answers with their weights and
    feedback, and the general feedback -- not the name, category or mark, so re-importing the
    same file, or the same question filed under another category, yields the same digest.
    """
    def flat(text: str) -> str:
        return " ".join(text.split())

    canonical = {
        "type": question.type,
        "text": flat(question.text),
        "format": question.text_format,
        "single": question.single if question.type == "multichoice" else None,
        "choices": sorted(
            (flat(c.text), round(c.weight, 5), flat(c.feedback)) for c in question.choices
        ),
        "numeric": sorted(
            (
                repr(n.minimum), repr(n.maximum), round(n.weight, 5), flat(n.feedback),
            )
            for n in question.numeric
        ),
        "pairs": sorted((flat(p.left), flat(p.right)) for p in question.pairs),
        "general_feedback": flat(question.general_feedback),
        "incorrect_feedback": flat(question.incorrect_feedback),
        "blank_at": question.blank_at,
    }
    payload = json.dumps(canonical, ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()
