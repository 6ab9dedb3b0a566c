"""Account, contact and lead tools."""

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field
from sqlalchemy import Select, case, func, or_, select

from assistant.crm.access import get_visible
from assistant.crm.deps import Deps
from assistant.crm.models import Account, Contact, Deal
from assistant.crm.schemas.accounts import AccountPublic
from assistant.crm.schemas.contacts import ContactPublic
from assistant.crm.schemas.leads import LeadPublic
from assistant.crm.schemas.results import ToolResult
from assistant.crm.services.accounts import AccountFilters, ContactFilters, account_query, contact_query
from assistant.crm.services.activities import ActivityFilters
from assistant.crm.services.deals import DealFilters, deal_query
from assistant.crm.services.leads import LeadFilters, lead_query
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
from tools.deals import DealBrief, deal_brief, deal_refs, deal_totals


def _count(deps: Deps, query: Select[Any]) -> int:
    return deps.session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0


class FindAccountsInput(BaseModel):
    q: str | None = Field(default=None, description="part of the account's name or web domain")
    industry: str | None = None
    region: str | None = None
    owner_id: OwnerRef | None = Field(default=None, description='owner user id, or "me"')
    limit: int = Field(default=20, ge=1, le=100)


class AccountListPublic(ToolResult):
    accounts: list[AccountPublic]
    count: int = Field(description="how many accounts match in all (the list holds at most `limit`)")


def find_accounts(deps: Deps, args: FindAccountsInput) -> AccountListPublic:
    """Find accounts (companies) the person can see, by name, industry, region or owner, in name order.

    Use it to turn a company name from the question into an account id, or for "my accounts in EMEA".
    """
    filters = AccountFilters(
        q=args.q, industry=args.industry, region=args.region, owner_id=owner_id_of(deps, args.owner_id)
    )
    query = account_query(deps.principal, filters)
    rows = list(deps.session.scalars(query.limit(args.limit)).unique().all())
    return AccountListPublic(
        accounts=[AccountPublic.model_validate(a) for a in rows],
        count=_count(deps, query),
        records=[record_ref("account", a.id, a.name) for a in rows],
    )


class GetAccountOverviewInput(BaseModel):
    account_id: int = Field(description="the account's id (find it with find_accounts)")


class AccountOverviewPublic(ToolResult):
    account: AccountPublic
    open_deals: list[DealBrief]
    closed_deals: list[DealBrief] = Field(description="the 10 most recently closing won or lost deals")
    open_deal_count: int
    open_pipeline_amount: float = Field(description="sum of amounts of the open deals")
    won_deal_count: int
    won_amount: float = Field(description="sum of amounts of the won deals")
    lost_deal_count: int
    contacts: list[ContactPublic] = Field(description="up to 10 contacts at the account")
    contact_count: int
    recent_activities: list[ActivityBrief] = Field(description="the last 5, most recent first")
    last_activity_at: datetime | None
    open_tasks: list[ActivityBrief] = Field(description="the next open tasks, soonest due first")


def get_account_overview(deps: Deps, args: GetAccountOverviewInput) -> AccountOverviewPublic:
    """A one-page overview of an account: its details, open and closed deals with totals, key contacts,
    the last 5 activities and the next open tasks.

    Use it for "how are things with Acme", "give me a rundown of Globex before my call".
    """
    session, principal = deps.session, deps.principal
    account = get_visible(session, principal, Account, args.account_id)
    open_query = deal_query(principal, DealFilters(account_id=account.id, status="open"))
    won_query = deal_query(principal, DealFilters(account_id=account.id, status="won"))
    lost_query = deal_query(principal, DealFilters(account_id=account.id, status="lost"))
    closed_query = deal_query(principal, DealFilters(account_id=account.id, status="closed"))
    open_deals = list(session.scalars(open_query.limit(25)).unique())
    closed_deals = list(
        session.scalars(closed_query.order_by(None).order_by(Deal.close_date.desc(), Deal.id.desc()).limit(10)).unique()
    )
    open_count, open_amount, _ = deal_totals(session, open_query)
    won_count, won_amount, _ = deal_totals(session, won_query)
    lost_count, _, _ = deal_totals(session, lost_query)
    contacts_query = contact_query(principal, ContactFilters(account_id=account.id))
    contacts = list(session.scalars(contacts_query.limit(10)).unique())
    activities = recent_activities(session, principal, ActivityFilters(account_id=account.id), 5)
    tasks = open_tasks(session, principal, ActivityFilters(account_id=account.id), 5)
    return AccountOverviewPublic(
        account=AccountPublic.model_validate(account),
        open_deals=[deal_brief(d) for d in open_deals],
        closed_deals=[deal_brief(d) for d in closed_deals],
        open_deal_count=open_count,
        open_pipeline_amount=open_amount,
        won_deal_count=won_count,
        won_amount=won_amount,
        lost_deal_count=lost_count,
        contacts=[ContactPublic.model_validate(c) for c in contacts],
        contact_count=_count(deps, contacts_query),
        recent_activities=[activity_brief(a) for a in activities],
        last_activity_at=activities[0].occurred_at if activities else None,
        open_tasks=[activity_brief(t) for t in tasks],
        records=unique_refs(
            [
                record_ref("account", account.id, account.name),
                *deal_refs(open_deals + closed_deals),
                *[record_ref("contact", c.id, c.name) for c in contacts],
                *activity_refs(activities + tasks),
            ]
        ),
    )


