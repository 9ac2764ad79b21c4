"""tracker_deliveries (webhook deliveries already applied: replays change nothing);
view_replies (the response_url behind an open modal, kept server-side)

Revision ID: 0010_tracker_deliveries
Revises: 0008_themes
Create Date: 2026-12-09
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010_tracker_deliveries"
down_revision: str | None = "0009_security"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "tracker_deliveries",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("service", sa.String(length=16), nullable=False),
        sa.Column("delivery_id", sa.String(length=128), nullable=False),
        sa.Column("body_sha256", sa.String(length=64), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["team_id"], ["workspaces.team_id"],
                                name=op.f("fk_tracker_deliveries_team_id_workspaces"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tracker_deliveries")),
        sa.UniqueConstraint("team_id", "service", "delivery_id",
                            name=op.f("uq_tracker_deliveries_team_id_service_delivery_id")),
        sa.UniqueConstraint("team_id", "service", "body_sha256",
                            name=op.f("uq_tracker_deliveries_team_id_service_body_sha256")),
    )
    with op.batch_alter_table("tracker_deliveries", schema=None) as batch_op:
        batch_op.create_index("ix_tracker_deliveries_received_at", ["received_at"], unique=False)
    op.create_table(
        "view_replies",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("view_id", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("remark_id", sa.Integer(), nullable=False),
        sa.Column("response_url", sa.String(length=512), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["team_id"], ["workspaces.team_id"],
                                name=op.f("fk_view_replies_team_id_workspaces"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_view_replies")),
        sa.UniqueConstraint("team_id", "view_id", name=op.f("uq_view_replies_team_id_view_id")),
    )
    with op.batch_alter_table("view_replies", schema=None) as batch_op:
        batch_op.create_index("ix_view_replies_created_at", ["created_at"], unique=False)


def downgrade() -> None:
    op.drop_table("view_replies")
    op.drop_table("tracker_deliveries")
