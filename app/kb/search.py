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
3. only when AND finds nothing at all: the same with any lemma (OR).

Each step takes the newest ``CANDIDATES`` matches (``ORDER BY id DESC LIMIT``), which both
databases answer from the index without ranking every match, so the cost does not grow with
the number of matching articles. Ranking (here, from ``search_text`` alone): every query lemma
in the title/tags first, then their share there, their frequency there over √length (focused
titles first), their share in the whole text, their frequency in it over √length, newest
first. The candidates and the order depend only on the stored texts, so both databases return
the same list. Snippets are made for the returned
page only.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import Final

from markupsafe import Markup
from sqlalchemy import ARRAY, ColumnElement, Integer, any_, bindparam, select, text
from sqlalchemy.orm import defer

import training
from app.extensions import db
from app.models import KbArticle

CANDIDATES: Final = 100
"""Matches taken from the index per step: the newest ones, when more articles match."""
VOCABULARY_TTL: Final = 60.0
_vocabulary: dict[str, tuple[float, frozenset[str]]] = {}

_TABLES: Final = {"title": "kb_fts_title", "text": "kb_fts_text"}
_PG_FIELDS: Final = {"title": 1, "text": 2}
_PG_CARRIER: Final = " AND p0.carrier IN (:carrier, 'common')"


def _pg_and(words: int, carrier: bool) -> str:
    """PostgreSQL: the newest articles holding every lemma ``:w0``… in ``:field``. A backward
    index-only scan of the first lemma's postings, merge- or loop-joined with the others',
    stops after ``:n`` ids however many articles match."""
    others = "".join(
        f" AND EXISTS (SELECT 1 FROM kb_fts_postings p{k} WHERE p{k}.field = :field"
        f" AND p{k}.lemma = :w{k} AND p{k}.article_id = p0.article_id)"
        for k in range(1, words)
    )
    return (
        "SELECT p0.article_id FROM kb_fts_postings p0 WHERE p0.field = :field AND p0.lemma = :w0"
        + (_PG_CARRIER if carrier else "") + others + " ORDER BY p0.article_id DESC LIMIT :n"
    )


def _pg_or(words: int, carrier: bool) -> str:
    """PostgreSQL: the newest articles holding any lemma: the newest ``:n`` of each lemma, merged."""
    parts = " UNION ".join(
        f"(SELECT p0.article_id FROM kb_fts_postings p0 WHERE p0.field = :field AND p0.lemma = :w{k}"
        + (_PG_CARRIER if carrier else "") + " ORDER BY p0.article_id DESC LIMIT :n)"
        for k in range(words)
    )
    return f"SELECT article_id FROM ({parts}) AS any_lemma ORDER BY article_id DESC LIMIT :n"


def index_texts(title: str, tags: list[str] | tuple[str, ...], body_md: str) -> tuple[str, str]:
    """``(plain, search_text)`` of an article: the plain body for snippets, and the lemmas to
    index — title and tags on the first line, the body on the second."""
    plain = training.plain_text(body_md)
    head = training.normalise(" ".join([title, *tags]))
    return plain, " ".join(head) + "\n" + " ".join(training.normalise(plain))


def clear_vocabulary() -> None:
    """Forget the cached vocabulary (it is rebuilt on the next search)."""
    _vocabulary.clear()


def add_to_vocabulary(search_text: str) -> None:
    """Teach this process's cached vocabulary the lemmas of a saved article (no rebuild)."""
    key = str(db.engine.url)
    cached = _vocabulary.get(key)
    if cached:
        _vocabulary[key] = (cached[0], cached[1] | {w for w in search_text.split() if not w.isdigit()})


def vocabulary() -> frozenset[str]:
    """Every lemma in the index but numbers, cached for a minute (other processes' edits show up within it);
    this process's own saves are added at once (:func:`add_to_vocabulary`)."""
    key = str(db.engine.url)
    cached = _vocabulary.get(key)
    if cached and time.monotonic() - cached[0] < VOCABULARY_TTL:
        return cached[1]
    words: set[str] = set()
    for search_text in db.session.scalars(select(KbArticle.search_text)):
        words.update(search_text.split())
    # numbers are never corrected (nor corrected to), and they are most of a real vocabulary
    result = frozenset(w for w in words if not w.isdigit())
    _vocabulary[key] = (time.monotonic(), result)
    return result


@dataclass(frozen=True)
class Hit:
    article: KbArticle
    snippet: Markup
    score: float


@dataclass(frozen=True)
class SearchResult:
    query: str
    lemmas: tuple[str, ...]
    corrected: str | None  # the query as understood, when a typo was corrected
    hits: tuple[Hit, ...]
    any_word: bool = False  # no article holds every lemma: these hold some of them


