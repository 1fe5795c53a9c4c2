"""Cues shared by detectors and applicability gates: phrase hits per turn, actions,
complaints, names, numbers — each computed once per call (cached on the transcript)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from rapidfuzz import fuzz

from .lexicon import phrase_set
from .morphology import analyse, analyser, normalise
from .phrases import Match, PhraseSet
from .transcript import Token, Transcript, Turn
from .verdicts import Evidence

NAME_RATIO = 80.0


# --- evidence -------------------------------------------------------------------------------

def span_evidence(tokens: Sequence[Token], start: int, end: int, note: str) -> Evidence:
    """Evidence for tokens[start..end] (inclusive)."""
    words = tokens[start : end + 1]
    return Evidence(" ".join(t.surface for t in words), words[0].speaker, words[0].start,
                    words[-1].end, note)


def match_evidence(tokens: Sequence[Token], match: Match, note: str) -> Evidence:
    return span_evidence(tokens, match.start, match.end, note)


def turn_evidence(turn: Turn, note: str) -> Evidence:
    return Evidence(turn.text, turn.speaker, turn.start, turn.end, note)


def call_evidence(tr: Transcript, note: str, speaker: str = "") -> Evidence:
    """Evidence spanning the whole call (or all speech of one speaker)."""
    segs = [s for s in tr.segments if s.tokens and (not speaker or s.speaker == speaker)]
    if not segs:
        return Evidence("", speaker, 0.0, round(tr.duration, 2), note)
    return Evidence("", speaker, segs[0].start, max(s.end for s in segs), note)


def asr_confidence(tokens: Iterable[Token]) -> float:
    """Mean word probability of the span ASR gave us (1.0 for typed text)."""
    ps = [t.p for t in tokens]
    return sum(ps) / len(ps) if ps else 0.5


# --- phrase hits ----------------------------------------------------------------------------

def matches(tr: Transcript, turn: Turn, pset: PhraseSet) -> list[Match]:
    """Matches of a phrase set in one turn, cached per call."""
    key = ("m", id(pset), turn.speaker, turn.start)
    found = tr.cache.get(key)
    if found is None:
        found = pset.find(turn.tokens)
        tr.cache[key] = found
    return found


def first_match(tr: Transcript, turns: Iterable[Turn], pset: PhraseSet
                ) -> tuple[Turn, Match] | None:
    for turn in turns:
        found = matches(tr, turn, pset)
        if found:
            return turn, max(found, key=lambda m: m.score)
    return None


def named(name: str, params: Mapping[str, Any] | None = None, max_gap: int = 1) -> PhraseSet:
    return phrase_set(name, params, max_gap)


# --- names ----------------------------------------------------------------------------------

@lru_cache(maxsize=50_000)
def is_first_name(norm: str) -> bool:
    """A personal first name by the dictionary («Анна», «Сергей»)."""
    if len(norm) < 3:
        return False
    return any("Name" in p.tag for p in analyser().parse(norm)[:3] if p.score >= 0.2)


def find_name(tokens: Sequence[Token], names: Iterable[str], ratio: float = NAME_RATIO
              ) -> tuple[int, int, float] | None:
    """Find a (possibly multi-word, possibly mis-heard) name; ASR splits and glues words,
    so 1–3 adjacent words are compared with the name written without spaces."""
    wanted = [normalise(n) for n in names if n and normalise(n)]
    best: tuple[int, int, float] | None = None
    for i in range(len(tokens)):
        joined = ""
        for j in range(i, min(i + 3, len(tokens))):
            joined += tokens[j].norm
            for name in wanted:
                if abs(len(joined) - len(name)) > 3:
                    continue
                cutoff = 100.0 if len(name) < 4 else ratio
                r = fuzz.ratio(joined, name, score_cutoff=cutoff)
                if r and (best is None or r / 100 > best[2]):
                    best = (i, j, r / 100)
    return best


# Companies a subscriber knows that are not ours: naming one of them is naming the wrong
# company, however close it sounds («компания МТС» at a reseller of MTS).
OTHER_COMPANIES = ("мтс", "мегафон", "билайн", "теле2", "tele2", "йота", "yota", "ростелеком")
AFTER_COMPANY_RATIO = 55.0  # «компания <name>»: the word announces the brand, ASR may mangle it
LOOSE_NAME_RATIO = 75.0  # a bare near-miss of the brand; below this it is only a hint


def company_word(tokens: Sequence[Token], names: Iterable[str],
                 ratio: float = AFTER_COMPANY_RATIO) -> tuple[int, int, float] | None:
    """«компания <название>»: the brand was said even if ASR mangled it, provided the words
    after «компания» resemble it (``ratio``), are no longer than it and are not another
    company's name. The word alone («по всем компаниям») names nothing."""
    wanted = [normalise(n).replace(" ", "") for n in names if n and normalise(n)]
    for i, tok in enumerate(tokens):
        if not tok.norm.startswith("компан"):
            continue
        joined, best = "", None
        for j in range(i + 1, min(i + 3, len(tokens))):
            joined += tokens[j].norm
            # a recogniser mangling a word it does not know drops or swaps sounds; a longer
            # word that resembles the brand is another name («Мегасеть» for «мтСЕТЬ»)
            score = max((fuzz.ratio(joined, name) for name in wanted if len(joined) <= len(name)),
                        default=0.0)
            if best is None or score > best[1]:
                best = (j, score, joined)
        if best is None or best[1] < ratio or _another_company(best[2]):
            continue
        return (i, best[0], 0.5)
    return None


