"""Schema management helpers around Flask-Migrate."""

from __future__ import annotations

import logging

from flask_migrate import downgrade, upgrade


def upgrade_database(revision: str = "heads") -> None:
    """Upgrade to ``heads``: feature branches of the migration tree may have separate heads."""
    upgrade(revision=revision)


def downgrade_database(revision: str = "base") -> None:
    downgrade(revision=revision)


def schema_is_current() -> bool:
    """Whether the database is at every head of the migration tree (not empty, not behind)."""
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    from app.extensions import db, migrate

    script = ScriptDirectory.from_config(migrate.get_config())
    chatty = logging.getLogger("alembic.runtime.migration")  # "Context impl …" on every command
    level = chatty.level
    chatty.setLevel(logging.WARNING)
    try:
        with db.engine.connect() as connection:
            current = set(MigrationContext.configure(connection).get_current_heads())
    finally:
        chatty.setLevel(level)
    return current == set(script.get_heads())
