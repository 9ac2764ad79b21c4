"""The OAuth tables migration 0007 creates are exactly slack-sdk's stores' tables, and the
scopes an OAuth install asks for are the manifest's."""

from __future__ import annotations

from typing import Any

import yaml
from sqlalchemy import inspect

from bot.cli.manifest import bundled
from bot.config import BOT_SCOPES
from storage.db import create_engine
from storage.repositories.installations import OAUTH_TABLES


def _shape(columns: list[dict[str, Any]]) -> dict[str, tuple[str, bool]]:
    return {c["name"]: (type(c["type"]).__name__.upper(), bool(c["nullable"])) for c in columns}


async def test_migrated_oauth_tables_match_the_stores_metadata(database_url: str) -> None:
    engine = create_engine(database_url)
    try:
        async with engine.connect() as conn:
            def read(sync_conn: Any) -> dict[str, Any]:
                insp = inspect(sync_conn)
                return {t.name: (_shape(insp.get_columns(t.name)),
                                 {i["name"]: i["column_names"] for i in insp.get_indexes(t.name)})
                        for t in OAUTH_TABLES}
            migrated = await conn.run_sync(read)
    finally:
        await engine.dispose()
    for table in OAUTH_TABLES:
        columns, indexes = migrated[table.name]
        wanted = {c.name: (c.type.compile(engine.dialect).split("(")[0].upper(), bool(c.nullable))
                  for c in table.columns}
        assert set(columns) == set(wanted), table.name
        for name, (_kind, nullable) in wanted.items():
            assert columns[name][1] == nullable or table.c[name].primary_key, (table.name, name)
        assert {i.name: [c.name for c in i.columns] for i in table.indexes} == indexes, table.name


def test_oauth_installs_ask_for_the_manifests_bot_scopes() -> None:
    manifest = yaml.safe_load(bundled())
    assert sorted(manifest["oauth_config"]["scopes"]["bot"]) == sorted(BOT_SCOPES)
