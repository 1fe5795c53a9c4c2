"""merge the feature branches: calls QA, games, training

Revision ID: 0003
Revises: g001, q001, t002
Create Date: 2026-11-24 20:19:00.326402

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0003'
down_revision = ('g001', 'q001', 't002')
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
