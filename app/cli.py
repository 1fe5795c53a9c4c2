"""The ``ulybka`` command line."""

from __future__ import annotations

import functools
import json
import os
import subprocess
import sys
from collections.abc import Callable
from typing import Any

import click
from flask import Flask

from app.config import ConfigError


class CliError(click.ClickException):
    """An error the user can act on: printed as one line, exit code 2."""

    exit_code = 2


def make_app() -> Flask:
    from app import create_app

    try:
        return create_app()
    except ConfigError as exc:
        raise CliError(str(exc)) from None


def with_app(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Run the command inside an application context, on a database whose schema is up to date
    (else a clear error instead of a traceback; ``migrate`` itself is exempt)."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        app = make_app()
        with app.app_context():
            if fn.__name__ != "migrate":
                _require_current_schema()
            return fn(app, *args, **kwargs)

    return wrapper


def _require_current_schema() -> None:
    from app.database import schema_is_current

    if not schema_is_current():
        raise CliError(
            "База данных ещё не создана или её схема устарела. "
            "Выполните «ulybka migrate» (или «make run»: он делает это сам) и повторите команду."
        )


def emit(data: Any, as_json: bool, text: str | None = None) -> None:
    if as_json:
        click.echo(json.dumps(data, ensure_ascii=False, indent=1, default=str))
    elif text is not None:
        click.echo(text)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="ulybka")
def main() -> None:
    """Ulybka: quality management and training for a contact centre."""


@main.command()
@click.option("--revision", default="heads", show_default=True, help="Target revision.")
@with_app
def migrate(app: Flask, revision: str) -> None:
    """Bring the database schema up to date (Alembic migrations)."""
    from app.database import upgrade_database

    upgrade_database(revision)
    click.echo(f"database at {revision}")


@main.command()
@click.option("--if-empty", is_flag=True, help="Only seed when the database has no users.")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@with_app
def demo(app: Flask, if_empty: bool, as_json: bool) -> None:
    """Fill the database with a believable demo contact centre (idempotent)."""
    from app.demo import seed_demo

    report = seed_demo(only_if_empty=if_empty)
    emit(report, as_json, report["text"])


@main.group()
def users() -> None:
    """Manage users."""


@users.command("create")
@click.argument("login")
@click.option("--name", "full_name", required=True, help="Full name, e.g. «Анна Смирнова».")
@click.option("--role", type=click.Choice(["operator", "qa_listener", "manager", "admin", "subscriber"]),
              required=True)
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@with_app
def users_create(app: Flask, login: str, full_name: str, role: str, password: str, as_json: bool) -> None:
    """Create a user."""
    from app import users as ops
    from app.extensions import db

    try:
        user = ops.create_user(login, full_name, role, password)
    except ops.UserError as exc:
        raise CliError(str(exc)) from None
    db.session.commit()
    emit({"id": user.id, "login": user.login, "role": user.role}, as_json,
         f"created {user.role} {user.login}")


@main.group()
def apikey() -> None:
    """Manage API keys."""


@apikey.command("create")
@click.argument("login")
@click.option("--name", default="CLI", show_default=True, help="What the key is for.")
@click.option("--json", "as_json", is_flag=True, help="Print {\"key\": ...}.")
@with_app
def apikey_create(app: Flask, login: str, name: str, as_json: bool) -> None:
    """Issue an API key for LOGIN; the key is printed once."""
    from app import users as ops
    from app.extensions import db

    user = ops.find_user(login)
    if user is None:
        raise CliError(f"no user with login {login!r}")
    try:
        _, plain = ops.issue_api_key(user, name, actor=None)
    except ops.UserError as exc:
        raise CliError(str(exc)) from None
    db.session.commit()
    emit({"key": plain}, as_json, plain)


@main.group()
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
    from app.jobs.operations import enqueue

    job = enqueue("diagnostics.echo", message="ping")
    emit({"job": job.id, "status": job.status}, as_json, f"job {job.id} queued")


@main.command()
@click.option("--workers", default=1, show_default=True, help="Parallel job threads.")
def worker(workers: int) -> None:
    """Run the job worker (huey consumer)."""
    from app.worker import run_worker

    run_worker(make_app(), workers)


def serve_http(host: str, port: int, processes: int, threads: int) -> None:
    """Serve ``app.create_app`` over HTTP until SIGINT or SIGTERM (granian, WSGI).

    The server binds the socket, forks ``processes`` workers that each build their own app (no
    database connection crosses a fork) and run it on ``threads`` threads, and starts a worker
    again when one dies. On SIGINT/SIGTERM it stops them (killing one that is still busy after
    15 s) and returns.

    :param processes: worker processes sharing the listening socket (one per CPU core).
    :param threads: threads per process running the app.
    """
    from granian.constants import Interfaces
    from granian.server import Server

    Server("app:create_app", factory=True, interface=Interfaces.WSGI, address=host, port=port,
           workers=processes, blocking_threads=threads, websockets=False, backlog=2048,
           respawn_failed_workers=True, workers_kill_timeout=15).serve()


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--threads", default=4, show_default=True, type=click.IntRange(1, 256),
              help="Threads per process.")
@click.option("--processes", default=1, show_default=True, type=click.IntRange(1, 64),
              help="Processes sharing the listening socket (e.g. one per CPU core).")
def serve(host: str, port: int, threads: int, processes: int) -> None:
    """Serve the web application (granian)."""
    make_app()  # a configuration error stops here, before any fork
    click.echo(f"Ulybka is serving on http://{host}:{port} ({processes} processes × {threads} threads)")
    serve_http(host, port, processes, threads)


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
def run(host: str, port: int) -> None:
    """Everything for a single machine: migrate, seed the demo when empty, worker + web."""
    app = make_app()
    with app.app_context():
        from app.database import upgrade_database
        from app.demo import seed_demo
        from app.extensions import db

        upgrade_database("heads")
        report = seed_demo(only_if_empty=True)
        db.engine.dispose()  # the server forks: no open database connection may cross it
    click.echo(report["text"])
    worker_proc = subprocess.Popen([sys.executable, "-m", "app", "worker"], env=os.environ.copy())
    try:
        click.echo(f"\nUlybka: http://{host}:{port}  (Ctrl+C to stop)")
        # the server handles SIGINT/SIGTERM itself and returns; the worker stops with it
        serve_http(host, port, 1, 4)
    finally:
        worker_proc.terminate()
        worker_proc.wait(timeout=30)


def _load_commands() -> None:
    """Feature areas attach their commands to ``main`` in their own ``cli`` modules."""
    from app.calls import cli as _calls_cli  # noqa: F401
    from app.games import cli as _games_cli  # noqa: F401
    from app.kb import cli as _kb_cli  # noqa: F401


_load_commands()

if __name__ == "__main__":
    main()
