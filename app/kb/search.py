"""Knowledge-base full-text search: the same answers on SQLite (FTS5) and PostgreSQL (postings).

Articles store ``search_text`` in two lines: the Russian lemmas of title and tags, then those of
the body (:func:`index_texts`, :func:`training.normalise`). On SQLite, migration t002 indexes
both lines and the first alone in contentless FTS5 tables ``kb_fts_title``/``kb_fts_text`` kept
by triggers (with the carrier as a column, so the filter runs inside the index). On PostgreSQL,
migration t003 keeps a posting table ``kb_fts_postings`` (one row per distinct lemma of an
article for the first line and for both, keyed ``(field, lemma, article_id)``, the carrier
included) by a trigger: the newest matches are a backward index-only scan, merge-joined across
lemmas. A query in any word form is normalised the same way, typos mapped to the index's
vocabulary (:func:`training.normalise_query`).

Finding (the database) — exact lemmas, no prefixes, carrier filter included:

1. articles whose **title or tags** hold every lemma (AND);
2. when those are fewer than a page: articles whose whole text holds every lemma;
3. only when AND finds nothing at all: the same with any lemma (OR); at once when a lemma is in
   no article (not in the typo vocabulary), without it.

Each step takes the newest ``CANDIDATES`` matches (``ORDER BY id DESC LIMIT``), which both
databases answer from the index without ranking every match, so the cost does not grow with
the number of matching articles. Ranking (here, from ``search_text`` alone): every query lemma
in the title/tags first, then their share there, their frequency there over √length (focused
titles first), their share in the whole text, their frequency in it over √length, newest
first. The candidates and the order depend only on the stored texts, so both databases return
the same list.

Loading and ranking (:func:`search`): each step's index query comes wrapped in the select of
its articles' rows (:func:`_rows_of`), so a step is one round trip, straight to the driver, as
plain tuples (no model objects: a hit shows an :class:`ArticleSummary`); only PostgreSQL reads
the shown page's plain text separately (it decompresses every value it returns). The title/tags
part of the key is computed for every candidate, the body part only for those that can still
reach the page (:func:`best`). Snippets are made for the returned page only
(:func:`training.highlight`). The typo vocabulary: :mod:`app.kb.vocabulary`.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Final

from markupsafe import Markup

import training
from app.extensions import db
from app.kb.vocabulary import (
    add_to_vocabulary,
    clear_vocabulary,
    common_lemmas,
    refresh_vocabulary,
    vocabulary,
)

__all__ = [
    "CANDIDATES", "ArticleSummary", "Hit", "SearchResult", "add_to_vocabulary", "best", "clear_vocabulary",
    "index_texts", "matching_ids", "rank_key", "refresh_vocabulary", "scan_order", "search",
    "vocabulary",
]

CANDIDATES: Final = 100
"""Matches taken from the index per step: the newest ones, when more articles match."""

_TABLES: Final = {"title": "kb_fts_title", "text": "kb_fts_text"}
_PG_FIELDS: Final = {"title": 1, "text": 2}
_PG_CARRIER: Final = " AND p0.carrier IN (:carrier, 'common')"
_PG_EXCLUDE: Final = " AND p0.article_id <> ALL(:exclude)"


def _pg_filters(carrier: bool, exclude: bool) -> str:
    return (_PG_CARRIER if carrier else "") + (_PG_EXCLUDE if exclude else "")


def _pg_and(words: int, carrier: bool, exclude: bool = False) -> str:
    """PostgreSQL: the newest articles holding every lemma ``:w0``… in ``:field``. A backward
    index-only scan of the first lemma's postings (the rarest: see :func:`scan_order`),
    merge- or loop-joined with the others', stops after ``:n`` ids however many articles
    match."""
    others = "".join(
        f" AND EXISTS (SELECT 1 FROM kb_fts_postings p{k} WHERE p{k}.field = :field"
        f" AND p{k}.lemma = :w{k} AND p{k}.article_id = p0.article_id)"
        for k in range(1, words)
    )
    return (
        "SELECT p0.article_id FROM kb_fts_postings p0 WHERE p0.field = :field AND p0.lemma = :w0"
        + _pg_filters(carrier, exclude) + others + " ORDER BY p0.article_id DESC LIMIT :n"
    )


def _pg_or(words: int, carrier: bool, exclude: bool = False) -> str:
    """PostgreSQL: the newest articles holding any lemma: the newest ``:n`` of each lemma, merged."""
    parts = " UNION ".join(
        f"(SELECT p0.article_id FROM kb_fts_postings p0 WHERE p0.field = :field AND p0.lemma = :w{k}"
        + _pg_filters(carrier, exclude) + " ORDER BY p0.article_id DESC LIMIT :n)"
        for k in range(words)
    )
    return f"SELECT article_id FROM ({parts}) AS any_lemma ORDER BY article_id DESC LIMIT :n"


def index_texts(title: str, tags: list[str] | tuple[str, ...], body_md: str) -> tuple[str, str]:
    """``(plain, search_text)`` of an article: the plain body for snippets, and the lemmas to
    index — title and tags on the first line, the body on the second."""
    plain = training.plain_text(body_md)
    head = training.normalise(" ".join([title, *tags]))
    return plain, " ".join(head) + "\n" + " ".join(training.normalise(plain))


@dataclass(frozen=True)
class ArticleSummary:
    """What a result shows of an article (loaded with the ranking data, not as a model)."""

    id: int
    slug: str
    title: str
    carrier: str | None
    topic: str


@dataclass(frozen=True)
class Hit:
    article: ArticleSummary
    snippet: Markup
    score: float


@dataclass(frozen=True)
class SearchResult:
    query: str
    lemmas: tuple[str, ...]
    corrected: str | None  # the query's words with the typos corrected, when there were any
    hits: tuple[Hit, ...]
    any_word: bool = False  # no article holds every lemma: these hold some of them


def scan_order(lemmas: list[str] | tuple[str, ...]) -> list[str]:
    """The distinct ``lemmas``, rarest first (:func:`common_lemmas`; on PostgreSQL the first
    drives the scan), then by name."""
    common = common_lemmas()
    return sorted(set(lemmas), key=lambda w: (common.get(w, 0.0), w))


def _step(
    lemmas: list[str] | tuple[str, ...], carrier: str | None, where: str, mode: str, n: int,
    exclude: list[int] | tuple[int, ...] = (),
) -> tuple[str, dict[str, object]] | None:
    """The index query of one step (``None`` when there is nothing to look for): the ids of the
    newest ``n`` matches, leaving out ``exclude``, newest first; parameters ``:name``."""
    words = scan_order(lemmas)
    if not words or n <= 0:
        return None
    params: dict[str, object] = {"n": n, "field": _PG_FIELDS[where]}
    if db.engine.dialect.name == "postgresql":
        params.update({f"w{k}": w for k, w in enumerate(words)})
        if carrier:
            params["carrier"] = carrier
        if exclude:
            params["exclude"] = list(exclude)
        build = _pg_and if mode == "and" else _pg_or
        return build(len(words), bool(carrier), bool(exclude)), params
    table = _TABLES[where]
    terms = (" AND " if mode == "and" else " OR ").join(f'"{w}"' for w in words)
    params["q"] = f"lemmas : ({terms})"
    if carrier:
        quoted = carrier.replace('"', '""')
        params["q"] = f'carrier : ("{quoted}" OR "common") AND {params["q"]}'
    params.update({f"x{k}": i for k, i in enumerate(exclude)})
    unless = f" AND rowid NOT IN ({', '.join(f':x{k}' for k in range(len(exclude)))})" if exclude else ""
    return f"SELECT rowid FROM {table} WHERE {table} MATCH :q{unless} ORDER BY rowid DESC LIMIT :n", params


def _fetch(sql: str, params: dict[str, object], plan_each_time: bool = False) -> list[tuple]:
    """Rows of ``sql`` (``:name`` parameters), straight to the driver: no statement to compile,
    plain tuples. ``plan_each_time``: PostgreSQL plans it for these values, never a generic plan."""
    db.session.flush()  # what a session statement would do first
    connection = db.session.connection()
    if connection.dialect.name != "postgresql":
        return [tuple(row) for row in connection.exec_driver_sql(sql, params)]
    with connection.connection.driver_connection.cursor() as cursor:
        cursor.execute(_pyformat(sql), params, prepare=False if plan_each_time else None)
        return cursor.fetchall()


def matching_ids(
    lemmas: list[str] | tuple[str, ...], carrier: str | None, where: str = "text", mode: str = "and",
    n: int = CANDIDATES,
) -> list[int]:
    """Ids of the newest ``n`` articles whose title/tags (``where="title"``) or whole text
    (``"text"``) hold every (``mode="and"``) or any (``"or"``) of ``lemmas``, newest first.
    With ``carrier``: that carrier's articles and the common ones."""
    step = _step(lemmas, carrier, where, mode, n)
    return [row[0] for row in _fetch(*step, _several(lemmas))] if step else []


