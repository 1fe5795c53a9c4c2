"""Acoustic measures: pitch and energy contours, per-side talk metrics, holds and overtalk.

Pitch uses YIN (:func:`speech.features.yin`, numpy; no numba JIT, so no compile time and no
~200 MiB of JIT in the worker) on an 8 kHz copy of each side, 20 ms hop, computed only on frames
inside voiced spans and clearly above the noise floor. ``liveliness`` is a
0–1 heuristic: 60 % pitch variability (3 semitones std counts as fully lively) and 40 % energy
variability (8 dB std), so a flat, monotone voice scores near 0.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .call import Hold, Overtalk, Segment, SpeakerMetrics
from .vad import Span, frame_db

__all__ = [
    "Contour",
    "find_holds",
    "find_overtalk",
    "measure_contour",
    "speaker_metrics",
    "warm_up_acoustics",
]

HOP = 0.02
PITCH_RATE = 8000
FMIN, FMAX = 65.0, 400.0


@dataclass(frozen=True)
class Contour:
    """Frame-wise (20 ms) level in dBFS and f0 in Hz (NaN where unvoiced) of one side."""

    level_db: np.ndarray
    f0: np.ndarray

    def _frames(self, start: float, end: float) -> slice:
        return slice(max(0, int(start / HOP)), max(0, int(np.ceil(end / HOP))))

    def segment_energy(self, start: float, end: float) -> float | None:
        levels = self.level_db[self._frames(start, end)]
        if len(levels) == 0:
            return None
        power = np.mean(10 ** (levels.astype(np.float64) / 10))
        return float(10 * np.log10(max(power, 1e-12)))

    def segment_pitch(self, start: float, end: float) -> float | None:
        f0 = self.f0[self._frames(start, end)]
        f0 = f0[np.isfinite(f0)]
        return float(np.median(f0)) if len(f0) >= 3 else None


def measure_contour(samples: np.ndarray, rate: int, spans: list[Span]) -> Contour:
    """Compute level and f0 contours of one side; f0 only inside ``spans``.

    :param samples: 1-D signal of that side.
    :param rate: its sample rate.
    :param spans: voiced spans (from VAD or diarization).
    """
    from .audio import resample
    from .features import yin

    y = resample(samples, rate, PITCH_RATE)
    hop = int(PITCH_RATE * HOP)
    level = frame_db(y, PITCH_RATE, HOP)
    n = len(level)
    f0 = np.full(n, np.nan, np.float32)
    if n == 0 or not spans:
        return Contour(level, f0)
    mask = np.zeros(n, bool)
    for span in spans:
        mask[int(span.start / HOP): int(np.ceil(span.end / HOP))] = True
    # voiced frames: within 25 dB of the loud part of the speech, and above line noise
    loud = mask & (level > max(-55.0, float(np.percentile(level[mask], 90)) - 25.0))
    if loud.sum() < 3:
        return Contour(level, f0)
    frames = np.flatnonzero(loud)
    est = yin(y, PITCH_RATE, frames, hop, fmin=FMIN, fmax=FMAX, frame_length=256)
    ok = (est > FMIN * 1.05) & (est < FMAX * 0.95)
    f0[frames[ok]] = est[ok]
    return Contour(level, f0)


def _liveliness(pitch_std_st: float | None, energy_std_db: float | None) -> float | None:
    if pitch_std_st is None or energy_std_db is None:
        return None
    return float(0.6 * min(pitch_std_st / 3.0, 1.0) + 0.4 * min(energy_std_db / 8.0, 1.0))


def _union_seconds(spans: list[Span]) -> float:
    total, reach = 0.0, -1.0
    for s in sorted(spans, key=lambda x: x.start):
        if s.end <= reach:
            continue
        total += s.end - max(s.start, reach)
        reach = s.end
    return total


def speaker_metrics(activity: dict[str, list[Span]], segments: list[Segment],
                    contours: dict[str, Contour]) -> dict[str, SpeakerMetrics]:
    """Talk time, share, speech rate and prosody of each side.

    :param activity: voiced spans per speaker.
    :param segments: transcribed segments (for word counts).
    :param contours: per speaker level and pitch contours.
    """
    talk = {spk: _union_seconds(spans) for spk, spans in activity.items()}
    total_talk = sum(talk.values()) or 1.0
    out: dict[str, SpeakerMetrics] = {}
    for spk in activity:
        own = [s for s in segments if s.speaker == spk]
        n_words = sum(len(s.words) or len(s.text.split()) for s in own)
        spoken = sum(s.end - s.start for s in own)
        wpm = n_words / spoken * 60 if spoken > 1.0 and n_words else None
        contour = contours.get(spk)
        pitch_mean = pitch_std = energy_mean = energy_std = None
        if contour is not None:
            f0 = contour.f0[np.isfinite(contour.f0)]
            if len(f0) >= 10:
                pitch_mean = float(np.mean(f0))
                semitones = 12 * np.log2(f0 / np.median(f0))
                q75, q25 = np.percentile(semitones, [75, 25])
                pitch_std = float((q75 - q25) / 1.349)  # robust to yin's octave slips
            voiced = np.isfinite(contour.f0)
            levels = contour.level_db[voiced] if voiced.sum() >= 10 else np.zeros(0)
            if len(levels):
                energy_mean = float(np.mean(levels))
                energy_std = float(np.std(levels))
        out[spk] = SpeakerMetrics(
            talk_seconds=talk[spk], talk_share=talk[spk] / total_talk, speech_rate_wpm=wpm,
            pitch_mean_hz=pitch_mean, pitch_std_st=pitch_std, energy_mean_db=energy_mean,
            energy_std_db=energy_std, liveliness=_liveliness(pitch_std, energy_std),
        )
    return out


def _activity_mask(activity: dict[str, list[Span]], duration: float) -> dict[str, np.ndarray]:
    n = int(np.ceil(duration / HOP)) + 1
    masks = {}
    for spk, spans in activity.items():
        m = np.zeros(n, bool)
        for s in spans:
            m[int(s.start / HOP): int(np.ceil(s.end / HOP))] = True
        masks[spk] = m
    return masks


def _runs(mask: np.ndarray) -> list[tuple[int, int]]:
    edges = np.flatnonzero(np.diff(np.concatenate(([0], mask.view(np.int8), [0]))))
    return list(zip(edges[::2].tolist(), edges[1::2].tolist(), strict=True))


def find_holds(activity: dict[str, list[Span]], duration: float,
               threshold: float = 10.0) -> tuple[list[Hold], float]:
    """Spans where every side is silent longer than ``threshold`` s, and the silence share.

    :returns: holds and the share of the recording where nobody talks.
    """
    masks = _activity_mask(activity, duration)
    n = int(np.ceil(duration / HOP))
    anyone = np.zeros(n + 1, bool)
    for m in masks.values():
        anyone |= m
    silent = ~anyone[:n]
    share = float(silent.mean()) if n else 0.0
    holds = [Hold(a * HOP, min(b * HOP, duration)) for a, b in _runs(silent)
             if (b - a) * HOP > threshold]
    return holds, share


def find_overtalk(activity: dict[str, list[Span]], min_duration: float = 0.3) -> list[Overtalk]:
    """Intervals where both sides talk; ``by`` is the one whose span started later.

    :param activity: voiced spans of exactly two speakers.
    :param min_duration: ignore overlaps shorter than this (breaths, span padding).
    """
    names = list(activity)
    if len(names) != 2:
        return []
    a_name, b_name = names
    found = []
    for a in activity[a_name]:
        for b in activity[b_name]:
            start, end = max(a.start, b.start), min(a.end, b.end)
            if end - start < min_duration:
                continue
            by, over = (b_name, a_name) if b.start >= a.start else (a_name, b_name)
            found.append(Overtalk(start, end, by, over))
    return sorted(found, key=lambda o: o.start)


def warm_up_acoustics() -> None:
    """Run the pitch and MFCC paths once (imports scipy.fft; nothing to compile any more)."""
    rng = np.random.default_rng(0)
    t = np.arange(PITCH_RATE) / PITCH_RATE
    y = (0.3 * np.sin(2 * np.pi * 150 * t) + 0.01 * rng.standard_normal(len(t))).astype(
        np.float32)
    measure_contour(y, PITCH_RATE, [Span(0.0, 1.0)])
    from .diarization import chunk_features

    chunk_features(y, PITCH_RATE, [Span(0.0, 1.0)])
