"""Personal data in transcripts: what is stored for display is redacted; the original is kept."""

from __future__ import annotations

from typing import Any

import speech


def redact_segments(segments: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Redact phone numbers, passports, SNILS, INN and card numbers in text and words."""
    out = []
    for segment in segments:
        clean = speech.redact_segment(segment)
        out.append({**clean, "redacted": clean["text"] != segment.get("text", "")})
    return out