def _several(lemmas: list[str] | tuple[str, ...]) -> bool:
    """Several lemmas are planned for their own counts every time: psycopg would prepare a
    statement run 5 times, and PostgreSQL's generic plan for unknown lemmas merge-joins every
    posting of the common one (2 ms instead of 0.3 ms for «тариф казань»)."""
    return len(set(lemmas)) > 1


@lru_cache(maxsize=64)
def _pyformat(sql: str) -> str:
    """``:name`` parameters as psycopg's ``%(name)s`` (SQLite's driver reads ``:name`` itself)."""
    return re.sub(r":(\w+)", r"%(\1)s", sql)


_FIELDS: Final = "id, slug, title, carrier, topic, search_text"


def _rows_of(ids_sql: str) -> str:
    """The articles an index query finds, in the same round trip: ``id, slug, title, carrier,
    topic, search_text, plain``. SQLite stores ``plain`` before ``search_text`` in the row, so it
    costs no extra page; PostgreSQL decompresses each value it returns (TOAST), so ``plain`` is
    ``NULL`` there and waits for :func:`_plains`, which asks for the shown page only."""
    if db.engine.dialect.name == "postgresql":
        return f"SELECT {_FIELDS}, NULL FROM kb_articles WHERE id = ANY(ARRAY({ids_sql}))"
    return f"SELECT {_FIELDS}, plain FROM kb_articles WHERE id IN ({ids_sql})"


