"""What the games ledger does when something happens elsewhere (events of :mod:`app.features`)."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from sqlalchemy import select

import games
from app.extensions import db
from app.games import operations as game_ops
from app.models import GameEvent

log = logging.getLogger("ulybka.games")


def call_event(call, result) -> games.Event | None:
    """The ledger event of a scored call (None: no operator or no score yet)."""
    if call.operator is None or result.score.value is None:
        return None
    verdicts = {line.key: line.verdict for line in result.score.lines}
    is_critical = {c.key: c.critical for c in result.card.criteria}
    critical = any(line.verdict is False and is_critical[line.key] for line in result.score.lines)
    return games.Event(
        source_kind="call", source_id=str(call.id), operator=call.operator.login,
        occurred_at=call.started_at or call.created_at,
        payload={"score": round(result.score.value, 1), "verdicts": verdicts,
                 "critical_violation": critical, "duration": call.duration or 0.0,
                 "carrier": call.carrier.code if call.carrier else None})


def rating_event(rating, operator: str) -> games.Event:
    """The ledger event of a subscriber's rating of a contact ``operator`` handled."""
    return games.Event("rating", str(rating.id), operator, rating.created_at, {"stars": rating.stars})


def award_rating_points(rating, operator: str) -> None:
    """A subscriber's rating goes to the ledger once (its id is the key); a refusal is logged."""
    try:
        with db.session.begin_nested():  # points are a bonus: the rating stands whatever happens
            game_ops.award_event(rating_event(rating, operator))
    except (game_ops.GamesOperationError, games.GamesError) as exc:
        log.info("rating %s for %s not awarded: %s", rating.id, operator, exc)
    db.session.commit()


def award_call_points(call, result) -> None:
    """Every change of a call's score goes to the points ledger (award once, then re-award)."""
    event = call_event(call, result)
    if event is None:
        return
    known = db.session.scalar(select(GameEvent.id).where(GameEvent.source_kind == "call",
                                                         GameEvent.source_id == str(call.id)))
    if known is None:
        game_ops.award_event(event)
    else:
        game_ops.reaward_event(event, note="оценка звонка изменилась")
    db.session.commit()


def award_training_event(
    kind: str, source_id: str, operator: str, occurred_at: datetime, payload: dict[str, Any]
) -> bool:
    """A ``listening`` or ``certification`` event for the points ledger; True when awarded.

    Points are a bonus: when the ledger refuses the event (the person is not an operator) or
    fails, it is logged and the exam or the listening task stands.

    :param kind: ``listening`` or ``certification`` (source kinds of :mod:`games.events`).
    :param source_id: the row it comes from (``assignment:12``, ``attempt:7``): the ledger's
        unique key, so the same completion never counts twice.
    """
    try:
        with db.session.begin_nested():  # a failure here must not undo the exam or the listening
            game_ops.award_event(games.Event(kind, source_id, operator, occurred_at, payload))
    except (game_ops.GamesOperationError, games.GamesError) as exc:
        log.info("%s event %s for %s not awarded: %s", kind, source_id, operator, exc)
        return False
    except Exception:  # noqa: BLE001 - points are a bonus; log the bug, keep the result
        log.exception("%s event %s for %s failed in the games area", kind, source_id, operator)
        return False
    return True


def award_ticket_points(ticket, within_sla: bool) -> None:
    """A resolved ticket goes to the ledger once (its number is the key) for the operator who
    had it; a manager or anyone else who is not an operator earns nothing, and it is logged."""
    operator = ticket.assignee
    try:
        with db.session.begin_nested():
            game_ops.award_event(games.Event("ticket", str(ticket.number), operator.login,
                                             ticket.resolved_at, {"resolved_within_sla": within_sla}))
    except (game_ops.GamesOperationError, games.GamesError) as exc:
        log.info("ticket #%s for %s not awarded: %s", ticket.number, operator.login, exc)
