"""Account owners of the customers whose remarks an improvement addresses, for the DM that
tells them it shipped or worked; and their opt-out (the ``customer_alerts`` preference, the
same switch as the daily note about their customers' remarks)."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import and_, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Customer, ImprovementRemark, Remark, UserPrefs


@dataclass(frozen=True)
class OwnedRemark:
    customer: str
    permalink: str | None


@dataclass
class AccountOwner:
    """One owner, their customers among the addressed remarks (registry order), and those
    remarks (the customer's name beside each link)."""

    user_id: str
    customers: list[str] = field(default_factory=list)
    remarks: list[OwnedRemark] = field(default_factory=list)


class AccountOwnerRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def of_improvement(self, team_id: str, improvement_id: int) -> list[AccountOwner]:
        """Everyone who owns the account of a customer named on an addressed remark. A remark
        names a registered customer by its name, as the daily customer note matches it."""
        rows = await self.session.execute(
            select(Customer.owner_user_id, Customer.name, Remark.permalink)
            .join(
                Remark, and_(Remark.team_id == Customer.team_id, Remark.customer == Customer.name)
            )
            .join(ImprovementRemark, ImprovementRemark.remark_id == Remark.id)
            .where(
                Customer.team_id == team_id,
                ImprovementRemark.improvement_id == improvement_id,
                Customer.owner_user_id.is_not(None),
            )
            .order_by(Customer.owner_user_id, Customer.name_key, Remark.said_at, Remark.id)
        )
        out: dict[str, AccountOwner] = {}
        for owner, name, permalink in rows.all():
            entry = out.setdefault(str(owner), AccountOwner(str(owner)))
            if name not in entry.customers:
                entry.customers.append(name)
            entry.remarks.append(OwnedRemark(name, permalink))
        return list(out.values())

    async def wants_notes(self, team_id: str, user_id: str) -> bool:
        value = await self.session.scalar(
            select(UserPrefs.customer_alerts).where(
                UserPrefs.team_id == team_id, UserPrefs.user_id == user_id
            )
        )
        return True if value is None else bool(value)
