"""The one hook from training and certification into the points ledger.

``app/games/operations.py`` (the games area) provides ``award_event(games.Event)``; when it is
missing, or refuses the event (the person is not an operator), the event is only logged, so
listening and exams never fail because of points.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

log = logging.getLogger("ulybka.training")


def award_training_event(
    kind: str, source_id: str, operator: str, occurred_at: datetime, payload: dict[str, Any]
) -> bool:
    """Send a ``listening`` or ``certification`` event to the points ledger; True when sent.

    :param kind: ``listening`` or ``certification`` (source kinds of :mod:`games.events`).
    :param source_id: the row it comes from (``assignment:12``, ``attempt:7``): the ledger's
        unique key, so the same completion never counts twice.
    """
    try:
        from app.games.operations import GamesOperationError, award_event
    except ImportError:
        log.info("games not installed; %s event %s for %s not awarded", kind, source_id, operator)
        return False
    import games
    from app.extensions import db

    try:
        with db.session.begin_nested():  # a failure here must not undo the exam or the listening
            award_event(games.Event(kind, source_id, operator, occurred_at, payload))
    except (GamesOperationError, games.GamesError) as exc:
        log.info("%s event %s for %s not awarded: %s", kind, source_id, operator, exc)
        return False
    except Exception:  # noqa: BLE001 - points are a bonus; log the bug, keep the result
        log.exception("%s event %s for %s failed in the games area", kind, source_id, operator)
        return False
    return True
