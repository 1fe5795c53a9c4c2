"""The huey queue: SQLite in the data dir by default, Redis when ``REDIS_URL`` is set.

The task code is the same on both. Huey only carries job ids; the durable state of each job is
its row in ``jobs`` (see :mod:`app.jobs.operations`), so a worker killed halfway loses nothing:
:func:`app.jobs.runner.lost_jobs` finds its jobs and they go back on the queue. Periodic tasks
come from the feature registry (:class:`app.features.Periodic`); the queue names no feature.
"""

from __future__ import annotations

import threading
from typing import Any

from flask import Flask, current_app
from huey import Huey, RedisHuey, SqliteHuey, crontab

from app.config import Settings
from app.features import Periodic, periodic_tasks
from app.jobs import runner

_lock = threading.Lock()
_queues: dict[str, Huey] = {}
_worker_app: dict[str, Flask] = {}


def queue_location(settings: Settings) -> str:
    return settings.redis_url or f"sqlite:{settings.queue_path}"


def make_huey(settings: Settings, name: str = "ulybka") -> Huey:
    if settings.redis_url:
        return RedisHuey(name, url=settings.redis_url, results=False)
    return SqliteHuey(name, filename=str(settings.queue_path), results=False, timeout=15)


def get_huey(app: Flask | None = None) -> Huey:
    """The huey instance of an app's settings, with Ulybka's tasks registered (one per location)."""
    app = app or current_app._get_current_object()
    settings: Settings = app.config["ULYBKA"]
    location = queue_location(settings)
    with _lock:
        huey = _queues.get(location)
        if huey is None:
            huey = make_huey(settings)
            _register_tasks(huey)
            _queues[location] = huey
        _worker_app.setdefault(location, app)
    return huey


def bind_worker_app(app: Flask) -> Huey:
    """Make ``app`` the application tasks run in (the worker process calls this)."""
    huey = get_huey(app)
    _worker_app[queue_location(app.config["ULYBKA"])] = app

    @huey.post_execute()
    def give_back_memory(_task: object, _value: object, _exc: object) -> None:
        """A 5-minute call's freed buffers go back to the system before the next job."""
        from speech import memory

        memory.release_free_memory()

    return huey


def _register_tasks(huey: Huey) -> None:
    location_key = {"huey": huey}

    @huey.task(name="run_job", retries=0)
    def run_job(job_id: int) -> None:
        with _app_for(location_key["huey"]).app_context():
            delay = runner.execute_job(job_id)
            if delay is not None:
                send(job_id, delay=delay)

    @huey.periodic_task(crontab(minute="*"), name="recover_jobs")
    def recover() -> None:
        with _app_for(location_key["huey"]).app_context():
            for job_id in runner.lost_jobs(pending_job_ids()):
                send(job_id)

    huey.ulybka_run_job = run_job  # type: ignore[attr-defined]
    huey.ulybka_periodic = {  # type: ignore[attr-defined]
        task.name: _register_periodic(huey, task, location_key) for task in periodic_tasks()
    }


def _register_periodic(huey: Huey, task: Periodic, location_key: dict[str, Huey]) -> Any:
    """A feature's periodic task as a huey periodic task, run in the worker's app context;
    calling what this returns enqueues one run now."""

    def run() -> None:
        with _app_for(location_key["huey"]).app_context():
            run_periodic(task)

    run.__doc__ = task.run.__doc__
    return huey.periodic_task(crontab(**task.schedule), name=task.name)(run)


def run_periodic(task: Periodic) -> None:
    """Run one periodic task now, in the current app context, and commit what it wrote."""
    from app.extensions import db

    try:
        task.run()
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise


def _app_for(huey: Huey) -> Flask:
    for location, registered in _queues.items():
        if registered is huey:
            return _worker_app[location]
    raise RuntimeError("no application bound to this queue")


def send(job_id: int, delay: float | None = None) -> None:
    huey = get_huey()
    task = huey.ulybka_run_job  # type: ignore[attr-defined]
    if delay:
        task.schedule((job_id,), delay=delay)
    else:
        task(job_id)


def depth() -> dict[str, int]:
    huey = get_huey()
    return {"pending": huey.pending_count(), "scheduled": huey.scheduled_count()}


def pending_job_ids() -> set[int]:
    huey = get_huey()
    ids: set[int] = set()
    for task in list(huey.pending()) + list(huey.scheduled()):
        if task.name.endswith("run_job") and task.args:
            ids.add(int(task.args[0]))
    return ids
