"""Helpers shared by the games web tests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import games

NOW = datetime.now(UTC)


def call(login: str, source_id: str, score: float = 95, *, at: datetime | None = None,
         verdicts: dict | None = None, carrier: str | None = None, duration: int = 120) -> games.Event:
    payload = {"score": score, "duration": duration, "verdicts": verdicts or {}}
    if carrier:
        payload["carrier"] = carrier
    return games.Event("call", source_id, login, at or NOW - timedelta(minutes=5), payload)
