"""``ulybka import-gift``: questions from a Moodle GIFT file into a bank."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click
from flask import Flask

from app.console import CliError, with_app

_UNREADABLE = {
    FileNotFoundError: "такого файла нет",
    IsADirectoryError: "это папка, а не файл",
    PermissionError: "нет прав на чтение",
}


@click.command("import-gift")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--bank", "bank_name", required=True, help="Question bank (created when missing).")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@with_app
def import_gift(app: Flask, file: Path, bank_name: str, as_json: bool) -> None:
    """Import GIFT (Moodle) questions into a bank; questions already there, or repeated in the
    file, are skipped and listed by line.

    With --json it prints {"imported": N, "duplicates": [{"line": L, "title": T}], "errors":
    [{"line": L, "code": C, "message": M}]}: messages in Russian, line 0 for the whole file.
    """
    from app.exams.bank import BankError
    from app.exams.bank import import_gift as run_import
    from app.extensions import db

    try:
        data = file.read_bytes()
    except OSError as exc:
        why = next((text for kind, text in _UNREADABLE.items() if isinstance(exc, kind)), "ошибка чтения")
        raise CliError(f"Не удалось прочитать файл {file}: {why}.") from None
    try:
        report = run_import(bank_name, data)
    except BankError as exc:
        raise CliError(str(exc)) from None
    db.session.commit()
    if as_json:
        out = {key: report[key] for key in ("imported", "duplicates", "errors")}
        click.echo(json.dumps(out, ensure_ascii=False))
        return
    click.echo("\n".join(report_lines(report)))


def report_lines(report: dict[str, Any]) -> list[str]:
    """The import report as text for a person: counts, then duplicates and errors by line."""
    from app.exams.bank import TYPE_TITLES

    if report["refused"]:
        return [f"Файл не импортирован: {report['errors'][0]['message']}"]
    kinds = ", ".join(f"{TYPE_TITLES[k]}: {v}" for k, v in report["by_type"].items() if v) or "—"
    lines = [
        f"Импортировано вопросов в банк «{report['bank']}»: {report['imported']} ({kinds}); "
        f"пропущено повторов: {len(report['duplicates'])}; с ошибками: {len(report['errors'])}"
    ]
    lines += report["warnings"]
    if report["duplicates"]:
        lines.append("Пропущены — уже есть в банке или выше в файле:")
        lines += [f"  строка {d['line']}: {d['title']}" for d in report["duplicates"]]
    if report["errors"]:
        lines.append("Не импортированы — ошибки:")
        lines += [f"  строка {e['line']}: {e['message']}" for e in report["errors"]]
    return lines
