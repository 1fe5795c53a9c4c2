"""The job queue on both backends: tasks run, retry, fail visibly and survive a killed worker."""

from __future__ import annotations

import dataclasses
import os
import signal
import subprocess
import sys
import time

import pytest
from sqlalchemy import select

from app.extensions import db
from app.jobs import operations, queue
from app.models import AuditEntry, Job
from tests.conftest import build_app

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def redis_available() -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_timeout=1).ping())
    except redis.RedisError:
        return False


@pytest.fixture(params=["sqlite", "redis"])
def queue_app(request, migrated):
    if request.param == "redis" and not redis_available():
        if os.environ.get("CI"):
            pytest.fail(f"Redis is required in CI for the queue tests ({REDIS_URL})")
        pytest.skip(f"no Redis at {REDIS_URL}")
    settings = dataclasses.replace(migrated, redis_url=REDIS_URL if request.param == "redis" else None)
    app = build_app(settings)
    with app.app_context():
        huey = queue.bind_worker_app(app)
        huey.flush()
        yield app
        huey.flush()
        db.session.rollback()
        from tests.conftest import _wipe

        _wipe()
        db.session.remove()


def run_pending(huey, limit: int = 10) -> int:
    done = 0
    while done < limit:
        task = huey.dequeue()
        if task is None:
            break
        huey.execute(task)
        done += 1
    return done


def run_scheduled(huey) -> int:
    """Run the delayed tasks now, as if their time had come."""
    from datetime import datetime, timedelta

    later = datetime.now() + timedelta(hours=1)
    tasks = huey.read_schedule(later)
    for task in tasks:
        huey.execute(task, timestamp=later)
    return len(tasks)


def test_task_runs_through_the_queue(queue_app):
    huey = queue.get_huey()
    job = operations.enqueue("diagnostics.echo", message="привет")
    assert queue.depth()["pending"] == 0  # journalled in the caller's transaction, not sent yet
    db.session.commit()
    assert queue.depth()["pending"] == 1
    assert run_pending(huey) == 1
    db.session.expire_all()
    assert db.session.get(Job, job.id).status == "done"
    assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "diagnostics.echo"))


def test_failed_task_is_retried_then_succeeds(queue_app):
    huey = queue.get_huey()
    job = operations.enqueue("diagnostics.echo", fail_times=1)
    db.session.commit()
    run_pending(huey)
    db.session.expire_all()
    row = db.session.get(Job, job.id)
    assert (row.status, row.attempts) == ("queued", 1)
    assert "requested failure" in row.last_error
    assert queue.depth()["scheduled"] == 1
    assert run_scheduled(huey) == 1
    db.session.expire_all()
    row = db.session.get(Job, job.id)
    assert (row.status, row.attempts) == ("done", 2)


def test_task_fails_after_its_attempts_and_can_be_retried(queue_app):
    huey = queue.get_huey()
    job = operations.enqueue("diagnostics.echo", fail_times=10, max_attempts=2)
    db.session.commit()
    run_pending(huey)
    run_scheduled(huey)
    db.session.expire_all()
    row = db.session.get(Job, job.id)
    assert (row.status, row.attempts) == ("failed", 2)
    client = queue_app.test_client()
    operations.retry_job(row)
    assert (row.status, row.attempts) == ("queued", 0)
    assert queue.depth()["pending"] == 1
    assert client is not None


def test_recovery_requeues_jobs_of_a_dead_worker(queue_app):
    from app.models import utcnow

    job = Job(kind="diagnostics.echo", args={}, status="running", attempts=1,
              worker=f"{os.uname().nodename}:999999", started_at=utcnow())
    lost = Job(kind="diagnostics.echo", args={}, status="queued")
    db.session.add_all([job, lost])
    db.session.commit()
    assert sorted(operations.recover_jobs()) == sorted([job.id, lost.id])
    assert queue.depth()["pending"] == 2
    assert operations.recover_jobs() == []  # nothing twice


def test_a_job_of_a_rolled_back_transaction_is_never_sent(queue_app):
    """enqueue leaves the commit to its caller: rolled back, the job neither exists nor runs."""
    operations.enqueue("diagnostics.echo", message="передумали")
    db.session.rollback()
    assert queue.depth()["pending"] == 0 and db.session.query(Job).count() == 0
    operations.enqueue("diagnostics.echo", message="теперь да")
    db.session.commit()
    assert queue.depth()["pending"] == 1 and db.session.query(Job).count() == 1


def test_a_job_committed_while_the_queue_is_down_is_sent_by_recovery(queue_app, monkeypatch):
    def down(*args, **kwargs):
        raise ConnectionError("queue unreachable")

    monkeypatch.setattr(queue, "send", down)
    job = operations.enqueue("diagnostics.echo", message="позже")
    db.session.commit()  # the caller's commit stands although the send failed
    monkeypatch.undo()
    assert queue.depth()["pending"] == 0 and db.session.get(Job, job.id).status == "queued"
    assert operations.recover_jobs() == [job.id]
    assert queue.depth()["pending"] == 1


