"""``ulybka jobs status|ping`` and ``ulybka worker``."""

from __future__ import annotations

import click
from flask import Flask

from app.console import current_app_of_cli, emit, with_app


@click.group()
def jobs() -> None:
    """Inspect and test the job queue."""


@jobs.command("status")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@with_app
def jobs_status(app: Flask, as_json: bool) -> None:
    """Queue depth, job counts and failures."""
    from app.jobs import status

    snap = status.as_json(status.snapshot())
    text = (f"pending {snap['depth']['pending']}, scheduled {snap['depth']['scheduled']}, "
            + ", ".join(f"{k} {v}" for k, v in snap["counts"].items()))
    emit(snap, as_json, text)


@jobs.command("ping")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@with_app
def jobs_ping(app: Flask, as_json: bool) -> None:
    """Enqueue a diagnostic job (a running worker completes it)."""
    from app.extensions import db
    from app.jobs.operations import enqueue

    job = enqueue("diagnostics.echo", message="ping")
    db.session.commit()  # the job goes on the queue with the commit
    emit({"job": job.id, "status": job.status}, as_json, f"job {job.id} queued")


@click.command()
@click.option("--workers", default=1, show_default=True, help="Parallel job threads.")
def worker(workers: int) -> None:
    """Run the job worker (huey consumer)."""
    from app.worker import run_worker

    run_worker(current_app_of_cli(), workers)
