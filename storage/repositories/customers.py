"""The customer registry: names unique per workspace, ignoring case."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any, cast

from sqlalchemy import Table, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import CrmSync, Customer, UserPrefs, Workspace, utcnow
from storage.repositories.upsert import affected, insert_ignore


def customer_key(name: str) -> str:
    return " ".join(name.split()).casefold()


class CustomerRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def list(self, team_id: str) -> list[Customer]:
        stmt = select(Customer).where(Customer.team_id == team_id).order_by(Customer.name_key)
        return list((await self.session.scalars(stmt)).all())

    async def by_name(self, team_id: str, name: str) -> Customer | None:
        return await self.session.scalar(
            select(Customer).where(Customer.team_id == team_id, Customer.name_key == customer_key(name))
        )

    async def matching_view(self, team_id: str) -> Sequence[Any]:
        """(id, name, aliases, domains, crm, crm_id) of every customer: what a CRM sync matches
        on, without loading whole rows."""
        stmt = select(Customer.id, Customer.name, Customer.aliases, Customer.domains, Customer.crm,
                      Customer.crm_id).where(Customer.team_id == team_id)
        return (await self.session.execute(stmt)).all()

    async def by_ids(self, team_id: str, ids: Sequence[int]) -> dict[int, Customer]:
        if not ids:
            return {}
        stmt = select(Customer).where(Customer.team_id == team_id, Customer.id.in_(ids))
        return {c.id: c for c in (await self.session.scalars(stmt)).all()}

    async def add(self, team_id: str, *, name: str, **values: Any) -> Customer:
        customer = self.stage(team_id, name=name, **values)
        await self.session.flush()
        return customer

    def stage(self, team_id: str, *, name: str, **values: Any) -> Customer:
        """A new customer, written at the session's next flush (a CRM sync flushes a page once)."""
        name = " ".join(name.split())
        customer = Customer(team_id=team_id, name=name, name_key=customer_key(name),
                            aliases=list(values.pop("aliases", [])),
                            connect_team_ids=list(values.pop("connect_team_ids", [])),
                            channel_rules=list(values.pop("channel_rules", [])),
                            created_at=utcnow(), updated_at=utcnow(), **values)
        self.session.add(customer)
        return customer

    async def update(self, customer: Customer, **values: Any) -> None:
        for field, value in values.items():
            setattr(customer, field, value)
        if "name" in values:
            customer.name_key = customer_key(customer.name)
        customer.updated_at = utcnow()
        await self.session.flush()

    async def delete(self, customer: Customer) -> None:
        await self.session.delete(customer)
        await self.session.flush()

    async def bump_version(self, team_id: str) -> None:
        """Tell every bot process that this workspace's customer registry changed."""
        await self.session.execute(
            update(Workspace).where(Workspace.team_id == team_id)
            .values(customers_version=Workspace.customers_version + 1)
        )

    async def set_alerts(self, team_id: str, user_id: str, *, on: bool) -> None:
        """Whether account owner ``user_id`` hears about their customers' remarks."""
        now = utcnow()
        await self.session.execute(
            insert_ignore(self.session, cast(Table, UserPrefs.__table__), ["team_id", "user_id"]).values(
                team_id=team_id, user_id=user_id, customer_alerts=on, updated_at=now)
        )
        await self.session.execute(
            update(UserPrefs).where(UserPrefs.team_id == team_id, UserPrefs.user_id == user_id)
            .values(customer_alerts=on, updated_at=now)
        )

    async def set_manual(self, team_id: str, fields: Sequence[str], *, manual: bool,
                         customer: Customer | None = None) -> int:
        """Mark ``fields`` as set by hand (kept from the CRM) or hand them back to the CRM, on
        ``customer`` or on every customer of the workspace; how many customers changed."""
        rows = [customer] if customer is not None else await self.list(team_id)
        n = 0
        for row in rows:
            have = list(row.manual_fields or ())
            after = sorted({*have, *fields}) if manual else [f for f in have if f not in fields]
            if after != have:
                row.manual_fields = after
                n += 1
        await self.session.flush()
        return n

    async def record_sync(self, team_id: str, crm: str, *, started_at: dt.datetime,
                          finished_at: dt.datetime | None, ok: bool, summary: str) -> None:
        """The workspace's last sync from ``crm`` (one row per workspace and CRM)."""
        row = await self.session.get(CrmSync, (team_id, crm))
        if row is None:
            row = CrmSync(team_id=team_id, crm=crm)
            self.session.add(row)
        row.started_at, row.finished_at, row.ok, row.summary = started_at, finished_at, ok, summary
        await self.session.flush()

    async def syncs(self, team_id: str | None = None) -> Sequence[CrmSync]:
        stmt = select(CrmSync).order_by(CrmSync.team_id, CrmSync.crm)
        if team_id is not None:
            stmt = stmt.where(CrmSync.team_id == team_id)
        return list((await self.session.scalars(stmt)).all())

    async def claim_sync(self, team_id: str, crm: str, *, now: dt.datetime, since: dt.datetime) -> bool:
        """Take this period's sync from ``crm``: True unless one started after ``since`` (another
        clock's, or the last period's), so several clocks sync a workspace once per period."""
        await self.session.execute(
            insert_ignore(self.session, cast(Table, CrmSync.__table__), ["team_id", "crm"]).values(
                team_id=team_id, crm=crm, started_at=since, ok=False, summary=""))
        result = await self.session.execute(
            update(CrmSync).where(CrmSync.team_id == team_id, CrmSync.crm == crm, CrmSync.started_at <= since)
            .values(started_at=now, finished_at=None))
        return affected(result) == 1
