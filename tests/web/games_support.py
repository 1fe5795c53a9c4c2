"""Helpers shared by the games web tests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import games

NOW = datetime.now(UTC)


def recent(minutes: float = 5) -> datetime:
    """A moment ``minutes`` ago, but never before today's Moscow midnight.

    Boards count the Moscow day, week and month, so an event placed "an hour ago" falls out of
    the day when the suite runs just after midnight (21:00 UTC). Clamping it to the start of
    today keeps it inside every period, whatever the hour.
    """
    now = datetime.now(UTC)
    today = games.moscow_midnight(games.moscow_day(now))
    return max(now - timedelta(minutes=minutes), today + timedelta(seconds=1))


def call(login: str, source_id: str, score: float = 95, *, at: datetime | None = None,
         verdicts: dict | None = None, carrier: str | None = None, duration: int = 120) -> games.Event:
    payload = {"score": score, "duration": duration, "verdicts": verdicts or {}}
    if carrier:
        payload["carrier"] = carrier
    return games.Event("call", source_id, login, at or recent(5), payload)
