"""What every command of the ``ulybka`` command line shares: the app it runs in, errors, output.

Feature areas write their commands in their own ``cli`` modules with these helpers and declare
them in their feature (:mod:`app.features`); the root group in :mod:`app.cli` adds them.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from typing import Any

import click
from flask import Flask
from flask.cli import ScriptInfo

from app.config import ConfigError


class CliError(click.ClickException):
    """An error the user can act on: printed as one line, exit code 2."""

    exit_code = 2


def make_app() -> Flask:
    """The app of the environment's settings; a malformed setting is a :class:`CliError`."""
    from app import create_app

    try:
        return create_app()
    except ConfigError as exc:
        raise CliError(str(exc)) from None


def current_app_of_cli() -> Flask:
    """The app a command runs in: the one handed to the command line (``main(obj=app)``,
    ``CliRunner.invoke(..., obj=app)``, or Flask's ``app.test_cli_runner()``, which hands a
    ``ScriptInfo``), else one built from the environment."""
    ctx = click.get_current_context(silent=True)
    given = ctx.find_object(Flask) if ctx is not None else None
    if given is not None:
        return given
    info = ctx.find_object(ScriptInfo) if ctx is not None else None
    if info is not None and info.create_app is not None:
        return info.load_app()
    app = make_app()
    if ctx is not None:
        ctx.find_root().obj = app  # nested commands of one invocation share it
    return app


def with_app(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Run the command inside an application context, on a database whose schema is up to date
    (else a clear error instead of a traceback; ``migrate`` itself is exempt)."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        app = current_app_of_cli()
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
