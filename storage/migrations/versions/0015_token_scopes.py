"""token_scopes: what an API token may do (api_tokens.scopes): write (the intake API),
read (the read API), or both; every token made before is a write token

Revision ID: 0015_token_scopes
Revises: 0011_durable
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015_token_scopes"
down_revision: str | None = "0011_durable"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("api_tokens", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("scopes", sa.String(length=16), server_default="write", nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("api_tokens", schema=None) as batch_op:
        batch_op.drop_column("scopes")
