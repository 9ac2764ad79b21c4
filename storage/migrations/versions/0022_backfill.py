"""message_changes: messages deleted or edited while their channel's history is brought in
(a backfill checks them when it files a page, so the event wins over a page read before it).

Revision ID: 0022_backfill
Revises: 0021_gaps
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0022_backfill"
down_revision: str | None = "0021_gaps"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "message_changes",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("channel_id", sa.String(length=32), nullable=False),
        sa.Column("message_ts", sa.String(length=32), nullable=False),
        sa.Column("deleted", sa.Boolean(), server_default="0", nullable=False),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["team_id"], ["workspaces.team_id"],
                                name=op.f("fk_message_changes_team_id_workspaces"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_message_changes")),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_message_changes_channel", "message_changes", ["team_id", "channel_id", "at"])


def downgrade() -> None:
    op.drop_index("ix_message_changes_channel", table_name="message_changes")
    op.drop_table("message_changes")
