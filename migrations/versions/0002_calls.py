"""calls

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24 19:17:03.911495

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('calls',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('original_name', sa.String(length=255), nullable=False),
    sa.Column('stored_path', sa.String(length=255), nullable=False),
    sa.Column('size_bytes', sa.BigInteger(), nullable=False),
    sa.Column('audio_format', sa.String(length=40), nullable=True),
    sa.Column('channels', sa.Integer(), nullable=True),
    sa.Column('sample_rate', sa.Integer(), nullable=True),
    sa.Column('duration', sa.Float(), nullable=True),
    sa.Column('operator_id', sa.Integer(), nullable=True),
    sa.Column('carrier_id', sa.Integer(), nullable=True),
    sa.Column('direction', sa.String(length=10), nullable=True),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('subscriber_number', sa.String(length=32), nullable=True),
    sa.Column('queue_wait_seconds', sa.Float(), nullable=True),
    sa.Column('operator_channel', sa.String(length=5), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('failure_code', sa.String(length=40), nullable=True),
    sa.Column('failure_reason', sa.Text(), nullable=True),
    sa.Column('diarization', sa.String(length=20), nullable=True),
    sa.Column('segments', sa.JSON(), nullable=True),
    sa.Column('segments_original', sa.JSON(), nullable=True),
    sa.Column('metrics', sa.JSON(), nullable=True),
    sa.Column('asr_backend', sa.String(length=40), nullable=True),
    sa.Column('source', sa.String(length=10), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('processed_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("direction IS NULL OR direction IN ('inbound', 'outbound')", name=op.f('ck_calls_direction_known')),
    sa.CheckConstraint("operator_channel IN ('left', 'right')", name=op.f('ck_calls_channel_known')),
    sa.CheckConstraint("source IN ('upload', 'cli', 'api')", name=op.f('ck_calls_source_known')),
    sa.CheckConstraint("status IN ('queued', 'decoding', 'transcribing', 'analysing', 'done', 'failed')", name=op.f('ck_calls_status_known')),
    sa.ForeignKeyConstraint(['carrier_id'], ['carriers.id'], name=op.f('fk_calls_carrier_id_carriers'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['operator_id'], ['users.id'], name=op.f('fk_calls_operator_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['users.id'], name=op.f('fk_calls_uploaded_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_calls')),
    sa.UniqueConstraint('sha256', name=op.f('uq_calls_sha256'))
    )
    with op.batch_alter_table('calls', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_calls_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_calls_operator_id'), ['operator_id', 'started_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_calls_status'), ['status'], unique=False)



def downgrade():
    with op.batch_alter_table('calls', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_calls_status'))
        batch_op.drop_index(batch_op.f('ix_calls_operator_id'))
        batch_op.drop_index(batch_op.f('ix_calls_created_at'))

    op.drop_table('calls')
