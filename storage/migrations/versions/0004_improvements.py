"""improvements: tracked changes, their status history, the remarks they address, and
claims on telling the people who raised them; user_prefs.improvement_updates; the
workspaces' tracker webhook secrets

Revision ID: 0004_improvements
Revises: 0003_data_trust
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004_improvements"
# The initial schema's revision id is "0001" (file 0001_initial_schema.py).
down_revision: str | None = "0003_data_trust"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "improvements",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("process_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=150), nullable=False),
        sa.Column("description", sa.Text(), server_default="", nullable=False),
        sa.Column("owner_user_id", sa.String(length=32), nullable=True),
        sa.Column("proposed_by", sa.String(length=32), nullable=False),
        sa.Column("status", sa.String(length=16), server_default="planned", nullable=False),
        sa.Column("link", sa.String(length=512), nullable=True),
        sa.Column("shipped_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["process_id"], ["processes.id"],
                                name=op.f("fk_improvements_process_id_processes"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["team_id"], ["workspaces.team_id"],
                                name=op.f("fk_improvements_team_id_workspaces"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_improvements")),
    )
    with op.batch_alter_table("improvements", schema=None) as batch_op:
        batch_op.create_index("ix_improvements_team_status", ["team_id", "status", "shipped_at"], unique=False)
        batch_op.create_index("ix_improvements_team_link", ["team_id", "link"], unique=False)

    op.create_table(
        "improvement_status_changes",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("improvement_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("by_user_id", sa.String(length=32), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["improvement_id"], ["improvements.id"],
                                name=op.f("fk_improvement_status_changes_improvement_id_improvements"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_improvement_status_changes")),
    )
    with op.batch_alter_table("improvement_status_changes", schema=None) as batch_op:
        batch_op.create_index("ix_improvement_status_changes_imp", ["improvement_id", "at"], unique=False)

    op.create_table(
        "improvement_remarks",
        sa.Column("improvement_id", sa.Integer(), nullable=False),
        sa.Column("remark_id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("added_by", sa.String(length=32), nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["improvement_id"], ["improvements.id"],
                                name=op.f("fk_improvement_remarks_improvement_id_improvements"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["remark_id"], ["remarks.id"],
                                name=op.f("fk_improvement_remarks_remark_id_remarks"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("improvement_id", "remark_id", name=op.f("pk_improvement_remarks")),
    )
    with op.batch_alter_table("improvement_remarks", schema=None) as batch_op:
        batch_op.create_index("ix_improvement_remarks_remark", ["remark_id"], unique=False)

    op.create_table(
        "improvement_notices",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("improvement_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["improvement_id"], ["improvements.id"],
                                name=op.f("fk_improvement_notices_improvement_id_improvements"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_improvement_notices")),
        sa.UniqueConstraint("improvement_id", "user_id", "status",
                            name=op.f("uq_improvement_notices_improvement_id_user_id_status")),
    )

    with op.batch_alter_table("user_prefs", schema=None) as batch_op:
        batch_op.add_column(sa.Column("improvement_updates", sa.Boolean(), server_default="1", nullable=False))
    with op.batch_alter_table("workspaces", schema=None) as batch_op:
        batch_op.add_column(sa.Column("hook_secret", sa.String(length=128), nullable=True))
        batch_op.add_column(sa.Column("linear_secret", sa.String(length=128), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("workspaces", schema=None) as batch_op:
        batch_op.drop_column("linear_secret")
        batch_op.drop_column("hook_secret")
    with op.batch_alter_table("user_prefs", schema=None) as batch_op:
        batch_op.drop_column("improvement_updates")
    op.drop_table("improvement_notices")
    with op.batch_alter_table("improvement_remarks", schema=None) as batch_op:
        batch_op.drop_index("ix_improvement_remarks_remark")
    op.drop_table("improvement_remarks")
    with op.batch_alter_table("improvement_status_changes", schema=None) as batch_op:
        batch_op.drop_index("ix_improvement_status_changes_imp")
    op.drop_table("improvement_status_changes")
    with op.batch_alter_table("improvements", schema=None) as batch_op:
        batch_op.drop_index("ix_improvements_team_link")
        batch_op.drop_index("ix_improvements_team_status")
    op.drop_table("improvements")
