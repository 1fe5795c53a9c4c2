"""GIFT import through the command line and the page; export round trip."""

import io
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from markupsafe import escape

import exams
from app.exams.bank import export_bank, find_bank, questions_of
from app.exams.cli import import_gift
from app.extensions import db
from app.models import BankQuestion, QuestionBank

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "gift"
MOODLE = FIXTURES / "moodle_examples.txt"
"""Moodle's own GIFT examples, question/format/gift/examples.txt of moodle/moodle (GPL v3+)."""
GRANT = "Who's buried in Grant's tomb?"
MOODLE_DUPLICATES = [  # (line, title) of each question the file repeats, read off the file
    (25, GRANT),
    (27, "Grant is _____ in Grant's tomb."),
    (43, GRANT),
    (49, "Grant is buried in Grant's tomb."),
    (93, "Thanksgiving Date"),
    (167, GRANT),
    (169, "Grant is _____ in Grant's tomb."),
    (171, "Grant is buried in Grant's tomb."),
    (173, GRANT),
]


@pytest.fixture()
def cli(app):
    """``ulybka import-gift ARGS`` run by the command object itself, in the test's app."""
    return lambda *args: CliRunner().invoke(import_gift, list(args), obj=app)


def test_cli_imports_and_prints_the_exact_json(cli):
    result = cli(str(FIXTURES / "demo.gift"), "--bank", "Линия", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == {"imported": 26, "duplicates": [], "errors": []}
    assert list(json.loads(result.output)) == ["imported", "duplicates", "errors"]
    kinds = {kind: 0 for kind in exams.QUESTION_TYPES}
    for row in find_bank("Линия").questions:
        kinds[row.type] += 1
    assert kinds == {
        "multichoice": 7,
        "truefalse": 5,
        "shortanswer": 4,
        "numerical": 6,
        "matching": 2,
        "essay": 1,
        "description": 1,
    }


def test_cli_duplicate_import_adds_nothing_and_lists_each_question_by_line(cli):
    cli(str(FIXTURES / "demo.gift"), "--bank", "Линия", "--json")
    again = json.loads(cli(str(FIXTURES / "demo.gift"), "--bank", "Линия", "--json").output)
    assert again["imported"] == 0 and again["errors"] == []
    assert len(again["duplicates"]) == 26 and len(find_bank("Линия").questions) == 26
    first = exams.parse_gift_bytes((FIXTURES / "demo.gift").read_bytes())
    assert again["duplicates"] == [
        {"line": line, "title": q.title} for line, q in zip(first.lines, first.questions, strict=True)
    ]


def test_cli_broken_file_reports_lines_and_codes_in_russian(cli):
    data = json.loads(cli(str(FIXTURES / "broken.gift"), "--bank", "Ошибки", "--json").output)
    assert data["imported"] == 2 and data["duplicates"] == []
    lines = [e["line"] for e in data["errors"]]
    assert lines[:3] == [6, 8, 10] and len(lines) == 18
    assert data["errors"][0] == {
        "line": 6,
        "code": "unclosed_brace",
        "message": "незакрытая скобка: блок ответов, открытый «{», не закрыт «}»",
    }
    assert all(list(e) == ["line", "code", "message"] for e in data["errors"])


def test_cli_missing_file_is_one_russian_line(cli, tmp_path):
    result = cli(str(tmp_path / "nope.gift"), "--bank", "X")
    assert result.exit_code == 2
    assert "Не удалось прочитать файл" in result.output and "такого файла нет" in result.output
    assert "Traceback" not in result.output


def test_moodle_examples_import_and_report_their_repeats_by_line(cli):
    result = cli(str(MOODLE), "--bank", "Moodle", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["errors"] == []
    assert [(d["line"], d["title"]) for d in data["duplicates"]] == MOODLE_DUPLICATES
    assert data["imported"] == 43 - len(MOODLE_DUPLICATES) == len(find_bank("Moodle").questions)


def test_moodle_repeats_are_real_repeats_of_earlier_questions():
    """The expected lines are checked against the file itself, not taken on trust."""
    parsed = exams.parse_gift_bytes(MOODLE.read_bytes())
    seen: dict[str, int] = {}
    repeats = []
    for line, question in zip(parsed.lines, parsed.questions, strict=True):
        digest = exams.fingerprint(question)
        if digest in seen:
            repeats.append((line, question.title))
        seen.setdefault(digest, line)
    assert repeats == MOODLE_DUPLICATES
    text = MOODLE.read_text(encoding="utf-8").splitlines()
    for line, title in MOODLE_DUPLICATES:  # each line is where that question is written
        assert text[line - 1].startswith((f"::{title}::", title.split("_____")[0].strip()))


def test_cli_text_lists_duplicates_and_errors_by_line(cli, tmp_path):
    gift = tmp_path / "mixed.gift"
    gift.write_text("::Один:: Вопрос {T}\n\nВопрос {~a ~b}\n\n::Снова:: Вопрос {T}\n", encoding="utf-8")
    result = cli(str(gift), "--bank", "Смесь")
    assert result.exit_code == 0, result.output
    assert "Импортировано вопросов в банк «Смесь»: 1 (Верно/неверно: 1)" in result.output
    assert "  строка 5: Снова" in result.output
    assert "  строка 3: нет верного ответа" in result.output


def upload(auth, content: bytes, bank="Банк", name="q.gift"):
    return auth.post(
        "/exams/banks/import",
        {"bank": bank, "file": (io.BytesIO(content), name)},
        content_type="multipart/form-data",
    )


@pytest.fixture()
def author(auth, make_user):
    make_user("qa1", role="qa_listener")
    auth.login("qa1")
    return auth


def test_page_import_good_then_duplicate(author):
    page = upload(author, (FIXTURES / "demo.gift").read_bytes()).get_data(as_text=True)
    assert "Пропущены" not in page
    assert "Добавлено вопросов: <strong>26</strong>" in page
    assert '<ul class="tags import-types">' in page
    for label in ("Выбор ответа: 7", "Верно/неверно: 5", "Короткий ответ: 4", "Числовой: 6",
                  "На соответствие: 2", "Эссе: 1", "Описание: 1"):
        assert f'<li class="tag">{label}</li>' in page
    assert not {"multichoice", "truefalse", "matching", "(matching)"} & set(re.findall(r"[\w()]+", page))
    again = upload(author, (FIXTURES / "demo.gift").read_bytes()).get_data(as_text=True)
    assert "Добавлено вопросов: <strong>0</strong>" in again and "пропущены: <strong>26</strong>" in again
    demo = exams.parse_gift_bytes((FIXTURES / "demo.gift").read_bytes())
    line, title = demo.lines[0], escape(demo.questions[0].title)
    assert f"<li><strong>Строка {line}:</strong> {title}</li>" in again


def test_page_import_lists_repeats_inside_the_file_by_line_and_title(author):
    page = upload(author, MOODLE.read_bytes(), bank="Moodle").get_data(as_text=True)
    assert "Добавлено вопросов: <strong>34</strong>" in page and "пропущены: <strong>9</strong>" in page
    assert "Пропущены — уже есть в банке или выше в файле: 9" in page
    for line, title in MOODLE_DUPLICATES:
        assert f"<li><strong>Строка {line}:</strong> {escape(title)}</li>" in page


def test_page_import_broken_file_lists_lines(author):
    page = upload(author, (FIXTURES / "broken.gift").read_bytes()).get_data(as_text=True)
    assert "Строка 6:</strong> незакрытая скобка" in page
    assert "Строка 40:" in page
    assert "Не импортировано — ошибок: 18" in page


def test_page_import_wrong_encoding(author):
    cp1251 = "::В::Билайн — жёлтый? {T}\n".encode("cp1251")
    page = upload(author, cp1251).get_data(as_text=True)
    assert "Добавлено вопросов: <strong>1</strong>" in page and "Windows-1251" in page
    binary = upload(author, b"\x00\x01\x02\xff\xfe\x00garbage").get_data(as_text=True)
    assert "нулевые байты" in binary or "не в UTF-8" in binary


def test_page_import_without_file_asks_for_one(author):
    page = author.post("/exams/banks/import", {"bank": "Банк"}).get_data(as_text=True)
    assert "Выберите файл" in page


def test_operator_may_not_import(auth, make_user):
    make_user("op", role="operator")
    auth.login("op")
    assert auth.client.get("/exams/banks/import").status_code == 403


def test_export_round_trip(author):
    upload(author, (FIXTURES / "demo.gift").read_bytes())
    bank = find_bank("Банк")
    response = author.client.get(f"/exams/banks/{bank.id}/export")
    assert response.status_code == 200 and "attachment" in response.headers["Content-Disposition"]
    parsed = exams.parse_gift(response.get_data(as_text=True))
    assert parsed.errors == ()
    assert {exams.fingerprint(q) for q in parsed.questions} == {
        exams.fingerprint(q) for q in questions_of(bank)
    }
    assert export_bank(bank) == response.get_data(as_text=True)
    db.session.rollback()


def test_bank_page_shows_russian_type_names(author):
    upload(author, (FIXTURES / "demo.gift").read_bytes())
    bank = find_bank("Банк")
    page = author.client.get(f"/exams/banks/{bank.id}").get_data(as_text=True)
    types = re.findall(r"<td>([^<]*)</td><td>[^<]*</td></tr>", page)
    assert len(types) == 26
    assert set(types) == {"Выбор ответа", "Верно/неверно", "Короткий ответ", "Числовой",
                          "На соответствие", "Эссе", "Описание"}
    assert "multichoice" not in page and "<code>" not in page


SVG = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n'
    b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><style>rect { fill: red }</style>'
    b'<rect width="10" height="10"/></svg>\n'
)


def banks_and_questions() -> tuple[int, int]:
    return db.session.query(QuestionBank).count(), db.session.query(BankQuestion).count()


@pytest.mark.parametrize(
    ("content", "name", "fragment"),
    [
        (b"", "empty.gift", "В файле не найдено ни одного вопроса."),
        ("// только комментарии\n// и всё\n".encode(), "notes.gift", "не найдено ни одного вопроса"),
        ("$CATEGORY: Тарифы\n\n".encode(), "cat.gift", "не найдено ни одного вопроса"),
        (SVG, "logo.svg", "Это разметка XML или HTML (файл начинается с «&lt;?xml»), а не GIFT."),
        (b"<!DOCTYPE html><html><body>{T}</body></html>", "page.html", "Это разметка XML или HTML"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3", "q.pdf", "Это документ PDF, а не текст GIFT."),
    ],
)
def test_page_refuses_a_file_that_is_not_gift_and_writes_nothing(author, content, name, fragment):
    page = upload(author, content, name=name).get_data(as_text=True)
    assert "Файл не импортирован" in page and fragment in page
    assert "GIFT — это обычный текст: вопрос, за ним блок ответов в фигурных скобках" in page
    assert "вопросы разделяются пустой строкой" in page
    assert "Добавлено вопросов" not in page
    assert banks_and_questions() == (0, 0)


def test_refused_file_leaves_an_existing_bank_as_it_was(author):
    upload(author, (FIXTURES / "demo.gift").read_bytes())
    page = upload(author, b"// nothing\n").get_data(as_text=True)
    assert "Файл не импортирован" in page and "В банк «Банк» ничего не добавлено." in page
    assert banks_and_questions() == (1, 26)


def test_only_broken_questions_create_no_bank(author):
    page = upload(author, "Вопрос {~a ~b}\n\nЕщё {=a}{=b}".encode()).get_data(as_text=True)
    assert "Не импортировано — ошибок: 2" in page and "Добавлено вопросов: <strong>0</strong>" in page
    assert "Ни один вопрос не импортирован" in page and "Итог импорта в банк" not in page
    assert banks_and_questions() == (0, 0)


def test_questions_without_a_blank_line_between_them_get_a_hint(author):
    page = upload(author, "Первый вопрос {T}\nВторой вопрос {F}\n".encode()).get_data(as_text=True)
    assert "Строка 1:</strong> в вопросе больше одного блока ответов" in page
    assert "похоже, здесь несколько вопросов подряд — разделяйте вопросы пустой строкой" in page


def test_cli_json_of_a_refused_file_keeps_the_contract(cli, tmp_path):
    empty = tmp_path / "empty.gift"
    empty.write_bytes(b"// comments only\n")
    result = cli(str(empty), "--bank", "Пусто", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert list(data) == ["imported", "duplicates", "errors"]
    assert data["imported"] == 0 and data["duplicates"] == []
    assert [(e["line"], e["code"]) for e in data["errors"]] == [(0, "no_questions")]
    assert data["errors"][0]["message"].startswith("В файле не найдено ни одного вопроса.")
    assert find_bank("Пусто") is None
    text = cli(str(empty), "--bank", "Пусто").output
    assert text.startswith("Файл не импортирован: В файле не найдено ни одного вопроса.")
