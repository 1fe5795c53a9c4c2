"""kb search: a title/tags index searched first, the carrier inside the SQLite index

``kb_articles.search_text`` becomes two lines: the lemmas of title and tags, then the lemmas of
the body (:func:`app.kb.search.index_texts`); existing rows are re-normalised here.

SQLite: t001's external-content ``kb_fts`` is replaced by two contentless FTS5 tables kept by
triggers, ``kb_fts_title`` (first line) and ``kb_fts_text`` (both lines), each with a
``carrier`` column (``mts``/``megafon``/``beeline``/``common``) so the carrier filter runs inside
the index and ``ORDER BY rowid DESC LIMIT n`` stops early. ``detail=column``: no positions, the
search needs none (no phrases, no bm25).

PostgreSQL: stored generated ``tsvector`` columns ``kb_fts_title`` (first line) and ``kb_fts_text``
(both lines) with GIN indexes, replacing t001's expression index: ``ORDER BY id DESC LIMIT n``
then tests each row's stored vector instead of re-parsing its text. The columns are not in the
model (the ``kb_fts`` prefix keeps them out of the drift check, see ``env_support``).

Revision ID: t002
Revises: t001
Create Date: 2026-11-26 10:00:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 't002'
down_revision = 't001'
branch_labels = None
depends_on = None

_CARRIER = "coalesce({row}.carrier, 'common')"
_TITLE = ("CASE WHEN instr({row}.search_text, char(10)) > 0 "
          "THEN substr({row}.search_text, 1, instr({row}.search_text, char(10)) - 1) "
          "ELSE {row}.search_text END")


def _insert(table, column):
    return (f"INSERT INTO {table}(rowid, carrier, lemmas) VALUES "
            f"(new.id, {_CARRIER.format(row='new')}, {column.format(row='new')});")


def _delete(table, column):
    return (f"INSERT INTO {table}({table}, rowid, carrier, lemmas) VALUES "
            f"('delete', old.id, {_CARRIER.format(row='old')}, {column.format(row='old')});")


_TABLES = {"kb_fts_title": _TITLE, "kb_fts_text": "{row}.search_text"}
FTS_SQLITE = [
    *(f"CREATE VIRTUAL TABLE {table} USING fts5(carrier, lemmas, content='', detail='column', "
      "tokenize='unicode61 remove_diacritics 0')" for table in _TABLES),
    "CREATE TRIGGER kb_fts_ai AFTER INSERT ON kb_articles BEGIN "
    + " ".join(_insert(t, c) for t, c in _TABLES.items()) + " END",
    "CREATE TRIGGER kb_fts_ad AFTER DELETE ON kb_articles BEGIN "
    + " ".join(_delete(t, c) for t, c in _TABLES.items()) + " END",
    "CREATE TRIGGER kb_fts_au AFTER UPDATE OF search_text, carrier ON kb_articles BEGIN "
    + " ".join(_delete(t, c) + " " + _insert(t, c) for t, c in _TABLES.items()) + " END",
    *(f"INSERT INTO {table}(rowid, carrier, lemmas) SELECT id, {_CARRIER.format(row='kb_articles')}, "
      f"{column.format(row='kb_articles')} FROM kb_articles" for table, column in _TABLES.items()),
]
FTS_POSTGRESQL = [
    "DROP INDEX IF EXISTS ix_kb_articles_fts",
    "ALTER TABLE kb_articles ADD COLUMN kb_fts_title tsvector GENERATED ALWAYS AS "
    "(to_tsvector('simple', split_part(search_text, E'\\n', 1))) STORED",
    "ALTER TABLE kb_articles ADD COLUMN kb_fts_text tsvector GENERATED ALWAYS AS "
    "(to_tsvector('simple', search_text)) STORED",
    "CREATE INDEX ix_kb_articles_fts_title ON kb_articles USING GIN (kb_fts_title)",
    "CREATE INDEX ix_kb_articles_fts_text ON kb_articles USING GIN (kb_fts_text)",
]

T001_SQLITE = [
    "CREATE VIRTUAL TABLE kb_fts USING fts5(search_text, content='kb_articles', content_rowid='id', "
    "tokenize='unicode61 remove_diacritics 0')",
    "CREATE TRIGGER kb_fts_ai AFTER INSERT ON kb_articles BEGIN "
    "INSERT INTO kb_fts(rowid, search_text) VALUES (new.id, new.search_text); END",
    "CREATE TRIGGER kb_fts_ad AFTER DELETE ON kb_articles BEGIN "
    "INSERT INTO kb_fts(kb_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text); END",
    "CREATE TRIGGER kb_fts_au AFTER UPDATE OF search_text ON kb_articles BEGIN "
    "INSERT INTO kb_fts(kb_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text); "
    "INSERT INTO kb_fts(rowid, search_text) VALUES (new.id, new.search_text); END",
    "INSERT INTO kb_fts(kb_fts) VALUES ('rebuild')",
]

_TRIGGERS = ("kb_fts_ai", "kb_fts_ad", "kb_fts_au")


def _renormalise():
    """Rewrite ``search_text`` of existing articles in the two-line form (title and tags, body)."""
    import training

    bind = op.get_bind()
    articles = sa.table("kb_articles", sa.column("id", sa.Integer), sa.column("title", sa.String),
                        sa.column("tags", sa.JSON), sa.column("body_md", sa.Text),
                        sa.column("search_text", sa.Text))
    rows = bind.execute(sa.select(articles.c.id, articles.c.title, articles.c.tags, articles.c.body_md)).all()
    for row in rows:
        head = " ".join(training.normalise(" ".join([row.title, *(row.tags or [])])))
        body = " ".join(training.normalise(training.plain_text(row.body_md)))
        bind.execute(articles.update().where(articles.c.id == row.id).values(search_text=f"{head}\n{body}"))


def upgrade():
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for name in _TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        op.execute("DROP TABLE IF EXISTS kb_fts")
    _renormalise()
    for statement in {"sqlite": FTS_SQLITE, "postgresql": FTS_POSTGRESQL}.get(dialect, []):
        op.execute(statement)


def downgrade():
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for name in _TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        for table in _TABLES:
            op.execute(f"DROP TABLE IF EXISTS {table}")
    elif dialect == "postgresql":
        for name in ("kb_fts_title", "kb_fts_text"):
            op.execute(f"DROP INDEX IF EXISTS ix_kb_articles_fts_{name[7:]}")
            op.execute(f"ALTER TABLE kb_articles DROP COLUMN IF EXISTS {name}")
        op.execute("CREATE INDEX ix_kb_articles_fts ON kb_articles USING GIN (to_tsvector('simple', search_text))")
    # t001 reads the two-line search_text as one text: only the separator goes
    op.execute("UPDATE kb_articles SET search_text = replace(search_text, char(10), ' ')"
               if dialect == "sqlite" else
               "UPDATE kb_articles SET search_text = replace(search_text, E'\\n', ' ')")
    if dialect == "sqlite":
        for statement in T001_SQLITE:
            op.execute(statement)
