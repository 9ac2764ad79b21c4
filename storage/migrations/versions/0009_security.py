"""security: ids that travel are never reused on SQLite (AUTOINCREMENT); merge_offers

Revision ID: 0009_security
Revises: 0008_themes
Create Date: 2026-12-09

SQLite hands the id of the last deleted row to the next one unless the table was created
with AUTOINCREMENT, and a control drawn for a deleted remark then acts on another one. The
tables whose ids travel in buttons, menus, metadata and exports are rebuilt with it (batch
mode: copy, drop, rename; env.py turns foreign keys off for it, so the drop does not cascade
into the rows that reference them). PostgreSQL's sequences never reuse a value: nothing to do.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009_security"
down_revision: str | None = "0008_themes"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Parents first, so each rebuilt table's foreign keys name a table that exists.
TRAVELLING = ("processes", "customers", "remarks", "improvements", "themes", "remark_merges")

# Where ids of deleted remarks may still be named: the new sequence starts above them all, so
# even an id deleted before this migration is never handed out again.
REMARK_ID_HOLDERS = (("owner_alerts", "remark_id"), ("customer_alerts", "remark_id"),
                     ("remark_merges", "merged_remark_id"), ("remark_merges", "into_remark_id"))


def _rebuild(autoincrement: bool) -> None:
    for table in TRAVELLING:
        with op.batch_alter_table(table, recreate="always",
                                  table_kwargs={"sqlite_autoincrement": autoincrement}):
            pass


def _check_foreign_keys() -> None:
    problems = op.get_bind().exec_driver_sql("PRAGMA foreign_key_check").fetchall()
    if problems:
        raise RuntimeError(f"foreign keys broken by the rebuild: {problems[:5]}")


def _start_remark_ids_above_every_known_one() -> None:
    bind = op.get_bind()
    highest = max(int(bind.exec_driver_sql(f"SELECT coalesce(max({column}), 0) FROM {table}").scalar() or 0)
                  for table, column in (("remarks", "id"), *REMARK_ID_HOLDERS))
    if not highest:
        return
    seq = bind.exec_driver_sql("SELECT seq FROM sqlite_sequence WHERE name = 'remarks'").scalar()
    if seq is None:
        bind.exec_driver_sql(f"INSERT INTO sqlite_sequence (name, seq) VALUES ('remarks', {highest})")
    elif int(seq) < highest:
        bind.exec_driver_sql(f"UPDATE sqlite_sequence SET seq = {highest} WHERE name = 'remarks'")


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    if sqlite:
        _rebuild(True)
    op.create_table(
        "merge_offers",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("remark_id", sa.Integer(), nullable=False),
        sa.Column("into_remark_id", sa.Integer(), nullable=False),
        sa.Column("offered_to", sa.String(length=32), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["team_id"], ["workspaces.team_id"],
                                name=op.f("fk_merge_offers_team_id_workspaces"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["remark_id"], ["remarks.id"],
                                name=op.f("fk_merge_offers_remark_id_remarks"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["into_remark_id"], ["remarks.id"],
                                name=op.f("fk_merge_offers_into_remark_id_remarks"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_merge_offers")),
        sa.UniqueConstraint("team_id", "remark_id", "into_remark_id",
                            name=op.f("uq_merge_offers_team_id_remark_id_into_remark_id")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("merge_offers", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_merge_offers_into_remark_id"), ["into_remark_id"], unique=False)
    if sqlite:
        _start_remark_ids_above_every_known_one()
        _check_foreign_keys()


def downgrade() -> None:
    with op.batch_alter_table("merge_offers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_merge_offers_into_remark_id"))
    op.drop_table("merge_offers")
    if op.get_bind().dialect.name == "sqlite":
        _rebuild(False)
        _check_foreign_keys()