def _another_company(word: str) -> bool:
    return any(fuzz.ratio(word, other) >= NAME_RATIO for other in OTHER_COMPANIES)


def name_hint(tokens: Sequence[Token], names: Iterable[str]) -> tuple[int, int, float] | None:
    """Something that only resembles the brand (below :data:`LOOSE_NAME_RATIO`): not enough to
    count as named, worth a listener's ear."""
    found = find_name(tokens, names, ratio=60.0)
    return found if found and not _another_company(
        "".join(t.norm for t in tokens[found[0]:found[1] + 1])) else None


# --- actions --------------------------------------------------------------------------------

def _negated(tokens: Sequence[Token], i: int) -> bool:
    return any(tokens[k].norm == "не" for k in range(max(0, i - 2), i))


def _by_subscriber(tokens: Sequence[Token], i: int) -> bool:
    return any(tokens[k].norm in {"вы", "сами"} for k in range(max(0, i - 2), i))


def actions(tr: Transcript, turn: Turn, lemmas: frozenset[str]) -> list[int]:
    """Indices of operator tokens that report doing something: a verb from ``lemmas`` in
    the first person, the past tense or a short passive participle, not negated and not
    about the subscriber («вы подключили»)."""
    key = ("a", id(lemmas), turn.speaker, turn.start)
    found = tr.cache.get(key)
    if found is not None:
        return found
    tokens = turn.tokens
    found = []
    for i, tok in enumerate(tokens):
        info = analyse(tok.norm)
        for p in info.parses:
            if p.lemma not in lemmas:
                continue
            first = p.pos == "VERB" and (p.person == "1per" or p.tense == "past")
            if (first or p.pos == "PRTS") and p.mood != "impr":
                if not _negated(tokens, i) and not _by_subscriber(tokens, i):
                    found.append(i)
                break
    tr.cache[key] = found
    return found


def instructions(tr: Transcript, turn: Turn, lemmas: frozenset[str]) -> list[int]:
    """Indices of imperatives of how-to verbs («откройте», «наберите»)."""
    out = []
    for i, tok in enumerate(turn.tokens):
        if any(p.lemma in lemmas and p.mood == "impr" for p in analyse(tok.norm).parses):
            if not _negated(turn.tokens, i):
                out.append(i)
    return out


def numerals(tokens: Sequence[Token]) -> int:
    """How many number words or digit groups a stretch holds (a dictated number)."""
    count = 0
    for tok in tokens:
        if tok.norm.isdigit() or analyse(tok.norm).has_pos("NUMR") or tok.norm == "ноль":
            count += 1
    return count


# --- complaints -----------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Complaint:
    """A subscriber turn that voices a complaint, anger or distress."""

    turn: Turn
    score: float
    evidence: tuple[Evidence, ...]


def _energy_mean(tr: Transcript) -> float | None:
    speakers = tr.metrics.get("speakers") if isinstance(tr.metrics, Mapping) else None
    sub = speakers.get("subscriber") if isinstance(speakers, Mapping) else None
    value = sub.get("energy_mean_db") if isinstance(sub, Mapping) else None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    levels = [s.energy_db for s in tr.segments if s.speaker == "subscriber" and s.energy_db
              is not None]
    return sum(levels) / len(levels) if len(levels) >= 2 else None


def complaints(tr: Transcript, params: Mapping[str, Any] | None = None) -> list[Complaint]:
    """Subscriber turns scored for distress: strong words 1.0 each, weak cues 0.5, a loud
    segment (``energy_rise_db`` above the subscriber's mean) 0.5, «!» 0.25; a turn with
    ``threshold`` (default 1.0) or more is a complaint."""
    params = params or {}
    key = ("c", id(params) if params else 0)
    cached = tr.cache.get(key)
    if cached is not None:
        return cached
    strong = named("complaint_strong", params)
    weak = named("complaint_weak", params)
    rise = float(params.get("energy_rise_db", 6.0))
    threshold = float(params.get("threshold", 1.0))
    mean = _energy_mean(tr)
    out: list[Complaint] = []
    for turn in tr.turns_of("subscriber"):
        tokens = turn.tokens
        ev: list[Evidence] = []
        score = 0.0
        for m in matches(tr, turn, strong)[:2]:
            score += m.score
            ev.append(match_evidence(tokens, m, "абонент выражает недовольство"))
        for m in matches(tr, turn, weak)[:3]:
            score += 0.5 * m.score
            ev.append(match_evidence(tokens, m, "признак раздражения"))
        if mean is not None:
            loud = [s for s in turn.segments if s.energy_db is not None
                    and s.energy_db >= mean + rise]
            if loud:
                score += 0.5
                ev.append(Evidence(loud[0].text, "subscriber", loud[0].start, loud[0].end,
                                   "абонент говорит заметно громче обычного"))
        if "!" in turn.text:
            score += 0.25
        if score >= threshold and ev:
            out.append(Complaint(turn, score, tuple(ev)))
    tr.cache[key] = out
    return out
