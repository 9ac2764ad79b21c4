"""Themes: groups of remarks inside one process that say the same thing."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Index, Integer, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, utcnow


class Theme(Base):
    """One theme of one process. ``centroid`` is the sum of its members' theme vectors
    (float32 bytes, bot.classify.themes); its members are the remarks whose ``theme_id``
    names it, so counts are always read from the remarks, never kept here. No text is
    stored: names are computed from the members' current text when shown."""

    __tablename__ = "themes"
    # Its id travels in buttons: never reused (SQLite).
    __table_args__ = (Index("ix_themes_team_process", "team_id", "process_id"), {"sqlite_autoincrement": True})

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    team_id: Mapped[str] = mapped_column(ForeignKey("workspaces.team_id", ondelete="CASCADE"))
    process_id: Mapped[int] = mapped_column(ForeignKey("processes.id", ondelete="CASCADE"))
    centroid: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class RemarkMerge(Base):
    """A remark a person merged into an earlier one (*Same as this one*): the merged
    remark's source now names the earlier remark, so a later capture of the same Slack
    message (or a retried click) endorses the earlier remark instead of filing it again."""

    __tablename__ = "remark_merges"
    __table_args__ = (UniqueConstraint("team_id", "source_key"), {"sqlite_autoincrement": True})

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    team_id: Mapped[str] = mapped_column(ForeignKey("workspaces.team_id", ondelete="CASCADE"))
    source_key: Mapped[str] = mapped_column(String(128))
    merged_remark_id: Mapped[int] = mapped_column(Integer)  # the id it had, for a second click
    into_remark_id: Mapped[int] = mapped_column(Integer)
    merged_by: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class MergeOffer(Base):
    """A *Same as this one* that Earshot offered: the new remark, the earlier one it nearly
    repeats, and the capturer it was shown to. A merge is done only for a pair offered here,
    so a crafted click naming two other remarks merges nothing. Goes with either remark."""

    __tablename__ = "merge_offers"
    __table_args__ = (UniqueConstraint("team_id", "remark_id", "into_remark_id"),
                      {"sqlite_autoincrement": True})

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    team_id: Mapped[str] = mapped_column(ForeignKey("workspaces.team_id", ondelete="CASCADE"))
    remark_id: Mapped[int] = mapped_column(ForeignKey("remarks.id", ondelete="CASCADE"))
    into_remark_id: Mapped[int] = mapped_column(ForeignKey("remarks.id", ondelete="CASCADE"), index=True)
    offered_to: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
