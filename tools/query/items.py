"""The records of a list answer, in the order asked, and the records an aggregate rests on."""

from collections import Counter
from datetime import date
from typing import Any

from sqlalchemy import case, func, literal, select
from sqlalchemy.orm import Session

from assistant.crm.access import scope_for
from assistant.crm.errors import ValidationFailed
from assistant.crm.models import Account, Activity, Contact, Deal, ExchangeRate, Lead
from assistant.crm.schemas.chat import RecordRef
from tools.query.engine import with_ties
from tools.query.filters import as_date
from tools.query.sources import Selection
from tools.query.spec import QueryInput, QueryItem

RECORD_CAP = 50
TIES_SHOWN = ("amount", "score", "employees", "days_to_close")
"""sort keys whose ties at the cut are listed too ("which has the most employees" when three share the top)"""
TIE_ROOM = 10
DEFAULT_SORT = {
    "deals": ("amount", "desc"),
    "accounts": ("name", "asc"),
    "contacts": ("name", "asc"),
    "leads": ("created_at", "desc"),
    "activities": ("occurred_at", "desc"),
    "tasks": ("due_date", "asc"),
}
ASCENDING_FIRST = {"close_date", "due_date", "name", "last_activity"}


def _name(model: Any) -> Any:
    if model is Activity:
        return Activity.subject
    if model in (Contact, Lead):
        return model.first_name + " " + model.last_name
    return model.name


def _sort(selection: Selection, q: QueryInput) -> tuple[str, str]:
    key, order = DEFAULT_SORT[q.object]
    if q.filters.inactive_days is not None or "activity" in q.filters.missing:
        key, order = "last_activity", "asc"
    elif q.filters.overdue:
        key, order = ("due_date" if q.object == "tasks" else "close_date"), "asc"
    if q.sort is not None and q.sort != "value":
        key = q.sort
        order = "asc" if key in ASCENDING_FIRST else "desc"
    if q.order is not None:
        order = q.order
    return key, order


def converted_amount(session: Session) -> Any:
    """A deal's amount in the base currency most of the admin-set rates convert to (its own amount where no rate
    applies), so a ranking by amount does not put 125,000,000 COP above 180,000 USD."""
    rates = list(session.scalars(select(ExchangeRate)))
    if not rates:
        return Deal.amount
    base = Counter(rate.base_currency for rate in rates).most_common(1)[0][0]
    factors = [(Deal.currency == rate.currency, literal(rate.rate)) for rate in rates if rate.base_currency == base]
    return Deal.amount * case(*factors, else_=literal(1))


def _sort_column(selection: Selection, key: str, session: Session) -> Any:
    model = selection.model
    if key == "amount" and model is Deal:
        return converted_amount(session)
    if key == "name":
        return _name(model)
    if key == "last_activity":
        return selection.last_activity()
    owners = {"score": Lead, "days_to_close": Deal}
    if key in owners and model is not owners[key]:
        raise ValidationFailed("sort", f"{selection.source.plural} have no {key.replace('_', ' ')} to sort by")
    if key in ("amount", "score", "days_to_close"):
        return selection.number(key) if key != "amount" or model is Deal else model.id
    column = getattr(model, key, None)
    return column if column is not None else model.id


def _ordered(column: Any, order: str) -> Any:
    return column.asc().nulls_first() if order == "asc" else column.desc().nulls_last()


def list_items(
    session: Session, selection: Selection, q: QueryInput, total: int | None = None
) -> tuple[list[QueryItem], int, list[RecordRef]]:
    """(the first `limit` records in order, how many matched in all, their record links); ``total`` when the
    caller has already counted them."""
    if total is None:
        total = session.scalar(selection.query.with_only_columns(func.count(selection.id.distinct()))) or 0
    key, order = _sort(selection, q)
    column = _sort_column(selection, key, session)
    latest = selection.last_activity() if selection.model in (Deal, Account, Contact, Lead) else None
    if key == "last_activity":
        latest = column = column.label("last_touch")
    columns = [selection.id, column] + ([latest] if latest is not None else [])
    room = TIE_ROOM if key in TIES_SHOWN else 0
    query = selection.query.with_only_columns(*columns).order_by(_ordered(column, order), selection.id)
    found = with_ties(list(session.execute(query.limit(q.limit + room)).all()), q.limit, lambda row: row[1])
    touched = {row[0]: as_date(row[2]) if len(row) > 2 else None for row in found}
    ids = [row[0] for row in found]
    loaded = {r.id: r for r in session.scalars(select(selection.model).where(selection.id.in_(ids))).unique()}
    today = selection.today
    items = [_item(loaded[i], touched.get(i), today, q, single=len(ids) == 1) for i in ids if i in loaded]
    refs = [RecordRef(type=selection.source.record_type, id=item.id, name=item.name) for item in items]
    if selection.model is Activity:
        refs += _deals_of(session, selection, [loaded[i] for i in ids if i in loaded])
    return items, int(total), refs


