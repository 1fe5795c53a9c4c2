"""Background jobs: enqueue, execute with retries, recover after a crash.

A job is a row in ``jobs`` (kind, args, status, attempts) plus a huey message carrying its id.
Job kinds come from the feature registry (:class:`app.features.JobKind`: ``run(args, job_id)``
and ``on_failure(job)`` after the last attempt). :func:`enqueue` writes the row in the caller's
transaction and sends the message only once that transaction commits, so a job never runs
against rows its caller rolled back, and the caller's commit stays the caller's.
"""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session

from app.extensions import db
from app.features import job_kinds
from app.jobs import queue, runner
from app.jobs.runner import JobError, worker_id
from app.models import Job

log = logging.getLogger("ulybka.jobs")

OUTBOX = "ulybka_jobs_to_send"  # Session.info key: ids of jobs to send once the session commits
__all__ = ["JobError", "enqueue", "execute_job", "recover_jobs", "retry_job", "worker_id"]


def enqueue(kind: str, *, max_attempts: int = 3, **args: Any) -> Job:
    """Journal a job in the caller's transaction; it goes on the queue when the caller commits
    (and not at all when the caller rolls back).

    :raises KeyError: no feature declares ``kind``.
    """
    kinds = job_kinds()
    if kind not in kinds:
        raise KeyError(f"unknown job kind {kind!r}; known: {', '.join(sorted(kinds))}")
    job = Job(kind=kind, args=args, max_attempts=max_attempts)
    db.session.add(job)
    db.session.flush()
    db.session.info.setdefault(OUTBOX, []).append(job.id)
    return job


@event.listens_for(Session, "after_commit")
def _send_committed(session: Session) -> None:
    for job_id in session.info.pop(OUTBOX, ()):
        try:
            queue.send(job_id)
        except Exception:  # noqa: BLE001 - the row is journalled: recover_jobs sends it later
            log.exception("job %s committed but not sent; the next recovery sends it", job_id)


@event.listens_for(Session, "after_rollback")
def _forget_rolled_back(session: Session) -> None:
    session.info.pop(OUTBOX, None)


def execute_job(job_id: int) -> None:
    """Run one job now, in this process; a retry goes back on the queue with its delay."""
    delay = runner.execute_job(job_id)
    if delay is not None:
        queue.send(job_id, delay=delay)


def recover_jobs() -> list[int]:
    """Put back on the queue the jobs a dead worker held and the queued ones huey lost."""
    requeued = runner.lost_jobs(queue.pending_job_ids())
    for job_id in requeued:
        queue.send(job_id)
    if requeued:
        log.info("recovered jobs %s", requeued)
    return requeued


def retry_job(job: Job) -> None:
    """Give a failed job a fresh set of attempts (a manager's action)."""
    job.status, job.attempts, job.finished_at = "queued", 0, None
    db.session.commit()
    queue.send(job.id)
