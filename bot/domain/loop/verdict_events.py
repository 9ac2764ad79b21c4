"""``improvement.verdict``: the outbound webhook event when *Did it work?* settles.

It settles once: at the first weekly look that says *improved* or *worse* (the interval is
widened for the three looks, so a decisive look is final), or at the last look, four weeks
after the ship, whatever it says (*no clear change* included). The scheduler's sweep calls
``emit_settled``; a claim per improvement (``loop_claims``, in the transaction that writes the
deliveries) makes it once, however many clocks run and however often they sweep.
"""

from __future__ import annotations

import datetime as dt
import logging
import math
from typing import Any

from bot.domain.loop import impact
from bot.domain.loop.improvements import VERDICT_WATCH, check
from bot.domain.services import Services
from bot.domain.workspace import hooks_events
from storage.db import transaction
from storage.repositories.improvements import ImprovementRepository
from storage.repositories.loop import LoopClaimRepository
from storage.repositories.webhooks import WebhookRepository

log = logging.getLogger(__name__)

CLAIM = "hook-verdict"


def settled(result: impact.Impact, now: dt.datetime) -> bool:
    if result.verdict in (impact.IMPROVED, impact.WORSE):
        return True
    return result.verdict != impact.TOO_EARLY and now >= result.windows.ship + dt.timedelta(
        days=impact.WINDOW_DAYS
    )


def _finite(x: float | None) -> float | None:
    return x if x is not None and math.isfinite(x) else None


def verdict_data(result: impact.Impact) -> dict[str, Any]:
    c = result.complaints
    return {
        "verdict": result.verdict,
        "complaints": {
            "before": {"complaints": c.before.hits, "remarks": c.before.exposure},
            "after": {"complaints": c.after.hits, "remarks": c.after.exposure},
            # JSON has no infinity: an unbounded ratio (no complaints before) is null.
            "ratio": _finite(c.ratio),
            "low": _finite(c.low),
            "high": _finite(c.high),
            "days": round(c.days, 2),
        },
    }


async def emit_settled(services: Services, *, now: dt.datetime | None = None) -> int:
    """Owe ``improvement.verdict`` for each shipped improvement whose verdict just settled."""
    at = now or services.clock()
    async with services.sessions() as session:
        shipped = await ImprovementRepository(session).recently_shipped(at - VERDICT_WATCH)
    emitted = 0
    for imp, _by in shipped:
        # A filter only (unlocked, outside the event's transaction): a verdict nobody wants is
        # not computed nor claimed, so a webhook added later still gets it while it is recent.
        async with services.sessions() as session:
            subs = await WebhookRepository(session).subscribed(imp.team_id)
        if not any(hooks_events.wants(s, hooks_events.IMPROVEMENT_VERDICT) for s in subs):
            continue
        async with transaction(services.sessions) as session:
            claims = LoopClaimRepository(session)
            if await claims.claimed(imp.team_id, CLAIM, [str(imp.id)]):
                continue
            result = await check(session, imp, at)
            if result is None or not settled(result, at):
                continue
            if not await claims.claim(imp.team_id, CLAIM, str(imp.id), by=None, at=at):
                continue
            # Who gets it is read last, as for every event (hooks_events.subscriptions_at_commit).
            emitted += await hooks_events.emit(
                services,
                session,
                imp.team_id,
                hooks_events.IMPROVEMENT_VERDICT,
                {**hooks_events.improvement_data(imp), **verdict_data(result)},
                order_key=f"improvement:{imp.id}",
                once=True,
            )
            log.info(
                "webhooks: team=%s improvement #%d verdict %s", imp.team_id, imp.id, result.verdict
            )
    return emitted
