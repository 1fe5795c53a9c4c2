"""The keep period of recordings: audio older than ``ULYBKA_AUDIO_KEEP_DAYS`` is removed.

The call stays with its transcript, verdicts, grades and points; only the file goes, and the
call records when (``audio_removed_at``). A call with an open dispute keeps its recording until
the dispute is decided. A file may back several calls only if they share a hash, which the store
forbids, so removing it touches one call.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import func, select

from app.calls import store
from app.extensions import db
from app.models import Call, Dispute, utcnow

log = logging.getLogger("ulybka.calls")
BATCH = 500


def remove_old_audio(keep_days: int, now: datetime | None = None) -> dict[str, int]:
    """Remove the recordings of calls older than ``keep_days`` (by start, else by arrival).

    :returns: ``{"removed": calls whose audio went, "bytes": freed, "kept_for_disputes": N}``.
    """
    if keep_days <= 0:
        raise ValueError("keep_days must be a positive number of days")
    now = now or utcnow()
    cutoff = now - timedelta(days=keep_days)
    moment = func.coalesce(Call.started_at, Call.created_at)
    disputed = select(Dispute.id).where(Dispute.call_id == Call.id, Dispute.status == "open").exists()
    old = (select(Call).where(Call.audio_removed_at.is_(None), moment < cutoff, Call.source != "chat")
           .order_by(Call.id))
    kept = db.session.scalar(select(func.count()).select_from(old.where(disputed).subquery())) or 0
    removed = freed = 0
    last_id = 0
    while batch := db.session.scalars(old.where(~disputed, Call.id > last_id).limit(BATCH)).all():
        for call in batch:
            path = store.audio_path(call)
            try:
                freed += path.stat().st_size
                path.unlink()
            except FileNotFoundError:
                pass  # already gone: the call still learns that it has no recording
            call.audio_removed_at = now
            removed += 1
            last_id = call.id
        db.session.commit()
    if removed:
        log.info("removed the recordings of %d call(s) older than %d days (%d bytes)",
                 removed, keep_days, freed)
    return {"removed": removed, "bytes": freed, "kept_for_disputes": kept}


def periodic_remove() -> None:
    """The daily task: apply the configured keep period (nothing when it is 0, for ever)."""
    days = current_app.config["ULYBKA"].audio_keep_days
    if days > 0:
        remove_old_audio(days)
