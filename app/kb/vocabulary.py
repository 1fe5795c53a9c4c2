"""The typo-correction vocabulary: every lemma of the knowledge-base index but numbers.

It is read from the index, not from every article's text: on SQLite from ``kb_fts_text_vocab``
(an ``fts5vocab`` table over ``kb_fts_text``, migration t004), on PostgreSQL by walking the
distinct lemmas of ``kb_fts_postings`` (a skip scan of its primary key). Each process caches it.
After :data:`TTL` seconds the next search starts a background refresh and goes on with the
cached set: the refresh compares a cheap stamp of the articles (count and newest id of
``kb_articles`` and of ``kb_article_versions``: every save through the app adds a version) and
rebuilds only when it changed or the set is :data:`MAX_AGE` old. Only the first search of a
process waits for a build. This process's own saves are added at once
(:func:`add_to_vocabulary`). Under ``app.testing`` the refresh runs inline.

On PostgreSQL the same refresh reads how common the most common lemmas are from the planner's
statistics (:func:`common_lemmas`), so a search starts from its rarest lemma.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Final

from flask import current_app
from sqlalchemy import text

from app.extensions import db

log = logging.getLogger(__name__)

TTL: Final = 60.0
"""Seconds between checks for other processes' edits."""
MAX_AGE: Final = 600.0
"""Seconds after which the set is rebuilt even when the stamp did not change (edits made
outside the app)."""

_STAMP: Final = text(
    "SELECT (SELECT count(*) FROM kb_articles), (SELECT max(id) FROM kb_articles), "
    "(SELECT count(*) FROM kb_article_versions), (SELECT max(id) FROM kb_article_versions)"
)
_SQLITE_LEMMAS: Final = text("SELECT term FROM kb_fts_text_vocab WHERE col = 'lemmas'")
# one index descent per distinct lemma instead of reading every posting
_PG_LEMMAS: Final = text(
    "WITH RECURSIVE walk(lemma) AS ("
    "(SELECT lemma FROM kb_fts_postings WHERE field = 2 ORDER BY lemma LIMIT 1) UNION ALL "
    "SELECT (SELECT p.lemma FROM kb_fts_postings p WHERE p.field = 2 AND p.lemma > walk.lemma "
    "ORDER BY p.lemma LIMIT 1) FROM walk WHERE walk.lemma IS NOT NULL"
    ") SELECT lemma FROM walk WHERE lemma IS NOT NULL"
)
# the planner's own statistics (t005 keeps 1,000 values): free to read, as fresh as ANALYZE
_PG_COMMON: Final = text(
    "SELECT most_common_vals::text::text[], most_common_freqs FROM pg_stats "
    "WHERE schemaname = current_schema() AND tablename = 'kb_fts_postings' AND attname = 'lemma'"
)


@dataclass(frozen=True)
class _Cached:
    words: frozenset[str]
    stamp: tuple[object, ...]
    built: float  # time.monotonic()
    checked: float
    common: Mapping[str, float] = field(default_factory=dict)


_cache: dict[str, _Cached] = {}
_added: dict[str, set[str]] = {}  # lemmas saved by this process while a rebuild runs
_refreshing: set[str] = set()
_lock = threading.Lock()


def _key() -> str:
    return str(db.engine.url)


def _words(lemmas: object) -> frozenset[str]:
    # numbers are never corrected (nor corrected to), and they are most of a real vocabulary
    return frozenset(w for w in lemmas if not w.isdigit())  # type: ignore[attr-defined]


def lemmas_in_index() -> frozenset[str]:
    """Every lemma of the full-text index but numbers, read from the index."""
    sql = _PG_LEMMAS if db.engine.dialect.name == "postgresql" else _SQLITE_LEMMAS
    return _words(db.session.scalars(sql))


def _common_in_index() -> dict[str, float]:
    """Share of postings of the most common lemmas (PostgreSQL's statistics); {} on SQLite,
    whose FTS5 orders a query's terms itself, or before the first ANALYZE."""
    if db.engine.dialect.name != "postgresql":
        return {}
    row = db.session.execute(_PG_COMMON).first()
    if row is None or row[0] is None:
        return {}
    return dict(zip(row[0], row[1], strict=True))


def common_lemmas() -> Mapping[str, float]:
    """How common the index's most common lemmas are (0–1); a lemma not listed is rarer than
    every listed one. Refreshed with the vocabulary."""
    cached = _cache.get(_key())
    return cached.common if cached else {}


def lemmas_in_texts() -> frozenset[str]:
    """The same set read from every article's ``search_text`` (the slow way, for checks)."""
    words: set[str] = set()
    for search_text in db.session.scalars(text("SELECT search_text FROM kb_articles")):
        words.update(search_text.split())
    return _words(words)


def clear_vocabulary() -> None:
    """Forget the cached vocabulary (it is rebuilt on the next search)."""
    _cache.clear()


def add_to_vocabulary(search_text: str) -> None:
    """Teach this process's cached vocabulary the lemmas of a saved article (no rebuild)."""
    key = _key()
    lemmas = _words(search_text.split())
    with _lock:
        cached = _cache.get(key)
        if cached:
            _cache[key] = replace(cached, words=cached.words | lemmas)
        if key in _added:
            _added[key] |= lemmas


def refresh_vocabulary(force: bool = False) -> frozenset[str]:
    """Rebuild the cached vocabulary from the index when the articles changed since it was
    built (or it is :data:`MAX_AGE` old, or ``force``); return it."""
    key = _key()
    stamp = tuple(db.session.execute(_STAMP).one())
    now = time.monotonic()
    cached = _cache.get(key)
    if cached and not force and cached.stamp == stamp and now - cached.built < MAX_AGE:
        with _lock:
            current = _cache.get(key, cached)
            _cache[key] = replace(current, checked=now)
        return current.words
    with _lock:
        _added[key] = set()
    try:
        words = lemmas_in_index()
        common = _common_in_index()
    finally:
        with _lock:
            added = _added.pop(key, set())
    built = _Cached(words | added, stamp, now, now, common)
    with _lock:
        _cache[key] = built
    return built.words


def _refresh_in_background(key: str) -> None:
    with _lock:
        if key in _refreshing:
            return
        _refreshing.add(key)
    app = current_app._get_current_object()  # type: ignore[attr-defined]

    def run() -> None:
        try:
            with app.app_context():
                try:
                    refresh_vocabulary()
                finally:
                    db.session.remove()
        except Exception:
            log.exception("kb vocabulary refresh failed; the cached one stays")
            with _lock:
                cached = _cache.get(key)
                if cached:  # try again after another TTL, not on every search
                    _cache[key] = replace(cached, checked=time.monotonic())
        finally:
            with _lock:
                _refreshing.discard(key)

    threading.Thread(target=run, name="kb-vocabulary", daemon=True).start()


def vocabulary() -> frozenset[str]:
    """Every lemma in the index but numbers (cached; see the module docstring)."""
    key = _key()
    cached = _cache.get(key)
    if cached is None:
        return refresh_vocabulary()
    if time.monotonic() - cached.checked >= TTL:
        if current_app.testing:
            return refresh_vocabulary()
        _refresh_in_background(key)
    return cached.words
