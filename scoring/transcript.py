"""The call object (docs/call-format.md) turned into tokens, turns, holds and overtalk.

:func:`build_transcript` validates the plain dict once; detectors then read the
:class:`Transcript` and never touch the raw JSON.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .errors import TranscriptError
from .morphology import tokenise

SPEAKERS = ("operator", "subscriber")


@dataclass(frozen=True, slots=True)
class Token:
    """One word of the transcript with its times and ASR probability."""

    surface: str
    norm: str
    start: float
    end: float
    p: float
    punct_before: bool
    speaker: str
    segment: int


@dataclass(frozen=True, slots=True)
class Segment:
    """One segment of speech as the call object gives it, tokenised."""

    index: int
    speaker: str
    start: float
    end: float
    text: str
    tokens: tuple[Token, ...]
    energy_db: float | None


@dataclass(frozen=True, slots=True)
class Turn:
    """Consecutive segments of one speaker merged (ASR often splits a sentence)."""

    speaker: str
    start: float
    end: float
    segments: tuple[Segment, ...]

    @property
    def tokens(self) -> tuple[Token, ...]:
        return tuple(t for s in self.segments for t in s.tokens)

    @property
    def text(self) -> str:
        return " ".join(s.text.strip() for s in self.segments if s.text.strip())


@dataclass(frozen=True, slots=True)
class Span:
    """A stretch of time: a hold or an overtalk."""

    start: float
    end: float
    by: str = ""
    over: str = ""

    @property
    def duration(self) -> float:
        return round(self.end - self.start, 2)


@dataclass(frozen=True)
class Transcript:
    """A validated call: segments, turns, holds and overtalk, plus a per-call match cache."""

    duration: float
    segments: tuple[Segment, ...]
    turns: tuple[Turn, ...]
    holds: tuple[Span, ...]
    overtalk: tuple[Span, ...]
    metrics: Mapping[str, Any]
    cache: dict[Any, Any] = field(default_factory=dict, compare=False, repr=False)

    def turns_of(self, speaker: str) -> tuple[Turn, ...]:
        return tuple(t for t in self.turns if t.speaker == speaker)

    def has_speech(self, speaker: str) -> bool:
        """Recognised words of ``speaker``."""
        return any(s.speaker == speaker and s.tokens for s in self.segments)

    def is_heard(self, speaker: str) -> bool:
        """``speaker`` talked: recognised words, or talk time in the metrics (the voice
        activity hears a side even where ASR lost all of its words)."""
        if self.has_speech(speaker):
            return True
        side = (self.metrics.get("speakers") or {}).get(speaker)
        talk = side.get("talk_seconds") if isinstance(side, Mapping) else None
        return isinstance(talk, int | float) and not isinstance(talk, bool) and talk > 0


def _number(value: Any, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise TranscriptError(f"{what} must be a finite number of seconds, got {value!r}",
                              code="bad_seconds", field=what, value=value)
    return float(value)


def _tokens(seg: Mapping[str, Any], index: int, speaker: str, start: float, end: float,
            text: str) -> tuple[Token, ...]:
    words = seg.get("words") or []
    if not isinstance(words, Sequence) or isinstance(words, str):
        raise TranscriptError(f"segments[{index}].words must be a list of {{w, start, end, p}}",
                              code="words_not_list", segment=index + 1)
    out: list[Token] = []
    if words:
        for j, w in enumerate(words):
            if not isinstance(w, Mapping) or not isinstance(w.get("w"), str):
                raise TranscriptError(
                    f"segments[{index}].words[{j}] must be an object with a string 'w'",
                    code="bad_word", segment=index + 1, word=j + 1)
            ws = _number(w.get("start", start), f"segments[{index}].words[{j}].start")
            we = _number(w.get("end", ws), f"segments[{index}].words[{j}].end")
            p = w.get("p", 1.0)
            p = float(p) if isinstance(p, int | float) and not isinstance(p, bool) else 1.0
            for k, (surface, norm, punct) in enumerate(tokenise(w["w"])):
                before = punct or (k == 0 and bool(out) and _ends_clause(words[j - 1]))
                out.append(Token(surface, norm, ws, we, p, before, speaker, index))
        return tuple(out)
    pieces = tokenise(text)
    total = sum(len(n) + 1 for _, n, _ in pieces) or 1
    t, step = start, (end - start) / total
    for surface, norm, punct in pieces:
        w_end = t + step * (len(norm) + 1)
        out.append(Token(surface, norm, round(t, 2), round(w_end, 2), 1.0, punct, speaker, index))
        t = w_end
    return tuple(out)


def _ends_clause(word: Any) -> bool:
    w = word.get("w", "") if isinstance(word, Mapping) else ""
    return w.rstrip()[-1:] in {",", ".", "!", "?", ";", ":", "—"}


def _segments(call: Mapping[str, Any]) -> list[Segment]:
    raw = call.get("segments", [])
    if raw is None:
        raw = []
    if not isinstance(raw, Sequence) or isinstance(raw, str):
        raise TranscriptError("'segments' must be a list of {speaker, start, end, text}",
                              code="segments_not_list")
    ordered = sorted(
        (seg for seg in raw),
        key=lambda s: s.get("start", 0) if isinstance(s, Mapping)
        and isinstance(s.get("start", 0), int | float) else 0,
    )
    out: list[Segment] = []
    for i, seg in enumerate(ordered):
        if not isinstance(seg, Mapping):
            raise TranscriptError(f"segments[{i}] must be an object, got {type(seg).__name__}",
                                  code="segment_not_object", segment=i + 1,
                                  type=type(seg).__name__)
        speaker = seg.get("speaker")
        if speaker not in SPEAKERS:
            raise TranscriptError(
                f"segments[{i}].speaker is {speaker!r}; accepted: 'operator' or 'subscriber'",
                code="unknown_speaker", segment=i + 1, speaker=speaker)
        start = _number(seg.get("start"), f"segments[{i}].start")
        end = _number(seg.get("end"), f"segments[{i}].end")
        if start < 0 or end < start:
            raise TranscriptError(
                f"segments[{i}] has start={start} end={end}; need 0 <= start <= end",
                code="bad_segment_times", segment=i + 1, start=start, end=end)
        text = seg.get("text", "")
        if text is None:
            text = ""
        if not isinstance(text, str):
            raise TranscriptError(f"segments[{i}].text must be a string",
                                  code="segment_text_not_text", segment=i + 1)
        energy = seg.get("energy_db")
        energy = float(energy) if isinstance(energy, int | float) and not isinstance(
            energy, bool) and math.isfinite(energy) else None
        tokens = _tokens(seg, i, speaker, start, end, text)
        out.append(Segment(i, speaker, start, end, text, tokens, energy))
    return out


def _turns(segments: Sequence[Segment]) -> tuple[Turn, ...]:
    turns: list[list[Segment]] = []
    for seg in segments:
        if not seg.tokens:
            continue
        if turns and turns[-1][-1].speaker == seg.speaker:
            turns[-1].append(seg)
        else:
            turns.append([seg])
    return tuple(
        Turn(g[0].speaker, g[0].start, max(s.end for s in g), tuple(g)) for g in turns)


def _spans(items: Any, name: str) -> list[Mapping[str, Any]] | None:
    if items is None:
        return None
    if not isinstance(items, Sequence) or isinstance(items, str):
        raise TranscriptError(f"metrics.{name} must be a list of {{start, end, ...}}",
                              code="metric_spans_not_list", name=name)
    for j, it in enumerate(items):
        if not isinstance(it, Mapping):
            raise TranscriptError(f"metrics.{name}[{j}] must be an object with start and end",
                                  code="metric_span_not_object", name=name, number=j + 1)
        _number(it.get("start"), f"metrics.{name}[{j}].start")
        _number(it.get("end"), f"metrics.{name}[{j}].end")
    return list(items)


def _derive_holds(segments: Sequence[Segment], threshold: float) -> tuple[Span, ...]:
    speech = sorted((s.start, s.end) for s in segments if s.tokens)
    holds: list[Span] = []
    reach = None
    for start, end in speech:
        if reach is not None and start - reach > threshold:
            holds.append(Span(round(reach, 2), round(start, 2)))
        reach = end if reach is None else max(reach, end)
    return tuple(holds)


def _derive_overtalk(segments: Sequence[Segment]) -> tuple[Span, ...]:
    out: list[Span] = []
    for seg in segments:
        for other in segments:
            if other.speaker == seg.speaker or not other.tokens or not seg.tokens:
                continue
            if other.start < seg.start < other.end:
                out.append(Span(seg.start, min(seg.end, other.end), seg.speaker, other.speaker))
    return tuple(sorted(out, key=lambda s: s.start))


def build_transcript(call: Mapping[str, Any], hold_threshold: float = 10.0) -> Transcript:
    """Validate a call object and index it for the detectors.

    Holds and overtalk come from ``metrics`` when the call carries them; otherwise they
    are derived from segment times (a gap in all speech longer than ``hold_threshold``;
    a segment that starts inside the other side's segment).

    :param call: the call object of docs/call-format.md.
    :param hold_threshold: seconds of shared silence that count as a hold.
    :raises TranscriptError: when the object does not follow the format.
    """
    if not isinstance(call, Mapping):
        raise TranscriptError(
            f"a call must be an object (dict) with 'segments', got {type(call).__name__}",
            code="call_not_object", type=type(call).__name__)
    segments = _segments(call)
    metrics = call.get("metrics")
    metrics = {} if metrics is None else metrics
    if not isinstance(metrics, Mapping):
        raise TranscriptError("'metrics' must be an object or absent",
                              code="metrics_not_object")
    holds_raw = _spans(metrics.get("holds"), "holds")
    over_raw = _spans(metrics.get("overtalk"), "overtalk")
    if holds_raw is None:
        holds = _derive_holds(segments, hold_threshold)
    else:
        holds = tuple(
            Span(float(h["start"]), float(h["end"])) for h in holds_raw
            if float(h["end"]) - float(h["start"]) >= hold_threshold)
    if over_raw is None:
        overtalk = _derive_overtalk(segments)
    else:
        overtalk = tuple(
            Span(float(o["start"]), float(o["end"]), str(o.get("by", "")), str(o.get("over", "")))
            for o in over_raw)
    duration = call.get("duration")
    if isinstance(duration, int | float) and not isinstance(duration, bool) and duration > 0:
        dur = float(duration)
    else:
        dur = max((s.end for s in segments), default=0.0)
    return Transcript(dur, tuple(segments), _turns(segments), holds, overtalk, metrics)
