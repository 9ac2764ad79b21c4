"""Migration 0009 on a database with data (SQLite and PostgreSQL, as EARSHOT_TEST_DB picks):
every row, foreign key and index survives the table rebuilds, and an id that left the
database is never given to a new row, not even one deleted before the migration."""

from __future__ import annotations

import asyncio
from pathlib import Path

import sqlalchemy as sa
from alembic import command

from storage.db import create_engine
from storage.migrate import alembic_config, upgrade_async
from tests.db import create_database, drop_database

NOW = "'2026-01-01 00:00:00'"
TRAVELLING = ("processes", "customers", "remarks", "improvements", "themes", "remark_merges", "merge_offers")


async def run(url: str, *statements: str) -> list[list[tuple]]:
    engine = create_engine(url)
    out = []
    try:
        async with engine.begin() as conn:
            for s in statements:
                result = await conn.execute(sa.text(s))
                out.append([tuple(r) for r in result.all()] if result.returns_rows else [])
    finally:
        await engine.dispose()
    return out


async def seed(url: str) -> None:
    """A fresh workspace at revision 0008 (so ids count from 1): a process, four remarks with
    captures (the newest one, id 4, deleted since), an improvement addressing two of them, an alert naming remark 9."""
    rows = [
        "INSERT INTO workspaces (team_id, digest_weekday, digest_time, digest_enabled, digest_chart, "
        f"model_version, processes_seeded, customers_version, digest_weigh, created_at, updated_at) "
        f"VALUES ('T1', 0, '09:00', true, true, 0, true, 0, 'off', {NOW}, {NOW})",
        "INSERT INTO processes (team_id, name, name_key, description, keywords, owner_alerts, archived, "
        f"created_at, updated_at) VALUES ('T1', 'Billing', 'billing', '', '[]', true, false, {NOW}, {NOW})",
    ]
    for i in range(1, 5):
        rows.append("INSERT INTO remarks (team_id, source_key, text, sentiment, endorsements, watched, said_at, "
                    f"created_at, updated_at, process_id) VALUES ('T1', 'k{i}', 't{i}', 'complaint', 1, false, "
                    f"{NOW}, {NOW}, {NOW}, 1)")
        rows.append(f"INSERT INTO captures (team_id, remark_id, user_id, route, created_at) "
                    f"VALUES ('T1', {i}, 'U1', 'reaction', {NOW})")
    rows += [
        "INSERT INTO improvements (team_id, process_id, title, description, proposed_by, status, created_at, "
        f"updated_at) VALUES ('T1', 1, 'Fix', '', 'U1', 'planned', {NOW}, {NOW})",
        f"INSERT INTO improvement_remarks (improvement_id, remark_id, team_id, added_by, added_at) "
        f"VALUES (1, 1, 'T1', 'U1', {NOW}), (1, 2, 'T1', 'U1', {NOW})",
        f"INSERT INTO owner_alerts (team_id, owner_user_id, process_id, remark_id, created_at) "
        f"VALUES ('T1', 'U1', 1, 9, {NOW})",
        "DELETE FROM remarks WHERE id = 4",
    ]
    await run(url, *rows)


async def test_0009_keeps_every_row_and_never_reuses_an_id(tmp_path: Path) -> None:
    url = await create_database(tmp_path)
    try:
        await upgrade_async(url, "0008_themes")
        await seed(url)
        await upgrade_async(url)
        [remarks, captures, addressed] = await run(
            url, "SELECT id FROM remarks ORDER BY id", "SELECT remark_id FROM captures ORDER BY remark_id",
            "SELECT remark_id FROM improvement_remarks ORDER BY remark_id")
        assert remarks == [(1,), (2,), (3,)] and captures == [(1,), (2,), (3,)] and addressed == [(1,), (2,)]
        # A new remark: above every id ever handed out or still named (the alert's 9 on SQLite).
        [[(new_id,)]] = await run(
            url, "INSERT INTO remarks (team_id, source_key, text, sentiment, endorsements, watched, said_at, "
                 f"created_at, updated_at) VALUES ('T1', 'k5', 't5', 'praise', 1, false, {NOW}, {NOW}, {NOW}) "
                 "RETURNING id")
        assert new_id > 4
        # Delete the newest, add another: its id is not given again.
        await run(url, f"DELETE FROM remarks WHERE id = {new_id}")
        [[(next_id,)]] = await run(
            url, "INSERT INTO remarks (team_id, source_key, text, sentiment, endorsements, watched, said_at, "
                 f"created_at, updated_at) VALUES ('T1', 'k6', 't6', 'praise', 1, false, {NOW}, {NOW}, {NOW}) "
                 "RETURNING id")
        assert next_id > new_id
        # Foreign keys still act: deleting a remark takes its captures and links with it.
        await run(url, "DELETE FROM remarks WHERE id = 1")
        [captures, addressed] = await run(url, "SELECT remark_id FROM captures ORDER BY remark_id",
                                          "SELECT remark_id FROM improvement_remarks")
        assert captures == [(2,), (3,)] and addressed == [(2,)]
        if url.startswith("sqlite"):
            sql = dict((await run(url, "SELECT name, sql FROM sqlite_master WHERE type = 'table'"))[0])
            for table in TRAVELLING:
                assert "AUTOINCREMENT" in sql[table], table
            assert new_id > 9
            assert (await run(url, "PRAGMA foreign_key_check"))[0] == []
            indexes = {n for (n,) in (await run(
                url, "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'remarks'"))[0]}
            assert {"ix_remarks_team_said", "ix_remarks_team_process", "ix_remarks_team_id",
                    "ix_remarks_updated", "ix_remarks_team_theme"} <= indexes
            # And back: the rows survive a downgrade too.
            await asyncio.to_thread(command.downgrade, alembic_config(url), "0008_themes")
            assert (await run(url, "SELECT count(*) FROM remarks"))[0] == [(3,)]
    finally:
        await drop_database(url)
