"""The audit log: who changed what."""

from __future__ import annotations

import logging
from typing import Any

from app.extensions import db
from app.models import AuditEntry, User

log = logging.getLogger("ulybka.audit")


def record(actor: User | None, action: str, target_type: str, target_id: Any = None,
           **details: Any) -> AuditEntry:
    entry = AuditEntry(
        actor_id=actor.id if actor is not None else None,
        action=action,
        target_type=target_type,
        target_id=None if target_id is None else str(target_id),
        details=details,
    )
    db.session.add(entry)
    log.debug("%s %s %s:%s %s", actor.login if actor else "-", action, target_type, target_id, details)
    return entry
