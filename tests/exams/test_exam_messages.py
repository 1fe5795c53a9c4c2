"""Russian wording of every error the exams package can show a person: picked by the error's
``code`` from :mod:`app.wording` and shaped into sentences by :mod:`app.exams.messages`."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

import exams
from app.exams.messages import explain, gift_problem
from app.wording import GENERIC, say

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "gift"
BROKEN = (FIXTURES / "broken.gift").read_text(encoding="utf-8")
START = datetime(2025, 3, 1, 10, 0, tzinfo=UTC)
LATIN_ALLOWED = {"GIFT", "UTF", "cp", "Windows", "XML", "HTML", "PDF", "ZIP", "Word", "docx",
                 "Excel", "doc", "xls", "RTF", "PNG", "GIF", "JPEG", "BOM"}


def latin_words(text: str) -> list[str]:
    """Latin words outside the allowed names, «…» quotes and {…} blocks (user content)."""
    unquoted = re.sub(r"«[^»]*»|\{[^}]*\}", "", text)
    return [w for w in re.findall(r"[A-Za-z]{2,}", unquoted) if w not in LATIN_ALLOWED]


def q(gift: str) -> exams.Question:
    return exams.parse_gift(gift).questions[0]


def bank(n: int, category: str = "Тарифы") -> list[exams.Question]:
    return [q(f"$CATEGORY: {category}\n\nВопрос {i} {{T}}") for i in range(n)]


def paper(time_limit: int | None = None) -> exams.ExamPaper:
    spec = exams.ExamSpec("Тест", (("", 2),), time_limit_min=time_limit)
    return exams.assemble(spec, bank(2), seed=1)


ESSAY_RESULT = exams.grade_attempt(
    exams.assemble(exams.ExamSpec("Эссе", (("", 1),)), [q("Опишите {}")], 1), {"q1": "Текст"}, START, START
)
SINGLE = q("x {=да ~нет}")
MATCH = q("x {=МТС -> красный =Билайн -> жёлтый}")


def raised(action: Callable[[], object]) -> exams.ExamError:
    with pytest.raises(exams.ExamError) as caught:
        action()
    return caught.value


# (what raises, the Russian sentence or a fragment of it)
CASES = [
    (lambda: exams.ExamSpec("Т", ()), "В экзамене не указано, из каких категорий и сколько вопросов брать."),
    (lambda: exams.ExamSpec("Т", (("Тарифы", 0),)), "Для категории «Тарифы» указано вопросов: 0;"),
    (lambda: exams.ExamSpec("Т", (("", 0),)), "Для всего банка указано вопросов: 0"),
    (lambda: exams.ExamSpec("Т", (("", 1),), pass_mark=150), "Проходной балл 150% вне допустимых пределов"),
    (lambda: exams.ExamSpec("Т", (("", 1),), time_limit_min=0), "Ограничение времени 0 мин"),
    (lambda: exams.ExamSpec("Т", (("", 1),), attempt_limit=0), "Число попыток 0"),
    (
        lambda: exams.Certification("line_mts", "Линия МТС", "mts", "e", 0),
        "Аттестация «line_mts» действует 0 дн.",
    ),
    (
        lambda: exams.assemble(exams.ExamSpec("Т", (("Тарифы", 5),)), bank(3), 1),
        "В банке не хватает вопросов: в категории «Тарифы» 3 вопроса, а экзамен берёт 5. "
        "Добавьте вопросы в банк или уменьшите их число в экзамене.",
    ),
    (
        lambda: exams.assemble(exams.ExamSpec("Т", (("Тарифы", 2), ("", 50))), bank(21), 1),
        "во всём банке 21 вопрос, из них 2 уже взяты строками выше, а экзамен берёт ещё 50.",
    ),
    (
        lambda: exams.assemble(exams.ExamSpec("Т", (("Роуминг", 1), ("", 30))), bank(1), 1),
        "в категории «Роуминг» нет вопросов, а экзамен берёт 1; во всём банке 1 вопрос, а экзамен берёт 30.",
    ),
    (lambda: exams.grade_attempt(paper(), {}, START.replace(tzinfo=None), START), "сообщите администратору"),
    (lambda: exams.grade_attempt(paper(), {}, START, START - timedelta(minutes=1)), "раньше времени начала"),
    (
        lambda: exams.grade_attempt(paper(10), {}, START, START + timedelta(minutes=12, seconds=5)),
        "Ответы пришли через 12 мин 5 с после начала, а на попытку отводится 10 мин — они не приняты.",
    ),
    (
        lambda: exams.grade_attempt(paper(), {"q9": "x"}, START, START),
        "Вопроса 9 нет в этой попытке: в ней вопросы с 1 по 2.",
    ),
    (lambda: exams.apply_manual_grades(ESSAY_RESULT, {"q2": 1.0}), "Вопрос 2 не ждёт ручной проверки."),
    (lambda: exams.apply_manual_grades(ESSAY_RESULT, {"q2": 1, "q3": 0}), "Вопросы 2, 3 не ждут ручной"),
    (lambda: exams.apply_manual_grades(ESSAY_RESULT, {"q1": 2.0}), "Оценка за вопрос 1 должна быть от нуля"),
    (lambda: exams.grade(SINGLE, ["a9"]), "В ответе есть варианты, которых в вопросе нет."),
    (lambda: exams.grade(MATCH, {"p9": "красный"}), "В ответе есть варианты, которых в вопросе нет."),
    (lambda: exams.grade(MATCH, {"p1": "синий"}), "Вариант «синий» — не из тех, что предлагает вопрос."),
    (lambda: exams.grade(SINGLE, ["a1", "a2"]), "В этом вопросе выбирают один ответ, а выбрано 2."),
    (lambda: exams.grade(SINGLE, [1]), "Ответ пришёл в виде, который не подходит к типу вопроса."),
    (lambda: exams.grade(SINGLE, 5), "не подходит к типу вопроса"),
    (lambda: exams.grade(q("x {T}"), 5), "не подходит к типу вопроса"),
    (lambda: exams.grade(q("x {=a}"), 5), "не подходит к типу вопроса"),
    (lambda: exams.grade(q("x {#5}"), [5]), "не подходит к типу вопроса"),
    (lambda: exams.grade(MATCH, "красный"), "не подходит к типу вопроса"),
    (lambda: exams.grade(q("x {}"), 5), "не подходит к типу вопроса"),
    (lambda: exams.Question("essayy", "x"), "Неизвестный тип вопроса «essayy»."),
    (lambda: exams.Question("essay", "x", text_format="rtf"), "Неизвестный формат текста вопроса «rtf»."),
    (
        lambda: exams.Question("multichoice", "x", choices=(exams.Choice("a1", "a", 150.0),)),
        "Ответ a1 весит 150.0%, а вес должен быть от -100 до 100%.",
    ),
    (lambda: exams.parse_gift_bytes(b""), "В файле не найдено ни одного вопроса. GIFT — это обычный текст"),
    (
        lambda: exams.parse_gift_bytes(b"<svg/>"),
        "Это разметка XML или HTML (файл начинается с «<svg»), а не GIFT.",
    ),
    (lambda: exams.parse_gift_bytes(b"GIF89a"), "Это изображение GIF (не путайте с GIFT), а не текст GIFT."),
    (lambda: exams.parse_gift_bytes(b"PK\x03\x04"), "Это архив ZIP (например, документ Word .docx)"),
    (lambda: exams.parse_gift_bytes(b"a\x00\xff"), "Файл содержит нулевые байты"),
    (
        lambda: exams.parse_gift_bytes(b"abc \x98 def"),
        "Файл не в UTF-8 и не в cp1251 (байт 0x98 на позиции 4)",
    ),
]


@pytest.mark.parametrize(("action", "expected"), CASES)
def test_every_error_reads_as_a_russian_sentence(action: Callable[[], object], expected: str) -> None:
    text = explain(raised(action))
    assert expected in text
    assert text[0].isupper() and text.endswith("."), text
    assert latin_words(text) == [], text


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (exams.ResponseError("no grader", code="no_grader", type="x"), "вопросы типа «x» проверять не умеем"),
        (
            exams.AssemblyError("not enough questions", (("", 10, 50, 0),), code="not_enough_questions"),
            "в банке не хватает вопросов: во всём банке 10 вопросов, а экзамен берёт 50. Добавьте",
        ),
        (exams.ExamError("something nobody wrote a rule for", code="no_such_code"), GENERIC),
    ],
)
def test_wording_is_picked_by_code_never_by_the_english(error: exams.ExamError, expected: str) -> None:
    text = say(error)
    assert expected in text
    assert str(error) not in text


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (exams.TamperedResponseError("new wording"), "В ответе есть варианты, которых в вопросе нет."),
        (exams.AttemptError("new wording"), "Попытку не удалось проверить — сообщите администратору."),
        (exams.AssemblyError("new wording"), "В банке не хватает вопросов для этого экзамена."),
        (exams.ExamError("new wording"), "Экзамен не удалось обработать — сообщите администратору."),
    ],
)
def test_explain_never_shows_english_even_for_an_unknown_message(
    error: exams.ExamError, expected: str
) -> None:
    assert explain(error) == expected


def test_explain_puts_what_did_not_happen_first() -> None:
    error = raised(lambda: exams.assemble(exams.ExamSpec("Т", (("Тарифы", 5),)), bank(1), 1))
    assert explain(error, "Экзамен не создан").startswith(
        "Экзамен не создан — в банке не хватает вопросов: в категории «Тарифы» 1 вопрос, а экзамен берёт 5."
    )


BROKEN_ERRORS = list(exams.parse_gift(BROKEN).errors)
MORE_GIFT_ERRORS = [
    "x {=a ~b {=c}", "x {foo}", "x {#}", "x {#5 ~неверно}", "x {=a -> b =c}", "x {=a -> }",
    "::имя::", "x {~только}", "x {=%50%a}", "Первый {T}\nВторой {F}",
]


@pytest.mark.parametrize(
    "problem",
    BROKEN_ERRORS + [exams.parse_gift(g).errors[0] for g in MORE_GIFT_ERRORS],
    ids=lambda problem: f"{problem.line}-{problem.code}",
)
def test_every_gift_error_is_translated(problem: exams.GiftError) -> None:
    reported = gift_problem(problem)
    assert (reported["line"], reported["code"]) == (problem.line, problem.code)
    text = reported["message"]
    assert text not in (problem.message, GENERIC)
    assert not text[0].isupper(), text  # a clause, shown after «Строка N:»
    assert latin_words(text) == [], text


def test_broken_fixture_reads_in_russian_line_by_line() -> None:
    first, *_, last = (gift_problem(problem) for problem in BROKEN_ERRORS)
    assert first == {
        "line": 6,
        "code": "unclosed_brace",
        "message": "незакрытая скобка: блок ответов, открытый «{», не закрыт «}»",
    }
    assert last["line"] == 40 and last["message"].startswith("нет верного ответа")


def test_two_questions_without_a_blank_line_get_the_hint_in_russian() -> None:
    problem = exams.parse_gift("Первый {T}\nВторой {F}").errors[0]
    assert "разделяйте вопросы пустой строкой" in say(problem)
    single = exams.parse_gift("x {=a}{=b}").errors[0]
    assert "пустой строкой" not in say(single)
