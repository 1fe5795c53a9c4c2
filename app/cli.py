"""The ``ulybka`` command line: its root group and the commands of the whole installation.

The root knows no feature: each feature declares its commands (:class:`app.features.Feature`)
and they are added here from the registry. ``run`` starts the web server and every process the
features declare (the job worker, ...). Shared helpers are in :mod:`app.console`.
"""

from __future__ import annotations

import os
import subprocess
import sys

import click
from flask import Flask

from app import features
from app.console import CliError, current_app_of_cli, emit, make_app, with_app

__all__ = ["CliError", "main"]


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
    """Everything for a single machine: migrate, seed the demo when empty, the web server and
    every process the features declare (job worker, ...)."""
    app = current_app_of_cli()
    with app.app_context():
        from app.database import upgrade_database
        from app.demo import seed_demo
        from app.extensions import db

        upgrade_database("heads")
        report = seed_demo(only_if_empty=True)
        db.session.remove()  # give the connection back first: dispose closes only pooled ones
        db.engine.dispose()  # the server forks: no open database connection may cross it
    click.echo(report["text"])
    started = [(p.name, subprocess.Popen([sys.executable, "-m", "app", *p.command], env=os.environ.copy()))
               for p in features.processes()]
    try:
        click.echo(f"\nUlybka: http://{host}:{port}  (Ctrl+C to stop)")
        click.echo("  also running: " + (", ".join(name for name, _ in started) or "nothing else"))
        # the server handles SIGINT/SIGTERM itself and returns; the processes stop with it
        serve_http(host, port, 1, 4)
    finally:
        stop_processes([proc for _, proc in started])


def stop_processes(procs: list[subprocess.Popen], timeout: float = 30) -> None:
    """Ask each process to stop, wait for it, kill the one that does not."""
    for proc in procs:
        proc.terminate()
    for proc in procs:
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


for _command in features.commands():
    main.add_command(_command)

if __name__ == "__main__":
    main()
