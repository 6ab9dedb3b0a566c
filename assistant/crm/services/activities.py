"""Activities: logging, listing, linking to the records they concern."""

from datetime import datetime

from pydantic import BaseModel
from sqlalchemy import Select, func, or_
from sqlalchemy.orm import Session

from assistant.crm import audit
from assistant.crm.access import get_visible, scoped_select
from assistant.crm.errors import Forbidden, ValidationFailed
from assistant.crm.models import Account, Activity, ActivityType, Contact, Deal, Lead
from assistant.crm.principal import Principal
from assistant.crm.schemas.activities import ActivityCreate, ActivityUpdate
from assistant.crm.services.common import create_record, require_visible, update_record


class ActivityFilters(BaseModel):
    type: str | None = None
    account_id: int | None = None
    contact_id: int | None = None
    deal_id: int | None = None
    lead_id: int | None = None
    author_id: int | None = None
    since: datetime | None = None
    until: datetime | None = None
    status: str | None = None
    q: str | None = None


def activity_query(principal: Principal, filters: ActivityFilters) -> Select[tuple[Activity]]:
    query = scoped_select(principal, Activity)
    for field in ("type", "account_id", "contact_id", "deal_id", "lead_id", "author_id", "status"):
        value = getattr(filters, field)
        if value is not None:
            query = query.where(getattr(Activity, field) == value)
    if filters.since is not None:
        query = query.where(Activity.occurred_at >= filters.since)
    if filters.until is not None:
        query = query.where(Activity.occurred_at <= filters.until)
    if filters.q:
        like = f"%{filters.q.lower()}%"
        query = query.where(or_(func.lower(Activity.subject).like(like), func.lower(Activity.body).like(like)))
    return query.order_by(Activity.occurred_at.desc(), Activity.id.desc())


def _link_values(session: Session, principal: Principal, data: ActivityCreate) -> dict[str, int | None]:
    require_visible(session, principal, Deal, data.deal_id, "deal_id")
    require_visible(session, principal, Contact, data.contact_id, "contact_id")
    require_visible(session, principal, Account, data.account_id, "account_id")
    require_visible(session, principal, Lead, data.lead_id, "lead_id")
    account_id = data.account_id
    if account_id is None and data.deal_id is not None:
        account_id = session.get(Deal, data.deal_id).account_id  # type: ignore[union-attr]
    if account_id is None and data.contact_id is not None:
        account_id = session.get(Contact, data.contact_id).account_id  # type: ignore[union-attr]
    return {"account_id": account_id}


def create_activity(session: Session, principal: Principal, data: ActivityCreate, now: datetime) -> Activity:
    if not any((data.account_id, data.contact_id, data.deal_id, data.lead_id)):
        raise ValidationFailed("deal_id", "an activity must be linked to an account, contact, deal or lead")
    values = data.model_dump()
    values.update(_link_values(session, principal, data))
    values["occurred_at"] = data.occurred_at or now
    values["author_id"] = principal.user_id
    if data.type == ActivityType.task:
        values["status"] = data.status or "open"
        if data.due_date is None:
            raise ValidationFailed("due_date", "a task needs a due date")
    elif data.status is not None:
        raise ValidationFailed("status", "only tasks have a status")
    return create_record(session, principal, Activity(**values), "activity", values)


def update_activity(session: Session, principal: Principal, activity_id: int, data: ActivityUpdate) -> Activity:
    values = data.model_dump(exclude_unset=True)
    return update_record(session, principal, Activity, activity_id, "activity", values)[0]


def delete_activity(session: Session, principal: Principal, activity_id: int) -> dict[str, object]:
    """Delete an activity its author (or an admin) no longer wants; the audit entry keeps what it held."""
    activity = get_visible(session, principal, Activity, activity_id)
    if activity.author_id != principal.user_id and not principal.is_admin:
        raise Forbidden("only the person who logged an activity can delete it")
    kept = {
        column.key: audit.plain(getattr(activity, column.key))
        for column in Activity.__table__.columns
        if column.key != "id"
    }
    session.delete(activity)
    session.flush()
    audit.record(session, principal, "delete", "activity", activity_id, kept)
    return kept
