"""kb search on PostgreSQL: a lemma -> article posting table instead of the tsvector columns

The newest matches of a query (``ORDER BY id DESC LIMIT n``) could not be read from t002's GIN
indexes in id order: PostgreSQL either walked the primary key backwards and tested each row's
stored ``tsvector`` (reading its TOAST pages, 20 ms for two common words) or fetched every
match from the heap and sorted them. ``kb_fts_postings`` holds one row per distinct lemma of
an article, for the title/tags line (``field`` 1) and for the whole text (``field`` 2), keyed
``(field, lemma, article_id)`` with the carrier (``common`` for none) in the index: one lemma's
articles are then a backward index-only range scan, and several lemmas a merge join of such
ranges that stops after ``n`` ids. A trigger keeps the table in step with ``search_text`` and
``carrier`` (another empties it on TRUNCATE); the lemmas are ``search_text`` split at whitespace, exactly what SQLite's FTS5
indexes. t002's generated ``tsvector`` columns and GIN indexes go (nothing reads them now).

SQLite keeps its FTS5 tables: nothing changes there.

Revision ID: t003
Revises: 0003
Create Date: 2026-11-28 10:00:00.000000

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = 't003'
down_revision = '0003'
branch_labels = None
depends_on = None

_LEMMAS = {
    1: "regexp_split_to_table(split_part({row}.search_text, E'\\n', 1), '\\s+')",
    2: "regexp_split_to_table({row}.search_text, '\\s+')",
}


def _postings(row: str, source: str = "") -> str:
    """SELECT of the posting rows of ``row`` (``old``/``new``, or every row of ``source``);
    UNION drops the repeated lemmas."""
    return " UNION ".join(
        f"SELECT CAST({field} AS smallint), lemma, {row}.id, coalesce({row}.carrier, 'common') "
        f"FROM {source}{lemmas.format(row=row)} AS lemma WHERE lemma <> ''"
        for field, lemmas in _LEMMAS.items()
    )


UPGRADE_POSTGRESQL = [
    "CREATE TABLE kb_fts_postings (field smallint NOT NULL, lemma text NOT NULL, "
    "article_id integer NOT NULL, carrier varchar(20) NOT NULL, "
    "CONSTRAINT pk_kb_fts_postings PRIMARY KEY (field, lemma, article_id) INCLUDE (carrier))",
    # rows are removed by key (the old lemmas), so no index on article_id is needed
    "CREATE FUNCTION kb_fts_postings_sync() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
    "IF TG_OP <> 'INSERT' THEN "
    "DELETE FROM kb_fts_postings p USING (" + _postings("old") + ") AS o(field, lemma, article_id, carrier) "
    "WHERE p.field = o.field AND p.lemma = o.lemma AND p.article_id = o.article_id; "
    "END IF; "
    "IF TG_OP <> 'DELETE' THEN "
    "INSERT INTO kb_fts_postings (field, lemma, article_id, carrier) " + _postings("new") + "; "
    "END IF; "
    "RETURN NULL; END $$",
    "CREATE TRIGGER kb_fts_postings_sync AFTER INSERT OR DELETE OR UPDATE OF search_text, carrier "
    "ON kb_articles FOR EACH ROW EXECUTE FUNCTION kb_fts_postings_sync()",
    # TRUNCATE fires no row triggers (and there is no foreign key for CASCADE to follow)
    "CREATE FUNCTION kb_fts_postings_clear() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
    "TRUNCATE kb_fts_postings; RETURN NULL; END $$",
    "CREATE TRIGGER kb_fts_postings_clear AFTER TRUNCATE ON kb_articles "
    "FOR EACH STATEMENT EXECUTE FUNCTION kb_fts_postings_clear()",
    "INSERT INTO kb_fts_postings (field, lemma, article_id, carrier) "
    + _postings("kb_articles", "kb_articles, "),
    "DROP INDEX IF EXISTS ix_kb_articles_fts_title",
    "DROP INDEX IF EXISTS ix_kb_articles_fts_text",
    "ALTER TABLE kb_articles DROP COLUMN IF EXISTS kb_fts_title",
    "ALTER TABLE kb_articles DROP COLUMN IF EXISTS kb_fts_text",
]

DOWNGRADE_POSTGRESQL = [
    "DROP TRIGGER IF EXISTS kb_fts_postings_clear ON kb_articles",
    "DROP FUNCTION IF EXISTS kb_fts_postings_clear()",
    "DROP TRIGGER IF EXISTS kb_fts_postings_sync ON kb_articles",
    "DROP FUNCTION IF EXISTS kb_fts_postings_sync()",
    "DROP TABLE IF EXISTS kb_fts_postings",
    # t002's columns and indexes, as t002 made them
    "ALTER TABLE kb_articles ADD COLUMN kb_fts_title tsvector GENERATED ALWAYS AS "
    "(to_tsvector('simple', split_part(search_text, E'\\n', 1))) STORED",
    "ALTER TABLE kb_articles ADD COLUMN kb_fts_text tsvector GENERATED ALWAYS AS "
    "(to_tsvector('simple', search_text)) STORED",
    "CREATE INDEX ix_kb_articles_fts_title ON kb_articles USING GIN (kb_fts_title)",
    "CREATE INDEX ix_kb_articles_fts_text ON kb_articles USING GIN (kb_fts_text)",
]


def upgrade():
    if op.get_bind().dialect.name == "postgresql":
        for statement in UPGRADE_POSTGRESQL:
            op.execute(statement)


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        for statement in DOWNGRADE_POSTGRESQL:
            op.execute(statement)
