"""kb search on PostgreSQL: statistics to start from the rarest lemma and to plan for real counts

A search for «раздача интернета» walked the postings of «интернет» (in thousands of articles)
and probed «раздача» for each: 2.4 ms, where starting from «раздача» takes 0.4 ms. The search
now orders a query's lemmas by how common the planner's statistics say they are
(``pg_stats.most_common_vals`` of ``kb_fts_postings.lemma``); this revision keeps the 1,000
most common lemmas there instead of 100. The planner also misjudged how many postings a lemma
has in the title/tags (``field`` 1): it multiplied the shares of the field and of the lemma,
6,000 for «тариф» where there are 21,600, and merge-joined all of them instead of probing
them (2.6 ms instead of 0.3 ms). Extended statistics on ``(field, lemma)`` (an MCV list of
100 pairs: more makes planning slower than what it saves) give it the real counts.

SQLite: nothing changes.

Revision ID: t005
Revises: t004
Create Date: 2026-11-25 01:00:00.000000

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = 't005'
down_revision = 't004'
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("ALTER TABLE kb_fts_postings ALTER COLUMN lemma SET STATISTICS 1000")
    op.execute("CREATE STATISTICS kb_fts_postings_field_lemma (mcv) ON field, lemma "
               "FROM kb_fts_postings")
    op.execute("ALTER STATISTICS kb_fts_postings_field_lemma SET STATISTICS 100")
    op.execute("ANALYZE kb_fts_postings")


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP STATISTICS IF EXISTS kb_fts_postings_field_lemma")
    op.execute("ALTER TABLE kb_fts_postings ALTER COLUMN lemma SET STATISTICS -1")
