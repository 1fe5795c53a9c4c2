"""GIFT import through the command line and the page; export round trip."""

import io
import json
import re
from pathlib import Path

import pytest

import exams
from app.exams.bank import export_bank, find_bank, questions_of
from app.extensions import db
from app.models import BankQuestion, QuestionBank

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "gift"


@pytest.fixture()
def cli(runner, monkeypatch):
    from app import cli as cli_module

    monkeypatch.setattr(cli_module, "make_app", lambda: runner.app)
    return lambda *args: runner.invoke(cli_module.main, list(args))


def test_cli_imports_and_prints_the_exact_json(cli):
    result = cli("import-gift", str(FIXTURES / "demo.gift"), "--bank", "Линия", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert list(data) == ["imported", "by_type", "errors"]
    assert data["imported"] == 26 and data["errors"] == []
    assert data["by_type"] == {
        "multichoice": 7,
        "truefalse": 5,
        "shortanswer": 4,
        "numerical": 6,
        "matching": 2,
        "essay": 1,
        "description": 1,
    }


def test_cli_duplicate_import_adds_nothing(cli):
    cli("import-gift", str(FIXTURES / "demo.gift"), "--bank", "Линия", "--json")
    again = json.loads(cli("import-gift", str(FIXTURES / "demo.gift"), "--bank", "Линия", "--json").output)
    assert again["imported"] == 0
    assert len(find_bank("Линия").questions) == 26


def test_cli_broken_file_reports_lines_in_russian(cli):
    data = json.loads(cli("import-gift", str(FIXTURES / "broken.gift"), "--bank", "Ошибки", "--json").output)
    assert data["imported"] == 2
    lines = [e["line"] for e in data["errors"]]
    assert lines[:3] == [6, 8, 10] and len(lines) == 18
    assert data["errors"][0]["message"].startswith("незакрытая скобка")


def test_cli_missing_file_is_one_line(cli, tmp_path):
    result = cli("import-gift", str(tmp_path / "nope.gift"), "--bank", "X")
    assert result.exit_code == 2 and "cannot read" in result.output


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
    assert "Добавлено вопросов: <strong>26</strong>" in page
    assert '<ul class="tags import-types">' in page
    for label in ("Выбор ответа: 7", "Верно/неверно: 5", "Короткий ответ: 4", "Числовой: 6",
                  "На соответствие: 2", "Эссе: 1", "Описание: 1"):
        assert f'<li class="tag">{label}</li>' in page
    assert not {"multichoice", "truefalse", "matching", "(matching)"} & set(re.findall(r"[\w()]+", page))
    again = upload(author, (FIXTURES / "demo.gift").read_bytes()).get_data(as_text=True)
    assert "Добавлено вопросов: <strong>0</strong>" in again and "пропущены: <strong>26</strong>" in again


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
    result = cli("import-gift", str(empty), "--bank", "Пусто", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert list(data) == ["imported", "by_type", "errors"]
    assert data["imported"] == 0 and set(data["by_type"].values()) == {0}
    assert list(data["by_type"]) == list(exams.QUESTION_TYPES)
    assert [e["line"] for e in data["errors"]] == [0]
    assert data["errors"][0]["message"].startswith("В файле не найдено ни одного вопроса.")
    assert find_bank("Пусто") is None
