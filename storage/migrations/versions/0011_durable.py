"""handled_posts: the Slack posts (mentions, forwards) a run acted on, so their twin event,
a retry or a redo adds nothing

Revision ID: 0011_durable
Revises: 0012_sources
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011_durable"
down_revision: str | None = "0012_sources"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "handled_posts",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True,
                  nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("post_key", sa.String(length=160), nullable=False),
        sa.Column("handled_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_handled_posts")),
        sa.UniqueConstraint("team_id", "post_key", name=op.f("uq_handled_posts_team_id_post_key")),
    )
    with op.batch_alter_table("handled_posts", schema=None) as batch_op:
        batch_op.create_index("ix_handled_posts_at", ["handled_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("handled_posts", schema=None) as batch_op:
        batch_op.drop_index("ix_handled_posts_at")
    op.drop_table("handled_posts")
