"""Russian word normalisation and cached morphological analysis (pymorphy3).

Everything here is memoised: the analyser is built once per process and every
distinct word form is analysed once, which is what keeps scoring fast (the
vocabulary of a contact centre is small and repeats from call to call).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import pymorphy3

_WORD_RE = re.compile(r"[0-9a-zа-яё]+", re.IGNORECASE)
# Grammemes that decide whether a form is "the same phrase": «знаю» vs «знаете».
_PERSONS = frozenset({"1per", "2per", "3per"})
_MOODS = frozenset({"impr", "indc"})
_CASES = frozenset({"nomn", "gent", "datv", "accs", "ablt", "loct", "voct", "gen2", "acc2", "loc2"})
PERSONAL_PRONOUNS = frozenset({"я", "ты", "вы", "мы", "он", "она", "оно", "они"})


@dataclass(frozen=True, slots=True)
class Parse:
    """One reading of a word: lemma, part of speech and the grammemes matching cares about."""

    lemma: str
    pos: str
    person: str
    mood: str
    case: str
    tense: str


@dataclass(frozen=True, slots=True)
class WordInfo:
    """All plausible readings of one normalised word form."""

    norm: str
    parses: tuple[Parse, ...]
    known: bool

    @property
    def lemmas(self) -> frozenset[str]:
        return frozenset(p.lemma for p in self.parses)

    def has_pos(self, *pos: str) -> bool:
        return any(p.pos in pos for p in self.parses)


@lru_cache(maxsize=1)
def analyser() -> pymorphy3.MorphAnalyzer:
    """Return the process-wide pymorphy3 analyser (loading it takes ~0.1 s)."""
    return pymorphy3.MorphAnalyzer()


def normalise(word: str) -> str:
    """Lower-case, fold «ё» into «е», keep letters and digits only.

    :param word: a word as written by a person or an ASR engine.
    """
    return "".join(_WORD_RE.findall(word.lower().replace("ё", "е")))


def tokenise(text: str) -> list[tuple[str, str, bool]]:
    """Split text into ``(surface, norm, punct_before)`` triples.

    ``punct_before`` is true when a comma, full stop, dash or similar separates the
    word from the previous one; hyphenated words are split («какой-то» → two words).

    :param text: free text.
    """
    out: list[tuple[str, str, bool]] = []
    pos = 0
    for m in _WORD_RE.finditer(text):
        gap = text[pos : m.start()]
        punct = any(ch in ",.;:!?—–()\"«»…" for ch in gap) or (gap.strip() == "-" and bool(out))
        out.append((m.group(0), normalise(m.group(0)), punct))
        pos = m.end()
    return out


def _grammeme(tag: object, names: frozenset[str]) -> str:
    grammemes = getattr(tag, "grammemes", frozenset())
    for name in names:
        if name in grammemes:
            return name
    return ""


@lru_cache(maxsize=200_000)
def analyse(norm: str) -> WordInfo:
    """Analyse one normalised word form; readings below 5 % probability are dropped.

    :param norm: output of :func:`normalise`.
    """
    if not norm or norm.isdigit():
        return WordInfo(norm, (Parse(norm, "NUMB", "", "", "", ""),), True)
    morph = analyser()
    raw = morph.parse(norm)
    best = raw[0].score if raw else 0.0
    parses: list[Parse] = []
    for p in raw:
        if parses and p.score < min(0.05, best / 4):
            continue
        parse = Parse(
            lemma=p.normal_form.replace("ё", "е"),
            pos=str(p.tag.POS or ""),
            person=_grammeme(p.tag, _PERSONS),
            mood=_grammeme(p.tag, _MOODS),
            case=_grammeme(p.tag, _CASES),
            tense=str(p.tag.tense or ""),
        )
        if parse not in parses:
            parses.append(parse)
    return WordInfo(norm, tuple(parses), bool(morph.word_is_known(norm)))


INFORMAL = frozenset({"Infr", "Slng", "Colq"})


@lru_cache(maxsize=10_000)
def is_informal(norm: str) -> bool:
    """A colloquial or slang form whose dictionary lemma is a neutral word («щас» → «сейчас»,
    «чё» → «что»): matching it by lemma would take the neutral word for the slang one."""
    raw = analyser().parse(norm) if norm else []
    return bool(raw) and bool(INFORMAL & set(raw[0].tag.grammemes))


@lru_cache(maxsize=50_000)
def lemma(norm: str) -> str:
    """Most probable lemma of a normalised word form."""
    return analyse(norm).parses[0].lemma
