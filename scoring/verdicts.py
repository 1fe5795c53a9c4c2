"""What a detector says about one criterion: a verdict and the transcript spans behind it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class Evidence:
    """A transcript span behind a verdict.

    :param text: the words of the span (or, for a missing thing, the span searched).
    :param speaker: "operator", "subscriber" or "" for the whole call.
    :param start: seconds from the start of the recording.
    :param end: seconds from the start of the recording.
    :param note: why this span matters, in Russian, for the UI («нет приветствия»).
    """

    text: str
    speaker: str
    start: float
    end: float
    note: str

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "speaker": self.speaker, "start": round(self.start, 2),
                "end": round(self.end, 2), "note": self.note}


@dataclass(frozen=True, slots=True)
class Finding:
    """A detector's answer before it is tied to a criterion key."""

    verdict: bool | None
    evidence: tuple[Evidence, ...]
    confidence: float


@dataclass(frozen=True, slots=True)
class Verdict:
    """One criterion on one call: met (True), violated (False) or not applicable (None).

    There is always at least one piece of evidence, also for None (it says why).
    """

    key: str
    verdict: bool | None
    evidence: tuple[Evidence, ...]
    confidence: float

    def to_dict(self) -> dict[str, Any]:
        return {"verdict": self.verdict, "confidence": round(self.confidence, 3),
                "evidence": [e.to_dict() for e in self.evidence]}