def test_unknown_kind_is_refused(queue_app):
    with pytest.raises(KeyError, match="unknown job kind"):
        operations.enqueue("no.such.kind")


def wait_for(predicate, timeout: float = 60.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


def test_job_of_a_killed_worker_is_finished_by_the_next(queue_app):
    settings = queue_app.config["ULYBKA"]
    env = {**os.environ, "ULYBKA_DATA_DIR": str(settings.data_dir),
           "DATABASE_URL": settings.database_url, "SECRET_KEY": "test-secret"}
    env.pop("REDIS_URL", None)
    if settings.redis_url:
        env["REDIS_URL"] = settings.redis_url
    job = operations.enqueue("diagnostics.sleep", seconds=3)
    db.session.commit()

    def status() -> str:
        db.session.expire_all()
        return db.session.get(Job, job.id).status

    worker = subprocess.Popen([sys.executable, "-m", "app", "worker"], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        assert wait_for(lambda: status() == "running"), "first worker never started the job"
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=10)
        assert status() == "running"  # the journal still says so: nobody finished it
    finally:
        if worker.poll() is None:
            worker.kill()
    second = subprocess.Popen([sys.executable, "-m", "app", "worker"], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        assert wait_for(lambda: status() == "done"), "the next worker did not finish the job"
        assert db.session.get(Job, job.id).attempts == 2
    finally:
        second.terminate()
        second.wait(timeout=20)


def test_status_page_and_api_show_failures(queue_app, make_user):
    from app import users

    job = Job(kind="diagnostics.echo", args={}, status="failed", attempts=3, last_error="boom")
    db.session.add(job)
    boss = make_user("boss", role="manager")
    _, key = users.issue_api_key(boss, "t", actor=None)
    db.session.commit()
    client = queue_app.test_client()
    data = client.get("/api/v1/jobs", headers={"Authorization": f"Bearer {key}"}).json
    assert data["counts"]["failed"] == 1 and data["failed"][0]["error"] == "boom"
    assert "pending" in data["depth"]


def test_worker_gives_freed_memory_back_after_each_job(queue_app, monkeypatch):
    from speech import memory

    calls = []
    monkeypatch.setattr(memory, "release_free_memory", lambda: calls.append(1) or True)
    huey = queue.get_huey(queue_app)
    operations.enqueue("diagnostics.echo", message="one")
    operations.enqueue("diagnostics.echo", message="two")
    db.session.commit()
    assert run_pending(huey) == 2
    assert len(calls) == 2


def test_the_worker_makes_the_days_listening_assignments(queue_app, make_user):
    """A periodic task of the worker (every 15 minutes) assigns today's listening to everyone."""
    from datetime import UTC, date, datetime, timedelta

    from app.models import Call, ListeningAssignment

    author = make_user("author", role="operator")
    make_user("listener", role="qa_listener")
    for n in range(6):
        db.session.add(Call(sha256=f"{n:064d}", original_name=f"{n}.wav", stored_path=f"x/{n}",
                            size_bytes=1, operator_id=author.id, status="done",
                            created_at=datetime.now(UTC) - timedelta(days=1, hours=n)))
    db.session.commit()
    huey = queue.get_huey(queue_app)
    due = {task.name: task for task in huey.read_periodic(datetime(2026, 11, 25, 9, 15))}
    assert "assign_listening" in due
    assert "assign_listening" not in {t.name for t in huey.read_periodic(datetime(2026, 11, 25, 9, 16))}

    huey.execute(due["assign_listening"])
    huey.execute(due["assign_listening"])  # idempotent
    db.session.expire_all()
    rows = db.session.query(ListeningAssignment).filter_by(day=date.today()).all()
    mine = [a for a in rows if a.user.login == "listener"]
    assert len(mine) == 5 and len({a.call_id for a in mine}) == 5  # LISTENING_PER_LISTENER


def test_worker_start_queues_the_days_listening(queue_app, monkeypatch):
    """A worker started mid-morning assigns today's listening at once."""
    from types import SimpleNamespace

    from app import worker
    from speech import memory

    huey = queue.get_huey(queue_app)
    monkeypatch.setattr(memory, "limit_malloc_arenas", lambda: None)
    monkeypatch.setattr(worker, "_warm_up", lambda app: None)
    monkeypatch.setattr(huey, "create_consumer", lambda **options: SimpleNamespace(run=lambda: None))
    worker.run_worker(queue_app)
    assert [task.name for task in huey.pending()] == ["assign_listening"]
