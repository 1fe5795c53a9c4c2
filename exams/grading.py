"""Automatic grading of one response to one question, by a registry keyed by question type.

Response shapes (``None``, ``""`` or an empty collection always means "not answered", score 0):

============  =================================================================================
multichoice   single: a choice id (``"a2"``); multiple: a collection of choice ids
truefalse     ``True``/``False`` or the choice ids ``"true"``/``"false"``
shortanswer   the typed text
numerical     a number, or typed text (``"3,14"`` and ``"1 500"`` are read as numbers)
matching      a mapping of pair id to the chosen right-hand text (``{"p1": "…", "p2": "…"}``)
essay         the typed text (graded by hand: ``needs_manual``)
description   anything (nothing to grade, worth 0)
============  =================================================================================
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from typing import Final

from .errors import ResponseError, TamperedResponseError
from .question import FALSE_ID, TRUE_ID, Question

Grader = Callable[[Question, object], "Grade"]
GRADERS: dict[str, Grader] = {}

_NUMBER_RE: Final = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_SPACES_RE: Final = re.compile(r"[\s\u00a0\u202f\u2009']+")


@dataclass(frozen=True)
class Grade:
    """The grade of one response.

    :param score: fraction of the mark earned, 0..1.
    :param max: the question's mark (points), 0 for a description.
    :param feedback: the feedback of the chosen or matched answers, then the general feedback.
    :param needs_manual: a person has to grade it (essays); ``score`` is 0 until then.
    """

    score: float
    max: float
    feedback: str = ""
    needs_manual: bool = False

    @property
    def points(self) -> float:
        """Points earned: ``score * max``."""
        return self.score * self.max


def grader(question_type: str) -> Callable[[Grader], Grader]:
    """Register a grading function for ``question_type``."""
    def register(function: Grader) -> Grader:
        GRADERS[question_type] = function
        return function

    return register


def grade(question: Question, response: object) -> Grade:
    """Grade ``response`` to ``question``.

    :param question: the question as stored.
    :param response: the answer, shaped as the module docstring says.
    :raises ResponseError: the response has the wrong shape for the question type.
    :raises TamperedResponseError: it names answers or pairs the question does not have.
    """
    try:
        function = GRADERS[question.type]
    except KeyError:
        raise ResponseError(
            f"no grader for question type '{question.type}'; known types: "
            f"{', '.join(sorted(GRADERS))}",
            code="no_grader",
            type=question.type,
        ) from None
    return function(question, response)


def _unanswered(response: object) -> bool:
    if response is None:
        return True
    if isinstance(response, str):
        return not response.strip()
    if isinstance(response, (Collection, Mapping)):
        return len(response) == 0
    return False


def _result(question: Question, fraction: float, feedback: Collection[str] = ()) -> Grade:
    parts = [text for text in (*feedback, question.general_feedback) if text]
    return Grade(max(0.0, min(1.0, fraction)), question.default_mark, "\n\n".join(parts))


def _check_choice_ids(question: Question, ids: Collection[str]) -> None:
    known = {c.id for c in question.choices}
    strangers = sorted(str(i) for i in ids if i not in known)
    if strangers:
        raise TamperedResponseError(
            f"answer id(s) {', '.join(strangers)} do not belong to this question; its answers "
            f"are {', '.join(c.id for c in question.choices)}",
            code="unknown_choice",
            ids=tuple(strangers),
        )


def _choice_ids(response: object, single: bool) -> list[str]:
    if isinstance(response, str):
        return [response]
    if isinstance(response, (list, tuple, set, frozenset)):
        ids = list(dict.fromkeys(response))
        if single and len(ids) > 1:
            raise ResponseError(
                f"this question takes one answer, but {len(ids)} were given; send one "
                "choice id",
                code="one_answer_only",
                count=len(ids),
            )
        if not all(isinstance(i, str) for i in ids):
            raise ResponseError(
                "choice ids are strings such as 'a1'",
                code="wrong_response_shape",
                type="multichoice",
                given=type(next(i for i in ids if not isinstance(i, str))).__name__,
            )
        return ids
    raise ResponseError(
        f"a multiple-choice response is a choice id or a list of them, not "
        f"{type(response).__name__}",
        code="wrong_response_shape",
        type="multichoice",
        given=type(response).__name__,
    )


@grader("multichoice")
def _grade_multichoice(question: Question, response: object) -> Grade:
    if _unanswered(response):
        return _result(question, 0.0)
    ids = _choice_ids(response, question.single)
    _check_choice_ids(question, ids)
    chosen = [c for c in question.choices if c.id in ids]
    fraction = sum(c.weight for c in chosen) / 100
    return _result(question, fraction, [c.feedback for c in chosen])


@grader("truefalse")
def _grade_truefalse(question: Question, response: object) -> Grade:
    if _unanswered(response):
        return _result(question, 0.0)
    if isinstance(response, bool):
        response = TRUE_ID if response else FALSE_ID
    if not isinstance(response, str):
        raise ResponseError(
            f"a true/false response is True, False, '{TRUE_ID}' or '{FALSE_ID}', not "
            f"{type(response).__name__}",
            code="wrong_response_shape",
            type="truefalse",
            given=type(response).__name__,
        )
    _check_choice_ids(question, [response])
    chosen = question.choice(response)
    assert chosen is not None
    return _result(question, chosen.weight / 100, [chosen.feedback])


def _plain(text: str) -> str:
    return " ".join(text.casefold().replace("ё", "е").split())


def _pattern(answer: str) -> re.Pattern[str]:
    parts = re.split(r"(\\\*|\*)", _plain(answer))
    regex = "".join(
        ".*" if part == "*" else re.escape("*" if part == "\\*" else part) for part in parts
    )
    return re.compile(regex, re.DOTALL)


@grader("shortanswer")
def _grade_shortanswer(question: Question, response: object) -> Grade:
    if _unanswered(response):
        return _result(question, 0.0)
    if not isinstance(response, str):
        raise ResponseError(
            f"a short-answer response is text, not {type(response).__name__}",
            code="wrong_response_shape",
            type="shortanswer",
            given=type(response).__name__,
        )
    typed = _plain(response)
    for choice in question.choices:
        if _pattern(choice.text).fullmatch(typed):
            return _result(question, choice.weight / 100, [choice.feedback])
    return _result(question, 0.0)


def parse_number(typed: str) -> float | None:
    """Read a typed number the Russian way too: ``"3,14"``, ``"1 500"``; None if not one."""
    text = _SPACES_RE.sub("", typed.strip())
    if "," in text and "." not in text and text.count(",") == 1:
        text = text.replace(",", ".")
    return float(text) if _NUMBER_RE.fullmatch(text) else None


@grader("numerical")
def _grade_numerical(question: Question, response: object) -> Grade:
    if _unanswered(response):
        return _result(question, 0.0)
    if isinstance(response, bool) or not isinstance(response, (int, float, str)):
        raise ResponseError(
            f"a numerical response is a number or text, not {type(response).__name__}",
            code="wrong_response_shape",
            type="numerical",
            given=type(response).__name__,
        )
    number = parse_number(response) if isinstance(response, str) else float(response)
    if number is not None:
        for answer in question.numeric:
            if answer.accepts(number):
                return _result(question, answer.weight / 100, [answer.feedback])
    return _result(question, 0.0, [question.incorrect_feedback])


@grader("matching")
def _grade_matching(question: Question, response: object) -> Grade:
    if _unanswered(response):
        return _result(question, 0.0)
    if not isinstance(response, Mapping):
        raise ResponseError(
            "a matching response maps pair ids to right-hand texts, such as {'p1': '…'}",
            code="wrong_response_shape",
            type="matching",
            given=type(response).__name__,
        )
    pairs = {p.id: p for p in question.pairs if p.left}
    offered = {p.right for p in question.pairs}
    strangers = sorted(str(k) for k in response if k not in pairs)
    if strangers:
        raise TamperedResponseError(
            f"pair id(s) {', '.join(strangers)} do not belong to this question; its pairs are "
            f"{', '.join(pairs)}",
            code="unknown_pair",
            ids=tuple(strangers),
        )
    for value in response.values():
        if value not in (None, "") and value not in offered:
            raise TamperedResponseError(
                f"'{value}' is not one of the right-hand answers offered by this question",
                code="unknown_right_answer",
                value=value,
            )
    right = sum(1 for pair_id, value in response.items() if pairs[pair_id].right == value)
    return _result(question, right / len(pairs))


@grader("essay")
def _grade_essay(question: Question, response: object) -> Grade:
    if _unanswered(response):
        return _result(question, 0.0)
    if not isinstance(response, str):
        raise ResponseError(
            f"an essay response is text, not {type(response).__name__}",
            code="wrong_response_shape",
            type="essay",
            given=type(response).__name__,
        )
    return Grade(0.0, question.default_mark, question.general_feedback, needs_manual=True)


@grader("description")
def _grade_description(question: Question, response: object) -> Grade:
    return Grade(0.0, 0.0, question.general_feedback)
