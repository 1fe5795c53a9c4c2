"""Builders of hand-written call objects (docs/call-format.md) for the scoring tests."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import pytest

SPEAKERS = {"op": "operator", "sub": "subscriber"}
GAP = 0.7
SECONDS_PER_CHAR = 0.06

Turn = tuple[str, str] | tuple[str, str, dict[str, Any]]


def build_call(turns: Sequence[Turn], metrics: dict[str, Any] | None = None,
               words: bool = True) -> dict[str, Any]:
    """Turns ``("op"|"sub", text, {pause: s, overlap: s, energy_db: x})`` → a call dict.

    Times follow the eval generator: a 0.7 s gap between turns, ``pause`` adds silence
    before a turn, ``overlap`` starts it that many seconds before the previous one ends.
    """
    t, segments = GAP, []
    for turn in turns:
        speaker, text = turn[0], turn[1]
        opts = turn[2] if len(turn) > 2 else {}
        if "overlap" in opts:
            t -= GAP + opts["overlap"]
        t += opts.get("pause", 0)
        length = max(0.3, len(text) * SECONDS_PER_CHAR)
        seg: dict[str, Any] = {"speaker": SPEAKERS[speaker], "start": round(t, 2),
                               "end": round(t + length, 2), "text": text}
        if words:
            parts = text.split()
            step = length / max(len(parts), 1)
            seg["words"] = [{"w": w, "start": round(t + i * step, 2),
                             "end": round(t + (i + 1) * step, 2), "p": 0.9}
                            for i, w in enumerate(parts)]
        if "energy_db" in opts:
            seg["energy_db"] = opts["energy_db"]
        segments.append(seg)
        t += length + GAP
    call: dict[str, Any] = {"duration": round(t, 2), "channels": 2,
                            "diarization": "channels", "segments": segments}
    if metrics is not None:
        call["metrics"] = metrics
    return call


@pytest.fixture
def make_call() -> Callable[..., dict[str, Any]]:
    return build_call
