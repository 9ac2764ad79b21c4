"""remarks.language: the language a remark was detected in (ISO 639-1), so one Earshot
cannot read stays unfiled for a person and the digest can count them

Revision ID: 0018_language
Revises: 0016_crm
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0018_language"
down_revision: str | None = "0016_crm"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("remarks", schema=None) as batch_op:
        batch_op.add_column(sa.Column("language", sa.String(length=8), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("remarks", schema=None) as batch_op:
        batch_op.drop_column("language")
