"""owed effects: what a capture still owes Slack (confirmation, mark); remarks.watched;
workspaces.chart_problem

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0002'
down_revision: str | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('owed_effects',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('team_id', sa.String(length=32), nullable=False),
    sa.Column('effect_key', sa.String(length=160), nullable=False),
    sa.Column('method', sa.String(length=48), nullable=False),
    sa.Column('args', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('lease_until', sa.DateTime(timezone=True), nullable=True),
    sa.Column('attempts', sa.Integer(), server_default='0', nullable=False),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_owed_effects')),
    sa.UniqueConstraint('team_id', 'effect_key', name=op.f('uq_owed_effects_team_id_effect_key'))
    )
    with op.batch_alter_table('owed_effects', schema=None) as batch_op:
        batch_op.create_index('ix_owed_effects_due', ['next_attempt_at'], unique=False)
    with op.batch_alter_table('remarks', schema=None) as batch_op:
        batch_op.add_column(sa.Column('watched', sa.Boolean(), server_default='0', nullable=False))
    with op.batch_alter_table('workspaces', schema=None) as batch_op:
        batch_op.add_column(sa.Column('chart_problem', sa.String(length=64), nullable=True))
    # Remarks filed from watched channels before this revision: captured by route "watch".
    op.execute("UPDATE remarks SET watched = TRUE WHERE id IN "
               "(SELECT remark_id FROM captures WHERE route = 'watch')")


def downgrade() -> None:
    with op.batch_alter_table('workspaces', schema=None) as batch_op:
        batch_op.drop_column('chart_problem')
    with op.batch_alter_table('remarks', schema=None) as batch_op:
        batch_op.drop_column('watched')
    with op.batch_alter_table('owed_effects', schema=None) as batch_op:
        batch_op.drop_index('ix_owed_effects_due')
    op.drop_table('owed_effects')
