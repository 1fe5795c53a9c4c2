"""The result of analysing one call; ``to_dict()`` is the contract in docs/call-format.md."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from .transcribers import Word

__all__ = ["CallAnalysis", "Hold", "Overtalk", "Segment", "SpeakerMetrics"]


def _r(x: float | None, nd: int = 2) -> float | None:
    return None if x is None else round(float(x), nd)


@dataclass(frozen=True)
class Segment:
    """One utterance: ``speaker`` is ``"operator"`` or ``"subscriber"`` (or a provisional
    cluster label such as ``"A"`` before the operator is decided)."""

    speaker: str
    start: float
    end: float
    text: str
    words: tuple[Word, ...] = ()
    energy_db: float | None = None
    pitch_hz: float | None = None

    def with_speaker(self, speaker: str) -> Segment:
        return replace(self, speaker=speaker)

    def to_dict(self) -> dict[str, Any]:
        return {
            "speaker": self.speaker,
            "start": _r(self.start),
            "end": _r(self.end),
            "text": self.text,
            "words": [w.to_dict() for w in self.words],
            "energy_db": _r(self.energy_db, 1),
            "pitch_hz": _r(self.pitch_hz, 1),
        }


@dataclass(frozen=True)
class SpeakerMetrics:
    """Talk time and prosody of one side; ``liveliness`` is 0 (flat) to 1 (lively)."""

    talk_seconds: float = 0.0
    talk_share: float = 0.0
    speech_rate_wpm: float | None = None
    pitch_mean_hz: float | None = None
    pitch_std_st: float | None = None
    energy_mean_db: float | None = None
    energy_std_db: float | None = None
    liveliness: float | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "talk_seconds": _r(self.talk_seconds, 2),
            "talk_share": _r(self.talk_share, 3),
            "speech_rate_wpm": _r(self.speech_rate_wpm, 1),
            "pitch_mean_hz": _r(self.pitch_mean_hz, 1),
            "pitch_std_st": _r(self.pitch_std_st, 2),
            "energy_mean_db": _r(self.energy_mean_db, 1),
            "energy_std_db": _r(self.energy_std_db, 2),
            "liveliness": _r(self.liveliness, 2),
        }


@dataclass(frozen=True)
class Hold:
    """Both sides silent from ``start`` to ``end``."""

    start: float
    end: float

    @property
    def duration(self) -> float:
        return self.end - self.start

    def to_dict(self) -> dict[str, Any]:
        return {"start": _r(self.start), "end": _r(self.end), "duration": _r(self.duration)}


@dataclass(frozen=True)
class Overtalk:
    """Both talking; ``by`` started while ``over`` was still speaking."""

    start: float
    end: float
    by: str
    over: str

    @property
    def duration(self) -> float:
        return self.end - self.start

    def to_dict(self) -> dict[str, Any]:
        return {"start": _r(self.start), "end": _r(self.end), "duration": _r(self.duration),
                "by": self.by, "over": self.over}


@dataclass(frozen=True)
class CallAnalysis:
    """Transcript, speakers and acoustic metrics of one recording."""

    duration: float
    channels: int
    diarization: str
    segments: tuple[Segment, ...]
    speakers: dict[str, SpeakerMetrics]
    silence_share: float
    holds: tuple[Hold, ...] = ()
    overtalk: tuple[Overtalk, ...] = ()
    backend: str = "faster-whisper"
    timings: dict[str, float] = field(default_factory=dict)

    def text_of(self, speaker: str) -> str:
        """All text of one side, in order."""
        return " ".join(s.text for s in self.segments if s.speaker == speaker)

    def to_dict(self) -> dict[str, Any]:
        """The call object of docs/call-format.md (JSON-ready)."""
        return {
            "duration": _r(self.duration),
            "channels": self.channels,
            "diarization": self.diarization,
            "segments": [s.to_dict() for s in self.segments],
            "metrics": {
                "speakers": {k: v.to_dict() for k, v in self.speakers.items()},
                "silence_share": _r(self.silence_share, 3),
                "holds": [h.to_dict() for h in self.holds],
                "overtalk": [o.to_dict() for o in self.overtalk],
            },
        }
