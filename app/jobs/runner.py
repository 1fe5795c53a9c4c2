"""Running journalled jobs, on the worker's side: claim, run, record; find the lost ones.

Nothing here sends to the queue: :func:`execute_job` returns the delay of a retry and
:func:`lost_jobs` the ids to send again; :mod:`app.jobs.queue` (the worker's task) and
:mod:`app.jobs.operations` send them.
"""

from __future__ import annotations

import logging
import os
import socket
import traceback
from datetime import timedelta

from sqlalchemy import select, update

from app.extensions import db
from app.features import job_kinds
from app.models import Job, utcnow

log = logging.getLogger("ulybka.jobs")

RETRY_DELAYS = (5, 30, 120)
LEASE = timedelta(hours=2)


class JobError(Exception):
    """A job failed in an expected way; the message is shown to people as the reason."""


def worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def _claim(job_id: int) -> Job | None:
    claimed = db.session.execute(
        update(Job)
        .where(Job.id == job_id, Job.status == "queued")
        .values(status="running", attempts=Job.attempts + 1, worker=worker_id(), started_at=utcnow())
    ).rowcount
    db.session.commit()
    return db.session.get(Job, job_id) if claimed else None


def execute_job(job_id: int) -> float | None:
    """Run one job: claim it, call its kind's ``run``, record the outcome.

    :returns: the delay in seconds after which the job is to be tried again, or None.
    """
    job = _claim(job_id)
    if job is None:
        log.info("job %s is not queued any more; skipped", job_id)
        return None
    kind = job_kinds().get(job.kind)
    try:
        if kind is None:
            raise JobError(f"unknown job kind {job.kind!r}")
        kind.run(dict(job.args), job.id)
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
            return RETRY_DELAYS[min(job.attempts, len(RETRY_DELAYS)) - 1]
        _on_final_failure(job)
        return None
    job.status, job.finished_at, job.last_error = "done", utcnow(), None
    db.session.commit()
    return None


def _on_final_failure(job: Job) -> None:
    kind = job_kinds().get(job.kind)
    if kind is not None and kind.on_failure is not None:
        kind.on_failure(job)
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


def lost_jobs(in_queue: set[int]) -> list[int]:
    """The jobs to put back on the queue: those a dead worker held (marked queued again) and the
    queued ones missing from the queue (``in_queue``: the ids it holds)."""
    now = utcnow()
    requeued: list[int] = []
    rows = db.session.scalars(select(Job).where(Job.status.in_(("queued", "running")))).all()
    for job in rows:
        if job.status == "running" and (_worker_dead(job.worker) or now - job.started_at > LEASE):
            job.status = "queued"
            job.last_error = f"worker {job.worker} stopped while running the job; requeued"
        elif job.status != "queued" or job.id in in_queue:
            continue
        requeued.append(job.id)
    db.session.commit()
    return requeued
