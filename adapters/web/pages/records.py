"""Simple read-only record pages (/records/{kind}/{id}), every read through the access rules.

A page names a linked record (an activity's deal, a contact's account) only when this person may open it;
one outside their scope shows as "a record you can't open", never by its name.
"""

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from sqlalchemy import select
from sqlalchemy.orm import Session

from adapters.web.context import DbSession
from adapters.web.pages.rendering import not_found, render
from adapters.web.pages.sessions import WebUserDep
from assistant.crm.access import can_see, get_visible, scoped_select
from assistant.crm.errors import NotFound
from assistant.crm.models import Account, Activity, Contact, Deal, DealStageHistory, Lead
from assistant.crm.principal import Principal

router = APIRouter(prefix="/records", include_in_schema=False)

MODELS: dict[str, type] = {"deal": Deal, "account": Account, "contact": Contact, "activity": Activity, "lead": Lead}
RECENT = 50
LINKS: dict[str, tuple[str, ...]] = {
    "deal": ("account", "primary_contact"),
    "contact": ("account",),
    "activity": ("deal", "account", "contact", "lead"),
}
"""The records each kind of page names by their relationship attribute."""
CLOSED = "closed"
"""A linked record this person may not open (the template says so without naming it)."""


def _openable(db: Session, principal: Principal, linked: Any) -> bool:
    """Whether this person may open the linked record: the rule GET /api/{kind}/{id} applies."""
    return can_see(db, principal, type(linked), linked.id)


def _links(db: Session, principal: Principal, kind: str, record: Any) -> dict[str, Any]:
    """The page's linked records by attribute: the record, CLOSED when it is out of scope, None when unset."""
    links: dict[str, Any] = {}
    for attribute in LINKS.get(kind, ()):
        linked = getattr(record, attribute)
        links[attribute] = None if linked is None else linked if _openable(db, principal, linked) else CLOSED
    return links


def _activities(db: Session, principal: Principal, **link: int) -> list[Activity]:
    query = scoped_select(principal, Activity)
    for field, value in link.items():
        query = query.where(getattr(Activity, field) == value)
    return list(db.scalars(query.order_by(Activity.occurred_at.desc(), Activity.id.desc()).limit(RECENT)))


def _related(db: Session, principal: Principal, kind: str, record: Any) -> dict[str, Any]:
    if kind == "deal":
        history = db.scalars(
            select(DealStageHistory).where(DealStageHistory.deal_id == record.id).order_by(DealStageHistory.id)
        )
        return {"activities": _activities(db, principal, deal_id=record.id), "history": list(history)}
    if kind == "account":
        deals = db.scalars(scoped_select(principal, Deal).where(Deal.account_id == record.id).order_by(Deal.name))
        contacts = db.scalars(
            scoped_select(principal, Contact).where(Contact.account_id == record.id).order_by(Contact.last_name)
        )
        return {
            "deals": list(deals),
            "contacts": list(contacts),
            "activities": _activities(db, principal, account_id=record.id),
        }
    if kind == "contact":
        return {"activities": _activities(db, principal, contact_id=record.id)}
    if kind == "lead":
        return {"activities": _activities(db, principal, lead_id=record.id)}
    return {}


@router.get("/{kind}/{record_id}", response_class=HTMLResponse)
def record_page(kind: str, record_id: int, request: Request, db: DbSession, user: WebUserDep) -> HTMLResponse:
    model = MODELS.get(kind)
    if model is None:
        return not_found(request, user, f"There is no record type called '{kind}'.")
    try:
        record = get_visible(db, user.principal, model, record_id)
    except NotFound:
        return not_found(request, user, f"No {kind} {record_id} that you can see.")
    related = _related(db, user.principal, kind, record)
    links = _links(db, user.principal, kind, record)
    return render(request, f"record_{kind}.html", user, kind=kind, record=record, links=links, **related)
