"""Ulybka web application: the app factory."""

from __future__ import annotations

import logging
import time
from typing import Any

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.pool import Pool

from app.config import ConfigError, Settings, load_settings
from app.extensions import csrf, db, htmx, limiter, login_manager, migrate

__all__ = ["ConfigError", "create_app"]


def _sqlite_pragmas(dbapi_connection, connection_record) -> None:
    module = type(dbapi_connection).__module__
    if not module.startswith("sqlite3"):
        return
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=15000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


event.listen(Engine, "connect", _sqlite_pragmas)

# PostgreSQL connections are checked before use only when they sat idle in the pool for
# PING_AFTER_IDLE seconds: that is when a server restart or a dropped idle connection goes
# unnoticed. SQLAlchemy's pool_pre_ping would instead add a round trip to every request, a
# fifth of a cached page's time on PostgreSQL. Under load, a connection that died since its
# last use fails one query; SQLAlchemy then invalidates the whole pool, so a restart costs
# at most the requests in flight. pool_recycle renews long-lived connections (firewalls, proxies
# that drop them silently). SQLite opens a local file: nothing to check, recycling is harmless.
PING_AFTER_IDLE = 10.0


def _note_checkin(dbapi_connection, connection_record) -> None:
    connection_record.info["checked_in_at"] = time.monotonic()


def _ping_when_idle(dbapi_connection, connection_record, connection_proxy) -> None:
    checked_in = connection_record.info.get("checked_in_at")
    if checked_in is None or time.monotonic() - checked_in < PING_AFTER_IDLE:
        return  # new, or used a moment ago
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        return
    try:
        cursor = dbapi_connection.cursor()
        cursor.execute("SELECT 1")
        cursor.close()
        dbapi_connection.rollback()  # leave no transaction open (isolation level changes)
    except Exception as exc:  # dead: the pool drops it and checks out a fresh connection
        raise DisconnectionError(f"stale pooled connection: {exc}") from exc


event.listen(Pool, "checkin", _note_checkin)
event.listen(Pool, "checkout", _ping_when_idle)


def create_app(test_config: dict[str, Any] | None = None, settings: Settings | None = None) -> Flask:
    """Build the application.

    :param test_config: values that override the configuration (tests).
    :param settings: settings to use instead of reading the environment.
    :raises ConfigError: an environment value is malformed.
    """
    settings = settings or load_settings()
    app = Flask(__name__)
    app.config.update(
        SECRET_KEY=settings.secret_key,
        SQLALCHEMY_DATABASE_URI=settings.database_url,
        SQLALCHEMY_ENGINE_OPTIONS={"pool_recycle": 1800},  # liveness: see _ping_when_idle
        MAX_CONTENT_LENGTH=settings.max_upload_mb * 1024 * 1024,
        ULYBKA=settings,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        WTF_CSRF_TIME_LIMIT=None,
        RATELIMIT_STORAGE_URI=settings.redis_url or "memory://",
        RATELIMIT_HEADERS_ENABLED=True,
        LOGIN_RATE_LIMIT="10 per minute",
        WEB_FORM_RATE_LIMIT="5 per hour",
        CABINET_RATE_LIMIT="20 per minute",  # code requests and tries per address (loose: shared NAT)
        PASSWORD_HASH_PARAMS={},
        JSON_AS_ASCII=False,
    )
    app.json.ensure_ascii = False
    if test_config:
        app.config.update(test_config)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)  # one line per carrier request is noise

    db.init_app(app)
    migrate.init_app(app, db, directory=_migrations_dir(), render_as_batch=True)
    csrf.init_app(app)
    htmx.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)

    _register(app)
    return app


def _migrations_dir() -> str:
    from pathlib import Path

    return str(Path(__file__).resolve().parent.parent / "migrations")


def _register(app: Flask) -> None:
    """Core request handling, then every feature's blueprints and API blueprints (the registry)."""
    from app import access, errors, features, formatting, fragments, navigation

    for feature in features.features():
        for bp in feature.blueprints:
            app.register_blueprint(bp)
        for bp in feature.api:  # key-authenticated JSON: no CSRF token
            app.register_blueprint(bp)
            csrf.exempt(bp)
    app.before_request(access.enforce_access)
    app.after_request(fragments.add_vary_header)
    errors.register(app)
    navigation.register(app)
    formatting.register(app)
