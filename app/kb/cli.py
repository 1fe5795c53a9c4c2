"""``ulybka kb search``."""

from __future__ import annotations

import click
from flask import Flask

import carriers
from app.console import emit, with_app

CARRIERS = click.Choice(carriers.CODES)


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


@kb.command("sync-catalogue")
@click.option("--carrier", type=CARRIERS, help="Only this carrier (default: all three).")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@with_app
def kb_sync_catalogue(app: Flask, carrier: str | None, as_json: bool) -> None:
    """Read the carriers' tariffs and options and put what changed up for a manager's review."""
    from app.extensions import db
    from app.kb import catalogue

    results = {}
    for code in [carrier] if carrier else list(carriers.CODES):
        results[code] = catalogue.sync(code)
        db.session.commit()
    data, lines = {}, []
    for code, row in results.items():
        name = carriers.carrier_name(code)
        if row is None:
            data[code] = {"status": "unchanged", "changes": []}
            lines.append(f"{name}: каталог как опубликован.")
            continue
        changes = [c.describe() for c in catalogue.changes_of(row)]
        data[code] = {"status": row.status, "id": row.id, "note": row.note,
                      "changes": [dict(vars(c), text=t) for c, t in zip(catalogue.changes_of(row), changes,
                                                                          strict=True)]}
        if row.status == "failed":
            lines.append(f"{name}: не удалось прочитать каталог — {row.note}")
        else:
            state = "ждёт проверки" if row.status == "pending" else "отклонено руководителем"
            lines.append(f"{name}: изменений {len(changes)} ({state}):\n  " + "\n  ".join(changes))
    emit(data, as_json, "\n".join(lines))
