"""chat: a finished chat as a contact to score

A finished live chat is judged, graded, disputed and rated as a call row of source «chat» (no
audio); the chat keeps a link to it.

Revision ID: k008
Revises: k007
Create Date: 2026-12-04 20:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'k008'
down_revision = 'k007'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('calls', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_calls_source_known'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_calls_source_known'),
                                         "source IN ('upload', 'cli', 'api', 'chat')")
    with op.batch_alter_table('chats', schema=None) as batch_op:
        batch_op.add_column(sa.Column('call_id', sa.Integer(), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_chats_call_id'), ['call_id'])
        batch_op.create_foreign_key(batch_op.f('fk_chats_call_id_calls'), 'calls', ['call_id'], ['id'],
                                    ondelete='SET NULL')


def downgrade():
    with op.batch_alter_table('chats', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_chats_call_id_calls'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('uq_chats_call_id'), type_='unique')
        batch_op.drop_column('call_id')
    op.execute("DELETE FROM calls WHERE source = 'chat'")
    with op.batch_alter_table('calls', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_calls_source_known'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_calls_source_known'), "source IN ('upload', 'cli', 'api')")
