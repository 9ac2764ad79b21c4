"""The migrations build exactly the schema the models describe, and can be undone."""

from __future__ import annotations

import pytest
import sqlalchemy
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from click.testing import CliRunner

from bot.cli.main import main
from storage.migrate import (
    HEAD,
    SchemaNotCurrent,
    alembic_config,
    check_current,
    head_revision,
    upgrade,
    upgrade_async,
)
from storage.models import Base
from storage.repositories.installations import OAUTH_METADATA


def test_migrations_match_the_models_and_downgrade_cleanly(tmp_path):
    url = f"sqlite+aiosqlite:///{tmp_path}/m.db"
    upgrade(url)
    engine = sqlalchemy.create_engine(f"sqlite:///{tmp_path}/m.db")
    with engine.connect() as conn:
        # Earshot's models and slack-sdk's OAuth tables (tests/unit/test_installation_tables.py).
        ctx = MigrationContext.configure(conn, opts={"target_metadata": [Base.metadata, OAUTH_METADATA]})
        assert compare_metadata(ctx, [Base.metadata, OAUTH_METADATA]) == []
    command.downgrade(alembic_config(url), "base")
    with engine.connect() as conn:
        assert sqlalchemy.inspect(conn).get_table_names() == ["alembic_version"]
    engine.dispose()


def test_the_head_serve_checks_is_alembics_head(tmp_path):
    # serve compares the database with HEAD without importing Alembic: a new migration
    # must move HEAD too, or serve would call every migrated database old.
    assert head_revision(f"sqlite+aiosqlite:///{tmp_path}/m.db") == HEAD


def test_checking_the_schema_does_not_import_alembic():
    import subprocess
    import sys

    code = ("import sys, asyncio, storage.migrate as m\n"
            "try:\n    asyncio.run(m.check_current('sqlite+aiosqlite:///:memory:'))\n"
            "except m.SchemaNotCurrent:\n    pass\n"
            "print('alembic' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


async def test_an_unreachable_database_is_reported_as_unreachable_not_as_an_old_schema():
    with pytest.raises(SchemaNotCurrent, match="cannot reach the database .*ConnectionRefused"):
        # Port 9 (discard) is closed on loopback.
        await check_current("postgresql+asyncpg://postgres@127.0.0.1:9/earshot")


async def test_an_empty_or_old_database_says_run_migrate(tmp_path):
    url = f"sqlite+aiosqlite:///{tmp_path}/empty.db"
    with pytest.raises(SchemaNotCurrent, match="no Earshot schema yet: run `earshot migrate`"):
        await check_current(url)
    await upgrade_async(url)
    await check_current(url)  # current: no error


def test_earshot_migrate_prints_one_line(tmp_path):
    result = CliRunner().invoke(main, ["migrate"], env={"DATABASE_URL": f"sqlite:///{tmp_path}/m.db"})
    assert result.exit_code == 0, result.output
    assert result.output.strip().splitlines() == ["Database is at revision head."]


def test_sources_are_backfilled_from_each_remarks_first_capture(tmp_path):
    import sqlite3

    url = f"sqlite+aiosqlite:///{tmp_path}/b.db"
    upgrade(url, "0008_themes")
    con = sqlite3.connect(tmp_path / "b.db")
    con.execute("INSERT INTO workspaces (team_id, processes_seeded, model_version, customers_version, "
                "created_at, updated_at) VALUES ('T1', 0, 0, 0, '2025-01-01', '2025-01-01')")
    for i, (route, watched) in enumerate([("forward", 0), ("watch", 1), (None, 0)]):
        con.execute("INSERT INTO remarks (team_id, source_key, text, sentiment, endorsements, watched, said_at, "
                    "created_at, updated_at) VALUES ('T1', ?, 't', 'neutral', 1, ?, '2025-01-01', '2025-01-01', "
                    "'2025-01-01')", (f"k{i}", watched))
        if route:
            con.execute("INSERT INTO captures (team_id, remark_id, user_id, route, created_at) "
                        "SELECT 'T1', id, 'U1', ?, '2025-01-02' FROM remarks WHERE source_key = ?", (route, f"k{i}"))
            con.execute("INSERT INTO captures (team_id, remark_id, user_id, route, created_at) "
                        "SELECT 'T1', id, 'U2', 'reaction', '2025-01-03' FROM remarks WHERE source_key = ?", (f"k{i}",))
    con.commit()
    con.close()
    upgrade(url)
    con = sqlite3.connect(tmp_path / "b.db")
    got = con.execute("SELECT source_key, source FROM remarks ORDER BY source_key").fetchall()
    con.close()
    assert got == [("k0", "forward"), ("k1", "watch"), ("k2", "command")]
