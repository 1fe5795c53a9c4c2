"""``ulybka listening assign``: the day's listening assignments."""

from __future__ import annotations

from datetime import date

import click
from flask import Flask

from app.console import emit, with_app


@click.group()
def listening() -> None:
    """Daily listening assignments."""


@listening.command("assign")
@click.option("--date", "day", type=click.DateTime(["%Y-%m-%d"]), help="Day (default: today).")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@with_app
def listening_assign(app: Flask, day, as_json: bool) -> None:
    """Create the day's listening assignments for every QA listener and operator (idempotent)."""
    from app.extensions import db
    from app.listening.operations import assign_all

    target = day.date() if day else date.today()
    counts = assign_all(target)
    db.session.commit()
    emit(
        {"date": target.isoformat(), "assignments": counts},
        as_json,
        f"{target.isoformat()}: заданий — {sum(counts.values())}, сотрудников — {len(counts)}",
    )
