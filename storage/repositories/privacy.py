"""What Earshot forgets: expired remark text, one person's identity and text, a whole
workspace. Each method is one set of statements for the caller's transaction."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import (
    Base,
    Capture,
    Delivery,
    Heartbeat,
    OwnerAlert,
    Process,
    RateReservation,
    Remark,
    UserPrefs,
    WatchedChannel,
    WatchExample,
    WebhookDelivery,
    Workspace,
)
from storage.repositories.installations import InstallationRepository
from storage.repositories.upsert import affected


class PrivacyRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def drop_alerts_for(self, team_id: str, remark_id: int) -> int:
        res = await self.session.execute(
            delete(OwnerAlert).where(OwnerAlert.team_id == team_id, OwnerAlert.remark_id == remark_id)
        )
        return affected(res)

    async def expire_text(self, *, said_before: dt.datetime, now: dt.datetime) -> int:
        """Drop the text (and the capture notes) of remarks said before ``said_before``.

        Process, sentiment, customer, endorsements and the roll-ups are untouched, so
        digests and counts stay exact; quotes and triage skip remarks without text.
        """
        ids = select(Remark.id).where(
            Remark.said_at < said_before, Remark.text_expired_at.is_(None)
        ).scalar_subquery()
        await self.session.execute(
            update(Capture).where(Capture.remark_id.in_(ids), Capture.note.is_not(None)).values(note=None)
        )
        # Webhook events not sent yet lose the words too: they go out with ids only.
        await self.session.execute(
            update(WebhookDelivery).where(WebhookDelivery.remark_id.in_(ids), WebhookDelivery.text.is_not(None))
            .values(text=None).execution_options(synchronize_session=False)
        )
        res = await self.session.execute(
            update(Remark)
            .where(Remark.said_at < said_before, Remark.text_expired_at.is_(None))
            # The customer's person (an outside source's contact) goes with the words.
            .values(text="", contact=None, text_expired_at=now)
            .execution_options(synchronize_session=False)
        )
        return affected(res)

    async def erase_user(self, team_id: str, user_id: str, *, replacement: str,
                         now: dt.datetime) -> dict[str, int]:
        """Remove one person from a workspace's data, keeping every count.

        Remarks they authored lose their text; wherever they appear as author, capturer,
        decider, owner or installer they are replaced by ``replacement`` (or nothing);
        their capture notes, preferences and pending owner alerts are deleted.
        """
        out: dict[str, int] = {}

        async def run(name: str, stmt: Any) -> None:
            res = await self.session.execute(stmt.execution_options(synchronize_session=False))
            out[name] = out.get(name, 0) + affected(res)

        await run("webhook_texts", update(WebhookDelivery).where(
            WebhookDelivery.team_id == team_id, WebhookDelivery.text.is_not(None),
            WebhookDelivery.remark_id.in_(select(Remark.id).where(
                Remark.team_id == team_id, Remark.author_user_id == user_id).scalar_subquery()),
        ).values(text=None))
        await run("webhook_texts", update(WebhookDelivery).where(  # words that mention them
            WebhookDelivery.team_id == team_id, WebhookDelivery.text.contains(user_id)).values(text=None))
        await run("remarks_authored", update(Remark).where(
            Remark.team_id == team_id, Remark.author_user_id == user_id,
        ).values(text="", text_expired_at=now, author_user_id=replacement))
        for col in (Remark.customer_decided_by, Remark.process_decided_by, Remark.sentiment_decided_by):
            await run("decisions", update(Remark).where(Remark.team_id == team_id, col == user_id)
                      .values({col.key: replacement}))
        await run("captures", update(Capture).where(
            Capture.team_id == team_id, Capture.user_id == user_id,
        ).values(user_id=replacement, note=None))
        await run("owner_alerts", delete(OwnerAlert).where(
            OwnerAlert.team_id == team_id, OwnerAlert.owner_user_id == user_id))
        await run("processes_owned", update(Process).where(
            Process.team_id == team_id, Process.owner_user_id == user_id).values(owner_user_id=None))
        await run("watched_channels", update(WatchedChannel).where(
            WatchedChannel.team_id == team_id, WatchedChannel.added_by == user_id,
        ).values(added_by=replacement))
        await run("user_prefs", delete(UserPrefs).where(
            UserPrefs.team_id == team_id, UserPrefs.user_id == user_id))
        await run("watch_examples", delete(WatchExample).where(
            WatchExample.team_id == team_id, WatchExample.author_user_id == user_id))
        # A slot kept for their capture names them (``<route>:<user>:<channel>:<ts>``): its
        # delivery, run again, finds the capture erased or reserves another.
        await run("rate_reservations", delete(RateReservation).where(
            RateReservation.team_id == team_id, RateReservation.holder.contains(f":{user_id}:")))
        await run("workspace", update(Workspace).where(
            Workspace.team_id == team_id, Workspace.installer_user_id == user_id,
        ).values(installer_user_id=None))
        out["mentions"] = await self._replace_mentions(team_id, user_id, replacement)
        # Payloads may name them or quote them: finished ones are not needed any more.
        await run("delivery_bodies", update(Delivery).where(
            Delivery.team_id == team_id, Delivery.done_at.is_not(None), Delivery.body != "",
        ).values(body=""))
        return out

    async def holds_user(self, team_id: str, user_id: str) -> bool:
        """Whether anything erase_user would change names ``user_id`` (an unknown or mistyped
        id holds nothing)."""
        checks = [
            select(Remark.id).where(Remark.team_id == team_id, (Remark.author_user_id == user_id)
                                    | (Remark.customer_decided_by == user_id) | (Remark.process_decided_by == user_id)
                                    | (Remark.sentiment_decided_by == user_id) | Remark.text.like(f"%<@{user_id}%")),
            select(Capture.id).where(Capture.team_id == team_id, (Capture.user_id == user_id)
                                     | Capture.note.like(f"%<@{user_id}%")),
            select(OwnerAlert.id).where(OwnerAlert.team_id == team_id, OwnerAlert.owner_user_id == user_id),
            select(Process.id).where(Process.team_id == team_id, Process.owner_user_id == user_id),
            select(WatchedChannel.channel_id).where(WatchedChannel.team_id == team_id,
                                                    WatchedChannel.added_by == user_id),
            select(UserPrefs.user_id).where(UserPrefs.team_id == team_id, UserPrefs.user_id == user_id),
            select(Workspace.team_id).where(Workspace.team_id == team_id, Workspace.installer_user_id == user_id),
        ]
        for stmt in checks:
            if await self.session.scalar(stmt.limit(1)) is not None:
                return True
        return False

    async def _replace_mentions(self, team_id: str, user_id: str, replacement: str) -> int:
        """``<@U123>`` and ``<@U123|name>`` inside other people's remark text and capture
        notes become ``@erased-...`` (the same stand-in as everywhere else)."""
        pattern = re.compile(rf"<@{re.escape(user_id)}(\|[^>]*)?>")
        n = 0
        for model, column in ((Remark, Remark.text), (Capture, Capture.note)):
            found = await self.session.execute(
                select(model.id, column).where(model.team_id == team_id,
                                               column.like(f"%<@{user_id}%")))
            for row_id, value in found.all():
                changed = pattern.sub(f"@{replacement}", value or "")
                if changed != value:
                    await self.session.execute(
                        update(model).where(model.id == row_id).values({column.key: changed})
                        .execution_options(synchronize_session=False))
                    n += 1
        return n

    # Uninstall ------------------------------------------------------------------------

    async def mark_uninstalled(self, team_id: str, *, now: dt.datetime) -> bool:
        # The tokens are dead: forget them at once (a reinstall writes new ones); the data
        # waits for the grace period.
        await InstallationRepository(self.session).forget_team(team_id)
        res = await self.session.execute(
            update(Workspace).where(Workspace.team_id == team_id, Workspace.uninstalled_at.is_(None))
            .values(uninstalled_at=now)
        )
        return affected(res) > 0

    async def clear_uninstalled(self, team_id: str) -> bool:
        res = await self.session.execute(
            update(Workspace).where(Workspace.team_id == team_id, Workspace.uninstalled_at.is_not(None))
            .values(uninstalled_at=None)
        )
        return affected(res) > 0

    async def uninstalled_at(self, team_id: str) -> dt.datetime | None:
        return await self.session.scalar(
            select(Workspace.uninstalled_at).where(Workspace.team_id == team_id)
        )

    async def uninstalled_among(self, team_ids: set[str]) -> dict[str, dt.datetime]:
        if not team_ids:
            return {}
        rows = await self.session.execute(
            select(Workspace.team_id, Workspace.uninstalled_at)
            .where(Workspace.team_id.in_(sorted(team_ids)), Workspace.uninstalled_at.is_not(None))
        )
        return {t: at for t, at in rows.all() if at is not None}

    async def uninstalled_before(self, cutoff: dt.datetime) -> list[str]:
        rows = await self.session.scalars(
            select(Workspace.team_id).where(Workspace.uninstalled_at.is_not(None),
                                            Workspace.uninstalled_at < cutoff)
        )
        return list(rows.all())

    async def purge_workspace(self, team_id: str) -> dict[str, int]:
        """Delete every row of ``team_id`` in every table (children first)."""
        out: dict[str, int] = {}
        for table in reversed(Base.metadata.sorted_tables):
            if table.name == Heartbeat.__tablename__:
                continue
            if "team_id" not in table.c:
                continue
            res = await self.session.execute(delete(table).where(table.c.team_id == team_id))
            out[table.name] = affected(res)
        # Its Slack tokens (OAuth mode), kept by slack-sdk's installation store.
        out["slack_installations+slack_bots"] = await InstallationRepository(self.session).forget_team(team_id)
        return out

