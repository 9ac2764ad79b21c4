"""Remarks, their captures, and the daily roll-up the digest reads."""

from __future__ import annotations

import datetime as dt
import hashlib

from sqlalchemy import (
    Boolean,
    Date,
    Float,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, utcnow


def remark_fingerprint(source_key: str) -> str:
    """A short digest of a remark's natural key. Controls name a remark by id *and* this, so
    a control drawn for a remark that is gone is refused even if its id were ever given to
    another remark (an old SQLite database, ids reused before migration 0009)."""
    return hashlib.blake2s(source_key.encode(), digest_size=5).hexdigest()


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
        # A theme's members (digest, App Home).
        Index("ix_remarks_team_theme", "team_id", "theme_id"),
        # Each source's volume (/feedback sources, App Home, the digest headline).
        Index("ix_remarks_team_source", "team_id", "source", "created_at"),
        # Its id travels in buttons and exports: SQLite must never hand a deleted id to a new row.
        {"sqlite_autoincrement": True},
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
    # The theme it joined inside its process (storage.models.themes); None: too short to
    # group, unfiled, or filed before themes existed.
    theme_id: Mapped[int | None] = mapped_column(Integer)
    endorsements: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # Filed because its channel is watched: its first capture is the channel's, not a person's.
    watched: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    # When the text was dropped (REMARK_TEXT_RETENTION_DAYS, or erasure of its author);
    # the filing (process, sentiment, customer, counts) stays.
    text_expired_at: Mapped[dt.datetime | None] = mapped_column()
    # Where it came from (issue 21): the route for a teammate's capture ("reaction", ...,
    # "watch"), another app's name, "api:<token name>", or "import".
    source: Mapped[str] = mapped_column(String(80), default="command", server_default="command")
    contact: Mapped[str | None] = mapped_column(String(255))  # the customer's person, never a Slack user
    link: Mapped[str | None] = mapped_column(String(1024))  # the original outside Slack
    score_kind: Mapped[str | None] = mapped_column(String(8))  # csat | nps | stars
    score_value: Mapped[int | None] = mapped_column(Integer)
    external_id: Mapped[str | None] = mapped_column(String(255))  # the source's own id (API, import)
    # ISO 639-1 code of the language it was detected in ("en", "fr"); None: captured before
    # languages were detected. Not English: left unfiled for a person (bot/classify/language.py).
    language: Mapped[str | None] = mapped_column(String(8))
    said_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    @property
    def fingerprint(self) -> str:
        """What a control drawn for this remark carries beside its id (remark_fingerprint)."""
        return remark_fingerprint(self.source_key)

    @property
    def teammates(self) -> int:
        """How many teammates captured it (a watched channel's own capture is not one, nor
        the API's or an import's)."""
        return self.endorsements - (1 if self.watched or not by_person(self.source) else 0)


def by_person(source: str | None) -> bool:
    """Whether a remark of this source was first captured by a teammate (not the API or an
    import, whose capturer ids are ``api:<token name>`` and ``import``)."""
    return not source or not (source.startswith("api:") or source == "import")


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
