"""Accounts and contacts."""

from pydantic import BaseModel
from sqlalchemy import Select, func, or_
from sqlalchemy.orm import Session

from assistant.crm.access import scoped_select
from assistant.crm.errors import ValidationFailed
from assistant.crm.models import Account, Contact
from assistant.crm.principal import Principal
from assistant.crm.schemas.accounts import AccountCreate, AccountUpdate
from assistant.crm.schemas.contacts import ContactCreate, ContactUpdate
from assistant.crm.services.common import create_record, require_visible, resolve_owner, update_record


class AccountFilters(BaseModel):
    owner_id: int | None = None
    industry: str | None = None
    region: str | None = None
    q: str | None = None


class ContactFilters(BaseModel):
    account_id: int | None = None
    owner_id: int | None = None
    q: str | None = None


def account_query(principal: Principal, filters: AccountFilters) -> Select[tuple[Account]]:
    query = scoped_select(principal, Account)
    if filters.owner_id is not None:
        query = query.where(Account.owner_id == filters.owner_id)
    if filters.industry:
        query = query.where(func.lower(Account.industry) == filters.industry.lower())
    if filters.region:
        query = query.where(func.lower(Account.region) == filters.region.lower())
    if filters.q:
        like = f"%{filters.q.lower()}%"
        query = query.where(or_(func.lower(Account.name).like(like), func.lower(Account.domain).like(like)))
    return query.order_by(Account.name, Account.id)


def create_account(session: Session, principal: Principal, data: AccountCreate) -> Account:
    values = data.model_dump()
    values["owner_id"] = resolve_owner(session, principal, data.owner_id)
    require_visible(session, principal, Account, data.parent_id, "parent_id")
    return create_record(session, principal, Account(**values), "account", values)


def update_account(session: Session, principal: Principal, account_id: int, data: AccountUpdate) -> Account:
    values = data.model_dump(exclude_unset=True)
    if "owner_id" in values:
        values["owner_id"] = resolve_owner(session, principal, values["owner_id"])
    if values.get("parent_id") == account_id:
        raise ValidationFailed("parent_id", "an account cannot be its own parent")
    require_visible(session, principal, Account, values.get("parent_id"), "parent_id")
    return update_record(session, principal, Account, account_id, "account", values)[0]


def contact_query(principal: Principal, filters: ContactFilters) -> Select[tuple[Contact]]:
    query = scoped_select(principal, Contact)
    if filters.account_id is not None:
        query = query.where(Contact.account_id == filters.account_id)
    if filters.owner_id is not None:
        query = query.where(Contact.owner_id == filters.owner_id)
    if filters.q:
        like = f"%{filters.q.lower()}%"
        full_name = func.lower(Contact.first_name + " " + Contact.last_name)
        query = query.where(or_(full_name.like(like), func.lower(Contact.email).like(like)))
    return query.order_by(Contact.last_name, Contact.first_name, Contact.id)


def create_contact(session: Session, principal: Principal, data: ContactCreate) -> Contact:
    values = data.model_dump()
    values["owner_id"] = resolve_owner(session, principal, data.owner_id)
    require_visible(session, principal, Account, data.account_id, "account_id")
    return create_record(session, principal, Contact(**values), "contact", values)


def update_contact(session: Session, principal: Principal, contact_id: int, data: ContactUpdate) -> Contact:
    values = data.model_dump(exclude_unset=True)
    if "owner_id" in values:
        values["owner_id"] = resolve_owner(session, principal, values["owner_id"])
    require_visible(session, principal, Account, values.get("account_id"), "account_id")
    return update_record(session, principal, Contact, contact_id, "contact", values)[0]