def _candidates(
    lemmas: list[str], carrier: str | None, limit: int, rows: bool = True
) -> tuple[list[tuple], bool]:
    """The candidates (at most 2 × max(CANDIDATES, limit)), each as its row (:func:`_rows_of`),
    or as ``(id,)`` with ``rows=False``; and whether they came from the OR fallback. Each step
    is one round trip. A lemma missing from :func:`vocabulary` (numbers are not in it) is in no
    article: the OR fallback then comes at once, over the other lemmas."""
    n = max(CANDIDATES, limit)
    index = vocabulary()
    known = [w for w in lemmas if w.isdigit() or w in index]
    if not known:
        return [], False
    # a lemma the index lacks: no article holds them all, so straight to the others, any of them
    if len(known) < len(lemmas):
        modes: tuple[str, ...] = ("or",)
    else:
        modes = ("and", "or") if _several(lemmas) else ("and",)

    def found(where: str, mode: str, exclude: list[int]) -> list[tuple]:
        step = _step(known, carrier, where, mode, n, exclude)
        if step is None:
            return []
        sql, params = step
        return _fetch(_rows_of(sql) if rows else sql, params, _several(known))

    for mode in modes:
        got = found("title", mode, [])
        if len(got) < limit:
            got += found("text", mode, [row[0] for row in got])
        if got:
            return got, mode == "or"
    return [], False


def _head_counts(head: str, wanted: frozenset[str]) -> tuple[dict[str, int], int]:
    # each lemma between spaces of its own, so str.count finds whole lemmas, neighbours too
    spaced = f" {head.replace(' ', '  ')} "
    return {word: spaced.count(f" {word} ") for word in wanted}, (head.count(" ") + 1 if head else 0)


def _head_key(counts: dict[str, int], head_size: int) -> tuple[int, float, float]:
    in_head = sum(1 for n in counts.values() if n)
    return (
        int(in_head == len(counts)),
        in_head / len(counts),
        round(sum(counts.values()) / math.sqrt(head_size), 6) if head_size else 0.0,
    )


