"""Background jobs: enqueue, execute with retries, recover after a crash.

A job is a row in ``jobs`` (kind, args, status, attempts) plus a huey message carrying its id.
Handlers are registered by kind with :func:`handler`; they take the job's args and the job id.
"""

from __future__ import annotations

import logging
import os
import socket
import traceback
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from sqlalchemy import select, update

from app.extensions import db
from app.jobs import queue
from app.models import Job, utcnow

log = logging.getLogger("ulybka.jobs")

Handler = Callable[[dict[str, Any], int], None]
HANDLERS: dict[str, Handler] = {}
RETRY_DELAYS = (5, 30, 120)
LEASE = timedelta(hours=2)


class JobError(Exception):
    """A job failed in an expected way; the message is shown to people as the reason."""


def handler(kind: str) -> Callable[[Handler], Handler]:
    def register(fn: Handler) -> Handler:
        HANDLERS[kind] = fn
        return fn

    return register


def worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def enqueue(kind: str, *, max_attempts: int = 3, **args: Any) -> Job:
    """Journal a job and put it on the queue. Call after the caller's data is committed."""
    if kind not in HANDLERS:
        raise KeyError(f"unknown job kind {kind!r}; known: {', '.join(sorted(HANDLERS))}")
    job = Job(kind=kind, args=args, max_attempts=max_attempts)
    db.session.add(job)
    db.session.commit()
    queue.send(job.id)
    return job


def _claim(job_id: int) -> Job | None:
    claimed = db.session.execute(
        update(Job)
        .where(Job.id == job_id, Job.status == "queued")
        .values(status="running", attempts=Job.attempts + 1, worker=worker_id(), started_at=utcnow())
    ).rowcount
    db.session.commit()
    return db.session.get(Job, job_id) if claimed else None


def execute_job(job_id: int) -> None:
    """Run one job: claim it, call its handler, record the outcome, schedule a retry."""
    job = _claim(job_id)
    if job is None:
        log.info("job %s is not queued any more; skipped", job_id)
        return
    fn = HANDLERS.get(job.kind)
    try:
        if fn is None:
            raise JobError(f"unknown job kind {job.kind!r}")
        fn(dict(job.args), job.id)
    except Exception as exc:  # noqa: BLE001 - every failure is journalled
        db.session.rollback()
        job = db.session.get(Job, job_id)
        job.last_error = str(exc) if isinstance(exc, JobError) else (
            f"{type(exc).__name__}: {exc}\n{traceback.format_exc(limit=5)}"
        )
        retry = job.attempts < job.max_attempts and not isinstance(exc, JobError)
        job.status = "queued" if retry else "failed"
        job.finished_at = None if retry else utcnow()
        db.session.commit()
        log.warning("job %s (%s) attempt %s failed: %s", job.id, job.kind, job.attempts, exc)
        if retry:
            queue.send(job.id, delay=RETRY_DELAYS[min(job.attempts, len(RETRY_DELAYS)) - 1])
        else:
            _on_final_failure(job)
        return
    job.status, job.finished_at, job.last_error = "done", utcnow(), None
    db.session.commit()


FAILURE_HOOKS: dict[str, Callable[[Job], None]] = {}


def _on_final_failure(job: Job) -> None:
    hook = FAILURE_HOOKS.get(job.kind)
    if hook is not None:
        hook(job)
        db.session.commit()


def _worker_dead(worker: str | None) -> bool:
    if not worker:
        return True
    host, _, pid = worker.rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return False
    if int(pid) == os.getpid():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def recover_jobs() -> list[int]:
    """Put back on the queue the jobs a dead worker held and the queued ones huey lost."""
    now = utcnow()
    requeued: list[int] = []
    in_queue = queue.pending_job_ids()
    rows = db.session.scalars(select(Job).where(Job.status.in_(("queued", "running")))).all()
    for job in rows:
        if job.status == "running" and (_worker_dead(job.worker) or now - job.started_at > LEASE):
            job.status = "queued"
            job.last_error = f"worker {job.worker} stopped while running the job; requeued"
        elif job.status != "queued" or job.id in in_queue:
            continue
        requeued.append(job.id)
    db.session.commit()
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
