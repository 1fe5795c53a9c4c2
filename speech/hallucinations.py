"""Whisper's hallucinations: captions it learnt from subtitled video, and looping repeats.

On silence, music, line noise or a voice it cannot read, Whisper writes what subtitle files
say in such places: «СПОКОЙНАЯ МУЗЫКА», «Субтитры сделал DimaTorzok», «Продолжение
следует...», «[музыка]», or it loops one phrase. In a call transcript these would reach the
operator's side and the scoring rules, so they are removed by general rules, not a list of
exact strings:

- the whole text is a caption: in brackets/asterisks/notes, or all capitals (5+ letters);
- a short segment (≤ 8 words) that names the subtitles, credits or the channel;
- a word n-gram (1–4 words) repeated 3+ times in a row is kept once.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TypeVar

__all__ = ["collapse_repeats", "is_caption"]

_BRACKETED = re.compile(r"^\s*([\[(*♪♫#].*[\])*♪♫#]|[\[(*♪♫#][^\])]*)\s*[.!]?\s*$", re.S)
_CREDITS = re.compile(
    r"субтитр|продолжение следует|спасибо за просмотр|подпис(ывайтесь|ывайся|ку на канал)|"
    r"ставьте лайк|лайк и подпис|редактор|корректор|dimatorzok|torzok|amara\.org|"
    r"semkin|семкин|егорова|\bнегода\b|аплодисмент|апплодисмент|"
    r"^\W*(спокойная |весёлая |веселая |грустная |тревожная |фоновая )?музыка\W*$|"
    r"^\W*(смех|смеется|смеётся|вздыхает|шум|тишина)\W*$",
    re.IGNORECASE,
)
_LETTER = re.compile(r"[^\W\d_]")
_NORM = re.compile(r"[^\w]+")

T = TypeVar("T")


def is_caption(text: str) -> bool:
    """True when ``text`` (one recognised segment) is a caption, not speech."""
    text = text.strip()
    if not text:
        return False
    if _BRACKETED.match(text):
        return True
    letters = _LETTER.findall(text)
    if len(letters) >= 5 and all(ch.isupper() for ch in letters):
        return True
    return len(text.split()) <= 8 and bool(_CREDITS.search(text))


def collapse_repeats(items: Sequence[T], key: Sequence[str], *, times: int = 3,
                     longest: int = 4) -> list[T]:
    """Keep one copy of any run of ``times``+ identical consecutive n-grams (n ≤ ``longest``).

    :param items: the words (any objects).
    :param key: their texts, compared case- and punctuation-insensitively.
    """
    norm = [_NORM.sub("", k.lower()) for k in key]
    keep = list(range(len(items)))
    n = 1
    while n <= longest:
        changed = False
        i = 0
        out: list[int] = []
        while i < len(keep):
            gram = [norm[j] for j in keep[i:i + n]]
            reps = 1
            while (i + (reps + 1) * n <= len(keep)
                   and [norm[j] for j in keep[i + reps * n:i + (reps + 1) * n]] == gram):
                reps += 1
            if len(gram) == n and reps >= times and any(gram):
                out.extend(keep[i:i + n])
                i += reps * n
                changed = True
            else:
                out.append(keep[i])
                i += 1
        keep = out
        n = n if changed else n + 1
    return [items[j] for j in keep]
