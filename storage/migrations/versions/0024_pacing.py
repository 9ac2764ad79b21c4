"""rate_reservations: a slot of a workspace's rate-limited Slack method reserved for one
capture that handed its delivery back to be retried at that time (instead of holding a
worker for up to a minute), or for a form submission asked to submit again at that time.

Revision ID: 0024_pacing
Revises: 0023_watchstats
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0024_pacing"
down_revision: str | None = "0023_watchstats"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "rate_reservations",
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("method", sa.String(length=64), nullable=False),
        sa.Column("holder", sa.String(length=200), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("team_id", "method", "holder", name=op.f("pk_rate_reservations")),
    )
    op.create_index("ix_rate_reservations_at", "rate_reservations", ["at"])


def downgrade() -> None:
    op.drop_index("ix_rate_reservations_at", table_name="rate_reservations")
    op.drop_table("rate_reservations")