def _body_key(
    counts: dict[str, int], head_size: int, body: str
) -> tuple[float, float]:
    spaced = f" {body.replace(' ', '  ')} "
    size = head_size + (body.count(" ") + 1 if body else 0)
    in_text = hits = 0
    for word, here in counts.items():
        there = spaced.count(f" {word} ") if body else 0
        in_text += here > 0 or there > 0
        hits += here + there
    return in_text / len(counts), round(hits / math.sqrt(size), 6) if size else 0.0


def rank_key(search_text: str, wanted: frozenset[str]) -> tuple[int, float, float, float, float]:
    """Sort key, higher is better: every lemma in the title/tags; their share there; their
    frequency there over √(its number of lemmas), so focused titles come first; their share in
    the whole text; their frequency in it over √(its number of lemmas)."""
    head, _, body = search_text.partition("\n")
    counts, head_size = _head_counts(head, wanted)
    return _head_key(counts, head_size) + _body_key(counts, head_size, body)


def best(
    texts: list[tuple[int, str]], wanted: frozenset[str], limit: int
) -> list[tuple[tuple[int, float, float, float, float], int]]:
    """The ``limit`` best of ``(id, search_text)`` by :func:`rank_key`, then newest, as
    ``(key, id)``. The title/tags part of the key leads, so the body part is computed only for
    the texts whose title/tags part reaches the ``limit``-th best one: the others cannot enter
    the page whatever their body holds."""
    heads = []
    for article_id, search_text in texts:
        head, _, body = search_text.partition("\n")
        counts, head_size = _head_counts(head, wanted)
        heads.append((_head_key(counts, head_size), article_id, counts, head_size, body))
    if len(heads) > limit:
        bar = sorted((h[0] for h in heads), reverse=True)[limit - 1] if limit > 0 else None
        heads = [h for h in heads if bar is not None and h[0] >= bar]
    keyed = [(key + _body_key(counts, size, body), i) for key, i, counts, size, body in heads]
    return sorted(keyed, reverse=True)[:limit]


def _score(key: tuple[int, float, float, float, float]) -> float:
    """One number for the key (for display; the order is the key's)."""
    return round(3 * key[0] + 2 * key[1] + key[2] + key[3] + key[4], 6)


def _plains(rows: dict[int, tuple], shown: list[int]) -> dict[int, str]:
    """The plain text of the ``shown`` articles, read now where :func:`_rows_of` did not
    (PostgreSQL: the ids as one array parameter, one prepared statement for any number)."""
    missing = [i for i in shown if rows[i][6] is None]
    loaded = {}
    if missing:
        loaded = dict(_fetch("SELECT id, plain FROM kb_articles WHERE id = ANY(:ids)", {"ids": missing}))
    return {i: rows[i][6] if rows[i][6] is not None else loaded[i] for i in shown}


def search(query: str, carrier: str | None = None, limit: int = 20) -> SearchResult:
    """Find articles holding every lemma of ``query`` (typos corrected), best first; when none
    does, those holding some of them (``any_word``).

    :param carrier: ``mts``/``megafon``/``beeline``: that carrier's articles and the common ones.
    """
    query = " ".join(query.split())[:200]
    typed = training.normalise_query(query)
    lemmas = training.normalise_query(query, vocabulary())
    corrected = None
    if lemmas != typed:  # the words as typed, the corrected ones replaced
        words = [t.word for t in training.tokenise(query) if t.lemma not in training.STOP_WORDS]
        corrected = " ".join(w if a == b else b for w, a, b in zip(words, typed, lemmas, strict=True))
    if not lemmas:
        return SearchResult(query, (), None, ())
    found, any_word = _candidates(lemmas, carrier, limit)
    if not found:
        return SearchResult(query, tuple(lemmas), corrected, ())
    rows = {row[0]: row for row in found}
    keyed = best([(i, row[5]) for i, row in rows.items()], frozenset(lemmas), limit)
    plains = _plains(rows, [i for _, i in keyed])
    hits = tuple(
        Hit(ArticleSummary(*rows[i][:5]), Markup(training.highlight(plains[i], lemmas)), _score(k))
        for k, i in keyed
    )
    return SearchResult(query, tuple(lemmas), corrected, hits, any_word)
