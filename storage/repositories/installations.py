"""Slack installations (OAuth mode): slack-sdk's own SQLAlchemy stores over Earshot's database.

The tables (``slack_installations``, ``slack_bots``, ``slack_oauth_states``) are created by
migration 0007 with exactly the stores' columns, never by ``create_all`` at run time. The
stores write them through their own connections; the few statements Earshot adds (forget a
workspace's tokens on uninstall or purge, list what is installed) live here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from slack_sdk.oauth.installation_store.sqlalchemy import AsyncSQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import AsyncSQLAlchemyOAuthStateStore
from sqlalchemy import MetaData, Table, delete, desc, select, update
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from storage.models import Workspace
from storage.repositories.upsert import affected

INSTALLATIONS = AsyncSQLAlchemyInstallationStore.default_installations_table_name
BOTS = AsyncSQLAlchemyInstallationStore.default_bots_table_name
STATES = AsyncSQLAlchemyOAuthStateStore.default_table_name

# The stores' tables, described once (the stores build the same ones in their constructors);
# the migrations are compared with Base.metadata and this.
OAUTH_METADATA = MetaData()
installations_table: Table = AsyncSQLAlchemyInstallationStore.build_installations_table(OAUTH_METADATA, INSTALLATIONS)
bots_table: Table = AsyncSQLAlchemyInstallationStore.build_bots_table(OAUTH_METADATA, BOTS)
states_table: Table = AsyncSQLAlchemyOAuthStateStore.build_oauth_states_table(OAUTH_METADATA, STATES)
OAUTH_TABLES = (installations_table, bots_table, states_table)


def installation_store(client_id: str, engine: AsyncEngine) -> AsyncSQLAlchemyInstallationStore:
    return AsyncSQLAlchemyInstallationStore(client_id=client_id, engine=engine)


def state_store(engine: AsyncEngine, *, expiration_seconds: int) -> AsyncSQLAlchemyOAuthStateStore:
    return AsyncSQLAlchemyOAuthStateStore(expiration_seconds=expiration_seconds, engine=engine)


@dataclass(frozen=True)
class InstalledBot:
    team_id: str | None
    enterprise_id: str | None
    team_name: str | None
    is_enterprise_install: bool


class InstallationRepository:
    """Earshot's own statements over the stores' tables, for the caller's transaction."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def forget_team(self, team_id: str) -> int:
        """Delete the workspace's installation and bot rows (its tokens): uninstall, purge."""
        n = 0
        for table in (installations_table, bots_table):
            n += affected(await self.session.execute(delete(table).where(table.c.team_id == team_id)))
        return n

    async def org_teams(self, enterprise_id: str) -> list[str]:
        """The workspaces an organisation's org-wide install reaches (its per-workspace rows)."""
        c = bots_table.c
        rows = await self.session.execute(
            select(c.team_id).where(c.enterprise_id == enterprise_id, c.team_id.is_not(None),
                                    c.is_enterprise_install.is_(True)).distinct())
        return sorted(str(t) for t, in rows.all())

    async def forget_org(self, enterprise_id: str) -> int:
        """Delete an org-wide install's own rows (``team_id`` null) and its per-workspace
        rows: its tokens. A workspace of the organisation installed on its own is kept."""
        n = 0
        for table in (installations_table, bots_table):
            c = table.c
            n += affected(await self.session.execute(delete(table).where(
                c.enterprise_id == enterprise_id,
                (c.team_id.is_(None)) | (c.is_enterprise_install.is_(True)))))
        return n

    async def installed(self) -> list[InstalledBot]:
        """Every workspace (or organisation) with a bot token, newest install first, once each."""
        c = bots_table.c
        rows = await self.session.execute(
            select(c.team_id, c.enterprise_id, c.team_name, c.is_enterprise_install)
            .where(c.bot_token.is_not(None)).order_by(desc(c.installed_at))
        )
        seen: set[tuple[str | None, str | None]] = set()
        out: list[InstalledBot] = []
        for team_id, enterprise_id, team_name, org in rows:
            if (team_id, enterprise_id) in seen:
                continue
            seen.add((team_id, enterprise_id))
            out.append(InstalledBot(team_id, enterprise_id, team_name, bool(org)))
        return out

    async def enterprise_of(self, team_id: str) -> str | None:
        """The organisation an installed workspace belongs to (None: not on Grid, or unknown)."""
        c = bots_table.c
        return await self.session.scalar(
            select(c.enterprise_id).where(c.team_id == team_id, c.enterprise_id.is_not(None)).limit(1)
        )

    async def note_installer(self, team_id: str, user_id: str) -> None:
        """Remember who installed the workspace (told about digest problems) unless known."""
        await self.session.execute(
            update(Workspace).where(Workspace.team_id == team_id, Workspace.installer_user_id.is_(None))
            .values(installer_user_id=user_id)
        )

    async def drop_expired_states(self, now: dt.datetime) -> int:
        """OAuth states of installs never finished (the stores keep them otherwise)."""
        naive = now.astimezone(dt.UTC).replace(tzinfo=None)  # the store's column is naive UTC
        return affected(await self.session.execute(
            delete(states_table).where(states_table.c.expire_at <= naive)))
