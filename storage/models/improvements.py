"""Improvements: changes to a process, tracked through to a verdict, and who was told."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, utcnow

IMPROVEMENT_STATUSES = ("planned", "in_progress", "shipped", "dropped")


class Improvement(Base):
    """A change to a process meant to answer its complaints, tracked through to a verdict."""

    __tablename__ = "improvements"
    __table_args__ = (
        Index("ix_improvements_team_status", "team_id", "status", "shipped_at"),
        Index("ix_improvements_team_link", "team_id", "link"),
        {"sqlite_autoincrement": True},  # its id travels in buttons: never reused
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


class LoopClaim(Base):
    """A claim on one outward message of the loop, taken before it is posted: a reply in the
    thread of an addressed remark (``reply``, key ``<improvement>:<remark>``), a weekly praise
    note (``praise``, key ``<owner>:<week>``), a thank-you post (``thanks``, key
    ``<process>:<week>``). The unique key makes each happen at most once."""

    __tablename__ = "loop_claims"
    __table_args__ = (UniqueConstraint("team_id", "kind", "claim_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    team_id: Mapped[str] = mapped_column(ForeignKey("workspaces.team_id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))
    claim_key: Mapped[str] = mapped_column(String(160))
    claimed_by: Mapped[str | None] = mapped_column(String(32))
    claimed_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[dt.datetime | None] = mapped_column()
    error: Mapped[str | None] = mapped_column(Text)
