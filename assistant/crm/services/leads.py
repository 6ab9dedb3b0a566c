"""Leads and their conversion into an account, a contact and a deal."""

from datetime import datetime

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session

from assistant.crm import audit
from assistant.crm.access import check_link, get_writable, scoped_select
from assistant.crm.errors import ValidationFailed
from assistant.crm.models import Account, Contact, Lead
from assistant.crm.principal import Principal
from assistant.crm.schemas.common import Label, RecordId, SearchText, TextChecked
from assistant.crm.schemas.deals import DealCreate
from assistant.crm.schemas.leads import LeadConvert, LeadCreate, LeadUpdate
from assistant.crm.services.common import create_record, resolve_owner, update_record
from assistant.crm.services.deals import create_deal


class LeadFilters(TextChecked):
    owner_id: RecordId | None = None
    status: Label | None = None
    source: Label | None = None
    q: SearchText | None = None


def lead_query(principal: Principal, filters: LeadFilters) -> Select[tuple[Lead]]:
    query = scoped_select(principal, Lead)
    if filters.owner_id is not None:
        query = query.where(Lead.owner_id == filters.owner_id)
    if filters.status:
        query = query.where(Lead.status == filters.status)
    if filters.source:
        query = query.where(func.lower(Lead.source) == filters.source.lower())
    if filters.q:
        like = f"%{filters.q.lower()}%"
        full_name = func.lower(Lead.first_name + " " + Lead.last_name)
        query = query.where(or_(full_name.like(like), func.lower(Lead.company).like(like)))
    return query.order_by(Lead.score.desc(), Lead.id)


def create_lead(session: Session, principal: Principal, data: LeadCreate) -> Lead:
    values = data.model_dump()
    values["owner_id"] = resolve_owner(session, principal, data.owner_id)
    return create_record(session, principal, Lead(**values), "lead", values)


def update_lead(session: Session, principal: Principal, lead_id: int, data: LeadUpdate) -> Lead:
    lead = get_writable(session, principal, Lead, lead_id)
    update_record(session, principal, lead, data.model_dump(exclude_unset=True))
    return lead


def convert_lead(session: Session, principal: Principal, lead_id: int, data: LeadConvert, now: datetime) -> Lead:
    lead = get_writable(session, principal, Lead, lead_id)
    if lead.status == "converted":
        raise ValidationFailed("status", "the lead is already converted")
    if data.account_id is not None:
        check_link(session, principal, Account, data.account_id, "account_id")
        account = session.get_one(Account, data.account_id)
    else:
        if not lead.company:
            raise ValidationFailed("account_id", "the lead has no company; name an existing account")
        account = session.scalars(
            scoped_select(principal, Account).where(func.lower(Account.name) == lead.company.lower())
        ).first() or Account(name=lead.company, owner_id=lead.owner_id)
        session.add(account)
        session.flush()
    contact = Contact(
        account_id=account.id,
        first_name=lead.first_name,
        last_name=lead.last_name,
        title=lead.title,
        email=lead.email,
        phone=lead.phone,
        owner_id=lead.owner_id,
    )
    session.add(contact)
    session.flush()
    deal_id = None
    if data.deal_name:
        deal = create_deal(
            session,
            principal,
            DealCreate(
                name=data.deal_name,
                account_id=account.id,
                primary_contact_id=contact.id,
                owner_id=lead.owner_id,
                amount=data.amount or 0,
                close_date=data.close_date,
                lead_source=lead.source,
            ),
            now,
        )
        deal_id = deal.id
    changes = audit.apply_fields(
        lead,
        {
            "status": "converted",
            "converted_at": now,
            "converted_account_id": account.id,
            "converted_contact_id": contact.id,
            "converted_deal_id": deal_id,
        },
    )
    session.flush()
    audit.record(session, principal, "convert", "lead", lead.id, changes)
    return lead


def conversion_counts(session: Session, principal: Principal) -> tuple[int, int]:
    """(converted, total) among the leads this person may see."""
    scope = scoped_select(principal, Lead).subquery()
    total = session.scalar(select(func.count()).select_from(scope)) or 0
    converted = session.scalar(select(func.count()).select_from(scope).where(scope.c.status == "converted")) or 0
    return converted, total
