"""initial schema

Revision ID: 0001
Revises: 
Create Date: 2026-11-26
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0001'
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('deliveries',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('team_id', sa.String(length=32), nullable=False),
    sa.Column('delivery_key', sa.String(length=160), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('lease_until', sa.DateTime(timezone=True), nullable=True),
    sa.Column('attempts', sa.Integer(), server_default='0', nullable=False),
    sa.Column('done_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_deliveries')),
    sa.UniqueConstraint('team_id', 'delivery_key', name=op.f('uq_deliveries_team_id_delivery_key'))
    )
    with op.batch_alter_table('deliveries', schema=None) as batch_op:
        batch_op.create_index('ix_deliveries_pending', ['done_at', 'id'], unique=False)

    op.create_table('remark_daily',
    sa.Column('team_id', sa.String(length=32), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('process_id', sa.Integer(), nullable=False),
    sa.Column('sentiment', sa.String(length=16), nullable=False),
    sa.Column('remarks', sa.Integer(), nullable=False),
    sa.Column('endorsements', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('team_id', 'day', 'process_id', 'sentiment', name=op.f('pk_remark_daily')),
    sqlite_with_rowid=False
    )
    with op.batch_alter_table('remark_daily', schema=None) as batch_op:
        batch_op.create_index('ix_remark_daily_team_process', ['team_id', 'process_id', 'day'], unique=False)

    op.create_table('workspaces',
    sa.Column('team_id', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=255), nullable=True),
    sa.Column('domain', sa.String(length=255), nullable=True),
    sa.Column('timezone', sa.String(length=64), nullable=True),
    sa.Column('installer_user_id', sa.String(length=32), nullable=True),
    sa.Column('digest_channel_id', sa.String(length=32), nullable=True),
    sa.Column('digest_weekday', sa.Integer(), server_default='0', nullable=False),
    sa.Column('digest_time', sa.String(length=5), server_default='09:00', nullable=False),
    sa.Column('digest_enabled', sa.Boolean(), server_default='1', nullable=False),
    sa.Column('digest_chart', sa.Boolean(), server_default='1', nullable=False),
    sa.Column('model_version', sa.Integer(), server_default='0', nullable=False),
    sa.Column('processes_seeded', sa.Boolean(), server_default='0', nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('team_id', name=op.f('pk_workspaces'))
    )
    op.create_table('digest_runs',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('team_id', sa.String(length=32), nullable=False),
    sa.Column('period_start', sa.DateTime(timezone=True), nullable=False),
    sa.Column('period_end', sa.DateTime(timezone=True), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('claimed_by', sa.String(length=128), nullable=True),
    sa.Column('lease_until', sa.DateTime(timezone=True), nullable=True),
    sa.Column('attempts', sa.Integer(), server_default='0', nullable=False),
    sa.Column('channel_id', sa.String(length=32), nullable=True),
    sa.Column('message_ts', sa.String(length=32), nullable=True),
    sa.Column('late', sa.Boolean(), server_default='0', nullable=False),
    sa.Column('error', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('posted_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['team_id'], ['workspaces.team_id'], name=op.f('fk_digest_runs_team_id_workspaces'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_digest_runs')),
    sa.UniqueConstraint('team_id', 'period_start', name=op.f('uq_digest_runs_team_id_period_start'))
    )
    op.create_table('processes',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('team_id', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('name_key', sa.String(length=80), nullable=False),
    sa.Column('description', sa.Text(), server_default='', nullable=False),
    sa.Column('keywords', sa.JSON(), nullable=False),
    sa.Column('owner_user_id', sa.String(length=32), nullable=True),
    sa.Column('owner_alerts', sa.Boolean(), server_default='1', nullable=False),
    sa.Column('archived', sa.Boolean(), server_default='0', nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['team_id'], ['workspaces.team_id'], name=op.f('fk_processes_team_id_workspaces'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_processes')),
    sa.UniqueConstraint('team_id', 'name_key', name=op.f('uq_processes_team_id_name_key'))
    )
    op.create_table('watched_channels',
    sa.Column('team_id', sa.String(length=32), nullable=False),
    sa.Column('channel_id', sa.String(length=32), nullable=False),
    sa.Column('added_by', sa.String(length=32), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['team_id'], ['workspaces.team_id'], name=op.f('fk_watched_channels_team_id_workspaces'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('team_id', 'channel_id', name=op.f('pk_watched_channels'))
    )
    op.create_table('remarks',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('team_id', sa.String(length=32), nullable=False),
    sa.Column('source_key', sa.String(length=128), nullable=False),
    sa.Column('channel_id', sa.String(length=32), nullable=True),
    sa.Column('message_ts', sa.String(length=32), nullable=True),
    sa.Column('thread_ts', sa.String(length=32), nullable=True),
    sa.Column('permalink', sa.String(length=512), nullable=True),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('author_user_id', sa.String(length=32), nullable=True),
    sa.Column('author_team_id', sa.String(length=32), nullable=True),
    sa.Column('customer', sa.String(length=255), nullable=True),
    sa.Column('customer_decided_by', sa.String(length=32), nullable=True),
    sa.Column('process_id', sa.Integer(), nullable=True),
    sa.Column('process_confidence', sa.Float(), nullable=True),
    sa.Column('process_decided_by', sa.String(length=32), nullable=True),
    sa.Column('process_decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('sentiment', sa.String(length=16), server_default='neutral', nullable=False),
    sa.Column('sentiment_score', sa.Float(), nullable=True),
    sa.Column('sentiment_decided_by', sa.String(length=32), nullable=True),
    sa.Column('sentiment_decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('classified_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('endorsements', sa.Integer(), server_default='0', nullable=False),
    sa.Column('said_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['process_id'], ['processes.id'], name=op.f('fk_remarks_process_id_processes'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['team_id'], ['workspaces.team_id'], name=op.f('fk_remarks_team_id_workspaces'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_remarks')),
    sa.UniqueConstraint('team_id', 'source_key', name=op.f('uq_remarks_team_id_source_key'))
    )
    with op.batch_alter_table('remarks', schema=None) as batch_op:
        batch_op.create_index('ix_remarks_team_process', ['team_id', 'process_id', 'said_at'], unique=False)
        batch_op.create_index('ix_remarks_team_said', ['team_id', 'said_at', 'customer'], unique=False)
        batch_op.create_index('ix_remarks_updated', ['updated_at'], unique=False)

    op.create_table('captures',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('team_id', sa.String(length=32), nullable=False),
    sa.Column('remark_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.String(length=32), nullable=False),
    sa.Column('route', sa.String(length=16), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('channel_id', sa.String(length=32), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['remark_id'], ['remarks.id'], name=op.f('fk_captures_remark_id_remarks'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_captures')),
    sa.UniqueConstraint('team_id', 'remark_id', 'user_id', 'route', name=op.f('uq_captures_team_id_remark_id_user_id_route'))
    )
    with op.batch_alter_table('captures', schema=None) as batch_op:
        batch_op.create_index('ix_captures_team_user', ['team_id', 'user_id', 'created_at'], unique=False)
    op.create_table('owner_alerts',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('team_id', sa.String(length=32), nullable=False),
    sa.Column('owner_user_id', sa.String(length=32), nullable=False),
    sa.Column('process_id', sa.Integer(), nullable=False),
    sa.Column('remark_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['team_id'], ['workspaces.team_id'], name=op.f('fk_owner_alerts_team_id_workspaces'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_owner_alerts')),
    sa.UniqueConstraint('team_id', 'remark_id', 'owner_user_id', name=op.f('uq_owner_alerts_team_id_remark_id_owner_user_id'))
    )
    with op.batch_alter_table('owner_alerts', schema=None) as batch_op:
        batch_op.create_index('ix_owner_alerts_pending', ['team_id', 'owner_user_id', 'sent_at'], unique=False)

    op.create_table('user_prefs',
    sa.Column('team_id', sa.String(length=32), nullable=False),
    sa.Column('user_id', sa.String(length=32), nullable=False),
    sa.Column('owner_alerts', sa.Boolean(), server_default='1', nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['team_id'], ['workspaces.team_id'], name=op.f('fk_user_prefs_team_id_workspaces'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('team_id', 'user_id', name=op.f('pk_user_prefs'))
    )


def downgrade() -> None:
    op.drop_table('user_prefs')
    with op.batch_alter_table('owner_alerts', schema=None) as batch_op:
        batch_op.drop_index('ix_owner_alerts_pending')

    op.drop_table('owner_alerts')
    with op.batch_alter_table('captures', schema=None) as batch_op:
        batch_op.drop_index('ix_captures_team_user')

    op.drop_table('captures')
    with op.batch_alter_table('remarks', schema=None) as batch_op:
        batch_op.drop_index('ix_remarks_team_said')
        batch_op.drop_index('ix_remarks_updated')
        batch_op.drop_index('ix_remarks_team_process')

    op.drop_table('remarks')
    op.drop_table('watched_channels')
    op.drop_table('processes')
    op.drop_table('digest_runs')
    op.drop_table('workspaces')
    with op.batch_alter_table('remark_daily', schema=None) as batch_op:
        batch_op.drop_index('ix_remark_daily_team_process')

    op.drop_table('remark_daily')
    with op.batch_alter_table('deliveries', schema=None) as batch_op:
        batch_op.drop_index('ix_deliveries_pending')

    op.drop_table('deliveries')
