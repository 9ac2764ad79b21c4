"""A workspace's remarks as CSV or JSON Lines, streamed in bounded memory.

Rows are read by keyset pagination (``id > last`` in pages of ``PAGE``), so a million
remarks cost one page of memory and no long-held transaction. The columns are stable
(docs/privacy.md, "Export columns"); new ones are only ever added at the end.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import AsyncIterator, Callable
from typing import IO, Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.domain.acting import Asker, require_admin
from bot.domain.privacy import csvsafe
from storage.repositories.export import ExportRepository

FORMATS = ("csv", "jsonl")
PAGE = 1000

COLUMNS = (
    "remark_id", "said_at", "customer", "process", "sentiment", "sentiment_score",
    "process_confidence", "endorsements", "author_user_id", "channel_id", "message_ts",
    "permalink", "text", "text_expired_at", "process_decided_by", "sentiment_decided_by",
    "source", "contact", "link", "score_kind", "score_value", "external_id", "language",
)


def _value(v: Any) -> Any:
    if isinstance(v, dt.datetime):
        return v.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")
    return v


async def rows(sessions: async_sessionmaker[AsyncSession], team_id: str, *,
               since: dt.datetime | None = None, page: int = PAGE) -> AsyncIterator[dict[str, Any]]:
    """Every remark of ``team_id`` (said at or after ``since``), oldest id first."""
    after = 0
    while True:
        async with sessions() as session:
            batch = await ExportRepository(session).page(team_id, after_id=after, since=since, limit=page)
        for row in batch:
            yield {c: _value(v) for c, v in zip(COLUMNS, row, strict=True)}
        if len(batch) < page:
            return
        after = int(batch[-1][0])


async def count(sessions: async_sessionmaker[AsyncSession], team_id: str, *,
                since: dt.datetime | None = None) -> int:
    async with sessions() as session:
        return await ExportRepository(session).count(team_id, since=since)


REFUSED = (":lock: Only workspace admins and owners (or people listed in Earshot's "
           "ADMIN_USERS setting) can export remarks.")


async def write(out: IO[str], sessions: async_sessionmaker[AsyncSession], team_id: str, fmt: str, *,
                since: dt.datetime | None = None,
                progress: Callable[[int], None] | None = None, asker: Asker | None = None) -> int:
    """Write the export to ``out``; how many remarks were written. Admins only (``asker``;
    refused with NotAdmin before anything is read)."""
    await require_admin(asker, team_id, refusal=REFUSED)
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r} (use csv or jsonl)")
    n = 0
    # Text cells are guarded against spreadsheet formulas (csvsafe); JSON Lines stays exact.
    writer = csvsafe.DictWriter(out, fieldnames=COLUMNS, lineterminator="\r\n") if fmt == "csv" else None
    if writer is not None:
        writer.writeheader()
    async for row in rows(sessions, team_id, since=since):
        if writer is not None:
            writer.writerow({k: "" if v is None else v for k, v in row.items()})
        else:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
        n += 1
        if progress is not None and n % 100 == 0:
            progress(100)
    if progress is not None and n % 100:
        progress(n % 100)
    return n


def filename(team_id: str, fmt: str, now: dt.datetime) -> str:
    return f"earshot-remarks-{team_id}-{now.astimezone(dt.UTC):%Y%m%d}.{fmt}"


__all__ = ["COLUMNS", "FORMATS", "count", "filename", "rows", "write"]
