"""Schema management helpers around Flask-Migrate."""

from __future__ import annotations

from flask_migrate import downgrade, upgrade


def upgrade_database(revision: str = "heads") -> None:
    """Upgrade to ``heads``: feature branches of the migration tree may have separate heads."""
    upgrade(revision=revision)


def downgrade_database(revision: str = "base") -> None:
    downgrade(revision=revision)
