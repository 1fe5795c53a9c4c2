"""Russian normalisation for knowledge-base search.

:func:`normalise` turns text into lemmas (``«тарифами»`` -> ``тариф``), lowercased, with ``ё``
read as ``е`` and stop words dropped. The app stores ``" ".join(normalise(text))`` and indexes
it word by word (SQLite FTS5 tables, a PostgreSQL lemma posting table), and searches it with
:func:`normalise_query`, which also maps typos to the nearest lemma of the index's vocabulary
(``«тарив»`` -> ``тариф``).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Final

import pymorphy3
from rapidfuzz import process
from rapidfuzz.distance import OSA

WORD_RE: Final = re.compile(r"[0-9A-Za-zА-Яа-яЁё]+")
_CYRILLIC_RE: Final = re.compile(r"[а-яё]")

STOP_WORDS: Final[frozenset[str]] = frozenset(
    """
    а без более бы был быть в вам вас весь во вот все всего всех вы где да даже для до его ее
    ей ему если есть еще же за здесь и из или им их к как какой когда кто ли либо между меня
    мне много мой мы на над надо наш не него нее нет ни нибудь них но ну о об один он она они
    оно опять от перед по под после потом потому при про раз с сам свой себя со так также там
    тем то тогда того тоже той только том тот тут ты у уж уже хоть чем через что чтобы чей эта
    эти это этот я
    """.split()
)
"""Lemmas that carry no meaning for search (pronouns, prepositions, conjunctions, particles)."""


DOMAIN_LEMMAS: Final[dict[str, str]] = {
    "сим": "sim",
    "симка": "sim",
    "симки": "sim",
    "симку": "sim",
    "симкой": "sim",
    "симке": "sim",
    "симок": "sim",
    "симкам": "sim",
    "симками": "sim",
    "симках": "sim",
    "есим": "esim",
}
"""Contact-centre words the general dictionary gets wrong or spells otherwise: «сим» is not a
form of «сей», and «симка», «сим-карта» and «SIM-карта» are one thing (so is «есим»/«eSIM»)."""


@lru_cache(maxsize=1)
def _analyzer() -> pymorphy3.MorphAnalyzer:
    return pymorphy3.MorphAnalyzer()


@lru_cache(maxsize=200_000)
def lemmatise(word: str) -> str:
    """The dictionary form of one word, lowercased, ``ё`` -> ``е``; non-Russian words are only
    lowercased."""
    word = word.lower().replace("ё", "е")
    if not _CYRILLIC_RE.search(word):
        return word
    if word in DOMAIN_LEMMAS:
        return DOMAIN_LEMMAS[word]
    return _analyzer().parse(word)[0].normal_form.replace("ё", "е")


@dataclass(frozen=True)
class Token:
    """One word of a text: where it is and its lemma."""

    start: int
    end: int
    word: str
    lemma: str


def tokenise(text: str) -> Iterator[Token]:
    """Every word of ``text`` with its offsets and lemma (stop words included)."""
    for match in WORD_RE.finditer(text):
        yield Token(match.start(), match.end(), match.group(), lemmatise(match.group()))


def normalise(text: str) -> list[str]:
    """Lemmas of ``text`` in order, stop words dropped: «Тарифы и тарифом» -> [тариф, тариф]."""
    return [t.lemma for t in tokenise(text) if t.lemma not in STOP_WORDS]


def is_known_word(word: str) -> bool:
    """Whether ``word`` is a Russian dictionary word (in any form) or a domain word: a real word,
    not a misspelling, even when no article uses it."""
    word = word.lower().replace("ё", "е")
    return word in DOMAIN_LEMMAS or (bool(_CYRILLIC_RE.search(word)) and _known(word))


@lru_cache(maxsize=50_000)
def _known(word: str) -> bool:
    return _analyzer().word_is_known(word)


def vocabulary_of(texts: Iterable[str]) -> frozenset[str]:
    """Every lemma of ``texts`` (for :func:`normalise_query`'s typo tolerance)."""
    return frozenset(lemma for text in texts for lemma in normalise(text))


def _max_typos(word: str) -> int:
    if len(word) < 4 or word.isdigit():
        return 0
    return 1 if len(word) <= 5 else 2


def _nearest(word: str, lemma: str, vocabulary: Collection[str]) -> str | None:
    best: tuple[int, int, str] | None = None
    for probe in dict.fromkeys((word, lemma)):
        limit = _max_typos(probe)
        if not limit:
            continue
        for candidate, distance, _ in process.extract(
            probe, vocabulary, scorer=OSA.distance, score_cutoff=limit, limit=None
        ):
            key = (int(distance), abs(len(candidate) - len(probe)), candidate)
            if best is None or key < best:
                best = key
    return best[2] if best else None


def normalise_query(text: str, vocabulary: Collection[str] = ()) -> list[str]:
    """Lemmas of a search query; misspelt words unknown to ``vocabulary`` become its nearest lemma.

    A word the Russian dictionary knows is never corrected: it is only missing from the index
    («потерял» stays «потерять», not «проверять»). Another word is corrected when a vocabulary
    lemma lies within 1 edit (words of 4–5 letters) or 2 edits (longer words; a swap of
    neighbours counts as one); ties go to the closer length, then alphabetically. Shorter words
    and numbers are kept as typed.

    :param text: what the user typed.
    :param vocabulary: lemmas of the index (see :func:`vocabulary_of`); empty: no correction.
    """
    lemmas = []
    for token in tokenise(text):
        if token.lemma in STOP_WORDS:
            continue
        if vocabulary and token.lemma not in vocabulary and not is_known_word(token.word):
            word = token.word.lower().replace("ё", "е")
            lemmas.append(_nearest(word, token.lemma, vocabulary) or token.lemma)
        else:
            lemmas.append(token.lemma)
    return lemmas
