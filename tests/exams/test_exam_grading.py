"""Grading one response (exams.grading)."""

from __future__ import annotations

import dataclasses

import pytest

from exams import (
    GRADERS,
    QUESTION_TYPES,
    Grade,
    Question,
    QuestionError,
    ResponseError,
    TamperedResponseError,
    grade,
    parse_gift,
    parse_number,
)


def q(gift: str) -> Question:
    result = parse_gift(gift)
    assert result.errors == () and len(result.questions) == 1, result.errors
    return result.questions[0]


SINGLE = "x {=верно#Да ~неверно#Нет ~%50%наполовину#Почти ~%-50%штраф ####Общий}"
MULTI = "x {~%50%a#A ~%50%b#B ~%-100%c#C ~d}"
NUMERIC = "x {#=450#точно =%50%440..460#близко ~#мимо}"
SHORT = "x {=internet.mts.ru#верно =%50%*mts*#почти =сочувствие =%0%что-то}"
MATCH = "x {=МТС -> красный =МегаФон -> зелёный =Билайн -> жёлтый = -> синий}"


@pytest.mark.parametrize(
    ("gift", "response", "score", "feedback"),
    [
        # multichoice, one answer
        (SINGLE, "a1", 1.0, "Да\n\nОбщий"),
        (SINGLE, ["a1"], 1.0, "Да\n\nОбщий"),
        (SINGLE, "a2", 0.0, "Нет\n\nОбщий"),
        (SINGLE, "a3", 0.5, "Почти\n\nОбщий"),
        (SINGLE, "a4", 0.0, "Общий"),
        (SINGLE, None, 0.0, "Общий"),
        (SINGLE, "", 0.0, "Общий"),
        (SINGLE, [], 0.0, "Общий"),
        # multichoice, several answers: weights add up, negatives subtract, floor 0, cap 1
        (MULTI, ["a1", "a2"], 1.0, "A\n\nB"),
        (MULTI, ["a1"], 0.5, "A"),
        (MULTI, {"a2"}, 0.5, "B"),
        (MULTI, ["a1", "a1"], 0.5, "A"),
        (MULTI, ["a1", "a2", "a4"], 1.0, "A\n\nB"),
        (MULTI, ["a1", "a2", "a3"], 0.0, "A\n\nB\n\nC"),
        (MULTI, ["a3"], 0.0, "C"),
        (MULTI, ["a1", "a3", "a4"], 0.0, "A\n\nC"),
        (MULTI, "a2", 0.5, "B"),
        # truefalse
        ("x {T#плохо#хорошо}", True, 1.0, "хорошо"),
        ("x {T#плохо#хорошо}", "true", 1.0, "хорошо"),
        ("x {T#плохо#хорошо}", False, 0.0, "плохо"),
        ("x {F#плохо#хорошо}", "false", 1.0, "хорошо"),
        ("x {F#плохо#хорошо}", True, 0.0, "плохо"),
        ("x {F}", None, 0.0, ""),
        # shortanswer: case, spaces, ё, wildcards, order of answers
        (SHORT, "internet.mts.ru", 1.0, "верно"),
        (SHORT, "  INTERNET.MTS.RU ", 1.0, "верно"),
        (SHORT, "wap.mts.ru", 0.5, "почти"),
        (SHORT, "internet.mts", 0.5, "почти"),
        (SHORT, "Сочувствие", 1.0, ""),
        (SHORT, "что-то", 0.0, ""),
        (SHORT, "internet.beeline.ru", 0.0, ""),
        ("x {=ёлка}", "елка", 1.0, ""),
        ("x {=елка}", "Ёлка", 1.0, ""),
        ("x {=две  строки}", "две строки", 1.0, ""),
        ("x {=a\\*b}", "a*b", 1.0, ""),
        ("x {=a\\*b}", "axxb", 0.0, ""),
        ("x {=a*b}", "axxb", 1.0, ""),
        ("x {=a.b}", "axb", 0.0, ""),
        ("x {=%-50%плохо =хорошо}", "плохо", 0.0, ""),
        # numerical: first matching answer wins, Russian decimal comma, spaces
        (NUMERIC, 450, 1.0, "точно"),
        (NUMERIC, "450", 1.0, "точно"),
        (NUMERIC, 450.0, 1.0, "точно"),
        (NUMERIC, "455", 0.5, "близко"),
        (NUMERIC, "440", 0.5, "близко"),
        (NUMERIC, "460,0", 0.5, "близко"),
        (NUMERIC, "461", 0.0, "мимо"),
        (NUMERIC, "четыреста", 0.0, "мимо"),
        ("x {#3.14:0.01}", "3,15", 1.0, ""),
        ("x {#3.14:0.01}", "3.13", 1.0, ""),
        ("x {#3.14:0.01}", "3.16", 0.0, ""),
        ("x {#1500}", "1 500", 1.0, ""),
        ("x {#1500}", "1\u00a0500", 1.0, ""),
        ("x {#0.1..0.3}", 0.3, 1.0, ""),
        ("x {#0.1..0.3}", "0.30001", 0.0, ""),
        ("x {#-5}", "-5", 1.0, ""),
        # matching: partial credit per left item, distractor never right
        (MATCH, {"p1": "красный", "p2": "зелёный", "p3": "жёлтый"}, 1.0, ""),
        (MATCH, {"p1": "красный", "p2": "жёлтый", "p3": "зелёный"}, 1 / 3, ""),
        (MATCH, {"p1": "синий", "p2": "синий"}, 0.0, ""),
        (MATCH, {"p1": "красный", "p2": None}, 1 / 3, ""),
        (MATCH, {}, 0.0, ""),
    ],
)
def test_automatic_grades(gift: str, response: object, score: float, feedback: str) -> None:
    result = grade(q(gift), response)
    assert result.score == pytest.approx(score)
    assert result.max == 1.0
    assert result.feedback == feedback
    assert result.needs_manual is False


