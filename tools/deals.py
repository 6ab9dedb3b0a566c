"""Deal tools: finding deals with totals, and one deal in depth."""

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, Field
from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from assistant.crm.access import get_visible
from assistant.crm.deps import Deps
from assistant.crm.errors import ValidationFailed
from assistant.crm.models import Deal, Stage
from assistant.crm.principal import Principal
from assistant.crm.schemas.chat import RecordRef
from assistant.crm.schemas.common import AccountRef, ContactRef, UserRef
from assistant.crm.schemas.results import ToolResult
from assistant.crm.services.accounts import ContactFilters, contact_query
from assistant.crm.services.activities import ActivityFilters
from assistant.crm.services.deals import DealFilters, deal_query, stage_history
from tools.activities import (
    ActivityBrief,
    activity_brief,
    activity_refs,
    open_tasks,
    recent_activities,
    record_ref,
    unique_refs,
)
from tools.base import OwnerRef, owner_id_of

DealStatus = Literal["open", "won", "lost", "closed"]
STATUS_WORDS = ("open", "won", "lost", "closed")


class DealBrief(BaseModel):
    """A deal as the assistant reports it. Amounts are in `currency`; weighted = amount x stage probability."""

    id: int
    name: str
    account: AccountRef
    owner: UserRef
    stage: str
    probability: int = Field(description="the stage's win probability in percent")
    status: Literal["open", "won", "lost"]
    amount: float
    weighted_amount: float
    currency: str
    close_date: date | None
    next_step: str | None
    created_at: datetime | None
    closed_at: datetime | None


def deal_status(stage: Stage) -> Literal["open", "won", "lost"]:
    if not stage.is_closed:
        return "open"
    return "won" if stage.is_won else "lost"


def deal_brief(deal: Deal) -> DealBrief:
    amount = float(deal.amount)
    return DealBrief(
        id=deal.id,
        name=deal.name,
        account=AccountRef(id=deal.account.id, name=deal.account.name),
        owner=UserRef(id=deal.owner.id, email=deal.owner.email, name=deal.owner.name),
        stage=deal.stage.name,
        probability=deal.stage.probability,
        status=deal_status(deal.stage),
        amount=amount,
        weighted_amount=round(amount * deal.stage.probability / 100, 2),
        currency=deal.currency,
        close_date=deal.close_date,
        next_step=deal.next_step,
        created_at=deal.created_at,
        closed_at=deal.closed_at,
    )


def deal_refs(deals: list[Deal]) -> list[RecordRef]:
    return [record_ref("deal", d.id, d.name) for d in deals]


def check_stage_name(session: Session, name: str | None, field: str = "stage") -> None:
    if name is None:
        return
    names = list(session.scalars(select(Stage.name).distinct().order_by(Stage.name)))
    if name.lower() not in {n.lower() for n in names}:
        hint = f" ({name!r} is a status: use status={name.lower()!r})" if name.lower() in STATUS_WORDS else ""
        raise ValidationFailed(field, f"unknown stage {name!r}{hint}; stages are {', '.join(names)}")


def deal_totals(session: Session, query: Select[tuple[Deal]]) -> tuple[int, float, float]:
    """(count, total amount, weighted amount) over every deal ``query`` matches."""
    sub = query.order_by(None).subquery()
    row = session.execute(
        select(
            func.count(sub.c.id),
            func.coalesce(func.sum(sub.c.amount), 0),
            func.coalesce(func.sum(sub.c.amount * Stage.probability), 0),
        ).join_from(sub, Stage, Stage.id == sub.c.stage_id)
    ).one()
    return int(row[0]), round(float(row[1]), 2), round(float(row[2]) / 100, 2)


class FindDealsInput(BaseModel):
    owner_id: OwnerRef | None = Field(default=None, description='owner user id, or "me" (the person asking)')
    team_id: int | None = Field(default=None, description="only deals owned by members of this team")
    stage: str | None = Field(default=None, description="stage name, e.g. Proposal or Negotiation")
    status: DealStatus | None = Field(default=None, description="open, won, lost or closed (won or lost)")
    account_id: int | None = None
    amount_min: float | None = Field(default=None, ge=0)
    amount_max: float | None = Field(default=None, ge=0)
    close_from: date | None = Field(default=None, description="close date on or after (ISO date)")
    close_to: date | None = Field(default=None, description="close date on or before (ISO date)")
    q: str | None = Field(default=None, description="words in the deal name (usually the account name)")
    limit: int = Field(default=25, ge=1, le=200)


class DealListPublic(ToolResult):
    deals: list[DealBrief]
    count: int = Field(description="how many deals match in all (the list holds at most `limit`)")
    total_amount: float = Field(description="sum of amounts over all matching deals")
    weighted_amount: float = Field(description="sum of amount x stage probability over all matching deals")


