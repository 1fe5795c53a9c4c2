"""Migrations are the only way the schema changes: they run up and down, and match the models."""

import sys
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from app.database import downgrade_database, upgrade_database
from app.extensions import db

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "migrations"))
from env_support import migration_options  # noqa: E402


def test_models_and_migrations_have_not_drifted(app):
    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts=migration_options())
        diff = compare_metadata(context, db.metadata)
    assert diff == [], f"models and migrations differ; run `flask db migrate`: {diff}"


def test_downgrade_to_base_and_back(app):
    tables = set(inspect(db.engine).get_table_names())
    assert {"users", "teams", "carriers", "api_keys", "audit_log", "jobs"} <= tables
    db.session.remove()
    downgrade_database("base")
    assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
    upgrade_database("heads")
    assert set(inspect(db.engine).get_table_names()) == tables
