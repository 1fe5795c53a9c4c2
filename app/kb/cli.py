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
