"""Accounts and contacts."""

from sqlalchemy import Select, func, or_
from sqlalchemy.orm import Session

from assistant.crm.access import check_link, get_writable, scoped_select
from assistant.crm.errors import ValidationFailed
from assistant.crm.models import Account, Contact
from assistant.crm.principal import Principal
from assistant.crm.schemas.accounts import AccountCreate, AccountUpdate
from assistant.crm.schemas.common import Label, RecordId, SearchText, TextChecked
from assistant.crm.schemas.contacts import ContactCreate, ContactUpdate
from assistant.crm.services.common import create_record, resolve_owner, update_record


class AccountFilters(TextChecked):
    owner_id: RecordId | None = None
    industry: Label | None = None
    region: Label | None = None
    q: SearchText | None = None


class ContactFilters(TextChecked):
    account_id: RecordId | None = None
    owner_id: RecordId | None = None
    q: SearchText | None = None


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
    check_link(session, principal, Account, data.parent_id, "parent_id")
    return create_record(session, principal, Account(**values), "account", values)


def _check_parent(session: Session, account_id: int, parent_id: int) -> None:
    """No account may end up above itself: walking up from the new parent must not reach it."""
    seen: set[int] = set()
    current: int | None = parent_id
    while current is not None and current not in seen:
        if current == account_id:
            raise ValidationFailed("parent_id", "an account cannot be its own parent or ancestor")
        seen.add(current)
        parent = session.get(Account, current)
        current = parent.parent_id if parent is not None else None


def update_account(session: Session, principal: Principal, account_id: int, data: AccountUpdate) -> Account:
    account = get_writable(session, principal, Account, account_id)
    values = data.model_dump(exclude_unset=True)
    if values.get("parent_id") is not None:
        check_link(session, principal, Account, values["parent_id"], "parent_id")
        _check_parent(session, account_id, values["parent_id"])
    update_record(session, principal, account, values)
    return account


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
    check_link(session, principal, Account, data.account_id, "account_id")
    return create_record(session, principal, Contact(**values), "contact", values)


def update_contact(session: Session, principal: Principal, contact_id: int, data: ContactUpdate) -> Contact:
    contact = get_writable(session, principal, Contact, contact_id)
    values = data.model_dump(exclude_unset=True)
    check_link(session, principal, Account, values.get("account_id"), "account_id")
    update_record(session, principal, contact, values)
    return contact
