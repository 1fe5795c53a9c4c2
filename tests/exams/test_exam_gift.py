"""GIFT import and export (exams.gift, exams.gift_export)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from exams import (
    QUESTION_TYPES,
    Choice,
    GiftEncodingError,
    GiftError,
    GiftFileError,
    NumericAnswer,
    Question,
    export_gift,
    fingerprint,
    parse_gift,
    parse_gift_bytes,
    summarise,
)

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "gift"
DEMO = (FIXTURES / "demo.gift").read_text(encoding="utf-8")
BROKEN = (FIXTURES / "broken.gift").read_text(encoding="utf-8")


def only(text: str) -> Question:
    result = parse_gift(text)
    assert result.errors == (), result.errors
    assert len(result.questions) == 1
    return result.questions[0]


def error_of(text: str) -> GiftError:
    result = parse_gift(text)
    assert result.questions == ()
    assert len(result.errors) == 1
    return result.errors[0]


# --- the demo fixture -------------------------------------------------------------------------


def test_demo_imports_every_question_of_every_type() -> None:
    summary = summarise(parse_gift(DEMO))
    assert summary == {
        "imported": 26,
        "by_type": {
            "multichoice": 7,
            "truefalse": 5,
            "shortanswer": 4,
            "numerical": 6,
            "matching": 2,
            "essay": 1,
            "description": 1,
        },
        "errors": [],
    }
    assert set(summary["by_type"]) == set(QUESTION_TYPES)  # type: ignore[arg-type]


def test_demo_categories_follow_category_lines() -> None:
    categories = [q.category for q in parse_gift(DEMO).questions]
    assert categories[0] == "Стандарты обслуживания"
    assert categories.count("Тарифы/МТС") == 4
    assert categories.count("Тарифы/МегаФон") == 4
    assert categories.count("Тарифы/Билайн") == 3
    assert categories[-1] == "Сервис/Номер и SIM"


def test_demo_round_trips_through_export() -> None:
    first = parse_gift(DEMO)
    exported = export_gift(first.questions)
    second = parse_gift(exported)
    assert second.errors == ()
    assert second.questions == first.questions
    assert export_gift(second.questions) == exported


def test_reimport_keeps_fingerprints() -> None:
    first = {fingerprint(q) for q in parse_gift(DEMO).questions}
    second = {fingerprint(q) for q in parse_gift(export_gift(parse_gift(DEMO).questions)).questions}
    assert first == second
    assert len(first) == 26


# --- syntax, one feature per row --------------------------------------------------------------


@pytest.mark.parametrize(
    ("gift", "field", "expected"),
    [
        ("::Имя:: Текст {T}", "name", "Имя"),
        ("Текст без имени {T}", "name", ""),
        ("::Имя::[markdown]**Жирный** {T}", "text_format", "markdown"),
        ("::Имя::[HTML]<b>x</b> {T}", "text_format", "html"),
        ("::Имя::[plain]x {T}", "text_format", "plain"),
        ("::Имя::[moodle]x {T}", "text_format", "moodle"),
        ("[важно] не формат {T}", "text", "[важно] не формат"),
        ("[note] x {T}", "text", "[note] x"),
        ("a \\{ b \\} \\# \\= \\~ \\: c {T}", "text", "a { b } # = ~ : c"),
        ("строка\\nвторая {T}", "text", "строка\nвторая"),
        ("обратная \\\\ черта {T}", "text", "обратная \\ черта"),
        ("::Время\\: 10\\:00:: x {T}", "name", "Время: 10:00"),
        ("Первая строка\nвторая строка {\n=a\n~b\n}", "text", "Первая строка\nвторая строка"),
        ("// комментарий\nТекст {T}", "text", "Текст"),
        ("Текст {T}\n// комментарий в конце", "text", "Текст"),
        ("Ссылка http://example.org {T}", "text", "Ссылка http://example.org"),
        ("Вопрос {=a ~b ####Общий отзыв}", "general_feedback", "Общий отзыв"),
        ("Вопрос {T####Общий}", "general_feedback", "Общий"),
        ("Оператор говорит {=вы ~ты} абоненту.", "text", "Оператор говорит _____ абоненту."),
        ("Оператор говорит {=вы ~ты} абоненту.", "blank_at", 17),
        ("{=Вы ~Ты} — обращение к абоненту.", "blank_at", 0),
        ("Вопрос в конце {=вы ~ты}", "blank_at", None),
        ("Описание без ответов", "type", "description"),
        ("Эссе {}", "type", "essay"),
        ("Эссе {####как оценивать}", "general_feedback", "как оценивать"),
    ],
)
def test_syntax(gift: str, field: str, expected: object) -> None:
    assert getattr(only(gift), field) == expected


@pytest.mark.parametrize(
    ("gift", "correct", "right_feedback", "wrong_feedback"),
    [
        ("x {T}", "true", "", ""),
        ("x {TRUE}", "true", "", ""),
        ("x {t}", "true", "", ""),
        ("x {F}", "false", "", ""),
        ("x {FALSE}", "false", "", ""),
        ("x {T#если неверно#если верно}", "true", "если верно", "если неверно"),
        ("x {F#если неверно#если верно}", "false", "если верно", "если неверно"),
        ("x {FALSE##только верно}", "false", "только верно", ""),
    ],
)
def test_truefalse(gift: str, correct: str, right_feedback: str, wrong_feedback: str) -> None:
    question = only(gift)
    assert question.type == "truefalse"
    right = question.choice(correct)
    wrong = next(c for c in question.choices if c is not right)
    assert right is not None and right.weight == 100 and wrong.weight == 0
    assert (right.feedback, wrong.feedback) == (right_feedback, wrong_feedback)


@pytest.mark.parametrize(
    ("gift", "single", "weights", "feedback"),
    [
        ("x {=a#да ~b#нет ~c}", True, [100, 0, 0], ["да", "нет", ""]),
        ("x {=a =b ~c}", True, [100, 100, 0], ["", "", ""]),
        ("x {=a ~%50%b ~%-25%c}", True, [100, 50, -25], ["", "", ""]),
        ("x {~%50%a ~%50%b ~%-100%c}", False, [50, 50, -100], ["", "", ""]),
        ("x {~%33.33333%a ~%33.33333%b ~%33.33333%c ~d}", False, [33.33333] * 3 + [0], [""] * 4),
        ("x {~%100%a ~b}", False, [100, 0], ["", ""]),
        ("x {\n  =a\n  ~b\n}", True, [100, 0], ["", ""]),
    ],
)
def test_multichoice(gift: str, single: bool, weights: list[float], feedback: list[str]) -> None:
    question = only(gift)
    assert question.type == "multichoice"
    assert question.single is single
    assert [c.weight for c in question.choices] == weights
    assert [c.feedback for c in question.choices] == feedback
    assert [c.id for c in question.choices] == [f"a{i}" for i in range(1, len(weights) + 1)]


def test_shortanswer_weights_and_feedback() -> None:
    question = only("Назовите APN {=internet.mts.ru#верно =%50%*mts*#почти}")
    assert question.type == "shortanswer"
    assert question.choices == (
        Choice("a1", "internet.mts.ru", 100, "верно"),
        Choice("a2", "*mts*", 50, "почти"),
    )


@pytest.mark.parametrize(
    ("gift", "answers", "incorrect"),
    [
        ("x {#3.14:0.01}", [NumericAnswer.around("n1", 3.14, 0.01)], ""),
        ("x {#40}", [NumericAnswer.around("n1", 40)], ""),
        ("x {#1..5}", [NumericAnswer.between("n1", 1, 5)], ""),
        ("x {#-2.5..-1}", [NumericAnswer.between("n1", -2.5, -1)], ""),
        (
            "x {#=1822:0#точно =%50%1822:2#близко}",
            [
                NumericAnswer.around("n1", 1822, 0, 100, "точно"),
                NumericAnswer.around("n2", 1822, 2, 50, "близко"),
            ],
            "",
        ),
        (
            "x {#\n=8:1\n=%50%3..14#допустимо\n~#неверно\n}",
            [
                NumericAnswer.around("n1", 8, 1),
                NumericAnswer.between("n2", 3, 14, 50, "допустимо"),
            ],
            "неверно",
        ),
        ("x {#1e3:10}", [NumericAnswer.around("n1", 1000, 10)], ""),
    ],
)
def test_numerical(gift: str, answers: list[NumericAnswer], incorrect: str) -> None:
    question = only(gift)
    assert question.type == "numerical"
    assert list(question.numeric) == answers
    assert question.incorrect_feedback == incorrect


def test_matching_with_distractor() -> None:
    question = only("Цвета {=МТС -> красный =МегаФон -> зелёный =Билайн -> жёлтый = -> синий}")
    assert question.type == "matching"
    assert [(p.left, p.right) for p in question.pairs] == [
        ("МТС", "красный"), ("МегаФон", "зелёный"), ("Билайн", "жёлтый"), ("", "синий"),
    ]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("$CATEGORY: Тарифы/МТС", "Тарифы/МТС"),
        ("$CATEGORY: $course$/top/Тарифы/МТС", "Тарифы/МТС"),
        ("$CATEGORY: $course$/Тарифы", "Тарифы"),
        ("$CATEGORY:  Тарифы / МТС / ", "Тарифы/МТС"),
        ("$CATEGORY: ", ""),
    ],
)
def test_category_paths(line: str, expected: str) -> None:
    result = parse_gift(f"$CATEGORY: старая\n\n{line}\n\nВопрос {{T}}")
    assert [q.category for q in result.questions] == [expected]


def test_category_line_directly_above_a_question() -> None:
    result = parse_gift("$CATEGORY: А\nПервый {T}\n\nВторой {F}\n$CATEGORY: Б\nТретий {T}")
    assert [(q.text, q.category) for q in result.questions] == [
        ("Первый", "А"), ("Второй", "А"), ("Третий", "Б"),
    ]


def test_blank_lines_separate_questions_and_windows_newlines_work() -> None:
    result = parse_gift("Один {T}\r\n\r\n\r\nДва {F}\r\n   \r\nТри {T}")
    assert [q.text for q in result.questions] == ["Один", "Два", "Три"]
    assert result.lines == (1, 4, 6)


def test_each_question_keeps_the_line_it_starts_on() -> None:
    gift = "// заметка\n\nОдин {T}\n\nсломан {~a ~b}\n\n$CATEGORY: А\n\nДва\n{F}\n"
    result = parse_gift_bytes(gift.encode())
    assert [q.text for q in result.questions] == ["Один", "Два"]
    assert result.lines == (3, 9) and [e.line for e in result.errors] == [5]


# --- errors -----------------------------------------------------------------------------------

BROKEN_EXPECTED = [
    (6, "unclosed brace"),
    (8, "unknown question type"),
    (10, "no correct answer"),
    (12, "bad weight '%abc%'"),
    (14, "bad weight '%150%'"),
    (16, "positive weights add up to 90%"),
    (18, "'}' without an opening '{'"),
    (20, "more than one answer block"),
    (22, "name opens with '::' but is not closed"),
    (24, "'три' is not a number"),
    (26, "range 5..1 runs backwards"),
    (28, "at least two '=left -> right' pairs"),
    (30, "no correct answer"),
    (32, "answer 2 is empty"),
    (34, "no text, only an answer block"),
    (36, "stands before the first answer"),
    (38, "at most two feedbacks"),
    (40, "no correct answer"),
]


def test_broken_fixture_reports_each_question_with_its_line() -> None:
    result = parse_gift(BROKEN)
    assert [e.line for e in result.errors] == [line for line, _ in BROKEN_EXPECTED]
    for error, (_, fragment) in zip(result.errors, BROKEN_EXPECTED, strict=True):
        assert fragment in error.message
    assert [q.name for q in result.questions] == ["Корректный 1", "Корректный 2"]
    summary = summarise(result)
    assert summary["imported"] == 2
    assert summary["errors"][0] == {  # type: ignore[index]
        "line": 6,
        "code": "unclosed_brace",
        "message": "unclosed brace: the answer block opened with '{' has no closing '}'",
    }
    assert result.errors[0].params == {}
    assert (result.errors[10].code, result.errors[10].params) == (
        "backward_range", {"index": 1, "range": "5..1"}
    )


@pytest.mark.parametrize(
    ("gift", "fragment"),
    [
        ("x {=a ~b", "unclosed brace"),
        ("x {=a ~b {=c}", "not closed before the next '{'"),
        ("x } {=a}", "without an opening '{'"),
        ("x {foo}", "unknown question type in the answer block {foo}"),
        ("x {%50%foo}", "unknown question type"),
        ("x {~a ~b}", "no correct answer"),
        ("x {=%50%a ~b}", "no correct answer"),
        ("x {~%abc%a ~%100%b}", "bad weight '%abc%'"),
        ("x {~%50a ~%100%b}", "bad weight"),
        ("x {~%101%a ~b}", "from -100 to 100"),
        ("x {~%-150%a =b}", "bad weight '%-150%'"),
        ("x {~%50%a ~%60%b}", "add up to 110%"),
        ("x {~%50%a ~%-50%b}", "add up to 50%"),
        ("x {=a}{=b}", "more than one answer block"),
        ("::имя x {T}", "not closed"),
        ("x {#}", "numerical answer 1 is empty"),
        ("x {#abc}", "'abc' is not a number"),
        ("x {#3,14}", "'3,14' is not a number"),
        ("x {#1:abc}", "'abc' is not a number"),
        ("x {#5..1}", "runs backwards"),
        ("x {#=%50%5}", "no correct answer"),
        ("x {#5 ~неверно}", "after '~'"),
        ("x {=a -> b}", "at least two"),
        ("x {=a -> b =c}", "matching pair 2"),
        ("x {=a -> b = -> c}", "at least two"),
        ("x {=a -> }", "nothing after '->'"),
        ("x {=%50%a}", "no correct answer"),
        ("x {=a ~ ~b}", "answer 2 is empty"),
        ("{=a ~b}", "no text"),
        ("::имя:: {T}", "no text"),
        ("::имя::", "name but no text"),
        ("x {lead =a ~b}", "'lead' stands before the first answer"),
        ("x {T#a#b#c}", "at most two feedbacks"),
        ("x {~только}", "at least two answers"),
        ("x {~%100%один}", "at least two answers"),
    ],
)
def test_each_error_kind(gift: str, fragment: str) -> None:
    error = error_of(gift)
    assert error.line == 1
    assert fragment in error.message


def test_error_line_is_the_first_line_of_the_question_after_comments() -> None:
    text = "Хороший {T}\n\n// комментарий\n// ещё\nПлохой\nвопрос {~a ~b}\n\nХороший {F}"
    result = parse_gift(text)
    assert [e.line for e in result.errors] == [5]
    assert len(result.questions) == 2


# --- encodings --------------------------------------------------------------------------------

SAMPLE = "::Тариф:: Сколько стоит «Связь+ 15»? {#450}\n"


@pytest.mark.parametrize(
    ("data", "encoding", "warned"),
    [
        (SAMPLE.encode("utf-8"), "utf-8", False),
        (b"\xef\xbb\xbf" + SAMPLE.encode("utf-8"), "utf-8", False),
        (SAMPLE.encode("utf-16"), "utf-16", False),
        (SAMPLE.encode("cp1251"), "cp1251", True),
    ],
)
def test_parse_bytes_encodings(data: bytes, encoding: str, warned: bool) -> None:
    result = parse_gift_bytes(data)
    assert result.encoding == encoding
    assert [q.name for q in result.questions] == ["Тариф"]
    assert result.questions[0].text == "Сколько стоит «Связь+ 15»?"
    assert bool(result.warnings) is warned
    if warned:
        assert "cp1251" in result.warnings[0].message


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        (b"abc \x98 def", "neither UTF-8 nor cp1251"),
        (b"data\x00\x01\xff\x00 {T}", "NUL bytes"),
        (b"\x85\x86\x87\x89\x8b\x91\x92\x93 {T}", "does not look like cp1251"),
        (b"\xef\xbb\xbf\xff\xfe bad", "byte-order mark"),
    ],
)
def test_parse_bytes_rejects_undecodable(data: bytes, fragment: str) -> None:
    with pytest.raises(GiftEncodingError, match=fragment):
        parse_gift_bytes(data)


SVG = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n'
    b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">\n'
    b"  <style>rect { fill: red; }</style>\n"
    b'  <rect width="10" height="10"/>\n'
    b"</svg>\n"
)


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        (b"", "no questions found"),
        (b"\n  \n\r\n", "no questions found"),
        ("// только комментарий\n// и ещё один\n".encode(), "no questions found"),
        ("$CATEGORY: Тарифы\n\n// пусто\n".encode(), "no questions found"),
        ("Просто текст без вопросов.\n\nИ ещё абзац.".encode(), "no questions found"),
        (SVG, "XML or HTML markup (it starts with '<?xml"),
        (SVG.split(b"\n", 1)[1], "markup (it starts with '<svg"),
        (b"<!DOCTYPE html>\n<html><body><p>Hi</p></body></html>", "markup (it starts with '<!DOCTYPE"),
        ("<div>вопрос</div>".encode(), "markup (it starts with '<div')"),
        ("// экспорт\n<html lang=ru>{T}</html>".encode(), "markup (it starts with '<html"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "a PDF document"),
        (b"PK\x03\x04\x14\x00\x06\x00", ".docx"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff", "a PNG image"),
        (b"GIF89a\x01\x00\x01\x00", "a GIF image"),
        (b"{\\rtf1\\ansi \xc2\xee\xef\xf0\xee\xf1 {T}}", "an RTF document"),
    ],
)
def test_parse_bytes_refuses_files_that_are_not_gift(data: bytes, fragment: str) -> None:
    with pytest.raises(GiftFileError, match=re.escape(fragment)) as caught:
        parse_gift_bytes(data)
    assert "separated by an empty line" in str(caught.value)


@pytest.mark.parametrize(
    "gift",
    [
        "<b>Жирный</b> вопрос: МТС — красный? {T}",  # HTML inside a question is fine
        "[html]<p>Вопрос</p> {T}",
        "// комментарий\n\n::Q:: Описание\n\nНастоящий вопрос {T}",
        "Только сломанный вопрос {~a ~b}",  # errors are reported, not refused
    ],
)
def test_parse_bytes_keeps_gift_that_only_looks_odd(gift: str) -> None:
    result = parse_gift_bytes(gift.encode())
    assert result.questions or result.errors


@pytest.mark.parametrize(
    ("gift", "hinted"),
    [
        ("Первый вопрос {T}\nВторой вопрос {F}", True),
        ("Первый {=a ~b}\n// комментарий\nВторой {T}", True),
        ("Один вопрос {=a ~b} и {T}", False),
    ],
)
def test_two_questions_without_a_blank_line_hint_at_it(gift: str, hinted: bool) -> None:
    error = error_of(gift)
    assert error.line == 1 and "more than one answer block" in error.message
    assert ("separate them with an empty line" in error.message) is hinted


def test_demo_fixture_in_cp1251_imports_the_same() -> None:
    """Question for question, field for field, the same as the UTF-8 file (not just as many)."""
    text = DEMO.replace("₽", "руб.")
    result = parse_gift_bytes(text.encode("cp1251"))
    same = parse_gift_bytes(text.encode("utf-8"))
    assert result.encoding == "cp1251" and same.encoding.startswith("utf-8")
    assert len(result.questions) == 26 and result.errors == same.errors == ()
    assert result.questions == same.questions and result.lines == same.lines
    cyrillic = [q for q in result.questions if any("а" <= ch <= "я" for ch in q.text.lower())]
    assert len(cyrillic) == 26  # every question's Russian text came through the cp1251 decoding


# --- export details ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "gift",
    [
        "::a\\:b:: x \\{y\\} \\# \\= \\~ {=\\=1 ~\\~2#\\#fb}",
        "::Время\\:\\:10\\:00:: Текст с \\:\\: внутри {T}",
        "[markdown]Строка\\nвторая {T#a#b}",
        "Текст {FALSE#только неверно}",
        "Вставка {=а ~б} в середине.",
        "{=а ~б} в начале.",
        "Числа {#=0.1..0.3 =%50%3.14159:0.00001#fb ~#нет}",
        "Большие {#123456789012:1e-05}",
        "Описание с \\{скобками\\}",
        "Эссе {####критерии}",
        "APN {=internet =%50%*inter\\*net*}",
        "Обратная \\\\ черта {T}",
    ],
)
def test_export_round_trips_single_questions(gift: str) -> None:
    question = only(gift)
    assert only(export_gift([question])) == question


def test_export_writes_category_lines_only_on_change() -> None:
    questions = parse_gift("$CATEGORY: А\n\nx {T}\n\ny {F}\n\n$CATEGORY: Б\n\nz {T}").questions
    exported = export_gift(questions)
    assert exported.count("$CATEGORY:") == 2
    assert export_gift([]) == ""


def test_fingerprint_ignores_name_and_category_but_not_content() -> None:
    base = only("::A:: Сколько? {#5}")
    assert fingerprint(base) == fingerprint(only("$CATEGORY: Другая\n::B:: Сколько?   {#5}"))
    assert fingerprint(base) != fingerprint(only("::A:: Сколько? {#6}"))
    assert fingerprint(base) != fingerprint(only("::A:: Сколько? {#5:1}"))
    assert len(fingerprint(base)) == 64
