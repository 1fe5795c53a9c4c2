"""Masking Russian personal data in transcripts for display.

============  ==============  ================================================================
kind          tag             recognised as
============  ==============  ================================================================
``phone``     «[телефон]»     +7 / 8 / 7 followed by 10 digits in any grouping; a 10-digit
                              number starting with 9; spoken digit groups («девятьсот
                              пятнадцать триста сорок пятьдесят»): three or more number words
                              holding seven or more digits in a row
``card``      «[карта]»       13–19 digits passing the Luhn check
``snils``     «[СНИЛС]»       11 digits (``123-456-789 01``) with a valid SNILS checksum
``inn``       «[ИНН]»         10 or 12 digits with a valid INN checksum
``passport``  «[паспорт]»     series and number: 4 + 6 digits (``45 06 123456``), or any
                              10 digits right after the word «паспорт»
============  ==============  ================================================================

Ordinary numbers survive: «два месяца», «300 рублей», «с 9 до 18». The app keeps the original
transcript; this is only for what people see.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any

__all__ = ["RedactedSpan", "RedactionResult", "redact", "redact_segment"]

TAGS = {"phone": "[телефон]", "card": "[карта]", "snils": "[СНИЛС]", "inn": "[ИНН]",
        "passport": "[паспорт]"}


@dataclass(frozen=True)
class RedactedSpan:
    """Characters ``start:end`` of the original text were personal data of ``kind``."""

    start: int
    end: int
    kind: str

    @property
    def tag(self) -> str:
        return TAGS[self.kind]


@dataclass(frozen=True)
class RedactionResult:
    """Redacted text and where, in the original, data was removed."""

    text: str
    spans: tuple[RedactedSpan, ...]


def _luhn(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def _snils(digits: str) -> bool:
    if len(digits) != 11:
        return False
    body, check = digits[:9], int(digits[9:])
    if int(body) <= 1001998:  # checksum rule applies above 001-001-998
        return False
    s = sum(int(d) * (9 - i) for i, d in enumerate(body))
    expected = s if s < 100 else (0 if s in (100, 101) else s % 101 % 100)
    return expected == check


def _inn_digit(digits: str, weights: tuple[int, ...]) -> int:
    return sum(int(d) * w for d, w in zip(digits, weights, strict=False)) % 11 % 10


def _inn(digits: str) -> bool:
    if len(digits) == 10:
        return _inn_digit(digits, (2, 4, 10, 3, 5, 9, 4, 6, 8)) == int(digits[9])
    if len(digits) == 12:
        return (_inn_digit(digits, (7, 2, 4, 10, 3, 5, 9, 4, 6, 8)) == int(digits[10])
                and _inn_digit(digits, (3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8)) == int(digits[11]))
    return False


# Digits with single separators between groups: spaces, hyphens, brackets, dots.
_DIGIT_RUN = re.compile(r"(?<![\w+])\+?\d(?:[ \-().]{0,2}\d)*(?!\w)")
_CONTEXT = re.compile(r"(паспорт|снилс|инн|карт[аыуе]|номер телефона|телефон)\W{0,3}"
                      r"(?:\w+\W+){0,2}$", re.IGNORECASE)


def _classify(raw: str, before: str) -> str | None:
    digits = re.sub(r"\D", "", raw)
    n = len(digits)
    context = _CONTEXT.search(before[-40:])
    hint = context.group(1).lower() if context else ""
    if hint.startswith("паспорт") and n == 10:
        return "passport"
    if hint == "снилс" and n == 11:
        return "snils"
    if hint == "инн" and n in (10, 12):
        return "inn"
    if 13 <= n <= 19 and (_luhn(digits) or hint.startswith("карт")):
        return "card"
    if n == 11 and re.fullmatch(r"\d{3}-\d{3}-\d{3}[ -]\d{2}", raw.strip()) and _snils(digits):
        return "snils"
    if (n == 11 and digits[0] in "78") or (n == 10 and digits[0] == "9"):
        return "phone"
    if n == 11 and _snils(digits):
        return "snils"
    if n in (10, 12) and _inn(digits):
        return "inn"
    if n == 10 and re.fullmatch(r"\d{2} ?\d{2} ?№? ?\d{6}", raw.strip()):
        return "passport"
    if hint.startswith("телефон") or hint == "номер телефона":
        return "phone" if n >= 7 else None
    return None


_UNITS = {"ноль": 0, "нуль": 0, "один": 1, "одна": 1, "два": 2, "две": 2, "три": 3,
          "четыре": 4, "пять": 5, "шесть": 6, "семь": 7, "восемь": 8, "девять": 9}
_TEENS = {"десять": 10, "одиннадцать": 11, "двенадцать": 12, "тринадцать": 13,
          "четырнадцать": 14, "пятнадцать": 15, "шестнадцать": 16, "семнадцать": 17,
          "восемнадцать": 18, "девятнадцать": 19}
_TENS = {"двадцать": 20, "тридцать": 30, "сорок": 40, "пятьдесят": 50, "шестьдесят": 60,
         "семьдесят": 70, "восемьдесят": 80, "девяносто": 90}
_HUNDREDS = {"сто": 100, "двести": 200, "триста": 300, "четыреста": 400, "пятьсот": 500,
             "шестьсот": 600, "семьсот": 700, "восемьсот": 800, "девятьсот": 900}
_VALUES = {**_UNITS, **_TEENS, **_TENS, **_HUNDREDS}
# What may follow inside one spoken group: «девятьсот» + «сорок» + «пять» = 945.
_NEXT = {**{w: () for w in _UNITS}, **{w: () for w in _TEENS},
         **{w: tuple(_UNITS) for w in _TENS},
         **{w: (*_UNITS, *_TEENS, *_TENS) for w in _HUNDREDS}}
_TOKEN = re.compile(r"\+?\w+|[^\w\s]", re.UNICODE)
_JOINERS = {",", "-", "–", "—", ".", "+", "плюс"}


def _spoken_digits(words: list[str]) -> int:
    """How many digits a run of number words / digit strings stands for."""
    count, value, allowed = 0, None, ()
    for w in words:
        if w.lstrip("+").isdigit():
            count += len(w.lstrip("+")) + (len(str(value)) if value is not None else 0)
            value, allowed = None, ()
        elif value is not None and w in allowed:
            value, allowed = value + _VALUES[w], _NEXT[w]
        else:
            count += len(str(value)) if value is not None else 0
            value, allowed = _VALUES[w], _NEXT[w]
    return count + (len(str(value)) if value is not None else 0)


def _spoken_phones(text: str) -> list[RedactedSpan]:
    spans: list[RedactedSpan] = []
    run: list[re.Match[str]] = []

    def flush() -> None:
        words = [m.group().lower() for m in run if m.group().lower() not in _JOINERS]
        spoken = any(not w.lstrip("+").isdigit() for w in words)
        if spoken and len(words) >= 3 and _spoken_digits(words) >= 7:
            spans.append(RedactedSpan(run[0].start(), run[-1].end(), "phone"))
        run.clear()

    for m in _TOKEN.finditer(text):
        tok = m.group().lower()
        is_num = tok in _VALUES or tok.lstrip("+").isdigit()
        if is_num or (run and tok in _JOINERS) or tok == "плюс":
            run.append(m)
            continue
        while run and run[-1].group().lower() in _JOINERS:
            run.pop()
        flush()
    while run and run[-1].group().lower() in _JOINERS:
        run.pop()
    flush()
    return spans


def _find(text: str) -> list[RedactedSpan]:
    found = []
    for m in _DIGIT_RUN.finditer(text):
        raw = m.group().strip(" -().")
        start = m.start() + m.group().index(raw)
        kind = _classify(raw, text[:start])
        if kind:
            found.append(RedactedSpan(start, start + len(raw), kind))
    for span in _spoken_phones(text):
        if not any(s.start < span.end and span.start < s.end for s in found):
            found.append(span)
    return sorted(found, key=lambda s: s.start)


def redact(text: str) -> RedactionResult:
    """Replace phone numbers, card numbers, SNILS, INN and passport data with tags.

    :param text: Russian transcript text.
    :returns: the redacted text and the original character spans that were replaced.
    """
    spans = _find(text)
    out, pos = [], 0
    for span in spans:
        out.append(text[pos:span.start])
        out.append(span.tag)
        pos = span.end
    out.append(text[pos:])
    return RedactionResult("".join(out), tuple(spans))


def redact_segment(segment: Any) -> Any:
    """Redact a segment's text and words; works on :class:`speech.Segment` or its dict.

    Words that overlap personal data are merged into one word carrying the tag, with the
    first word's start and the last word's end, so timings stay usable.
    """
    is_dict = isinstance(segment, dict)
    words = list(segment["words"] if is_dict else segment.words)
    text = segment["text"] if is_dict else segment.text

    def field(w: Any, key: str) -> Any:
        return w[key] if isinstance(w, dict) else getattr(w, key)

    joined, offsets, pos = [], [], 0
    for w in words:
        token = field(w, "w")
        offsets.append((pos, pos + len(token)))
        joined.append(token)
        pos += len(token) + 1
    spans = _find(" ".join(joined))
    new_words: list[Any] = []
    taken: dict[int, int] = {}
    for i, (a, b) in enumerate(offsets):
        hit = next((k for k, s in enumerate(spans) if a < s.end and s.start < b), None)
        if hit is None:
            new_words.append(words[i])
        elif hit in taken:
            merged = new_words[taken[hit]]
            end = field(words[i], "end")
            p = min(field(merged, "p"), field(words[i], "p"))
            new_words[taken[hit]] = ({**merged, "end": end, "p": p} if isinstance(merged, dict)
                                     else replace(merged, end=end, p=p))
        else:
            w = words[i]
            tag = spans[hit].tag
            taken[hit] = len(new_words)
            new_words.append({**w, "w": tag} if isinstance(w, dict) else replace(w, w=tag))
    new_text = redact(text).text
    if is_dict:
        return {**segment, "text": new_text, "words": new_words}
    return replace(segment, text=new_text, words=tuple(new_words))