def filters_from(args: FindDealsInput, deps: Deps | None = None) -> DealFilters:
    values = args.model_dump(exclude={"limit"})
    if args.owner_id == "me":
        if deps is None:
            raise ValidationFailed("owner_id", '"me" needs the person asking')
        values["owner_id"] = owner_id_of(deps, "me")
    return DealFilters(**values)


def list_deals(deps: Deps, filters: DealFilters, limit: int) -> DealListPublic:
    if filters.amount_min is not None and filters.amount_max is not None and filters.amount_max < filters.amount_min:
        raise ValidationFailed("amount_max", "is smaller than amount_min")
    check_stage_name(deps.session, filters.stage)
    query = deal_query(deps.principal, filters)
    count, total, weighted = deal_totals(deps.session, query)
    rows = list(deps.session.scalars(query.limit(limit)).unique().all())
    return DealListPublic(
        deals=[deal_brief(d) for d in rows],
        count=count,
        total_amount=total,
        weighted_amount=weighted,
        records=deal_refs(rows),
    )


def find_deals(deps: Deps, args: FindDealsInput) -> DealListPublic:
    """Find deals the person can see, soonest close date first, with the count and total amount of all matches.

    Use it for "my open deals", "deals in Negotiation over 50k", "deals closing this month",
    "Acme's deals", "won deals last quarter" (status=won with close_from/close_to). Combine filters
    freely; `count`, `total_amount` and `weighted_amount` cover every match, not only the listed ones.
    """
    return list_deals(deps, filters_from(args, deps), args.limit)


class StageChange(BaseModel):
    from_stage: str | None
    to_stage: str
    changed_at: datetime
    changed_by: str | None


class DealDetailPublic(ToolResult):
    deal: DealBrief
    primary_contact: ContactRef | None
    lead_source: str | None
    days_open: int = Field(description="days from creation to close (closed deals) or to today (open deals)")
    stage_history: list[StageChange]
    recent_activities: list[ActivityBrief] = Field(description="the last 10, most recent first")
    last_activity_at: datetime | None
    open_tasks: list[ActivityBrief]
    contacts: list[ContactRef] = Field(description="contacts on the deal's account the person can see")


def days_open(deal: Deal, today: date) -> int:
    created = (deal.created_at or datetime.combine(today, datetime.min.time())).date()
    end = deal.closed_at.date() if deal.closed_at else today
    return max(0, (end - created).days)


def deal_detail(session: Session, principal: Principal, deal: Deal, today: date) -> DealDetailPublic:
    history = stage_history(session, principal, deal.id)
    activities = recent_activities(session, principal, ActivityFilters(deal_id=deal.id), 10)
    tasks = open_tasks(session, principal, ActivityFilters(deal_id=deal.id), 5)
    contacts = list(session.scalars(contact_query(principal, ContactFilters(account_id=deal.account_id)).limit(20)))
    primary = deal.primary_contact
    return DealDetailPublic(
        deal=deal_brief(deal),
        primary_contact=ContactRef(
            id=primary.id, name=primary.name, email=primary.email, title=primary.title or None, phone=primary.phone
        )
        if primary
        else None,
        lead_source=deal.lead_source,
        days_open=days_open(deal, today),
        stage_history=[
            StageChange(
                from_stage=h.from_stage.name if h.from_stage else None,
                to_stage=h.to_stage.name,
                changed_at=h.changed_at,
                changed_by=h.changed_by.name if h.changed_by else None,
            )
            for h in history
        ],
        recent_activities=[activity_brief(a) for a in activities],
        last_activity_at=activities[0].occurred_at if activities else None,
        open_tasks=[activity_brief(t) for t in tasks],
        contacts=[ContactRef(id=c.id, name=c.name, email=c.email) for c in contacts],
        records=unique_refs(
            [
                record_ref("deal", deal.id, deal.name),
                record_ref("account", deal.account.id, deal.account.name),
                *([record_ref("contact", primary.id, primary.name)] if primary else []),
                *activity_refs(activities),
                *activity_refs(tasks),
            ]
        ),
    )


class GetDealInput(BaseModel):
    deal_id: int = Field(description="the deal's id (find it with find_deals)")


def get_deal(deps: Deps, args: GetDealInput) -> DealDetailPublic:
    """Everything about one deal: stage, amount, close date, next step, owner, stage history, the last 10
    activities, open tasks and the account's contacts.

    Use it for "tell me about the Acme renewal", "where is deal 42", "when did this deal last move".
    """
    deal = get_visible(deps.session, deps.principal, Deal, args.deal_id)
    return deal_detail(deps.session, deps.principal, deal, deps.clock.today())
