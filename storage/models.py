"""SQLAlchemy 2 declarative models. Every table carries ``team_id``; constraints are named."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

SENTIMENTS = ("praise", "complaint", "neutral")
ROUTES = ("reaction", "forward", "watch", "mention", "shortcut", "command")


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class UTCDateTime(TypeDecorator[dt.datetime]):
    """Timezone-aware UTC datetimes on every backend (SQLite drops the offset)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime; use timezone-aware UTC")
        value = value.astimezone(dt.UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {dt.datetime: UTCDateTime, dict[str, Any]: JSON, list[str]: JSON}


class Workspace(Base):
    """One Slack team, and its Earshot settings."""

    __tablename__ = "workspaces"

    team_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str | None] = mapped_column(String(255))
    domain: Mapped[str | None] = mapped_column(String(255))
    timezone: Mapped[str | None] = mapped_column(String(64))
    installer_user_id: Mapped[str | None] = mapped_column(String(32))
    digest_channel_id: Mapped[str | None] = mapped_column(String(32))
    digest_weekday: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    digest_time: Mapped[str] = mapped_column(String(5), default="09:00", server_default="09:00")
    digest_enabled: Mapped[bool] = mapped_column(Boolean, default=True, server_default="1")
    digest_chart: Mapped[bool] = mapped_column(Boolean, default=True, server_default="1")
    # Bumped on every registry change or correction so each process rebuilds its model.
    model_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    processes_seeded: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    # The chart-upload problem the admin was last told about (None once a chart goes up).
    chart_problem: Mapped[str | None] = mapped_column(String(64))
    # Tracker webhooks (/hooks/github, /hooks/linear): our secret for GitHub, Linear's own.
    hook_secret: Mapped[str | None] = mapped_column(String(128))
    linear_secret: Mapped[str | None] = mapped_column(String(128))
    # Set by app_uninstalled/tokens_revoked: no work is done for it, and its data is purged
    # after UNINSTALL_GRACE_DAYS unless a new event from it (a reinstall) clears this first.
    uninstalled_at: Mapped[dt.datetime | None] = mapped_column()
    # Bumped on every customer registry change so each process reloads its cached copy.
    customers_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # How the digest ranking weighs remarks: "off", "tier" or "value".
    digest_weigh: Mapped[str] = mapped_column(String(8), default="off", server_default="off")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class Process(Base):
    """Something the company does repeatedly that a customer can experience."""

    __tablename__ = "processes"
    __table_args__ = (UniqueConstraint("team_id", "name_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    team_id: Mapped[str] = mapped_column(ForeignKey("workspaces.team_id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(80))
    name_key: Mapped[str] = mapped_column(String(80))  # casefolded name: uniqueness ignores case
    description: Mapped[str] = mapped_column(Text, default="", server_default="")
    keywords: Mapped[list[str]] = mapped_column(default=list)
    owner_user_id: Mapped[str | None] = mapped_column(String(32))
    owner_alerts: Mapped[bool] = mapped_column(Boolean, default=True, server_default="1")
    archived: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class Customer(Base):
    """A customer that matters: its tier, yearly value, account owner, and how Slack names it."""

    __tablename__ = "customers"
    __table_args__ = (UniqueConstraint("team_id", "name_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    team_id: Mapped[str] = mapped_column(ForeignKey("workspaces.team_id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(255))
    name_key: Mapped[str] = mapped_column(String(255))  # casefolded: uniqueness ignores case
    aliases: Mapped[list[str]] = mapped_column(default=list)
    tier: Mapped[str | None] = mapped_column(String(40))
    yearly_value: Mapped[int | None] = mapped_column(BigInteger)  # whole currency units
    owner_user_id: Mapped[str | None] = mapped_column(String(32))
    connect_team_ids: Mapped[list[str]] = mapped_column(default=list)  # Slack Connect teams
    channel_rules: Mapped[list[str]] = mapped_column(default=list)  # e.g. "ext-acme-*"
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class Remark(Base):
    """What a customer said, where, and how it was filed.

    ``source_key`` is the natural key: ``channel:ts`` of the original Slack message, or
    ``typed:<id>`` for text typed into ``/feedback``. Unique per team, so a duplicate or
    racing delivery can never create a second remark.
    """

    __tablename__ = "remarks"
    __table_args__ = (
        UniqueConstraint("team_id", "source_key"),
        # said_at/customer make the digest's period scans index-only (customers, quotes).
        Index("ix_remarks_team_said", "team_id", "said_at", "customer"),
        Index("ix_remarks_team_process", "team_id", "process_id", "said_at"),
        # Export reads a workspace's remarks in keyset pages of id.
        Index("ix_remarks_team_id", "team_id", "id"),
        # Owner alerts look for complaints changed since their last pass, across workspaces.
        Index("ix_remarks_updated", "updated_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    team_id: Mapped[str] = mapped_column(ForeignKey("workspaces.team_id", ondelete="CASCADE"))
    source_key: Mapped[str] = mapped_column(String(128))
    channel_id: Mapped[str | None] = mapped_column(String(32))
    message_ts: Mapped[str | None] = mapped_column(String(32))
    thread_ts: Mapped[str | None] = mapped_column(String(32))
    permalink: Mapped[str | None] = mapped_column(String(512))
    text: Mapped[str] = mapped_column(Text, default="")
    author_user_id: Mapped[str | None] = mapped_column(String(32))
    author_team_id: Mapped[str | None] = mapped_column(String(32))
    customer: Mapped[str | None] = mapped_column(String(255))
    customer_decided_by: Mapped[str | None] = mapped_column(String(32))
    process_id: Mapped[int | None] = mapped_column(ForeignKey("processes.id", ondelete="SET NULL"))
    process_confidence: Mapped[float | None] = mapped_column(Float)
    process_decided_by: Mapped[str | None] = mapped_column(String(32))  # None = automatic
    process_decided_at: Mapped[dt.datetime | None] = mapped_column()
    sentiment: Mapped[str] = mapped_column(String(16), default="neutral", server_default="neutral")
    sentiment_score: Mapped[float | None] = mapped_column(Float)
    sentiment_decided_by: Mapped[str | None] = mapped_column(String(32))
    sentiment_decided_at: Mapped[dt.datetime | None] = mapped_column()
    classified_at: Mapped[dt.datetime | None] = mapped_column()
    endorsements: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # Filed because its channel is watched: its first capture is the channel's, not a person's.
    watched: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    # When the text was dropped (REMARK_TEXT_RETENTION_DAYS, or erasure of its author);
    # the filing (process, sentiment, customer, counts) stays.
    text_expired_at: Mapped[dt.datetime | None] = mapped_column()
    said_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    @property
    def teammates(self) -> int:
        """How many teammates captured it (a watched channel's own capture is not one)."""
        return self.endorsements - (1 if self.watched else 0)


class Capture(Base):
    """One teammate flagging one remark by one route; extra captures are endorsements."""

    __tablename__ = "captures"
    __table_args__ = (
        UniqueConstraint("team_id", "remark_id", "user_id", "route"),
        ForeignKeyConstraint(["remark_id"], ["remarks.id"], ondelete="CASCADE"),
        # A teammate's captures by time; the digest also walks it to count capturers.
        Index("ix_captures_team_user", "team_id", "user_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    team_id: Mapped[str] = mapped_column(String(32))
    remark_id: Mapped[int] = mapped_column(Integer)
    user_id: Mapped[str] = mapped_column(String(32))
    route: Mapped[str] = mapped_column(String(16))
    note: Mapped[str | None] = mapped_column(Text)
    # Where the capture happened (the reaction's message, the forward's ts, ...); kept to
    # update the confirmation in place later.
    channel_id: Mapped[str | None] = mapped_column(String(32))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class WatchedChannel(Base):
    __tablename__ = "watched_channels"

    team_id: Mapped[str] = mapped_column(
        ForeignKey("workspaces.team_id", ondelete="CASCADE"), primary_key=True
    )
    channel_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    added_by: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


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


class RemarkDaily(Base):
    """Roll-up: remarks and endorsements per team, UTC day, process and sentiment.

    Kept up to date in the same transaction as every remark write, so the digest reads
    a few thousand roll-up rows instead of every remark.
    ``process_id`` 0 means unfiled (a real NULL would break the primary key).
    """

    __tablename__ = "remark_daily"
    __table_args__ = (
        # The unfiled backlog is the sum of process 0's rows (a few per day), not a count
        # over every unfiled remark.
        Index("ix_remark_daily_team_process", "team_id", "process_id", "day"),
        # SQLite: the primary key is the natural key, so store the rows in it (the digest's
        # day-range scan reads them in place instead of looking each one up by rowid).
        {"sqlite_with_rowid": False},
    )

    team_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    process_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sentiment: Mapped[str] = mapped_column(String(16), primary_key=True)
    remarks: Mapped[int] = mapped_column(Integer, default=0)
    endorsements: Mapped[int] = mapped_column(Integer, default=0)


class DigestRun(Base):
    """A claim on one workspace's digest for one period: the unique key makes it exactly once."""

    __tablename__ = "digest_runs"
    __table_args__ = (UniqueConstraint("team_id", "period_start"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    team_id: Mapped[str] = mapped_column(ForeignKey("workspaces.team_id", ondelete="CASCADE"))
    period_start: Mapped[dt.datetime] = mapped_column()
    period_end: Mapped[dt.datetime] = mapped_column()
    status: Mapped[str] = mapped_column(String(16))  # claimed | posted | failed | empty
    claimed_by: Mapped[str | None] = mapped_column(String(128))
    lease_until: Mapped[dt.datetime | None] = mapped_column()
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    channel_id: Mapped[str | None] = mapped_column(String(32))
    message_ts: Mapped[str | None] = mapped_column(String(32))
    late: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    posted_at: Mapped[dt.datetime | None] = mapped_column()


class OwnerAlert(Base):
    """A complaint waiting to be summarised to its process owner (batched, at most hourly)."""

    __tablename__ = "owner_alerts"
    __table_args__ = (
        UniqueConstraint("team_id", "remark_id", "owner_user_id"),
        Index("ix_owner_alerts_pending", "team_id", "owner_user_id", "sent_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    team_id: Mapped[str] = mapped_column(ForeignKey("workspaces.team_id", ondelete="CASCADE"))
    owner_user_id: Mapped[str] = mapped_column(String(32))
    process_id: Mapped[int] = mapped_column(Integer)
    remark_id: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[dt.datetime | None] = mapped_column()


class CustomerAlert(Base):
    """A customer's remark waiting to be told to its account owner (batched, at most daily)."""

    __tablename__ = "customer_alerts"
    __table_args__ = (
        UniqueConstraint("team_id", "remark_id", "owner_user_id"),
        Index("ix_customer_alerts_pending", "team_id", "owner_user_id", "sent_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    team_id: Mapped[str] = mapped_column(ForeignKey("workspaces.team_id", ondelete="CASCADE"))
    owner_user_id: Mapped[str] = mapped_column(String(32))
    customer_id: Mapped[int] = mapped_column(Integer)
    remark_id: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[dt.datetime | None] = mapped_column()


class UserPrefs(Base):
    """Per-person preferences (e.g. owners turning off complaint DMs)."""

    __tablename__ = "user_prefs"

    team_id: Mapped[str] = mapped_column(
        ForeignKey("workspaces.team_id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    owner_alerts: Mapped[bool] = mapped_column(Boolean, default=True, server_default="1")
    # Messages about improvements that answer this person's remarks (/feedback updates).
    improvement_updates: Mapped[bool] = mapped_column(Boolean, default=True, server_default="1")
    # Account owners told when their customers' remarks are captured (/feedback customer alerts).
    customer_alerts: Mapped[bool] = mapped_column(Boolean, default=True, server_default="1")
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)


IMPROVEMENT_STATUSES = ("planned", "in_progress", "shipped", "dropped")


class Improvement(Base):
    """A change to a process meant to answer its complaints, tracked through to a verdict."""

    __tablename__ = "improvements"
    __table_args__ = (
        Index("ix_improvements_team_status", "team_id", "status", "shipped_at"),
        Index("ix_improvements_team_link", "team_id", "link"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    team_id: Mapped[str] = mapped_column(ForeignKey("workspaces.team_id", ondelete="CASCADE"))
    process_id: Mapped[int] = mapped_column(ForeignKey("processes.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(150))
    description: Mapped[str] = mapped_column(Text, default="", server_default="")
    owner_user_id: Mapped[str | None] = mapped_column(String(32))
    proposed_by: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(16), default="planned", server_default="planned")
    link: Mapped[str | None] = mapped_column(String(512))
    shipped_at: Mapped[dt.datetime | None] = mapped_column()
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class ImprovementStatusChange(Base):
    """When an improvement entered each status, and who moved it."""

    __tablename__ = "improvement_status_changes"
    __table_args__ = (Index("ix_improvement_status_changes_imp", "improvement_id", "at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    team_id: Mapped[str] = mapped_column(String(32))
    improvement_id: Mapped[int] = mapped_column(ForeignKey("improvements.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(String(16))
    by_user_id: Mapped[str] = mapped_column(String(32))
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class ImprovementRemark(Base):
    """The remarks an improvement addresses (many-to-many)."""

    __tablename__ = "improvement_remarks"
    __table_args__ = (Index("ix_improvement_remarks_remark", "remark_id"),)

    improvement_id: Mapped[int] = mapped_column(
        ForeignKey("improvements.id", ondelete="CASCADE"), primary_key=True)
    remark_id: Mapped[int] = mapped_column(ForeignKey("remarks.id", ondelete="CASCADE"), primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32))
    added_by: Mapped[str] = mapped_column(String(32))
    added_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class ImprovementNotice(Base):
    """A claim on telling one person about one improvement's status: at most one DM each.

    Inserted (unique key) in its own transaction before the DM is posted, so Slack retries,
    restarts and several processes cannot send it twice.
    """

    __tablename__ = "improvement_notices"
    __table_args__ = (UniqueConstraint("improvement_id", "user_id", "status"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    team_id: Mapped[str] = mapped_column(String(32))
    improvement_id: Mapped[int] = mapped_column(ForeignKey("improvements.id", ondelete="CASCADE"))
    user_id: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(16))
    claimed_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[dt.datetime | None] = mapped_column()
    error: Mapped[str | None] = mapped_column(Text)
class Heartbeat(Base):
    """The last time a long-running process (the clock) was seen, for ``earshot doctor``."""

    __tablename__ = "heartbeats"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    seen_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    detail: Mapped[str | None] = mapped_column(String(255))
