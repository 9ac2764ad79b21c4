"""Outbound webhook gaps: workspaces.webhook_count (a capture skips the subscription query when
it is 0); webhook_subscriptions.dropped (events dropped while paused, past the cap);
webhook_deliveries.reply_channel, reply_user (who hears how a ``hooks out test`` ping went);
an index to find a subscription's oldest deliveries.

Revision ID: 0021_gaps
Revises: 0019_hook_rotate
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0021_gaps"
down_revision: str | None = "0019_hook_rotate"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("workspaces", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("webhook_count", sa.Integer(), nullable=False, server_default="0")
        )
    op.execute(
        "UPDATE workspaces SET webhook_count = (SELECT count(*) FROM webhook_subscriptions"
        " WHERE webhook_subscriptions.team_id = workspaces.team_id)"
    )
    with op.batch_alter_table("webhook_subscriptions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("dropped", sa.Integer(), nullable=False, server_default="0"))
    with op.batch_alter_table("webhook_deliveries", schema=None) as batch_op:
        batch_op.add_column(sa.Column("reply_channel", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("reply_user", sa.String(length=64), nullable=True))
    op.create_index(
        "ix_webhook_deliveries_sub_id", "webhook_deliveries", ["subscription_id", "id"]
    )


def downgrade() -> None:
    op.drop_index("ix_webhook_deliveries_sub_id", table_name="webhook_deliveries")
    with op.batch_alter_table("webhook_deliveries", schema=None) as batch_op:
        batch_op.drop_column("reply_user")
        batch_op.drop_column("reply_channel")
    with op.batch_alter_table("webhook_subscriptions", schema=None) as batch_op:
        batch_op.drop_column("dropped")
    with op.batch_alter_table("workspaces", schema=None) as batch_op:
        batch_op.drop_column("webhook_count")
