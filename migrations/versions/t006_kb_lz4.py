"""kb search on PostgreSQL: the texts a search reads are compressed with LZ4

A search reads ``search_text`` of up to 200 candidates and ``plain`` of the page it shows.
PostgreSQL keeps such values compressed in the row and decompresses each one it returns;
with its default method (pglz) that took about 0.4 ms of a 200-candidate search, LZ4
decompresses them in about a third of that. The values already stored are rewritten, so
they are compressed the new way too (with the posting trigger off: the texts do not change).

Only where the server supports LZ4 (PostgreSQL 14 and later, built with it); elsewhere, and
on SQLite, nothing changes.

Revision ID: t006
Revises: t005
Create Date: 2026-11-25 02:30:00.000000

"""
from alembic import op
from sqlalchemy import text

# revision identifiers, used by Alembic.
revision = 't006'
down_revision = 't005'
branch_labels = None
depends_on = None

_COLUMNS = ("search_text", "plain")


def _supports_lz4() -> bool:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return False
    values = bind.execute(text(
        "SELECT enumvals FROM pg_settings WHERE name = 'default_toast_compression'")).scalar()
    return bool(values) and "lz4" in values


def _compress(method: str) -> None:
    for column in _COLUMNS:
        op.execute(f"ALTER TABLE kb_articles ALTER COLUMN {column} SET COMPRESSION {method}")
    # a stored value keeps its compression until it is written anew; || '' makes a new value
    op.execute("ALTER TABLE kb_articles DISABLE TRIGGER kb_fts_postings_sync")
    op.execute("UPDATE kb_articles SET " + ", ".join(f"{c} = {c} || ''" for c in _COLUMNS))
    op.execute("ALTER TABLE kb_articles ENABLE TRIGGER kb_fts_postings_sync")


def upgrade():
    if _supports_lz4():
        _compress("lz4")


def downgrade():
    if _supports_lz4():
        _compress("pglz")
