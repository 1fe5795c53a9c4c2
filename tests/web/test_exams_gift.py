"""GIFT import through the command line and the page; export round trip."""

import io
import json
from pathlib import Path

import pytest

import exams
from app.certification.bank import export_bank, find_bank, questions_of
from app.extensions import db

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
    assert "соответствие (matching): 2" in page
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
