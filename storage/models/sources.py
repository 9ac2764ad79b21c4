"""Hearing the sources a team already has: watched channels' counts and examples (for
``/feedback watch status``), channel history backfills, and the shared pace of Slack calls."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, utcnow


class WatchCount(Base):
    """What a watched channel (or its backfill) captured and skipped as noise, per week."""

    __tablename__ = "watch_counts"

    team_id: Mapped[str] = mapped_column(
        ForeignKey("workspaces.team_id", ondelete="CASCADE"), primary_key=True)
    channel_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    week: Mapped[dt.date] = mapped_column(Date, primary_key=True)  # the Monday (UTC) it was heard
    captured: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    skipped: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class WatchExample(Base):
    """One of the latest three captured or skipped messages of a channel's week, or of a
    backfill of it (``backfill_id``: heard while bringing in its history; NULL: heard live).

    A captured example points at its remark (its text lives there, and goes with it); a
    skipped one keeps its text, at most 200 characters, for SKIPPED_EXAMPLE_DAYS (14) only,
    and is deleted with its message.
    """

    __tablename__ = "watch_examples"
    __table_args__ = (
        Index("ix_watch_examples_week", "team_id", "channel_id", "week", "kind"),
        Index("ix_watch_examples_message", "team_id", "channel_id", "message_ts"),
        Index("ix_watch_examples_backfill", "backfill_id", "kind"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    team_id: Mapped[str] = mapped_column(ForeignKey("workspaces.team_id", ondelete="CASCADE"))
    channel_id: Mapped[str] = mapped_column(String(32))
    week: Mapped[dt.date] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(8))  # "captured" or "skipped"
    message_ts: Mapped[str] = mapped_column(String(32))
    remark_id: Mapped[int | None] = mapped_column(Integer)
    text: Mapped[str | None] = mapped_column(String(200))
    reason: Mapped[str | None] = mapped_column(String(32))
    author_user_id: Mapped[str | None] = mapped_column(String(32))
    # No foreign key: a job is never deleted but with its workspace (which takes these along),
    # and asking again clears its examples (BackfillRepository.request).
    backfill_id: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class Backfill(Base):
    """Bringing in a channel's past: one durable job per channel, resumable from its cursor.

    ``lease_until``/``lease_owner``: the process working on it (one at a time, across
    processes); a killed process's lease runs out and another picks the job up. A job
    ``done`` or ``failed`` keeps its lease until its summary is sent (then None).
    """

    __tablename__ = "backfills"
    __table_args__ = (UniqueConstraint("team_id", "channel_id"), {"sqlite_autoincrement": True})

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    team_id: Mapped[str] = mapped_column(ForeignKey("workspaces.team_id", ondelete="CASCADE"))
    channel_id: Mapped[str] = mapped_column(String(32))
    requested_by: Mapped[str] = mapped_column(String(32))
    oldest: Mapped[dt.datetime] = mapped_column()  # the earliest message to bring in
    latest_ts: Mapped[str] = mapped_column(String(32))  # when it was asked: later ones come live
    cursor: Mapped[str | None] = mapped_column(Text)  # Slack's next_cursor; None: from the start
    status: Mapped[str] = mapped_column(String(12), default="pending")  # pending|running|done|failed
    pages: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    fetched: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    captured: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    skipped: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    known: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    other: Mapped[int] = mapped_column(Integer, default=0, server_default="0")  # replies, bots not opted in
    reached_at: Mapped[dt.datetime | None] = mapped_column()  # the oldest message read so far
    resumes: Mapped[int] = mapped_column(Integer, default=0, server_default="0")  # taken over after a stop
    resumed_at: Mapped[dt.datetime | None] = mapped_column()
    lease_owner: Mapped[str | None] = mapped_column(String(64))
    lease_until: Mapped[dt.datetime | None] = mapped_column()
    progress_channel: Mapped[str | None] = mapped_column(String(32))
    progress_ts: Mapped[str | None] = mapped_column(String(32))
    error: Mapped[str | None] = mapped_column(String(255))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    started_at: Mapped[dt.datetime | None] = mapped_column()
    finished_at: Mapped[dt.datetime | None] = mapped_column()
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class RateSlot(Base):
    """When a workspace's next call of a rate-limited Slack method may go out (shared by
    every process, so their calls together stay within Slack's limit)."""

    __tablename__ = "rate_slots"

    team_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    method: Mapped[str] = mapped_column(String(64), primary_key=True)
    next_at: Mapped[dt.datetime] = mapped_column()
    blocked_until: Mapped[dt.datetime | None] = mapped_column()  # Slack's last Retry-After


class RateReservation(Base):
    """A slot of ``rate_slots`` reserved for one caller (``holder``: a capture's request, a
    form's view) that is not waiting for it in a process: a capture hands its delivery back
    to be retried at ``at``, a form asks to be submitted again then. The caller's next turn
    uses it instead of reserving another, so a retry never loses its place. Dropped when
    used, and an hour after ``at`` when never used (the caller gave up or no longer reads)."""

    __tablename__ = "rate_reservations"

    team_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    method: Mapped[str] = mapped_column(String(64), primary_key=True)
    holder: Mapped[str] = mapped_column(String(200), primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(index=True)


class MessageChange(Base):
    """A message deleted or edited in a channel whose history is being brought in. A page
    of history read before the event would file the message anyway (or with its old words);
    the backfill checks these when it files a page. Kept only while a backfill may need it."""

    __tablename__ = "message_changes"
    __table_args__ = (Index("ix_message_changes_channel", "team_id", "channel_id", "at"),
                      {"sqlite_autoincrement": True})

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    team_id: Mapped[str] = mapped_column(ForeignKey("workspaces.team_id", ondelete="CASCADE"))
    channel_id: Mapped[str] = mapped_column(String(32))
    message_ts: Mapped[str] = mapped_column(String(32))
    deleted: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    text: Mapped[str | None] = mapped_column(Text)  # an edit's new words
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)


__all__ = ["Backfill", "MessageChange", "RateSlot", "WatchCount", "WatchExample"]
