"""Search-result helpers: highlighted snippets and a pure re-ranking.

The database finds the candidates (SQLite FTS5 ``MATCH``, PostgreSQL's lemma posting table);
these functions only arrange what it returned, so they work the same on both.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Final

from .lemmas import WORD_RE, Token, lemmatise, normalise

_SPACE_RE: Final = re.compile(r"\s+")
ELLIPSIS: Final = "…"


def _spans(text: str, word: str) -> Iterator[int]:
    """Starts of ``word`` in ``text`` as a whole word (as :data:`WORD_RE` would cut it)."""
    start = text.find(word)
    while start >= 0:
        end = start + len(word)
        before = start == 0 or not WORD_RE.match(text, start - 1)
        if before and (end == len(text) or not WORD_RE.match(text, end)):
            yield start
        start = text.find(word, end)


def _query_set(query_lemmas: Iterable[str]) -> frozenset[str]:
    return frozenset(q.lower().replace("ё", "е") for q in query_lemmas)


def _best_window(matches: list[Token], width: int) -> tuple[int, int]:
    """Indexes (first, last) of the run of matches that fits ``width`` with the most distinct
    lemmas, then the most matches, then the earliest."""
    best = (0, 0)
    best_key = (0, 0)
    for first in range(len(matches)):
        last = first
        while last + 1 < len(matches) and matches[last + 1].end - matches[first].start <= width:
            last += 1
        run = matches[first:last + 1]
        key = (len({t.lemma for t in run}), len(run))
        if key > best_key:
            best, best_key = (first, last), key
    return best


def _bounds(text: str, matches: list[Token], width: int) -> tuple[int, int]:
    if not matches:
        start, low, high = 0, 0, 0
    else:
        first, last = _best_window(matches, width)
        low, high = matches[first].start, matches[last].end
        start = max(0, low - max(0, width - (high - low)) // 2)
    start = max(0, min(start, len(text) - width))
    if start > 0:
        space = text.find(" ", start, low) if low > start else -1
        start = space + 1 if space >= 0 else start
    end = min(len(text), start + width)
    if end < len(text):
        space = text.rfind(" ", max(high, start + 1), end)
        end = space if space > 0 else end
    return start, end


class _Lexicon:
    """What the whitespace-separated tokens of the texts highlighted so far hold: their words,
    each with its match keys (lowercased form and lemma), and the tokens and the words holding
    each key.

    A snippet then finds its query words with set operations on its distinct tokens instead of
    cutting and lemmatising every word of the text again (the analysis of a token never
    changes; :func:`lemmatise` is cached the same way). A text seen before is not even cut:
    every word of it is known, so the words holding a query key are looked for in it directly
    (:func:`_spans`). Shared by threads: a token's words are filed before the token counts as
    known, and a text's tokens before the text does, so a reader never trusts half-learnt ones.
    """

    def __init__(self) -> None:
        self.words: dict[str, tuple[tuple[str, frozenset[str]], ...]] = {}
        self.tokens_by_key: dict[str, set[str]] = {}
        self.words_by_key: dict[str, set[str]] = {}
        self.texts: set[tuple[int, int]] = set()  # (hash, length) of the texts fully learnt

    def learn(self, tokens: set[str]) -> None:
        for token in tokens.difference(self.words):
            words = tuple(
                (word, frozenset((word.lower(), lemmatise(word))))
                for word in WORD_RE.findall(token)
            )
            for word, keys in words:
                for key in keys:
                    self.tokens_by_key.setdefault(key, set()).add(token)
                    self.words_by_key.setdefault(key, set()).add(word)
            self.words[token] = words

    def matching_words(self, tokens: set[str], wanted: frozenset[str]) -> set[str]:
        """Words of ``tokens`` (all learnt) whose lowercased form or lemma is in ``wanted``."""
        found: set[str] = set()
        for key in wanted:
            for token in tokens & self.tokens_by_key.get(key, _NOTHING):
                found.update(word for word, keys in self.words[token] if not keys.isdisjoint(wanted))
        return found

    def known_words(self, wanted: frozenset[str]) -> set[str]:
        """Every learnt word whose lowercased form or lemma is in ``wanted``."""
        found: set[str] = set()
        for key in wanted:
            found.update(self.words_by_key.get(key, _NOTHING))
        return found


_NOTHING: Final[frozenset[str]] = frozenset()
LEXICON_LIMIT: Final = 300_000
"""Tokens (or texts) the shared lexicon holds before it starts afresh (memory stays bounded)."""
_lexicon = _Lexicon()


def _matching_words(text: str, wanted: frozenset[str]) -> set[str]:
    """The words of ``text`` matching ``wanted``; for a text learnt before, possibly more words
    (those of other texts), which :func:`_spans` then does not find in it."""
    global _lexicon
    lexicon = _lexicon  # one lexicon for the whole text, even if another thread renews it
    if len(lexicon.words) > LEXICON_LIMIT or len(lexicon.texts) > LEXICON_LIMIT:
        lexicon = _lexicon = _Lexicon()
    seen = (hash(text), len(text))
    if seen in lexicon.texts:
        return lexicon.known_words(wanted)
    tokens = set(text.split())
    lexicon.learn(tokens)
    lexicon.texts.add(seen)
    return lexicon.matching_words(tokens, wanted)


def highlight(text: str, query_lemmas: Iterable[str], width: int = 160) -> str:
    """An HTML snippet of ``text`` around the best cluster of query words.

    Words whose lemma is in ``query_lemmas`` are wrapped in ``<mark>…</mark>``; everything else
    is HTML-escaped. The window of about ``width`` characters holding the most distinct query
    lemmas is chosen (then the most matches, then the earliest), cut at word boundaries,
    whitespace collapsed, with ``…`` where text was cut. Without matches: the start of the text.

    :param text: plain text (see :func:`training.plain_text` for Markdown articles).
    :param query_lemmas: from :func:`training.normalise_query`.
    :param width: snippet length in characters, before markup.
    """
    wanted = _query_set(query_lemmas)
    # only the words that match are looked for in the text
    hits = _matching_words(text, wanted) if wanted else set()
    matches = sorted(
        (Token(at, at + len(word), word, lemmatise(word)) for word in hits for at in _spans(text, word)),
        key=lambda token: token.start,
    )
    start, end = _bounds(text, matches, width)
    parts = [ELLIPSIS] if start > 0 else []
    cursor = start
    for token in matches:
        if token.start < start or token.end > end:
            continue
        parts.append(html.escape(text[cursor:token.start]))
        parts.append(f"<mark>{html.escape(token.word)}</mark>")
        cursor = token.end
    parts.append(html.escape(text[cursor:end]))
    if end < len(text):
        parts.append(ELLIPSIS)
    return _SPACE_RE.sub(" ", "".join(parts)).strip()


@dataclass(frozen=True)
class Candidate:
    """A search hit as the database returned it.

    :param score: the database's relevance, higher is better (negate SQLite's ``bm25()``).
    """

    id: object
    title: str
    text: str
    score: float = 0.0


@dataclass(frozen=True)
class Ranked:
    """A candidate with its final score."""

    candidate: Candidate
    score: float


def rank(
    candidates: Sequence[Candidate], query_lemmas: Iterable[str], title_boost: float = 2.0
) -> list[Ranked]:
    """Re-rank search hits: the database score plus query coverage, titles counting more.

    ``score = db score + title_boost * (share of query lemmas in the title)
    + (share in the text) + 1 if the title holds every query lemma``. Ties keep the
    database's order.

    :param candidates: hits in the database's order.
    :param query_lemmas: from :func:`training.normalise_query`.
    :param title_boost: weight of title coverage against text coverage.
    """
    wanted = _query_set(query_lemmas)
    ranked = []
    for candidate in candidates:
        score = candidate.score
        if wanted:
            in_title = wanted & set(normalise(candidate.title))
            in_text = wanted & set(normalise(candidate.text))
            score += title_boost * len(in_title) / len(wanted) + len(in_text) / len(wanted)
            score += 1.0 if in_title == wanted else 0.0
        ranked.append(Ranked(candidate, score))
    return sorted(ranked, key=lambda r: -r.score)
