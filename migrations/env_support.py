"""Options shared by ``env.py`` and the drift test, so both compare the schema the same way."""

from __future__ import annotations

from typing import Any


def render_item(type_: str, obj: Any, autogen_context: Any) -> str | bool:
    """Render the project's column types as plain SQLAlchemy types in revisions."""
    from app.models.base import UTCDateTime

    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


# Full-text search objects made by raw SQL in their migration, not declared in the models:
# the knowledge base's SQLite FTS5 tables (kb_fts_title, kb_fts_text, their shadow tables and
# the fts5vocab table kb_fts_text_vocab) and PostgreSQL's posting table kb_fts_postings
# (t003; t002's tsvector columns and GIN indexes, ix_kb_articles_fts_*, are gone).
UNMANAGED_PREFIXES = ("kb_fts", "ix_kb_articles_fts")


def include_object(obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any) -> bool:
    """Leave the raw-SQL full-text objects out of autogenerate and the drift check."""
    return not (name and reflected and compare_to is None and name.startswith(UNMANAGED_PREFIXES))


def migration_options() -> dict[str, Any]:
    return {"render_item": render_item, "compare_type": True, "render_as_batch": True,
            "include_object": include_object}
