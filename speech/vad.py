"""Energy voice-activity detection for telephone audio, and compact voiced streams.

Why not Silero (faster-whisper's ``vad_filter``): at its defaults it drops much of the speech
of 8 kHz band-limited calls. Telephone channels have a steady noise floor, so an adaptive
energy threshold (noise floor + margin, with hysteresis) is both reliable and nearly free.

Each side of a stereo call is silent while the other talks, so only the voiced spans of a
channel are worth transcribing: :func:`compact` glues them, separated by short gaps, into one
stream, and :class:`SpanMap` maps times in that stream back to the recording.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["Span", "SpanMap", "VadConfig", "compact", "detect_speech", "frame_db"]


@dataclass(frozen=True)
class Span:
    """A time interval in seconds."""

    start: float
    end: float

    @property
    def duration(self) -> float:
        return self.end - self.start


@dataclass(frozen=True)
class VadConfig:
    """Energy VAD parameters (defaults tuned on 8 kHz telephone calls).

    :param frame: analysis frame in seconds.
    :param margin_db: speech threshold above the estimated noise floor.
    :param release_db: hysteresis: stay in speech until energy falls this far below threshold.
    :param floor_db: absolute lower bound of the threshold (dBFS).
    :param min_speech: drop voiced runs shorter than this (clicks).
    :param merge_gap: join voiced runs separated by less than this.
    :param pad: widen every span by this on both sides (keeps word onsets and tails).
    """

    frame: float = 0.02
    margin_db: float = 12.0
    release_db: float = 6.0
    floor_db: float = -50.0
    min_speech: float = 0.12
    merge_gap: float = 0.45
    pad: float = 0.12


def frame_db(samples: np.ndarray, rate: int, frame: float = 0.02) -> np.ndarray:
    """Per-frame RMS level in dBFS (non-overlapping frames of ``frame`` seconds)."""
    hop = max(1, int(round(rate * frame)))
    n = len(samples) // hop
    if n == 0:
        return np.zeros(0, np.float32)
    frames = np.asarray(samples[: n * hop], np.float32).reshape(n, hop)
    rms = np.sqrt(np.einsum("ij,ij->i", frames, frames, dtype=np.float64) / hop)
    return (20 * np.log10(np.maximum(rms, 1e-6))).astype(np.float32)


def _threshold(levels: np.ndarray, cfg: VadConfig) -> float:
    noise = float(np.percentile(levels, 10))
    loud = float(np.percentile(levels, 98))
    # Half-way between floor and loud parts caps the threshold on a noisy line.
    return max(cfg.floor_db, min(noise + cfg.margin_db, (noise + loud) / 2))


def detect_speech(
    samples: np.ndarray, rate: int, config: VadConfig | None = None
) -> list[Span]:
    """Return voiced spans of a 1-D signal.

    :param samples: 1-D float signal.
    :param rate: its sample rate.
    :param config: VAD parameters; defaults suit 8 kHz telephone audio.
    """
    cfg = config or VadConfig()
    levels = frame_db(samples, rate, cfg.frame)
    if len(levels) == 0:
        return []
    high = _threshold(levels, cfg)
    low = high - cfg.release_db
    voiced = np.zeros(len(levels), bool)
    active = False
    for i, level in enumerate(levels):  # hysteresis; levels are few (50 per second)
        active = level >= high or (active and level >= low)
        voiced[i] = active
    edges = np.flatnonzero(np.diff(np.concatenate(([0], voiced.view(np.int8), [0]))))
    runs = [(s * cfg.frame, e * cfg.frame) for s, e in zip(edges[::2], edges[1::2], strict=True)]
    merged: list[list[float]] = []
    for start, end in runs:
        if merged and start - merged[-1][1] < cfg.merge_gap:
            merged[-1][1] = end
        else:
            merged.append([start, end])
    total = len(samples) / rate
    return [
        Span(max(0.0, s - cfg.pad), min(total, e + cfg.pad))
        for s, e in merged
        if e - s >= cfg.min_speech
    ]


@dataclass(frozen=True)
class SpanMap:
    """Where each voiced span sits in a compact stream: ``(compact_start, span)`` pairs."""

    pieces: tuple[tuple[float, Span], ...]

    def to_original(self, t: float, index: int | None = None) -> float:
        """Map a time in the compact stream to the recording.

        :param t: seconds in the compact stream.
        :param index: the span the time belongs to (default: the one it falls in); the result
            is clamped into that span, so times in a gap land on the nearest edge.
        """
        if not self.pieces:
            return t
        i = self.span_index(t) if index is None else index
        cstart, span = self.pieces[i]
        return min(max(span.start + (t - cstart), span.start), span.end)

    def span_index(self, t: float) -> int:
        """Index of the span a compact-stream time belongs to."""
        starts = [c for c, _ in self.pieces]
        return max(0, int(np.searchsorted(starts, t, side="right")) - 1)


def compact(
    samples: np.ndarray, rate: int, spans: list[Span], gap: float = 0.3
) -> tuple[np.ndarray, SpanMap]:
    """Concatenate the voiced ``spans`` of ``samples`` with ``gap`` seconds of silence between.

    :returns: the compact signal and the map back to recording times.
    """
    parts: list[np.ndarray] = []
    pieces: list[tuple[float, Span]] = []
    silence = np.zeros(int(gap * rate), np.float32)
    cursor = 0
    for span in spans:
        a, b = int(span.start * rate), int(span.end * rate)
        if b <= a:
            continue
        if parts:
            parts.append(silence)
            cursor += len(silence)
        pieces.append((cursor / rate, Span(a / rate, b / rate)))
        parts.append(samples[a:b])
        cursor += b - a
    stream = np.concatenate(parts).astype(np.float32) if parts else np.zeros(0, np.float32)
    return stream, SpanMap(tuple(pieces))
