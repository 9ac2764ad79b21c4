"""What Slack delivered (the durable inbox) and what Earshot still owes Slack."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    BigInteger,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, utcnow


class Delivery(Base):
    """The durable inbox: every delivery Slack got a 2xx for, until its work is done.

    Keyed by the delivery's natural key (the Events API ``event_id``, or the interaction's
    ``trigger_id``/``action_ts``), so Slack's retries collapse into one row.
    """

    __tablename__ = "deliveries"
    __table_args__ = (
        UniqueConstraint("team_id", "delivery_key"),
        Index("ix_deliveries_pending", "done_at", "id"),
    )

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True)
    team_id: Mapped[str] = mapped_column(String(32))
    delivery_key: Mapped[str] = mapped_column(String(160))
    kind: Mapped[str] = mapped_column(String(16))  # event | command | interactive
    body: Mapped[str] = mapped_column(Text)  # the payload as JSON
    received_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    lease_until: Mapped[dt.datetime | None] = mapped_column()
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    done_at: Mapped[dt.datetime | None] = mapped_column()
    last_error: Mapped[str | None] = mapped_column(Text)


class OwedEffect(Base):
    """Something Earshot owes Slack because of a capture: a private confirmation, a mark.

    Written in the same transaction as the capture and deleted once Slack accepted it, so
    a redo after a crash sends what is still owed and nothing twice. ``lease_until`` is
    the claim of the process sending it; ``args`` (the Web API arguments, which may hold
    customer text) lives only until then.
    """

    __tablename__ = "owed_effects"
    __table_args__ = (
        UniqueConstraint("team_id", "effect_key"),
        Index("ix_owed_effects_due", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True)
    team_id: Mapped[str] = mapped_column(String(32))
    effect_key: Mapped[str] = mapped_column(String(160))
    method: Mapped[str] = mapped_column(String(48))  # a Web API method, e.g. chat.postEphemeral
    args: Mapped[str] = mapped_column(Text)  # its arguments as JSON
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    next_attempt_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    lease_until: Mapped[dt.datetime | None] = mapped_column()
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    last_error: Mapped[str | None] = mapped_column(Text)


class HandledPost(Base):
    """A Slack post that asked Earshot for something (a mention, a forward), claimed by the
    first run that acted on it, in the same transaction as its capture.

    Slack sends one post up to twice (``app_mention`` and ``message``), retries it, and a
    delivery can be redone after a crash; the unique key lets only the first add anything
    (a capture, the "already filed" note), on any database and across processes. Kept as
    long as a finished delivery (the inbox prunes both).
    """

    __tablename__ = "handled_posts"
    __table_args__ = (
        UniqueConstraint("team_id", "post_key"),
        Index("ix_handled_posts_at", "handled_at"),
    )

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True)
    team_id: Mapped[str] = mapped_column(String(32))
    post_key: Mapped[str] = mapped_column(String(160))  # channel:ts of the post
    handled_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
