"""The migrations build exactly the schema the models describe, and can be undone."""

from __future__ import annotations

import sqlalchemy
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from storage.migrate import alembic_config, upgrade
from storage.models import Base


def test_migrations_match_the_models_and_downgrade_cleanly(tmp_path):
    url = f"sqlite+aiosqlite:///{tmp_path}/m.db"
    upgrade(url)
    engine = sqlalchemy.create_engine(f"sqlite:///{tmp_path}/m.db")
    with engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), Base.metadata) == []
    command.downgrade(alembic_config(url), "base")
    with engine.connect() as conn:
        assert sqlalchemy.inspect(conn).get_table_names() == ["alembic_version"]
    engine.dispose()
