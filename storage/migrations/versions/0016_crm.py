"""CRM sync: a customer's CRM link (crm, crm_id), its web domains, the fields a person set
by hand (kept from the CRM), and each workspace's last sync per CRM

Revision ID: 0016_crm
Revises: 0014_webhooks_out
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016_crm"
down_revision: str | None = "0014_webhooks_out"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # The customer id travels (alerts name it): SQLite rebuilds the table, AUTOINCREMENT kept.
    with op.batch_alter_table("customers", table_kwargs={"sqlite_autoincrement": True}) as batch_op:
        batch_op.add_column(sa.Column("crm", sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column("crm_id", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("domains", sa.JSON(), nullable=False, server_default="[]"))
        batch_op.add_column(
            sa.Column("manual_fields", sa.JSON(), nullable=False, server_default="[]")
        )
        # One customer per CRM record: a rerun (or two clocks at once) cannot add a second.
        batch_op.create_unique_constraint(
            op.f("uq_customers_team_id_crm_crm_id"), ["team_id", "crm", "crm_id"]
        )
    op.create_table(
        "crm_syncs",
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("crm", sa.String(length=16), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("ok", sa.Boolean(), nullable=False, server_default="0"),
        sa.Column("summary", sa.Text(), nullable=False, server_default=""),
        sa.ForeignKeyConstraint(
            ["team_id"],
            ["workspaces.team_id"],
            name=op.f("fk_crm_syncs_team_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("team_id", "crm", name=op.f("pk_crm_syncs")),
    )


def downgrade() -> None:
    op.drop_table("crm_syncs")
    # The customer id travels (alerts name it): SQLite rebuilds the table, AUTOINCREMENT kept.
    with op.batch_alter_table("customers", table_kwargs={"sqlite_autoincrement": True}) as batch_op:
        batch_op.drop_constraint(op.f("uq_customers_team_id_crm_crm_id"), type_="unique")
        batch_op.drop_column("manual_fields")
        batch_op.drop_column("domains")
        batch_op.drop_column("crm_id")
        batch_op.drop_column("crm")
