"""A lease held for as long as its holder lives.

Deliveries and owed effects are leased by the process working on them, and a lease that
runs out means "its process died: take it over". A run that outlasts its lease (a slow
Slack, a cold start, a busy machine) must therefore renew it while it runs, or a second
process would take over a live run and do its work again.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable

log = logging.getLogger(__name__)


@contextlib.asynccontextmanager
async def kept(renew: Callable[[], Awaitable[object]], *, every: float) -> AsyncIterator[None]:
    """Run the block, calling ``renew`` every ``every`` seconds until it ends.

    A work that ends before ``every`` never renews (nothing to pay on the fast path). A
    renewal in flight when the block ends is let finish rather than cancelled, so no
    transaction is cut in the middle.
    """
    ended = asyncio.Event()

    async def keep() -> None:
        while True:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(ended.wait(), every)
                return
            try:
                await renew()
            except Exception:  # the database may be briefly away: the next renewal may do
                log.warning("lease: renewal failed", exc_info=True)

    keeper = asyncio.create_task(keep(), name="lease-keeper")
    try:
        yield
    finally:
        ended.set()
        try:
            await keeper
        except asyncio.CancelledError:
            keeper.cancel()
            raise
