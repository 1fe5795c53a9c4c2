"""Commands of this area: ``kb search``, ``import-gift``, ``listening assign`` (attached in app/cli.py)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import click
from flask import Flask

from app.cli import CliError, emit, main, with_app

CARRIERS = click.Choice(["mts", "megafon", "beeline"])


@click.group()
def kb() -> None:
    """Knowledge base."""


@kb.command("search")
@click.argument("query")
@click.option("--carrier", type=CARRIERS, help="That carrier's articles and the common ones.")
@click.option("--limit", default=10, show_default=True, help="How many results.")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@with_app
def kb_search(app: Flask, query: str, carrier: str | None, limit: int, as_json: bool) -> None:
    """Search the knowledge base in any word form, typos forgiven."""
    from app.kb.search import search

    result = search(query, carrier, limit)
    data = {
        "query": result.query,
        "lemmas": list(result.lemmas),
        "corrected": result.corrected,
        "results": [
            {
                "id": h.article.id,
                "slug": h.article.slug,
                "title": h.article.title,
                "carrier": h.article.carrier,
                "topic": h.article.topic,
                "score": round(h.score, 4),
                "snippet": str(h.snippet),
            }
            for h in result.hits
        ],
    }
    lines = [f"{i}. {h.article.title} [{h.article.carrier or 'все'}]" for i, h in enumerate(result.hits, 1)]
    emit(data, as_json, "\n".join(lines) or "Ничего не нашлось.")


@click.command("import-gift")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--bank", "bank_name", required=True, help="Question bank (created when missing).")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@with_app
def import_gift(app: Flask, file: Path, bank_name: str, as_json: bool) -> None:
    """Import GIFT (Moodle) questions into a bank; questions already there are skipped."""
    from app.exams.bank import BankError
    from app.exams.bank import import_gift as run_import
    from app.extensions import db

    try:
        data = file.read_bytes()
    except OSError as exc:
        raise CliError(f"cannot read {file}: {exc.strerror}") from None
    try:
        report = run_import(bank_name, data)
    except BankError as exc:
        raise CliError(str(exc)) from None
    db.session.commit()
    out = {"imported": report["imported"], "by_type": report["by_type"], "errors": report["errors"]}
    if as_json:
        click.echo(json.dumps(out, ensure_ascii=False))
        return
    kinds = ", ".join(f"{k}: {v}" for k, v in report["by_type"].items() if v) or "—"
    lines = [
        f"Импортировано вопросов: {report['imported']} ({kinds}); пропущено дубликатов: "
        f"{report['duplicates']}"
    ]
    lines += [f"  строка {e['line']}: {e['message']}" for e in report["errors"]]
    click.echo("\n".join(lines))


@click.group()
def listening() -> None:
    """Daily listening assignments."""


@listening.command("assign")
@click.option("--date", "day", type=click.DateTime(["%Y-%m-%d"]), help="Day (default: today).")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@with_app
def listening_assign(app: Flask, day, as_json: bool) -> None:
    """Create the day's listening assignments for every QA listener and operator (idempotent)."""
    from app.extensions import db
    from app.listening.operations import assign_all

    target = day.date() if day else date.today()
    counts = assign_all(target)
    db.session.commit()
    emit(
        {"date": target.isoformat(), "assignments": counts},
        as_json,
        f"{target.isoformat()}: заданий — {sum(counts.values())}, сотрудников — {len(counts)}",
    )


for _command in (kb, import_gift, listening):
    main.add_command(_command)
