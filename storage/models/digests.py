"""Digest runs (claimed once per period) and the alerts batched to owners."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    Boolean,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, utcnow


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