def test_essay_needs_manual_grading_unless_blank() -> None:
    essay = q("Опишите завершение разговора. {####Критерии: итог, прощание}")
    assert grade(essay, "Подвожу итог и прощаюсь.") == Grade(
        0.0, 1.0, "Критерии: итог, прощание", needs_manual=True
    )
    assert grade(essay, "   ").needs_manual is False
    assert grade(essay, None).score == 0


def test_description_is_worth_nothing() -> None:
    assert grade(q("Памятка перед экзаменом"), None) == Grade(0.0, 0.0, "")


def test_points_follow_the_default_mark() -> None:
    question = q(MULTI)
    heavy = dataclasses.replace(question, default_mark=4.0)
    assert grade(heavy, ["a1"]).points == 2.0


@pytest.mark.parametrize(
    ("gift", "response", "error", "fragment"),
    [
        (SINGLE, "a9", TamperedResponseError, "a9 do not belong"),
        (SINGLE, "A1", TamperedResponseError, "its answers are a1, a2, a3, a4"),
        (MULTI, ["a1", "zzz"], TamperedResponseError, "zzz"),
        ("x {T}", "maybe", TamperedResponseError, "maybe"),
        (MATCH, {"p4": "синий"}, TamperedResponseError, "pair id(s) p4"),
        (MATCH, {"p9": "красный"}, TamperedResponseError, "its pairs are p1, p2, p3"),
        (MATCH, {"p1": "фиолетовый"}, TamperedResponseError, "not one of the right-hand"),
        (SINGLE, ["a1", "a2"], ResponseError, "takes one answer"),
        (SINGLE, 1, ResponseError, "not int"),
        (MULTI, [1, 2], ResponseError, "strings"),
        ("x {T}", 1, ResponseError, "True, False"),
        (SHORT, 42, ResponseError, "text, not int"),
        (NUMERIC, True, ResponseError, "number or text"),
        (NUMERIC, [450], ResponseError, "number or text"),
        (MATCH, ["красный"], ResponseError, "maps pair ids"),
        ("x {}", 5, ResponseError, "essay response is text"),
    ],
)
def test_bad_responses_raise(
    gift: str, response: object, error: type[Exception], fragment: str
) -> None:
    with pytest.raises(error) as caught:
        grade(q(gift), response)
    assert fragment in str(caught.value)


def test_every_type_has_a_grader() -> None:
    assert set(GRADERS) == set(QUESTION_TYPES)


@pytest.mark.parametrize(
    ("fields", "fragment"),
    [
        ({"type": "cloze"}, "unknown question type 'cloze'"),
        ({"text_format": "latex"}, "unknown text format 'latex'"),
    ],
)
def test_question_rejects_unknown_values(fields: dict[str, str], fragment: str) -> None:
    with pytest.raises(QuestionError, match=fragment):
        Question(**{"type": "essay", "text": "x", **fields})  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("typed", "number"),
    [
        ("3,14", 3.14),
        ("3.14", 3.14),
        (" 1 500 ", 1500.0),
        ("1\u202f500,5", 1500.5),
        ("-2", -2.0),
        ("1e3", 1000.0),
        ("1,500.5", None),
        ("abc", None),
        ("", None),
        ("inf", None),
    ],
)
def test_parse_number(typed: str, number: float | None) -> None:
    assert parse_number(typed) == number
