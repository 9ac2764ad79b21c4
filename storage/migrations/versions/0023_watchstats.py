"""A backfill's own examples and state for ``/feedback watch status``: the week's live
counts no longer take in a history import.

``watch_examples.backfill_id``: an example heard while bringing in a channel's history
belongs to that job (NULL: heard live, in its week). ``backfills.reached_at``: the oldest
message read so far (how much of the window is done, across a restart); ``resumes`` and
``resumed_at``: how often, and when last, another process took the job over.

Revision ID: 0023_watchstats
Revises: 0022_backfill
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0023_watchstats"
down_revision: str | None = "0022_backfill"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("backfills", schema=None) as batch_op:
        batch_op.add_column(sa.Column("reached_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("resumes", sa.Integer(), server_default="0", nullable=False))
        batch_op.add_column(sa.Column("resumed_at", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("watch_examples", schema=None) as batch_op:
        batch_op.add_column(sa.Column("backfill_id", sa.Integer(), nullable=True))
        batch_op.create_index("ix_watch_examples_backfill", ["backfill_id", "kind"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("watch_examples", schema=None) as batch_op:
        batch_op.drop_index("ix_watch_examples_backfill")
        batch_op.drop_column("backfill_id")
    with op.batch_alter_table("backfills", schema=None) as batch_op:
        batch_op.drop_column("resumed_at")
        batch_op.drop_column("resumes")
        batch_op.drop_column("reached_at")
