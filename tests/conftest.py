"""Shared fixtures: an app on a temporary database built by the migrations.

The schema is migrated once per session; every test starts with empty tables (rows are
removed after each test), on SQLite by default or on PostgreSQL when ``TEST_DATABASE_URL`` is
set. Factories (``make_user``) build rows with overridable defaults.
"""

from __future__ import annotations

import os
import re
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from app import create_app
from app.config import Settings
from app.extensions import db

PASSWORD = "secret-pass"
FAST_HASH = {"time_cost": 1, "memory_cost": 1024, "parallelism": 1}


def _database_url(tmp: Path) -> str:
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        return f"sqlite:///{tmp / 'test.db'}"
    parsed = make_url(url)
    if parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("ulybka-data")


@pytest.fixture(scope="session")
def settings(data_dir: Path) -> Settings:
    return Settings(data_dir=data_dir, database_url=_database_url(data_dir), redis_url=None,
                    secret_key="test-secret", max_upload_mb=5)


TEST_CONFIG = {
    "TESTING": True,
    "PASSWORD_HASH_PARAMS": FAST_HASH,
    "LOGIN_RATE_LIMIT": "1000 per minute",
    "WEB_FORM_RATE_LIMIT": "1000 per minute",
    "CABINET_RATE_LIMIT": "1000 per minute",
    "SERVER_NAME": None,
}


class FreshContextClient(FlaskClient):
    """Each request runs in its own app context (own ``g`` and DB session), as in production,
    even though the test itself holds an app context open for its factories."""

    def open(self, *args, **kwargs):
        with self.application.app_context():
            return super().open(*args, **kwargs)


_built_apps: list = []


def build_app(settings: Settings, **overrides):
    app = create_app({**TEST_CONFIG, **overrides}, settings=settings)
    app.test_client_class = FreshContextClient
    _built_apps.append(app)
    return app


@pytest.fixture(autouse=True)
def _dispose_engines():
    """Close the connection pools of the apps a test built (PostgreSQL warns otherwise)."""
    yield
    while _built_apps:
        app = _built_apps.pop()
        with app.app_context():
            db.session.remove()
            for engine in db.engines.values():
                engine.dispose()


@pytest.fixture(scope="session")
def migrated(settings: Settings) -> Settings:
    """Run the real migrations once: base → head (dropping whatever a previous run left)."""
    if settings.database_url.startswith("postgresql"):
        engine = create_engine(settings.database_url)
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
        engine.dispose()
    app = build_app(settings)
    with app.app_context():
        from app.database import upgrade_database

        upgrade_database("heads")
        db.session.remove()
        db.engine.dispose()
    return settings


REFERENCE_TABLES = {"carriers"}  # filled by the migrations, kept between tests


def _wipe() -> None:
    from app import access

    access.forget_users()  # ids restart with the tables: a cached user 1 is not the next user 1
    access.forget_api_keys()
    tables = [t for t in reversed(db.metadata.sorted_tables) if t.name not in REFERENCE_TABLES]
    if db.engine.dialect.name == "postgresql":
        names = ", ".join(t.name for t in tables)
        db.session.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    else:
        for table in tables:
            db.session.execute(table.delete())
        if _has_sequence():
            db.session.execute(text("DELETE FROM sqlite_sequence WHERE name != 'carriers'"))
    db.session.commit()


def _has_sequence() -> bool:
    return bool(db.session.execute(
        text("SELECT name FROM sqlite_master WHERE name='sqlite_sequence'")).first())


@pytest.fixture()
def app(migrated: Settings) -> Iterator:
    app = build_app(migrated)
    with app.app_context():
        yield app
        db.session.rollback()
        _wipe()
        db.session.remove()


_DEMO_ROWS: dict[str, list[dict]] = {}


@pytest.fixture()
def demo_centre(app):
    """The demo centre (``ulybka demo``) in the test database: seeded for real the first time
    in a session, then restored from the rows it wrote (seeding takes ~20 s; restoring ~1 s).
    Its audio files stay in the session's data dir, as the store never rewrites a file."""
    from app.demo import seed_demo
    from app.games.cache import invalidate_leaderboards

    tables = [t for t in db.metadata.sorted_tables if t.name not in REFERENCE_TABLES]
    if not _DEMO_ROWS:
        seed_demo()
        for table in tables:
            _DEMO_ROWS[table.name] = [dict(r) for r in db.session.execute(table.select()).mappings()]
    else:
        for table in tables:
            if rows := _DEMO_ROWS[table.name]:
                db.session.execute(table.insert(), rows)
        if db.engine.dialect.name == "postgresql":  # explicit ids: move each sequence past them
            for table in tables:
                if "id" in table.c and _DEMO_ROWS[table.name]:
                    db.session.execute(text(f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                                            f"(SELECT max(id) FROM {table.name}))"))
        db.session.commit()
        invalidate_leaderboards()
    db.session.remove()
    return app


@pytest.fixture()
def client(app):
    return app.test_client()


@pytest.fixture()
def runner(app):
    return app.test_cli_runner()


@pytest.fixture()
def make_user(app):
    from app import users

    def make(login: str | None = None, role: str = "operator", **overrides):
        user = users.create_user(login or f"user{uuid.uuid4().hex[:8]}",
                                 overrides.pop("full_name", "Тест Тестов"), role,
                                 overrides.pop("password", PASSWORD), **overrides)
        db.session.commit()
        return user

    return make


CSRF_RE = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|"X-CSRFToken": "([^"]+)"')


def csrf_from(html: str) -> str:
    match = CSRF_RE.search(html)
    assert match, "no CSRF token in the page"
    return match.group(1) or match.group(2)


class Auth:
    def __init__(self, client):
        self.client = client

    def token(self, url: str = "/login") -> str:
        return csrf_from(self.client.get(url, follow_redirects=True).get_data(as_text=True))

    def login(self, login: str, password: str = PASSWORD):
        return self.client.post("/login", data={"login": login, "password": password,
                                                "csrf_token": self.token()})

    def logout(self):
        return self.client.post("/logout", data={"csrf_token": self.token("/")})

    def post(self, url: str, data: dict | None = None, **kwargs):
        return self.client.post(url, data={**(data or {}), "csrf_token": self.token("/")}, **kwargs)


@pytest.fixture()
def auth(client) -> Auth:
    return Auth(client)
