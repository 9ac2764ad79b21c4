"""A workspace and what it is set up with: processes, customers, watched channels, people's preferences, the clock's heartbeat."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    BigInteger,
    Boolean,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, utcnow


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
    # How many outbound webhooks it has (kept with each add and remove): a capture reads it
    # with the workspace row and skips the subscription query while it is 0.
    webhook_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # How the digest ranking weighs remarks: "off", "tier" or "value".
    digest_weigh: Mapped[str] = mapped_column(String(8), default="off", server_default="off")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class Process(Base):
    """Something the company does repeatedly that a customer can experience."""

    __tablename__ = "processes"
    # Its id travels in buttons and menus: never reused (SQLite).
    __table_args__ = (UniqueConstraint("team_id", "name_key"), {"sqlite_autoincrement": True})

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
    __table_args__ = (UniqueConstraint("team_id", "name_key"), UniqueConstraint("team_id", "crm", "crm_id"),
                      {"sqlite_autoincrement": True})

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
    # The CRM record it is kept in step with ("hubspot" or "salesforce", and its id there).
    crm: Mapped[str | None] = mapped_column(String(16))
    crm_id: Mapped[str | None] = mapped_column(String(64))
    domains: Mapped[list[str]] = mapped_column(default=list, server_default="[]")  # from the CRM
    # Fields a person set in Earshot ("tier", "value", "owner"): a CRM sync leaves them alone.
    manual_fields: Mapped[list[str]] = mapped_column(default=list, server_default="[]")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class CrmSync(Base):
    """A workspace's last sync from one CRM: when, whether it finished, and what it did."""

    __tablename__ = "crm_syncs"

    team_id: Mapped[str] = mapped_column(
        ForeignKey("workspaces.team_id", ondelete="CASCADE"), primary_key=True
    )
    crm: Mapped[str] = mapped_column(String(16), primary_key=True)
    started_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[dt.datetime | None] = mapped_column()
    ok: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    summary: Mapped[str] = mapped_column(Text, default="", server_default="")  # plain text


class WatchedChannel(Base):
    __tablename__ = "watched_channels"

    team_id: Mapped[str] = mapped_column(
        ForeignKey("workspaces.team_id", ondelete="CASCADE"), primary_key=True
    )
    channel_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    added_by: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    # Other apps' posts here: "off", "all", or "named" (only the apps in bot_names).
    bots: Mapped[str] = mapped_column(String(8), default="off", server_default="off")
    bot_names: Mapped[list[str] | None] = mapped_column(default=list)


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
    # The weekly note of the praise their processes got (process owners).
    praise_notes: Mapped[bool] = mapped_column(Boolean, default=True, server_default="1")
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class Heartbeat(Base):
    """The last time a long-running process (the clock) was seen, for ``earshot doctor``."""

    __tablename__ = "heartbeats"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    seen_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    detail: Mapped[str | None] = mapped_column(String(255))
