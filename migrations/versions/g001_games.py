"""games: points ledger, game events, badges, notifications, rule sets, challenges, settings

Revision ID: g001
Revises: 0002
Create Date: 2026-11-24 19:21:36.840088

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'g001'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('game_settings',
    sa.Column('key', sa.String(length=60), nullable=False),
    sa.Column('value', sa.JSON(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_game_settings'))
    )
    op.create_table('badge_awards',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('operator_id', sa.Integer(), nullable=False),
    sa.Column('badge_key', sa.String(length=60), nullable=False),
    sa.Column('tier', sa.String(length=10), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('awarded_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("tier IN ('bronze', 'silver', 'gold')", name=op.f('ck_badge_awards_tier_known')),
    sa.ForeignKeyConstraint(['operator_id'], ['users.id'], name=op.f('fk_badge_awards_operator_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_badge_awards')),
    sa.UniqueConstraint('operator_id', 'badge_key', 'tier', name=op.f('uq_badge_awards_operator_id_badge_key_tier'))
    )
    op.create_table('challenges',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=160), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('metric', sa.String(length=30), nullable=False),
    sa.Column('standard', sa.String(length=40), nullable=True),
    sa.Column('target', sa.Float(), nullable=False),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ends_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=True),
    sa.Column('rival_team_id', sa.Integer(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("kind IN ('personal', 'team')", name=op.f('ck_challenges_kind_known')),
    sa.CheckConstraint("metric IN ('points', 'calls', 'five_star_ratings', 'listening', 'tickets_within_sla', 'standard_met')", name=op.f('ck_challenges_metric_known')),
    sa.CheckConstraint('ends_at > starts_at', name=op.f('ck_challenges_ends_after_start')),
    sa.CheckConstraint('target > 0', name=op.f('ck_challenges_target_positive')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_challenges_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['rival_team_id'], ['teams.id'], name=op.f('fk_challenges_rival_team_id_teams'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['team_id'], ['teams.id'], name=op.f('fk_challenges_team_id_teams'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_challenges'))
    )
    op.create_table('game_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('source_kind', sa.String(length=20), nullable=False),
    sa.Column('source_id', sa.String(length=80), nullable=False),
    sa.Column('operator_id', sa.Integer(), nullable=False),
    sa.Column('carrier_id', sa.Integer(), nullable=True),
    sa.Column('occurred_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('payload', sa.JSON(), nullable=False),
    sa.Column('reversed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("source_kind IN ('call', 'rating', 'listening', 'certification', 'ticket')", name=op.f('ck_game_events_source_kind_known')),
    sa.ForeignKeyConstraint(['carrier_id'], ['carriers.id'], name=op.f('fk_game_events_carrier_id_carriers'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['operator_id'], ['users.id'], name=op.f('fk_game_events_operator_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_game_events')),
    sa.UniqueConstraint('source_kind', 'source_id', name=op.f('uq_game_events_source_kind_source_id'))
    )
    with op.batch_alter_table('game_events', schema=None) as batch_op:
        batch_op.create_index('ix_game_events_operator_occurred', ['operator_id', 'occurred_at'], unique=False)

    op.create_table('game_rulesets',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_game_rulesets_created_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_game_rulesets')),
    sa.UniqueConstraint('version', name=op.f('uq_game_rulesets_version'))
    )
    op.create_table('notifications',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('link', sa.String(length=255), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('read_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_notifications_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notifications'))
    )
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.create_index('ix_notifications_user_read', ['user_id', 'read_at'], unique=False)

    op.create_table('point_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('operator_id', sa.Integer(), nullable=False),
    sa.Column('carrier_id', sa.Integer(), nullable=True),
    sa.Column('source_kind', sa.String(length=20), nullable=False),
    sa.Column('source_id', sa.String(length=80), nullable=False),
    sa.Column('rule_key', sa.String(length=160), nullable=False),
    sa.Column('points', sa.Integer(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('occurred_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('final_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ruleset_version', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("source_kind IN ('call', 'rating', 'listening', 'certification', 'ticket')", name=op.f('ck_point_events_source_kind_known')),
    sa.ForeignKeyConstraint(['carrier_id'], ['carriers.id'], name=op.f('fk_point_events_carrier_id_carriers'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['operator_id'], ['users.id'], name=op.f('fk_point_events_operator_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_point_events')),
    sa.UniqueConstraint('source_kind', 'source_id', 'rule_key', name=op.f('uq_point_events_source_kind_source_id_rule_key'))
    )
    with op.batch_alter_table('point_events', schema=None) as batch_op:
        batch_op.create_index('ix_point_events_carrier_occurred', ['carrier_id', 'occurred_at'], unique=False)
        batch_op.create_index('ix_point_events_occurred_operator', ['occurred_at', 'operator_id'], unique=False)
        batch_op.create_index('ix_point_events_operator_occurred', ['operator_id', 'occurred_at'], unique=False)

    op.create_table('streak_freezes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('operator_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('reason', sa.String(length=120), nullable=False),
    sa.ForeignKeyConstraint(['operator_id'], ['users.id'], name=op.f('fk_streak_freezes_operator_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_streak_freezes')),
    sa.UniqueConstraint('operator_id', 'day', name=op.f('uq_streak_freezes_operator_id_day'))
    )


def downgrade():
    op.drop_table('streak_freezes')
    with op.batch_alter_table('point_events', schema=None) as batch_op:
        batch_op.drop_index('ix_point_events_operator_occurred')
        batch_op.drop_index('ix_point_events_occurred_operator')
        batch_op.drop_index('ix_point_events_carrier_occurred')

    op.drop_table('point_events')
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.drop_index('ix_notifications_user_read')

    op.drop_table('notifications')
    op.drop_table('game_rulesets')
    with op.batch_alter_table('game_events', schema=None) as batch_op:
        batch_op.drop_index('ix_game_events_operator_occurred')

    op.drop_table('game_events')
    op.drop_table('challenges')
    op.drop_table('badge_awards')
    op.drop_table('game_settings')
