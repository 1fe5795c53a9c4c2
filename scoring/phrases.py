"""Phrase lists compiled for lemma-aware, ASR-tolerant matching.

A phrase is plain text: «перезвоните позже». Each word becomes a *slot* that accepts

1. the same word form (after lower-casing and «ё» → «е»);
2. any form of the same lemma whose person, mood (verbs) and case (pronouns) agree with
   the phrase: «не знаем» matches «не знаю», «вы не знаете» does not; «перезвоните» matches
   «перезвони», never «я перезвоню» or «перезвонить»;
3. an ASR misspelling: fuzzy ratio ≥ 80 (≥ 90 when the heard word is itself a real
   word, so «принимаю» is not taken for «понимаю»), only for words of 4+ letters.

``a|b`` gives alternatives for one slot («позже|попозже»). Between two slots up to
``max_gap`` foreign words may stand («перезвоните, пожалуйста, позже»). A phrase whose
words ASR glued together («незнаю») still matches. Innocent uses of a few slang words
are recognised by *guards* keyed by the phrase's lemmas («какого типа тариф», «как бы вы
хотели», «не могу не отметить»).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz

from .errors import PhraseError
from .morphology import PERSONAL_PRONOUNS, WordInfo, analyse, is_informal, normalise
from .transcript import Token

MIN_FUZZY_LEN = 4
FUZZY_UNKNOWN = 80.0
FUZZY_KNOWN = 90.0
FUZZY_JOINED = 88.0


@dataclass(frozen=True, slots=True)
class Slot:
    """One word of a phrase: accepted surfaces, lemmas and grammatical constraints."""

    surfaces: tuple[str, ...]
    lemmas: frozenset[str]
    persons: frozenset[str]
    moods: frozenset[str]
    cases: frozenset[str]


@dataclass(frozen=True, slots=True)
class Phrase:
    """A compiled phrase: its text as written, slots and lemma key (for guards)."""

    text: str
    slots: tuple[Slot, ...]
    key: str
    joined: str


@dataclass(frozen=True, slots=True)
class Match:
    """Where a phrase matched: token indices (inclusive) and a 0..1 score."""

    phrase: Phrase
    start: int
    end: int
    score: float


def _slot(word: str) -> Slot:
    surfaces = tuple(dict.fromkeys(normalise(w) for w in word.split("|") if normalise(w)))
    lemmas: set[str] = set()
    persons: set[str] = set()
    moods: set[str] = set()
    cases: set[str] = set()
    for surface in surfaces:
        if is_informal(surface):
            continue  # «щас» is matched as written, never as any form of «сейчас»
        info = analyse(surface)
        main = info.parses[0]
        lemmas.add(main.lemma)
        for p in info.parses:
            if p.lemma != main.lemma or p.pos != main.pos and not (
                main.pos == "VERB" and p.pos == "VERB"
            ):
                continue
            if p.pos == "VERB":
                persons.add(p.person)
                moods.add(p.mood)
            elif p.pos == "NPRO" and p.lemma in PERSONAL_PRONOUNS:
                cases.add(p.case)
    return Slot(surfaces, frozenset(lemmas), frozenset(persons), frozenset(moods),
                frozenset(cases))


def compile_phrase(text: str) -> Phrase:
    """Compile one phrase (see the module docstring for the syntax).

    :param text: e.g. «перезвоните позже|попозже».
    :raises PhraseError: when it is not a string or holds no word.
    """
    if not isinstance(text, str):
        raise PhraseError(f"a phrase must be a string, got {type(text).__name__}: {text!r}",
                          code="phrase_not_text", value=text, type=type(text).__name__)
    return _compile(text)


@lru_cache(maxsize=8192)
def _compile(text: str) -> Phrase:
    """The compiled phrase (immutable, so one per text serves every call)."""
    words = [w for w in text.replace(",", " ").split() if normalise(w.replace("|", ""))]
    if not words:
        raise PhraseError(f"phrase {text!r} holds no word; accepted: Russian words, "
                          "alternatives as «позже|попозже»", code="phrase_without_words",
                          phrase=text)
    slots = tuple(_slot(w) for w in words)
    key = " ".join((sorted(s.lemmas) or list(s.surfaces))[0] for s in slots)
    joined = "".join(s.surfaces[0] for s in slots) if len(slots) > 1 else ""
    return Phrase(text.strip(), slots, key, joined if len(joined) >= 6 else "")


def _agrees(info: WordInfo, slot: Slot) -> bool | None:
    """True: same lemma in an agreeing form; False: same lemma, wrong form; None: other lemma."""
    seen = False
    for p in info.parses:
        if p.lemma not in slot.lemmas:
            continue
        seen = True
        if slot.persons and p.person not in slot.persons:
            continue
        if slot.moods and p.mood not in slot.moods:
            continue
        if slot.cases and p.case not in slot.cases:
            continue
        return True
    return False if seen else None


def score_word(norm: str, slot: Slot) -> float:
    """How well one heard word fills a slot: 1.0 exact or lemma, fuzzy ratio/100, or 0."""
    if norm in slot.surfaces:
        return 1.0
    info = analyse(norm)
    agrees = _agrees(info, slot)
    if agrees is not None:
        return 1.0 if agrees else 0.0
    if len(norm) < MIN_FUZZY_LEN or norm.isdigit():
        return 0.0
    threshold = FUZZY_KNOWN if info.known else FUZZY_UNKNOWN
    best = 0.0
    for surface in slot.surfaces:
        if len(surface) < MIN_FUZZY_LEN or abs(len(surface) - len(norm)) > 3:
            continue
        best = max(best, fuzz.ratio(norm, surface, score_cutoff=threshold))
    return best / 100.0


Guard = Callable[[Sequence[Token], int, int], bool]


def _prev(tokens: Sequence[Token], i: int) -> WordInfo | None:
    if i <= 0 or tokens[i].punct_before or tokens[i - 1].segment != tokens[i].segment:
        return None
    return analyse(tokens[i - 1].norm)


def _next(tokens: Sequence[Token], i: int) -> WordInfo | None:
    if i + 1 >= len(tokens) or tokens[i + 1].punct_before:
        return None
    if tokens[i + 1].segment != tokens[i].segment:
        return None
    return analyse(tokens[i + 1].norm)


def _innocent_tipa(tokens: Sequence[Token], start: int, end: int) -> bool:
    """«какого типа», «смена типа», «для этого типа» — the noun, not the filler."""
    prev = _prev(tokens, start)
    if prev is None:
        return False
    return prev.has_pos("ADJF", "ADJS", "NOUN", "PREP", "NUMR", "PRTF") and not prev.has_pos(
        "VERB", "INFN", "CONJ")


def _innocent_kak_by(tokens: Sequence[Token], start: int, end: int) -> bool:
    """«как бы вы хотели», «как бы мне уточнить» — a real conditional question."""
    nxt = _next(tokens, end)
    if nxt is None:
        return False
    return any(p.lemma in PERSONAL_PRONOUNS or p.pos == "INFN" for p in nxt.parses)


def _innocent_double_negation(tokens: Sequence[Token], start: int, end: int) -> bool:
    """«не могу не отметить» — praise, not a refusal."""
    return end + 1 < len(tokens) and tokens[end + 1].norm == "не"


def _innocent_should_have(tokens: Sequence[Token], start: int, end: int) -> bool:
    """«вы должны были получить смс» — information, not an order."""
    nxt = _next(tokens, end)
    return nxt is not None and any(p.lemma == "быть" and p.tense == "past" for p in nxt.parses)


GUARDS: dict[str, Guard] = {
    "тип": _innocent_tipa,
    "как бы": _innocent_kak_by,
    "не мочь": _innocent_double_negation,
    "не смочь": _innocent_double_negation,
    "вы должный": _innocent_should_have,
}


class PhraseSet:
    """Compiled phrases plus a cache of which slots each heard word fills.

    Build it once (:func:`compile_phrases`) and reuse it for every call: the cache is what
    makes matching cheap. Instances compare by identity.
    """

    __slots__ = ("phrases", "max_gap", "_hits", "_by_first")

    def __init__(self, phrases: Sequence[Phrase], max_gap: int = 1) -> None:
        self.phrases = tuple(phrases)
        self.max_gap = max_gap
        self._hits: dict[str, dict[tuple[int, int], float]] = {}

    def __len__(self) -> int:
        return len(self.phrases)

    def __repr__(self) -> str:
        return f"PhraseSet({[p.text for p in self.phrases]!r})"

    def hits(self, norm: str) -> dict[tuple[int, int], float]:
        """Slots (phrase index, slot index; slot -1 = glued phrase) the word fills."""
        found = self._hits.get(norm)
        if found is None:
            found = {}
            for pi, phrase in enumerate(self.phrases):
                for si, slot in enumerate(phrase.slots):
                    score = score_word(norm, slot)
                    if score:
                        found[(pi, si)] = score
                if phrase.joined and len(norm) >= 5:
                    r = fuzz.ratio(norm, phrase.joined, score_cutoff=FUZZY_JOINED)
                    if r:
                        found[(pi, -1)] = r / 100.0
            if len(self._hits) > 100_000:
                self._hits.clear()
            self._hits[norm] = found
        return found

    def find(self, tokens: Sequence[Token]) -> list[Match]:
        """All non-guarded matches in a token sequence, in order of their start."""
        table = [self.hits(t.norm) for t in tokens]
        out: list[Match] = []
        for i, hits in enumerate(table):
            for (pi, si), score in hits.items():
                phrase = self.phrases[pi]
                if si == -1 or (si == 0 and len(phrase.slots) == 1):
                    match = Match(phrase, i, i, score)
                elif si == 0:
                    match = self._extend(table, phrase, pi, i, score)
                    if match is None:
                        continue
                else:
                    continue
                guard = GUARDS.get(phrase.key)
                if guard is not None and guard(tokens, match.start, match.end):
                    continue
                out.append(match)
        return out

    def _extend(self, table: list[dict[tuple[int, int], float]], phrase: Phrase, pi: int,
                i: int, score: float) -> Match | None:
        pos, scores = i, [score]
        for si in range(1, len(phrase.slots)):
            for j in range(pos + 1, min(len(table), pos + 2 + self.max_gap)):
                s = table[j].get((pi, si))
                if s:
                    pos = j
                    scores.append(s)
                    break
            else:
                return None
        return Match(phrase, i, pos, min(scores))


def compile_phrases(phrases: Iterable[str], max_gap: int = 1) -> PhraseSet:
    """Compile a list of phrases once, for reuse on every call.

    :param phrases: plain strings, e.g. the editable forbidden-words list the app stores.
    :param max_gap: foreign words allowed between two words of a phrase.
    :raises PhraseError: on a non-string or empty phrase, or a list given as one string.
    """
    if isinstance(phrases, str):
        raise PhraseError("phrases must be a list of strings, not one string",
                          code="phrases_as_one_string")
    if isinstance(max_gap, bool) or not isinstance(max_gap, int) or max_gap < 0:
        raise PhraseError(f"max_gap must be an integer >= 0, got {max_gap!r}",
                          code="bad_max_gap", max_gap=max_gap)
    try:
        items = list(phrases)
    except TypeError:
        raise PhraseError(
            f"phrases must be a list of strings, got {type(phrases).__name__}",
            code="phrases_not_list", type=type(phrases).__name__) from None
    return PhraseSet([compile_phrase(p) for p in items], max_gap)
