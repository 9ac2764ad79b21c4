"""loop: loop_claims (thread replies, praise notes, thank-you posts: each at most once);
user_prefs.praise_notes

Revision ID: 0006_loop
Revises: 0005_customers
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006_loop"
down_revision: str | None = "0005_customers"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "loop_claims",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("claim_key", sa.String(length=160), nullable=False),
        sa.Column("claimed_by", sa.String(length=32), nullable=True),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["team_id"], ["workspaces.team_id"],
                                name=op.f("fk_loop_claims_team_id_workspaces"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_loop_claims")),
        sa.UniqueConstraint("team_id", "kind", "claim_key",
                            name=op.f("uq_loop_claims_team_id_kind_claim_key")),
    )
    with op.batch_alter_table("user_prefs", schema=None) as batch_op:
        batch_op.add_column(sa.Column("praise_notes", sa.Boolean(), server_default="1", nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("user_prefs", schema=None) as batch_op:
        batch_op.drop_column("praise_notes")
    op.drop_table("loop_claims")
