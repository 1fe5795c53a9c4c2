"""The job worker: a huey consumer bound to one application."""

from __future__ import annotations

import logging
import threading

from flask import Flask

from app.features import periodic_tasks
from app.jobs.operations import recover_jobs
from app.jobs.queue import bind_worker_app

log = logging.getLogger("ulybka.worker")


def run_worker(app: Flask, workers: int = 1) -> None:
    from speech.memory import limit_malloc_arenas

    limit_malloc_arenas()  # before the consumer, warm-up and transcription threads start
    huey = bind_worker_app(app)

    @huey.on_startup()
    def recover_on_start() -> None:
        with app.app_context():
            recover_jobs()

    for task in periodic_tasks():  # e.g. today's listening now, not at the next quarter hour
        if task.at_start:
            huey.ulybka_periodic[task.name]()
    warm = threading.Thread(target=_warm_up, args=(app,), name="speech-warm-up", daemon=True)
    warm.start()
    consumer = huey.create_consumer(workers=workers, worker_type="thread", periodic=True,
                                    check_worker_health=True, initial_delay=0.1, max_delay=1.0)
    log.info("worker started: %s", app.config["ULYBKA"].redis_url or app.config["ULYBKA"].queue_path)
    consumer.run()


def _warm_up(app: Flask) -> None:
    """Load the speech model and compile the acoustics kernels once, off the request path.

    Runs beside the consumer so a queue of diagnostic jobs is not held up; a call arriving
    meanwhile waits on the same per-process model cache instead of loading it twice.
    """
    import speech

    try:
        speech.warm_up(model_cache=app.config["ULYBKA"].model_dir)
        log.info("speech model and acoustics warmed up")
    except speech.SpeechError as exc:  # the worker still runs other jobs; calls will say why
        log.error("speech warm-up failed: %s", exc)
