"""What the queue is doing: depth, counts by status, recent failures."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from app.extensions import db
from app.jobs import queue
from app.models import JOB_STATES, Job


def snapshot(limit: int = 20) -> dict[str, Any]:
    counts = dict.fromkeys(JOB_STATES, 0)
    counts.update(db.session.execute(select(Job.status, func.count()).group_by(Job.status)).all())
    failed = db.session.scalars(
        select(Job).where(Job.status == "failed").order_by(Job.id.desc()).limit(limit)
    ).all()
    recent = db.session.scalars(select(Job).order_by(Job.id.desc()).limit(limit)).all()
    try:
        depth = queue.depth()
        backend_error = None
    except Exception as exc:  # noqa: BLE001 - the page must show a broken backend, not crash
        depth, backend_error = {"pending": None, "scheduled": None}, str(exc)
    return {"depth": depth, "counts": counts, "failed": failed, "recent": recent,
            "backend_error": backend_error}


def as_json(snap: dict[str, Any]) -> dict[str, Any]:
    def job(j: Job) -> dict[str, Any]:
        return {"id": j.id, "kind": j.kind, "status": j.status, "attempts": j.attempts,
                "error": j.last_error, "created_at": j.created_at.isoformat()}

    return {"depth": snap["depth"], "counts": snap["counts"],
            "failed": [job(j) for j in snap["failed"]], "backend_error": snap["backend_error"]}
