"""sources: other apps' posts in watched channels (watched_channels.bots, bot_names), watch
counts and examples, channel history backfills, the shared pace of Slack calls

Revision ID: 0013_backfills
Revises: 0008_themes
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013_backfills"
down_revision: str | None = "0010_tracker_deliveries"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _team_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(["team_id"], ["workspaces.team_id"],
                                   name=op.f(f"fk_{table}_team_id_workspaces"), ondelete="CASCADE")


def upgrade() -> None:
    with op.batch_alter_table("watched_channels", schema=None) as batch_op:
        batch_op.add_column(sa.Column("bots", sa.String(length=8), server_default="off", nullable=False))
        batch_op.add_column(sa.Column("bot_names", sa.JSON(), nullable=True))
    op.create_table(
        "watch_counts",
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("channel_id", sa.String(length=32), nullable=False),
        sa.Column("week", sa.Date(), nullable=False),
        sa.Column("captured", sa.Integer(), server_default="0", nullable=False),
        sa.Column("skipped", sa.Integer(), server_default="0", nullable=False),
        _team_fk("watch_counts"),
        sa.PrimaryKeyConstraint("team_id", "channel_id", "week", name=op.f("pk_watch_counts")),
    )
    op.create_table(
        "watch_examples",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("channel_id", sa.String(length=32), nullable=False),
        sa.Column("week", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("message_ts", sa.String(length=32), nullable=False),
        sa.Column("remark_id", sa.Integer(), nullable=True),
        sa.Column("text", sa.String(length=200), nullable=True),
        sa.Column("reason", sa.String(length=32), nullable=True),
        sa.Column("author_user_id", sa.String(length=32), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        _team_fk("watch_examples"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_watch_examples")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("watch_examples", schema=None) as batch_op:
        batch_op.create_index("ix_watch_examples_week", ["team_id", "channel_id", "week", "kind"], unique=False)
        batch_op.create_index("ix_watch_examples_message", ["team_id", "channel_id", "message_ts"], unique=False)
    op.create_table(
        "backfills",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("channel_id", sa.String(length=32), nullable=False),
        sa.Column("requested_by", sa.String(length=32), nullable=False),
        sa.Column("oldest", sa.DateTime(timezone=True), nullable=False),
        sa.Column("latest_ts", sa.String(length=32), nullable=False),
        sa.Column("cursor", sa.Text(), nullable=True),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("pages", sa.Integer(), server_default="0", nullable=False),
        sa.Column("fetched", sa.Integer(), server_default="0", nullable=False),
        sa.Column("captured", sa.Integer(), server_default="0", nullable=False),
        sa.Column("skipped", sa.Integer(), server_default="0", nullable=False),
        sa.Column("known", sa.Integer(), server_default="0", nullable=False),
        sa.Column("other", sa.Integer(), server_default="0", nullable=False),
        sa.Column("lease_owner", sa.String(length=64), nullable=True),
        sa.Column("lease_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("progress_channel", sa.String(length=32), nullable=True),
        sa.Column("progress_ts", sa.String(length=32), nullable=True),
        sa.Column("error", sa.String(length=255), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        _team_fk("backfills"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_backfills")),
        sa.UniqueConstraint("team_id", "channel_id", name=op.f("uq_backfills_team_id_channel_id")),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "rate_slots",
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("method", sa.String(length=64), nullable=False),
        sa.Column("next_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("blocked_until", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("team_id", "method", name=op.f("pk_rate_slots")),
    )


def downgrade() -> None:
    op.drop_table("rate_slots")
    op.drop_table("backfills")
    with op.batch_alter_table("watch_examples", schema=None) as batch_op:
        batch_op.drop_index("ix_watch_examples_message")
        batch_op.drop_index("ix_watch_examples_week")
    op.drop_table("watch_examples")
    op.drop_table("watch_counts")
    with op.batch_alter_table("watched_channels", schema=None) as batch_op:
        batch_op.drop_column("bot_names")
        batch_op.drop_column("bots")