def _deals_of(session: Session, selection: Selection, activities: list[Activity]) -> list[RecordRef]:
    """Links to the deals a list of activities or tasks is on, those the asker may see, in the list's order."""
    wanted = list(dict.fromkeys(a.deal_id for a in activities if a.deal_id is not None))
    seen = select(Deal.id, Deal.name).where(Deal.id.in_(wanted), scope_for(selection.principal, Deal))
    names = {deal_id: name for deal_id, name in session.execute(seen)}
    return [RecordRef(type="deal", id=i, name=names[i]) for i in wanted if i in names]


def _item(record: Any, last: date | None, today: date, q: QueryInput, single: bool) -> QueryItem:
    since = (today - last).days if last else None
    if isinstance(record, Deal):
        end = record.closed_at.date() if record.closed_at else record.close_date
        cycle = (end - record.created_at.date()).days if end and record.created_at and record.stage.is_closed else None
        status = "open" if not record.stage.is_closed else ("won" if record.stage.is_won else "lost")
        return QueryItem(
            type="deal",
            id=record.id,
            name=record.name,
            amount=float(record.amount) if record.amount is not None else None,
            currency=record.currency,
            stage=record.stage.name,
            status=status,
            owner=record.owner.name,
            account=record.account.name,
            close_date=record.close_date,
            when=as_date(record.created_at),
            last_activity=last,
            days=cycle if q.field == "days_to_close" else since,
            contact=record.primary_contact.name if (single or q.with_contacts) and record.primary_contact else None,
            detail=(record.next_step or "none set") if q.with_next_steps else None,
        )
    if isinstance(record, Activity):
        return QueryItem(
            type="activity",
            id=record.id,
            name=record.subject,
            status=record.status,
            owner=record.author.name,
            account=record.account.name if record.account else None,
            deal=record.deal.name if record.deal else None,
            due_date=record.due_date,
            when=as_date(record.occurred_at),
            detail=record.type,
        )
    if isinstance(record, Lead):
        return QueryItem(
            type="lead",
            id=record.id,
            name=record.name,
            status=record.status,
            owner=record.owner.name,
            account=record.company,
            when=as_date(record.created_at),
            last_activity=last,
            days=since,
            score=record.score,
            detail=record.source,
            email=record.email or None,
            phone=record.phone or None,
            title=record.title or None,
        )
    if isinstance(record, Contact):
        return QueryItem(
            type="contact",
            id=record.id,
            name=record.name,
            owner=record.owner.name,
            account=record.account.name if record.account else None,
            when=as_date(record.created_at),
            last_activity=last,
            days=since,
            detail=record.title,
            email=record.email or None,
            phone=record.phone or None,
        )
    assert isinstance(record, Account)
    return QueryItem(
        type="account",
        id=record.id,
        name=record.name,
        owner=record.owner.name,
        when=as_date(record.created_at),
        last_activity=last,
        days=since,
        detail=", ".join(part for part in (record.industry, record.region) if part) or None,
        employees=record.employees if "employees" in (q.sort, q.field) else None,
    )


def matched_refs(session: Session, selection: Selection, q: QueryInput) -> list[RecordRef]:
    """Links to the records an aggregate counted (the biggest first, at most RECORD_CAP)."""
    model = selection.model
    if model is Deal:
        order = (Deal.amount.desc(), Deal.id)
        biggest = selection.query.with_only_columns(Deal.id).order_by(*order).limit(RECORD_CAP)
        query = select(Deal.id, Deal.name).where(Deal.id.in_(biggest)).order_by(*order)
    else:
        order = (selection.id.desc(), selection.id)
        query = selection.query.with_only_columns(selection.id, _name(model)).order_by(*order).limit(RECORD_CAP)
    kind = selection.source.record_type
    return [RecordRef(type=kind, id=i, name=name) for i, name in session.execute(query)]
