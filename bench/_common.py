"""Helpers shared by the benchmarks: text normalisation, WER/CER, peak memory."""

from __future__ import annotations

import re
import resource
import sys

_UNITS = ["ноль", "один", "два", "три", "четыре", "пять", "шесть", "семь", "восемь", "девять",
          "десять", "одиннадцать", "двенадцать", "тринадцать", "четырнадцать", "пятнадцать",
          "шестнадцать", "семнадцать", "восемнадцать", "девятнадцать"]
_TENS = ["", "", "двадцать", "тридцать", "сорок", "пятьдесят", "шестьдесят", "семьдесят",
         "восемьдесят", "девяносто"]
_HUNDREDS = ["", "сто", "двести", "триста", "четыреста", "пятьсот", "шестьсот", "семьсот",
             "восемьсот", "девятьсот"]


def _below_thousand(n: int, feminine: bool = False) -> list[str]:
    words = []
    if n >= 100:
        words.append(_HUNDREDS[n // 100])
        n %= 100
    if n >= 20:
        words.append(_TENS[n // 10])
        n %= 10
        if n == 0:
            return words
    if n or not words:
        word = _UNITS[n]
        if feminine and n in (1, 2):
            word = "одна" if n == 1 else "две"
        words.append(word)
    return words


def number_words(n: int) -> str:
    """Russian cardinal for 0 ≤ n < 10**9 (nominative, masculine)."""
    if n == 0:
        return "ноль"
    parts: list[str] = []
    for scale, forms, fem in ((10**6, ("миллион", "миллиона", "миллионов"), False),
                              (10**3, ("тысяча", "тысячи", "тысяч"), True)):
        if n >= scale:
            k = n // scale
            n %= scale
            parts += _below_thousand(k, fem)
            last2, last = k % 100, k % 10
            form = 2 if 11 <= last2 <= 14 or last == 0 or last >= 5 else (0 if last == 1 else 1)
            parts.append(forms[form])
    if n:
        parts += _below_thousand(n)
    return " ".join(parts)


def normalise(text: str) -> list[str]:
    """Lower case, ё→е, digits → words, punctuation dropped; returns the words."""
    text = text.lower().replace("ё", "е")
    text = re.sub(r"\d+", lambda m: " " + number_words(int(m.group())) + " "
                  if len(m.group()) < 10 else " ".join(number_words(int(d)) for d in m.group()),
                  text)
    text = re.sub(r"[^\w\s]|_", " ", text)
    return text.split()


def _edits(ref: list[str], hyp: list[str]) -> int:
    prev = list(range(len(hyp) + 1))
    for i, r in enumerate(ref, 1):
        cur = [i] + [0] * len(hyp)
        for j, h in enumerate(hyp, 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (r != h))
        prev = cur
    return prev[-1]


def error_counts(ref: str, hyp: str) -> tuple[int, int, int, int]:
    """(word edits, reference words, char edits, reference chars) after normalisation."""
    rw, hw = normalise(ref), normalise(hyp)
    rc, hc = list(" ".join(rw)), list(" ".join(hw))
    return _edits(rw, hw), len(rw), _edits(rc, hc), len(rc)


def peak_rss_mib() -> float:
    """Peak resident memory of this process so far, MiB."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024
