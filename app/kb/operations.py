"""Knowledge-base writes: articles with version history, material changes, search log."""

from __future__ import annotations

import logging
import re
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select

import carriers
import training
from app.extensions import db
from app.features import announce
from app.kb.search import add_to_vocabulary, index_texts
from app.models import KbArticle, KbArticleVersion, KbSearch, User, utcnow
from app.outcome import Refused
from app.wording import say

log = logging.getLogger("ulybka.kb")


class ArticleFlowError(Refused):
    """An article edit was refused; the message (Russian) says why."""


def slugify(title: str) -> str:
    from app.demo import TRANSLIT

    slug = re.sub(r"[^a-z0-9]+", "-", title.lower().translate(TRANSLIT)).strip("-")
    return slug[:100] or "article"


def _unique_slug(base: str) -> str:
    slug, n = base, 1
    while db.session.scalar(select(KbArticle.id).where(KbArticle.slug == slug)) is not None:
        n += 1
        slug = f"{base}-{n}"
    return slug


def save_article(
    article: KbArticle | None,
    *,
    title: str,
    carrier: str | None,
    topic: str,
    body_md: str,
    tags: list[str],
    effective_from: date,
    author: User | None,
    slug: str | None = None,
) -> tuple[KbArticle, KbArticleVersion | None]:
    """Create an article or add a version to it.

    Returns the article and the new version, or None when nothing changed. The version's
    ``suggested_material`` says whether :func:`training.material_change` thinks operators must
    be recertified; a manager confirms it with :func:`confirm_material`.
    """
    try:
        training.Article(carrier, topic, title, body_md, tuple(tags), effective_from, slug or "")
    except training.ArticleError as exc:
        raise ArticleFlowError(f"Статья не сохранена. {say(exc)}") from None
    suggested = False
    if article is None:
        article = KbArticle(slug=_unique_slug(slug or slugify(title)), version=0)
        db.session.add(article)
    else:
        same = (
            article.title,
            article.carrier,
            article.topic,
            article.body_md,
            list(article.tags),
            article.effective_from,
        ) == (title, carrier, topic, body_md, list(tags), effective_from)
        if same:
            return article, None
        suggested = training.material_change(article.body_md, body_md)
    plain, search_text = index_texts(title, tags, body_md)
    article.title, article.carrier, article.topic, article.body_md = title, carrier, topic, body_md
    article.tags, article.effective_from = list(tags), effective_from
    article.plain, article.search_text = plain, search_text
    article.version += 1
    article.updated_at, article.updated_by_id = utcnow(), author.id if author else None
    version = KbArticleVersion(
        article=article,
        version=article.version,
        title=title,
        body_md=body_md,
        tags=list(tags),
        effective_from=effective_from,
        suggested_material=suggested,
        author_id=author.id if author else None,
    )
    db.session.add(version)
    db.session.flush()
    add_to_vocabulary(search_text)
    log.info(
        "article %s saved as version %s (material suggested: %s)", article.slug, article.version, suggested
    )
    return article, version


def confirm_material(version: KbArticleVersion, actor: User) -> int:
    """A manager confirms a material change: the carrier's certifications are revoked (for a
    common article, every carrier's). Returns the number of revoked passes."""
    if version.material:
        raise ArticleFlowError("Это изменение уже подтверждено как существенное.")
    version.material = True
    article = version.article
    codes = [article.carrier] if article.carrier else list(carriers.CODES)
    reason = f"существенно изменилась статья «{article.title}» (версия {version.version})."
    revoked = sum(sum(announce("kb.material_change", code, reason)) for code in codes)
    log.info(
        "%s confirmed material change of %s v%s: %s passes revoked",
        actor.login,
        article.slug,
        version.version,
        revoked,
    )
    return revoked


def seed_catalogue(articles: tuple[training.Article, ...] = training.ARTICLES) -> int:
    """Upsert the catalogue articles by slug; returns how many were created or changed."""
    changed = 0
    for item in articles:
        existing = db.session.scalar(select(KbArticle).where(KbArticle.slug == item.slug))
        _, version = save_article(
            existing,
            title=item.title,
            carrier=item.carrier,
            topic=item.topic,
            body_md=item.body_md,
            tags=list(item.tags),
            effective_from=item.effective_from,
            author=None,
            slug=item.slug,
        )
        changed += version is not None
    return changed


def log_search(
    user: User | None, query: str, carrier: str | None, results: int, now: datetime | None = None
) -> KbSearch:
    """Record a search. While the user goes on typing the same query (:func:`training.continues`,
    within :data:`training.TYPING_SECONDS` of its first search, nothing opened yet), the
    lookup's row takes the newer query and result count and keeps its start time."""
    now = now or utcnow()
    last = None
    if user is not None:
        last = db.session.scalar(
            select(KbSearch).where(KbSearch.user_id == user.id).order_by(KbSearch.id.desc()).limit(1)
        )
    if (
        last is not None and last.opened_at is None and training.continues(last.query, query)
        and now - last.searched_at <= timedelta(seconds=training.TYPING_SECONDS)
    ):
        last.query, last.carrier, last.results = query[:200], carrier, results
        db.session.flush()
        return last
    row = KbSearch(user_id=user.id if user else None, query=query[:200], carrier=carrier, results=results,
                   searched_at=now)
    db.session.add(row)
    db.session.flush()
    return row


def log_open(search_id: int | None, article: KbArticle, user: User, now: datetime | None = None) -> None:
    """Record the first article opened from a search's results (the user's own search only)."""
    if not search_id:
        return
    row = db.session.get(KbSearch, search_id)
    if row is None or row.user_id != user.id or row.opened_at is not None:
        return
    row.opened_at, row.opened_article_id = now or utcnow(), article.id
    db.session.flush()


def lookup_report(since: datetime | None = None) -> dict[str, Any]:
    query = select(KbSearch).order_by(KbSearch.id)
    if since is not None:
        query = query.where(KbSearch.searched_at >= since)
    rows = list(db.session.scalars(query))
    stats = training.lookup_stats(
        (str(r.user_id), r.query, r.searched_at, r.opened_at, r.results > 0) for r in rows
    )
    by_user: dict[int, list[KbSearch]] = {}
    for r in rows:
        if r.user is not None:
            by_user.setdefault(r.user_id, []).append(r)
    people = [(found[0].user, training.lookup_stats(
        (str(r.user_id), r.query, r.searched_at, r.opened_at, r.results > 0) for r in found))
        for found in by_user.values()]
    # who misses the promise most first; people who never opened an article last
    people.sort(key=lambda p: (2 if p[1].promise_share is None else p[1].promise_share, p[0].full_name))
    recent = sorted(rows, key=lambda r: r.searched_at, reverse=True)[:20]
    return {"stats": stats, "opened": stats.opened, "recent": recent, "people": people,
            "promise": training.PROMISE_SECONDS}
