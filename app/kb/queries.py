"""Read-only knowledge-base queries for the pages."""

from __future__ import annotations

from sqlalchemy import or_, select

import training
from app.extensions import db
from app.models import KbArticle


def by_topic(carrier: str | None) -> list[tuple[str, list[KbArticle]]]:
    """Articles grouped by topic (in :data:`training.TOPICS` order), titles alphabetically."""
    query = select(KbArticle).order_by(KbArticle.title)
    if carrier:
        query = query.where(or_(KbArticle.carrier == carrier, KbArticle.carrier.is_(None)))
    groups: dict[str, list[KbArticle]] = {key: [] for key in training.TOPICS}
    for article in db.session.scalars(query):
        groups.setdefault(article.topic, []).append(article)
    return [(training.TOPICS.get(key, key), rows) for key, rows in groups.items() if rows]
