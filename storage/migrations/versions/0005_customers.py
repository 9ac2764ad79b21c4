"""customers: the customer registry per workspace; customer_alerts (account owners told); workspaces.customers_version and
digest_weigh; user_prefs.customer_alerts

Revision ID: 0005_customers
Revises: 0004_improvements
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005_customers"
down_revision: str | None = "0004_improvements"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "customers",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("name_key", sa.String(length=255), nullable=False),
        sa.Column("aliases", sa.JSON(), nullable=False),
        sa.Column("tier", sa.String(length=40), nullable=True),
        sa.Column("yearly_value", sa.BigInteger(), nullable=True),
        sa.Column("owner_user_id", sa.String(length=32), nullable=True),
        sa.Column("connect_team_ids", sa.JSON(), nullable=False),
        sa.Column("channel_rules", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["team_id"], ["workspaces.team_id"],
                                name=op.f("fk_customers_team_id_workspaces"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_customers")),
        sa.UniqueConstraint("team_id", "name_key", name=op.f("uq_customers_team_id_name_key")),
    )
    op.create_table(
        "customer_alerts",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("owner_user_id", sa.String(length=32), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("remark_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["team_id"], ["workspaces.team_id"],
                                name=op.f("fk_customer_alerts_team_id_workspaces"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_customer_alerts")),
        sa.UniqueConstraint("team_id", "remark_id", "owner_user_id",
                            name=op.f("uq_customer_alerts_team_id_remark_id_owner_user_id")),
    )
    with op.batch_alter_table("customer_alerts", schema=None) as batch_op:
        batch_op.create_index("ix_customer_alerts_pending", ["team_id", "owner_user_id", "sent_at"], unique=False)
    with op.batch_alter_table("workspaces", schema=None) as batch_op:
        batch_op.add_column(sa.Column("customers_version", sa.Integer(), server_default="0", nullable=False))
        batch_op.add_column(sa.Column("digest_weigh", sa.String(length=8), server_default="off", nullable=False))
    with op.batch_alter_table("user_prefs", schema=None) as batch_op:
        batch_op.add_column(sa.Column("customer_alerts", sa.Boolean(), server_default="1", nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("user_prefs", schema=None) as batch_op:
        batch_op.drop_column("customer_alerts")
    with op.batch_alter_table("workspaces", schema=None) as batch_op:
        batch_op.drop_column("digest_weigh")
        batch_op.drop_column("customers_version")
    with op.batch_alter_table("customer_alerts", schema=None) as batch_op:
        batch_op.drop_index("ix_customer_alerts_pending")
    op.drop_table("customer_alerts")
    op.drop_table("customers")
