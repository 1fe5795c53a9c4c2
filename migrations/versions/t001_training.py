"""training: knowledge base (with full-text index), question banks, exams, certifications,
line availability, notices and daily listening

Revision ID: t001
Revises: 0002
Create Date: 2026-11-24 19:20:42.078718

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 't001'
down_revision = '0002'
branch_labels = None
depends_on = None


FTS_SQLITE = [
    "CREATE VIRTUAL TABLE kb_fts USING fts5(search_text, content='kb_articles', content_rowid='id', "
    "tokenize='unicode61 remove_diacritics 0')",
    "CREATE TRIGGER kb_fts_ai AFTER INSERT ON kb_articles BEGIN "
    "INSERT INTO kb_fts(rowid, search_text) VALUES (new.id, new.search_text); END",
    "CREATE TRIGGER kb_fts_ad AFTER DELETE ON kb_articles BEGIN "
    "INSERT INTO kb_fts(kb_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text); END",
    "CREATE TRIGGER kb_fts_au AFTER UPDATE OF search_text ON kb_articles BEGIN "
    "INSERT INTO kb_fts(kb_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text); "
    "INSERT INTO kb_fts(rowid, search_text) VALUES (new.id, new.search_text); END",
]
FTS_POSTGRESQL = [
    "CREATE INDEX ix_kb_articles_fts ON kb_articles USING GIN (to_tsvector('simple', search_text))",
]


def _create_full_text_index():
    dialect = op.get_bind().dialect.name
    for statement in {"sqlite": FTS_SQLITE, "postgresql": FTS_POSTGRESQL}.get(dialect, []):
        op.execute(statement)


def _drop_full_text_index():
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for name in ("kb_fts_ai", "kb_fts_ad", "kb_fts_au"):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        op.execute("DROP TABLE IF EXISTS kb_fts")
    elif dialect == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_kb_articles_fts")


def upgrade():
    op.create_table('question_banks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_question_banks')),
    sa.UniqueConstraint('name', name=op.f('uq_question_banks_name'))
    )
    op.create_table('bank_questions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('bank_id', sa.Integer(), nullable=False),
    sa.Column('fingerprint', sa.String(length=64), nullable=False),
    sa.Column('type', sa.String(length=20), nullable=False),
    sa.Column('category', sa.String(length=200), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['bank_id'], ['question_banks.id'], name=op.f('fk_bank_questions_bank_id_question_banks'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_bank_questions')),
    sa.UniqueConstraint('bank_id', 'fingerprint', name=op.f('uq_bank_questions_bank_id_fingerprint'))
    )
    op.create_table('exams',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=60), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('bank_id', sa.Integer(), nullable=False),
    sa.Column('picks', sa.JSON(), nullable=False),
    sa.Column('time_limit_min', sa.Integer(), nullable=True),
    sa.Column('attempt_limit', sa.Integer(), nullable=True),
    sa.Column('pass_mark', sa.Float(), nullable=False),
    sa.Column('shuffle_questions', sa.Boolean(), nullable=False),
    sa.Column('shuffle_answers', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['bank_id'], ['question_banks.id'], name=op.f('fk_exams_bank_id_question_banks'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_exams')),
    sa.UniqueConstraint('key', name=op.f('uq_exams_key'))
    )
    op.create_table('certifications',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=60), nullable=False),
    sa.Column('title', sa.String(length=120), nullable=False),
    sa.Column('carrier', sa.String(length=20), nullable=False),
    sa.Column('exam_id', sa.Integer(), nullable=False),
    sa.Column('valid_days', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['exam_id'], ['exams.id'], name=op.f('fk_certifications_exam_id_exams'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_certifications')),
    sa.UniqueConstraint('key', name=op.f('uq_certifications_key'))
    )
    op.create_table('exam_attempts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('exam_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('open_key', sa.String(length=60), nullable=True),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('seed', sa.String(length=60), nullable=False),
    sa.Column('paper', sa.JSON(), nullable=False),
    sa.Column('responses', sa.JSON(), nullable=False),
    sa.Column('result', sa.JSON(), nullable=True),
    sa.Column('score_pct', sa.Float(), nullable=True),
    sa.Column('passed', sa.Boolean(), nullable=True),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('saved_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('graded_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("status IN ('open', 'pending', 'graded')", name=op.f('ck_exam_attempts_status_known')),
    sa.ForeignKeyConstraint(['exam_id'], ['exams.id'], name=op.f('fk_exam_attempts_exam_id_exams'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['graded_by_id'], ['users.id'], name=op.f('fk_exam_attempts_graded_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_exam_attempts_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_exam_attempts')),
    sa.UniqueConstraint('open_key', name=op.f('uq_exam_attempts_open_key'))
    )
    with op.batch_alter_table('exam_attempts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_exam_attempts_user_id'), ['user_id', 'exam_id'], unique=False)

    op.create_table('kb_articles',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=120), nullable=False),
    sa.Column('carrier', sa.String(length=20), nullable=True),
    sa.Column('topic', sa.String(length=20), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('body_md', sa.Text(), nullable=False),
    sa.Column('tags', sa.JSON(), nullable=False),
    sa.Column('effective_from', sa.Date(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('plain', sa.Text(), nullable=False),
    sa.Column('search_text', sa.Text(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("carrier IS NULL OR carrier IN ('mts', 'megafon', 'beeline')", name=op.f('ck_kb_articles_carrier_known')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_kb_articles_updated_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_kb_articles')),
    sa.UniqueConstraint('slug', name=op.f('uq_kb_articles_slug'))
    )
    with op.batch_alter_table('kb_articles', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_kb_articles_carrier'), ['carrier'], unique=False)

    op.create_table('line_availability',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('carrier_id', sa.Integer(), nullable=False),
    sa.Column('available', sa.Boolean(), nullable=False),
    sa.Column('changed_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['carrier_id'], ['carriers.id'], name=op.f('fk_line_availability_carrier_id_carriers'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_line_availability_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_line_availability')),
    sa.UniqueConstraint('user_id', 'carrier_id', name=op.f('uq_line_availability_user_id_carrier_id'))
    )
    op.create_table('training_notices',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('text', sa.String(length=400), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('read_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_training_notices_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_training_notices'))
    )
    with op.batch_alter_table('training_notices', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_training_notices_user_id'), ['user_id'], unique=False)

    op.create_table('certification_passes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('certification_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('attempt_id', sa.Integer(), nullable=True),
    sa.Column('passed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('revoked_reason', sa.String(length=300), nullable=True),
    sa.ForeignKeyConstraint(['attempt_id'], ['exam_attempts.id'], name=op.f('fk_certification_passes_attempt_id_exam_attempts'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['certification_id'], ['certifications.id'], name=op.f('fk_certification_passes_certification_id_certifications'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_certification_passes_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_certification_passes'))
    )
    with op.batch_alter_table('certification_passes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_certification_passes_user_id'), ['user_id'], unique=False)

    op.create_table('kb_article_versions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('article_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('body_md', sa.Text(), nullable=False),
    sa.Column('tags', sa.JSON(), nullable=False),
    sa.Column('effective_from', sa.Date(), nullable=False),
    sa.Column('suggested_material', sa.Boolean(), nullable=False),
    sa.Column('material', sa.Boolean(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['article_id'], ['kb_articles.id'], name=op.f('fk_kb_article_versions_article_id_kb_articles'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_kb_article_versions_author_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_kb_article_versions')),
    sa.UniqueConstraint('article_id', 'version', name=op.f('uq_kb_article_versions_article_id_version'))
    )
    op.create_table('kb_searches',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('query', sa.String(length=200), nullable=False),
    sa.Column('carrier', sa.String(length=20), nullable=True),
    sa.Column('results', sa.Integer(), nullable=False),
    sa.Column('searched_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('opened_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('opened_article_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['opened_article_id'], ['kb_articles.id'], name=op.f('fk_kb_searches_opened_article_id_kb_articles'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_kb_searches_user_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_kb_searches'))
    )
    with op.batch_alter_table('kb_searches', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_kb_searches_searched_at'), ['searched_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_kb_searches_user_id'), ['user_id'], unique=False)

    op.create_table('listening_assignments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('call_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('reason', sa.String(length=20), nullable=False),
    sa.Column('seed', sa.String(length=60), nullable=False),
    sa.Column('questions', sa.JSON(), nullable=False),
    sa.Column('answers', sa.JSON(), nullable=True),
    sa.Column('completed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("kind IN ('review', 'exemplary')", name=op.f('ck_listening_assignments_kind_known')),
    sa.ForeignKeyConstraint(['call_id'], ['calls.id'], name=op.f('fk_listening_assignments_call_id_calls'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_listening_assignments_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_listening_assignments')),
    sa.UniqueConstraint('user_id', 'day', 'call_id', name=op.f('uq_listening_assignments_user_id_day_call_id'))
    )
    with op.batch_alter_table('listening_assignments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_listening_assignments_day'), ['day'], unique=False)
    _create_full_text_index()


def downgrade():
    _drop_full_text_index()
    with op.batch_alter_table('listening_assignments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_listening_assignments_day'))

    op.drop_table('listening_assignments')
    with op.batch_alter_table('kb_searches', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_kb_searches_user_id'))
        batch_op.drop_index(batch_op.f('ix_kb_searches_searched_at'))

    op.drop_table('kb_searches')
    op.drop_table('kb_article_versions')
    with op.batch_alter_table('certification_passes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_certification_passes_user_id'))

    op.drop_table('certification_passes')
    with op.batch_alter_table('training_notices', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_training_notices_user_id'))

    op.drop_table('training_notices')
    op.drop_table('line_availability')
    with op.batch_alter_table('kb_articles', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_kb_articles_carrier'))

    op.drop_table('kb_articles')
    with op.batch_alter_table('exam_attempts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_exam_attempts_user_id'))

    op.drop_table('exam_attempts')
    op.drop_table('certifications')
    op.drop_table('exams')
    op.drop_table('bank_questions')
    op.drop_table('question_banks')
