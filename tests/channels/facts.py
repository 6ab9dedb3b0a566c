"""Facts computed straight from the database, to check the channels' answers against."""

import re
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from assistant.crm.access import scoped_select
from assistant.crm.models import Activity, Channel, Deal, Stage
from tests import support


def open_deals(session: Session, email: str) -> tuple[int, Decimal]:
    """How many open deals the person can see, and their total amount."""
    principal = support.principal(session, email, Channel.slack)
    deals = scoped_select(principal, Deal).join(Stage, Stage.id == Deal.stage_id).where(Stage.is_closed.is_(False))
    rows = session.scalars(deals).unique().all()
    return len(rows), sum((deal.amount for deal in rows), Decimal(0))


def counts_open_deals(text: str, count: int) -> bool:
    """Whether the answer states this many (open) deals, e.g. '14 open deals of yours'."""
    return re.search(rf"(?<![\d,]){count} (?:open )?deals\b", text) is not None


def money(amount: Decimal) -> str:
    return f"${amount:,.0f}"


def open_deal_owned_by(session: Session, email: str) -> Deal:
    principal = support.principal(session, email)
    query = (
        scoped_select(principal, Deal)
        .join(Stage, Stage.id == Deal.stage_id)
        .where(Stage.is_closed.is_(False), Deal.owner_id == principal.user_id, Deal.primary_contact_id.is_not(None))
        .order_by(Deal.close_date, Deal.id)
    )
    return session.scalars(query).unique().first()  # type: ignore[return-value]


def activity_count(session: Session, **where: object) -> int:
    query = select(func.count(Activity.id))
    for field, value in where.items():
        query = query.where(getattr(Activity, field) == value)
    return session.scalar(query) or 0
