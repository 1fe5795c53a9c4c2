"""quality assurance: scorecards, evaluations, verdicts, disputes, ratings, calibration

Revision ID: q001
Revises: 0002
Create Date: 2026-11-24 19:25:56.133432

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'q001'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('scorecards',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_scorecards_created_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_scorecards')),
    sa.UniqueConstraint('name', 'version', name=op.f('uq_scorecards_name_version'))
    )
    op.create_table('calibration_sessions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=160), nullable=False),
    sa.Column('scorecard_id', sa.Integer(), nullable=False),
    sa.Column('call_ids', sa.JSON(), nullable=False),
    sa.Column('listener_ids', sa.JSON(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_calibration_sessions_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['scorecard_id'], ['scorecards.id'], name=op.f('fk_calibration_sessions_scorecard_id_scorecards'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_calibration_sessions'))
    )
    op.create_table('call_evaluations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('call_id', sa.Integer(), nullable=False),
    sa.Column('scorecard_id', sa.Integer(), nullable=False),
    sa.Column('verdicts', sa.JSON(), nullable=False),
    sa.Column('auto_score', sa.Float(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['call_id'], ['calls.id'], name=op.f('fk_call_evaluations_call_id_calls'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['scorecard_id'], ['scorecards.id'], name=op.f('fk_call_evaluations_scorecard_id_scorecards'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_call_evaluations')),
    sa.UniqueConstraint('call_id', 'scorecard_id', name=op.f('uq_call_evaluations_call_id_scorecard_id'))
    )
    with op.batch_alter_table('call_evaluations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_call_evaluations_call_id'), ['call_id'], unique=False)

    op.create_table('disputes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('call_id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=60), nullable=False),
    sa.Column('operator_id', sa.Integer(), nullable=False),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('resolver_id', sa.Integer(), nullable=True),
    sa.Column('resolution', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('resolved_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("status IN ('open', 'accepted', 'rejected')", name=op.f('ck_disputes_status_known')),
    sa.ForeignKeyConstraint(['call_id'], ['calls.id'], name=op.f('fk_disputes_call_id_calls'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['operator_id'], ['users.id'], name=op.f('fk_disputes_operator_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['resolver_id'], ['users.id'], name=op.f('fk_disputes_resolver_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_disputes'))
    )
    with op.batch_alter_table('disputes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_disputes_call_id'), ['call_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_disputes_status'), ['status'], unique=False)

    op.create_table('ratings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('call_id', sa.Integer(), nullable=True),
    sa.Column('ticket_ref', sa.String(length=60), nullable=True),
    sa.Column('stars', sa.Integer(), nullable=False),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.Column('source', sa.String(length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('call_id IS NOT NULL OR ticket_ref IS NOT NULL', name=op.f('ck_ratings_has_contact')),
    sa.CheckConstraint('stars BETWEEN 1 AND 5', name=op.f('ck_ratings_stars_range')),
    sa.ForeignKeyConstraint(['call_id'], ['calls.id'], name=op.f('fk_ratings_call_id_calls'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ratings')),
    sa.UniqueConstraint('call_id', name=op.f('uq_ratings_call_id')),
    sa.UniqueConstraint('ticket_ref', name=op.f('uq_ratings_ticket_ref'))
    )
    op.create_table('qa_verdicts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('call_id', sa.Integer(), nullable=False),
    sa.Column('scorecard_id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=60), nullable=False),
    sa.Column('verdict', sa.String(length=10), nullable=False),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.Column('at_seconds', sa.Float(), nullable=True),
    sa.Column('grader_id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=True),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("verdict IN ('met', 'violated', 'na')", name=op.f('ck_qa_verdicts_verdict_known')),
    sa.ForeignKeyConstraint(['call_id'], ['calls.id'], name=op.f('fk_qa_verdicts_call_id_calls'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['grader_id'], ['users.id'], name=op.f('fk_qa_verdicts_grader_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['scorecard_id'], ['scorecards.id'], name=op.f('fk_qa_verdicts_scorecard_id_scorecards'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['session_id'], ['calibration_sessions.id'], name=op.f('fk_qa_verdicts_session_id_calibration_sessions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_qa_verdicts')),
    sa.UniqueConstraint('call_id', 'key', 'grader_id', 'session_id', name=op.f('uq_qa_verdicts_call_id_key_grader_id_session_id'))
    )
    with op.batch_alter_table('qa_verdicts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_qa_verdicts_call_id'), ['call_id', 'session_id'], unique=False)



def downgrade():
    with op.batch_alter_table('qa_verdicts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_qa_verdicts_call_id'))

    op.drop_table('qa_verdicts')
    op.drop_table('ratings')
    with op.batch_alter_table('disputes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_disputes_status'))
        batch_op.drop_index(batch_op.f('ix_disputes_call_id'))

    op.drop_table('disputes')
    with op.batch_alter_table('call_evaluations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_call_evaluations_call_id'))

    op.drop_table('call_evaluations')
    op.drop_table('calibration_sessions')
    op.drop_table('scorecards')