def matching_ids(
    lemmas: list[str] | tuple[str, ...], carrier: str | None, where: str = "text", mode: str = "and",
    n: int = CANDIDATES,
) -> list[int]:
    """Ids of the newest ``n`` articles whose title/tags (``where="title"``) or whole text
    (``"text"``) hold every (``mode="and"``) or any (``"or"``) of ``lemmas``, newest first.
    With ``carrier``: that carrier's articles and the common ones."""
    words = sorted(set(lemmas))
    if not words or n <= 0:
        return []
    params: dict[str, object] = {"n": n, "field": _PG_FIELDS[where]}
    if db.engine.dialect.name == "postgresql":
        params.update({f"w{k}": w for k, w in enumerate(words)})
        if carrier:
            params["carrier"] = carrier
        sql = _pg_and(len(words), bool(carrier)) if mode == "and" else _pg_or(len(words), bool(carrier))
    else:
        table = _TABLES[where]
        terms = (" AND " if mode == "and" else " OR ").join(f'"{w}"' for w in words)
        params["q"] = f"lemmas : ({terms})"
        if carrier:
            quoted = carrier.replace('"', '""')
            params["q"] = f'carrier : ("{quoted}" OR "common") AND {params["q"]}'
        sql = f"SELECT rowid FROM {table} WHERE {table} MATCH :q ORDER BY rowid DESC LIMIT :n"
    return [row[0] for row in db.session.execute(text(sql), params)]


def _candidates(lemmas: list[str], carrier: str | None, limit: int) -> tuple[list[int], bool]:
    """Candidate ids (at most 2 × max(CANDIDATES, limit)) and whether they came from the OR fallback."""
    n = max(CANDIDATES, limit)
    modes = ("and", "or") if len(set(lemmas)) > 1 else ("and",)
    for mode in modes:
        ids = matching_ids(lemmas, carrier, "title", mode, n)
        if len(ids) < limit:
            found = set(ids)
            more = matching_ids(lemmas, carrier, "text", mode, n + len(ids))
            ids += [i for i in more if i not in found][:n]
        if ids:
            return ids, mode == "or"
    return [], False


def rank_key(search_text: str, wanted: frozenset[str]) -> tuple[int, float, float, float, float]:
    """Sort key, higher is better: every lemma in the title/tags; their share there; their
    frequency there over √(its number of lemmas), so focused titles come first; their share in
    the whole text; their frequency in it over √(its number of lemmas)."""
    head, _, body = search_text.partition("\n")
    # each lemma between spaces of its own, so str.count finds whole lemmas, neighbours too
    spaced_head, spaced_body = f" {head.replace(' ', '  ')} ", f" {body.replace(' ', '  ')} "
    head_size = head.count(" ") + 1 if head else 0
    size = head_size + (body.count(" ") + 1 if body else 0)
    in_head = in_text = head_hits = hits = 0
    for word in wanted:
        probe = f" {word} "
        here, there = spaced_head.count(probe), spaced_body.count(probe)
        in_head += here > 0
        in_text += here > 0 or there > 0
        head_hits += here
        hits += here + there
    return (
        int(in_head == len(wanted)),
        in_head / len(wanted),
        round(head_hits / math.sqrt(head_size), 6) if head_size else 0.0,
        in_text / len(wanted),
        round(hits / math.sqrt(size), 6) if size else 0.0,
    )


def _score(key: tuple[int, float, float, float, float]) -> float:
    """One number for the key (for display; the order is the key's)."""
    return round(3 * key[0] + 2 * key[1] + key[2] + key[3] + key[4], 6)


def _among(ids: list[int]) -> ColumnElement[bool]:
    """``KbArticle.id`` is one of ``ids``. On PostgreSQL as one array parameter: the statement
    then stays the same for any number of ids (compiled and prepared once, not once per length
    of the list). SQLite answers its plain ``IN`` list faster than any one-parameter form."""
    if db.engine.dialect.name == "postgresql":
        return KbArticle.id == any_(bindparam("ids", ids, type_=ARRAY(Integer)))
    return KbArticle.id.in_(ids)


def search(query: str, carrier: str | None = None, limit: int = 20) -> SearchResult:
    """Find articles holding every lemma of ``query`` (typos corrected), best first; when none
    does, those holding some of them (``any_word``).

    :param carrier: ``mts``/``megafon``/``beeline``: that carrier's articles and the common ones.
    """
    query = " ".join(query.split())[:200]
    typed = training.normalise_query(query)
    lemmas = training.normalise_query(query, vocabulary())
    corrected = " ".join(lemmas) if lemmas != typed else None
    if not lemmas:
        return SearchResult(query, (), None, ())
    ids, any_word = _candidates(lemmas, carrier, limit)
    if not ids:
        return SearchResult(query, tuple(lemmas), corrected, ())
    wanted = frozenset(lemmas)
    rows = db.session.execute(select(KbArticle.id, KbArticle.search_text).where(_among(ids)))
    keyed = sorted(((rank_key(s, wanted), i) for i, s in rows), reverse=True)[:limit]
    # the page needs neither the Markdown nor the lemmas again (loaded when touched)
    shown = select(KbArticle).where(_among([i for _, i in keyed])).options(
        defer(KbArticle.body_md), defer(KbArticle.search_text)
    )
    page = {a.id: a for a in db.session.scalars(shown)}
    hits = tuple(
        Hit(page[i], Markup(training.highlight(page[i].plain, lemmas)), _score(k))
        for k, i in keyed
    )
    return SearchResult(query, tuple(lemmas), corrected, hits, any_word)
