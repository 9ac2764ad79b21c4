"""Customer alerts: remarks of a registered customer waiting to be told to its account owner.

New remarks are found by querying remarks (as owner alerts do): any remark whose customer
is a registered customer with an account owner gets one ``customer_alerts`` row per owner,
made idempotent by the unique key (team_id, remark_id, owner_user_id).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import CursorResult, Table, and_, literal, select

from storage.models import Customer, CustomerAlert, Remark
from storage.repositories.alert_queue import AlertQueue
from storage.repositories.upsert import insert_ignore


@dataclass(frozen=True)
class CustomerAlertItem:
    remark_id: int
    customer: str
    tier: str | None
    text: str
    sentiment: str
    permalink: str | None


class CustomerAlertRepository(AlertQueue):
    model = CustomerAlert
    preference = "customer_alerts"

    async def enqueue(self, *, since: dt.datetime, now: dt.datetime) -> int:
        """Queue remarks changed since ``since`` whose customer has an account owner."""
        table = cast(Table, CustomerAlert.__table__)
        created = literal(now, table.c.created_at.type)
        source = (
            select(Remark.team_id, Customer.owner_user_id, Customer.id, Remark.id, created)
            .join(Customer, and_(Customer.team_id == Remark.team_id, Customer.name == Remark.customer))
            .where(Remark.updated_at >= since, Customer.owner_user_id.is_not(None))
        )
        stmt = insert_ignore(self.session, table, ["team_id", "remark_id", "owner_user_id"]).from_select(
            ["team_id", "owner_user_id", "customer_id", "remark_id", "created_at"], source)
        res = cast(CursorResult[Any], await self.session.execute(stmt))
        return int(res.rowcount or 0)

    async def items(self, team_id: str, owner_user_id: str, remark_ids: list[int]) -> list[CustomerAlertItem]:
        """Those remarks whose customer the person still owns."""
        if not remark_ids:
            return []
        rows = await self.session.execute(
            select(Remark.id, Customer.name, Customer.tier, Remark.text, Remark.sentiment, Remark.permalink)
            .join(Customer, and_(Customer.team_id == Remark.team_id, Customer.name == Remark.customer))
            .where(Remark.team_id == team_id, Remark.id.in_(remark_ids),
                   Customer.owner_user_id == owner_user_id)
            .order_by(Customer.name_key, Remark.said_at)
        )
        return [CustomerAlertItem(*r) for r in rows.all()]

