"""The intake API's tokens and their rate-limit windows (issue 21)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Index, Integer, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, utcnow


class ApiToken(Base):
    """A workspace's token for the API (``POST``/``GET /api/v1/...``). Only its SHA-256 is stored: the
    token itself (``esk_...``) is shown once, when it is made."""

    __tablename__ = "api_tokens"
    __table_args__ = (
        UniqueConstraint("token_hash"),
        # One live token per name; a revoked name can be made again.
        Index("uq_api_tokens_live_name", "team_id", "name", unique=True,
              sqlite_where=text("revoked_at IS NULL"), postgresql_where=text("revoked_at IS NULL")),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    team_id: Mapped[str] = mapped_column(ForeignKey("workspaces.team_id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(28))
    token_hash: Mapped[str] = mapped_column(String(64))
    created_by: Mapped[str] = mapped_column(String(64))  # a Slack user id, or "cli"
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[dt.datetime | None] = mapped_column()
    last_used_at: Mapped[dt.datetime | None] = mapped_column()
    rate_per_minute: Mapped[int] = mapped_column(Integer, default=600, server_default="600")
    # What it may do: "write" (POST, the intake API), "read" (GET, the read API) or
    # "read,write". Tokens made before scopes existed are write tokens (migration 0015).
    scopes: Mapped[str] = mapped_column(String(16), default="write", server_default="write")


class ApiRate(Base):
    """Requests a token made in one minute (``window``: minutes since the epoch). A fixed
    window in the database, so the limit holds across every web process."""

    __tablename__ = "api_rate"

    token_id: Mapped[int] = mapped_column(ForeignKey("api_tokens.id", ondelete="CASCADE"),
                                          primary_key=True)
    window: Mapped[int] = mapped_column(Integer, primary_key=True)
    used: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
