"""What Earshot keeps so that a replayed request changes nothing and a form answers where
Slack said: tracker deliveries already handled, and the response_url behind an open modal."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, utcnow


class TrackerDelivery(Base):
    """A GitHub or Linear webhook delivery that was applied (written in the same transaction
    as its change), by the service's delivery id and by the digest of its signed body, so a
    replay under either finds it. Pruned after the replay window."""

    __tablename__ = "tracker_deliveries"
    __table_args__ = (
        UniqueConstraint("team_id", "service", "delivery_id"),
        UniqueConstraint("team_id", "service", "body_sha256"),
        Index("ix_tracker_deliveries_received_at", "received_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    team_id: Mapped[str] = mapped_column(ForeignKey("workspaces.team_id", ondelete="CASCADE"))
    service: Mapped[str] = mapped_column(String(16))  # github | linear
    delivery_id: Mapped[str] = mapped_column(String(128))
    body_sha256: Mapped[str] = mapped_column(String(64))
    received_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class ViewReply(Base):
    """Where a modal's submission answers: the response_url Slack sent with the click that
    opened it (keyed by the view id Slack gave the modal), never one the view carries."""

    __tablename__ = "view_replies"
    __table_args__ = (
        UniqueConstraint("team_id", "view_id"),
        Index("ix_view_replies_created_at", "created_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    team_id: Mapped[str] = mapped_column(ForeignKey("workspaces.team_id", ondelete="CASCADE"))
    view_id: Mapped[str] = mapped_column(String(64))
    user_id: Mapped[str] = mapped_column(String(32))
    remark_id: Mapped[int] = mapped_column(Integer)
    response_url: Mapped[str] = mapped_column(String(512))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
