"""``ulybka users create`` and ``ulybka apikey create``."""

from __future__ import annotations

import click
from flask import Flask

from app.console import CliError, emit, with_app


@click.group()
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


@click.group()
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
