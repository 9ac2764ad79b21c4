"""themes: groups of remarks inside a process; remarks.theme_id; remark_merges (duplicates merged)

Revision ID: 0008_themes
Revises: 0007_installations
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008_themes"
down_revision: str | None = "0007_installations"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "themes",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("process_id", sa.Integer(), nullable=False),
        sa.Column("centroid", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["team_id"], ["workspaces.team_id"],
                                name=op.f("fk_themes_team_id_workspaces"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["process_id"], ["processes.id"],
                                name=op.f("fk_themes_process_id_processes"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_themes")),
    )
    with op.batch_alter_table("themes", schema=None) as batch_op:
        batch_op.create_index("ix_themes_team_process", ["team_id", "process_id"], unique=False)
    with op.batch_alter_table("remarks", schema=None) as batch_op:
        batch_op.add_column(sa.Column("theme_id", sa.Integer(), nullable=True))
        batch_op.create_index("ix_remarks_team_theme", ["team_id", "theme_id"], unique=False)
    op.create_table(
        "remark_merges",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("source_key", sa.String(length=128), nullable=False),
        sa.Column("merged_remark_id", sa.Integer(), nullable=False),
        sa.Column("into_remark_id", sa.Integer(), nullable=False),
        sa.Column("merged_by", sa.String(length=32), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["team_id"], ["workspaces.team_id"],
                                name=op.f("fk_remark_merges_team_id_workspaces"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_remark_merges")),
        sa.UniqueConstraint("team_id", "source_key", name=op.f("uq_remark_merges_team_id_source_key")),
    )


def downgrade() -> None:
    op.drop_table("remark_merges")
    with op.batch_alter_table("remarks", schema=None) as batch_op:
        batch_op.drop_index("ix_remarks_team_theme")
        batch_op.drop_column("theme_id")
    with op.batch_alter_table("themes", schema=None) as batch_op:
        batch_op.drop_index("ix_themes_team_process")
    op.drop_table("themes")
