"""kb: articles indexed anew: «сим», «симка» read as «SIM»; no space before punctuation in snippets

The normaliser now reads «сим», «симка» and their forms as the lemma ``sim``, the same as
«SIM» (a query «замена симки» finds «Замена SIM-карты»), and the plain text of an article no
longer puts a space where inline markup ended («**450 ₽**.» gave «450 ₽ .» in snippets) and
ends a heading with a full stop («Кому подходит. Тем, кто…»). Both are derived from
``body_md``, so this revision derives ``plain`` and ``search_text`` again for the articles where
they change (the index triggers follow).

Downgrade leaves the texts as they are: they are what the code of the previous revision would
derive, but for those two readings (a search for «сим» then finds nothing until an article is
saved again).

Revision ID: t007
Revises: t006
Create Date: 2026-11-25 03:10:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 't007'
down_revision = 't006'
branch_labels = None
depends_on = None


def upgrade():
    import training

    bind = op.get_bind()
    articles = sa.table(
        "kb_articles", sa.column("id", sa.Integer), sa.column("title", sa.String),
        sa.column("tags", sa.JSON), sa.column("body_md", sa.Text), sa.column("plain", sa.Text),
        sa.column("search_text", sa.Text),
    )
    rows = bind.execute(sa.select(articles.c.id, articles.c.title, articles.c.tags, articles.c.body_md,
                                  articles.c.plain, articles.c.search_text)).all()
    for row in rows:
        plain = training.plain_text(row.body_md)
        head = " ".join(training.normalise(" ".join([row.title, *(row.tags or [])])))
        search_text = head + "\n" + " ".join(training.normalise(plain))
        if (plain, search_text) != (row.plain, row.search_text):
            bind.execute(articles.update().where(articles.c.id == row.id)
                         .values(plain=plain, search_text=search_text))


def downgrade():
    pass
