"""sources: remarks.source/contact/link/score/external_id (issue 21); api_tokens; api_rate

Revision ID: 0012_sources
Revises: 0013_backfills
Create Date: 2027-01-10
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012_sources"
down_revision: str | None = "0013_backfills"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("remarks", schema=None) as batch_op:
        batch_op.add_column(sa.Column("source", sa.String(length=80), nullable=True))
        batch_op.add_column(sa.Column("contact", sa.String(length=255), nullable=True))
        batch_op.add_column(sa.Column("link", sa.String(length=1024), nullable=True))
        batch_op.add_column(sa.Column("score_kind", sa.String(length=8), nullable=True))
        batch_op.add_column(sa.Column("score_value", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("external_id", sa.String(length=255), nullable=True))
    # Existing remarks: the route of their first capture ('watch' for a watched channel's).
    op.execute(
        "UPDATE remarks SET source = COALESCE((SELECT c.route FROM captures c "
        "WHERE c.team_id = remarks.team_id AND c.remark_id = remarks.id "
        "ORDER BY c.created_at, c.id LIMIT 1), 'command')"
    )
    op.execute("UPDATE remarks SET source = 'watch' WHERE watched = true")
    with op.batch_alter_table("remarks", schema=None) as batch_op:
        batch_op.alter_column("source", existing_type=sa.String(length=80), nullable=False,
                              server_default="command")
        # Sources' volumes (/feedback sources, App Home, the digest headline).
        batch_op.create_index("ix_remarks_team_source", ["team_id", "source", "created_at"], unique=False)
    op.create_table(
        "api_tokens",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=28), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("rate_per_minute", sa.Integer(), server_default="600", nullable=False),
        sa.ForeignKeyConstraint(["team_id"], ["workspaces.team_id"],
                                name=op.f("fk_api_tokens_team_id_workspaces"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_tokens")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_api_tokens_token_hash")),
        sqlite_autoincrement=True,
    )
    # One live token per name; a revoked name can be made again.
    op.create_index("uq_api_tokens_live_name", "api_tokens", ["team_id", "name"], unique=True,
                    sqlite_where=sa.text("revoked_at IS NULL"),
                    postgresql_where=sa.text("revoked_at IS NULL"))
    op.create_table(
        "api_rate",
        sa.Column("token_id", sa.Integer(), nullable=False),
        sa.Column("window", sa.Integer(), nullable=False),
        sa.Column("used", sa.Integer(), server_default="0", nullable=False),
        sa.ForeignKeyConstraint(["token_id"], ["api_tokens.id"],
                                name=op.f("fk_api_rate_token_id_api_tokens"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("token_id", "window", name=op.f("pk_api_rate")),
    )


def downgrade() -> None:
    op.drop_table("api_rate")
    op.drop_index("uq_api_tokens_live_name", table_name="api_tokens")
    op.drop_table("api_tokens")
    with op.batch_alter_table("remarks", schema=None) as batch_op:
        batch_op.drop_index("ix_remarks_team_source")
        for column in ("external_id", "score_value", "score_kind", "link", "contact", "source"):
            batch_op.drop_column(column)