class FindContactsInput(BaseModel):
    q: str | None = Field(default=None, description="part of the contact's name or email")
    account_id: int | None = Field(default=None, description="only contacts at this account")
    contact_ids: list[int] = Field(default=[], max_length=20, description="only these contacts, when several are named")
    decision_makers_first: bool = Field(
        default=False,
        description="rank by seniority of title: C-level and presidents, then VPs and heads, then directors",
    )
    limit: int = Field(default=20, ge=1, le=100)


SENIORITY_PATTERNS: list[tuple[int, tuple[str, ...]]] = [
    (1, ("%vice president%",)),
    (
        0,
        ("%chief%", "ceo%", "% ceo%", "cfo%", "% cfo%", "cto%", "% cto%", "coo%", "% coo%", "%president%", "%founder%"),
    ),
    (1, ("vp%", "% vp%", "svp%", "evp%", "head of%", "% head of%")),
    (2, ("director%", "% director%")),
]
"""(rank, lower-case LIKE patterns on the title): the first that matches gives the rank; no match ranks 3"""


def seniority_rank() -> Any:
    """A SQL expression ranking a contact's title, 0 for the most senior."""
    title = func.lower(func.coalesce(Contact.title, ""))
    return case(*[(or_(*[title.like(p) for p in patterns]), rank) for rank, patterns in SENIORITY_PATTERNS], else_=3)


class ContactListPublic(ToolResult):
    contacts: list[ContactPublic]
    count: int = Field(description="how many contacts match in all")


def find_contacts(deps: Deps, args: FindContactsInput) -> ContactListPublic:
    """Find contacts (people at customer accounts) by name or email, optionally at one account.

    Use it for "who is our contact at Initech", "who should I call at Globex", "what's Jane's email", or to get
    a contact id; with decision_makers_first for "who's the decision maker at Hooli".
    """
    if args.account_id is not None:
        get_visible(deps.session, deps.principal, Account, args.account_id)
    query = contact_query(deps.principal, ContactFilters(q=args.q, account_id=args.account_id))
    if args.contact_ids:
        query = query.where(Contact.id.in_(args.contact_ids))
    listed = query
    if args.decision_makers_first:
        listed = query.order_by(None).order_by(seniority_rank(), Contact.last_name, Contact.first_name, Contact.id)
    rows = list(deps.session.scalars(listed.limit(args.limit)).unique())
    return ContactListPublic(
        contacts=[ContactPublic.model_validate(c) for c in rows],
        count=_count(deps, query),
        records=[record_ref("contact", c.id, c.name) for c in rows],
    )


class FindLeadsInput(BaseModel):
    q: str | None = Field(default=None, description="part of the lead's name or company")
    status: Literal["new", "working", "qualified", "unqualified", "converted"] | None = None
    source: str | None = Field(default=None, description="lead source, e.g. Webinar, Referral")
    owner_id: OwnerRef | None = Field(default=None, description='a user id, or "me"')
    limit: int = Field(default=20, ge=1, le=100)


class LeadListPublic(ToolResult):
    leads: list[LeadPublic]
    count: int = Field(description="how many leads match in all")


def find_leads(deps: Deps, args: FindLeadsInput) -> LeadListPublic:
    """Find leads (prospects not yet converted to accounts), highest score first.

    Use it for "my new leads", "qualified leads from webinars", "leads from Initech".
    """
    filters = LeadFilters(q=args.q, status=args.status, source=args.source, owner_id=owner_id_of(deps, args.owner_id))
    query = lead_query(deps.principal, filters)
    rows = list(deps.session.scalars(query.limit(args.limit)).unique())
    return LeadListPublic(
        leads=[LeadPublic.model_validate(lead) for lead in rows],
        count=_count(deps, query),
        records=[record_ref("lead", lead.id, lead.name) for lead in rows],
    )
