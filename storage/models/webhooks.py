"""Outbound webhooks: who is subscribed to which events, and the deliveries still owed to them
(a transactional outbox: a delivery row is written in the transaction of the change it
reports, and deleted once the receiver took it or it was given up)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, utcnow

# The event type of a ``hooks out test`` ping: stored and retried like any event, but sent to
# a paused subscription too (to check a fixed receiver before resuming) and never dropped.
PING_EVENT = "webhook.test"


class WebhookSubscription(Base):
    """A URL an admin subscribed to some events. ``secret`` (``whsec_...``) signs every request;
    it is kept as it is (it must sign), shown once, and never logged."""

    __tablename__ = "webhook_subscriptions"
    __table_args__ = (UniqueConstraint("team_id", "url"), {"sqlite_autoincrement": True})

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    team_id: Mapped[str] = mapped_column(ForeignKey("workspaces.team_id", ondelete="CASCADE"))
    url: Mapped[str] = mapped_column(String(1000))
    events: Mapped[list[str]] = mapped_column(JSON)
    secret: Mapped[str] = mapped_column(String(80))
    created_by: Mapped[str] = mapped_column(String(64))  # a Slack user id, or "cli"
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    paused_at: Mapped[dt.datetime | None] = mapped_column()
    pause_reason: Mapped[str | None] = mapped_column(String(255))
    failures: Mapped[int] = mapped_column(Integer, default=0, server_default="0")  # in a row
    last_success_at: Mapped[dt.datetime | None] = mapped_column()
    last_error: Mapped[str | None] = mapped_column(String(255))
    # After a rotation, the replaced secret still signs (beside ``secret``) until
    # ``previous_until``, so a receiver can switch without missing an event.
    previous_secret: Mapped[str | None] = mapped_column(String(80))
    previous_until: Mapped[dt.datetime | None] = mapped_column()
    # Events dropped while paused (past the cap, or older than the give-up window), counted
    # from when it was last paused.
    dropped: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class WebhookDelivery(Base):
    """One event owed to one subscription. The body is built when it is sent from ``data``
    and ``text`` (a remark's words, kept apart so a deletion or an erasure can drop them from
    what has not gone out yet). ``msg_id`` is the ``webhook-id`` header, the same on every
    retry. Deliveries with the same ``order_key`` (a remark, an improvement) go out in ``id``
    order, each only once the one before it is gone."""

    __tablename__ = "webhook_deliveries"
    __table_args__ = (
        UniqueConstraint("subscription_id", "event_key"),
        Index("ix_webhook_deliveries_due", "next_at"),
        Index("ix_webhook_deliveries_order", "subscription_id", "order_key", "id"),
        Index("ix_webhook_deliveries_remark", "team_id", "remark_id"),
        Index("ix_webhook_deliveries_sub_id", "subscription_id", "id"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    team_id: Mapped[str] = mapped_column(ForeignKey("workspaces.team_id", ondelete="CASCADE"))
    subscription_id: Mapped[int] = mapped_column(
        ForeignKey("webhook_subscriptions.id", ondelete="CASCADE")
    )
    msg_id: Mapped[str] = mapped_column(String(40))
    event_type: Mapped[str] = mapped_column(String(40))
    event_key: Mapped[str] = mapped_column(String(160))
    order_key: Mapped[str] = mapped_column(String(64))
    remark_id: Mapped[int | None] = mapped_column(
        Integer
    )  # no foreign key: a deletion's event outlives it
    data: Mapped[str] = mapped_column(Text)  # JSON, without customer text
    text: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    next_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    give_up_at: Mapped[dt.datetime] = mapped_column()
    lease_owner: Mapped[str | None] = mapped_column(String(40))
    lease_until: Mapped[dt.datetime | None] = mapped_column()
    last_error: Mapped[str | None] = mapped_column(String(255))
    # A ping's (``PING_EVENT``) admin, told in Slack how it went: first failure and success.
    reply_channel: Mapped[str | None] = mapped_column(String(64))
    reply_user: Mapped[str | None] = mapped_column(String(64))
