"""Activities: logging, listing, linking to the records they concern."""

from datetime import datetime
from typing import Any

from sqlalchemy import Select, func, or_
from sqlalchemy.orm import Session

from assistant.crm import audit
from assistant.crm.access import check_link, get_visible, get_writable, scoped_select
from assistant.crm.errors import Forbidden, ValidationFailed
from assistant.crm.models import Account, Activity, ActivityType, Contact, Deal, Lead
from assistant.crm.principal import Principal
from assistant.crm.schemas.activities import ActivityCreate, ActivityUpdate
from assistant.crm.schemas.common import Label, Moment, RecordId, SearchText, TextChecked
from assistant.crm.services.common import create_record, update_record

LINKS = (("deal_id", Deal), ("contact_id", Contact), ("account_id", Account), ("lead_id", Lead))


class ActivityFilters(TextChecked):
    type: Label | None = None
    account_id: RecordId | None = None
    contact_id: RecordId | None = None
    deal_id: RecordId | None = None
    lead_id: RecordId | None = None
    author_id: RecordId | None = None
    since: Moment | None = None
    until: Moment | None = None
    status: Label | None = None
    q: SearchText | None = None


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


def _link_values(session: Session, principal: Principal, links: dict[str, Any]) -> dict[str, Any]:
    """The links checked (each must be visible), with the account implied by a deal or a contact."""
    for field, model in LINKS:
        check_link(session, principal, model, links.get(field), field)
    values = dict(links)
    if values.get("account_id") is None and values.get("deal_id") is not None:
        values["account_id"] = session.get_one(Deal, values["deal_id"]).account_id
    if values.get("account_id") is None and values.get("contact_id") is not None:
        values["account_id"] = session.get_one(Contact, values["contact_id"]).account_id
    return values


def create_activity(session: Session, principal: Principal, data: ActivityCreate, now: datetime) -> Activity:
    if not any((data.account_id, data.contact_id, data.deal_id, data.lead_id)):
        raise ValidationFailed("deal_id", "an activity must be linked to an account, contact, deal or lead")
    values = data.model_dump()
    values.update(_link_values(session, principal, {field: values[field] for field, _ in LINKS}))
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
    activity = get_writable(session, principal, Activity, activity_id)
    values = data.model_dump(exclude_unset=True)
    if "status" in values:
        if activity.type != ActivityType.task and values["status"] is not None:
            raise ValidationFailed("status", "only tasks have a status")
        if activity.type == ActivityType.task and values["status"] is None:
            raise ValidationFailed("status", "a task is open or done")
    if "due_date" in values and activity.type == ActivityType.task and values["due_date"] is None:
        raise ValidationFailed("due_date", "a task needs a due date")
    sent_links = {field: values[field] for field, _ in LINKS if field in values}
    if sent_links:
        for field, model in LINKS:
            check_link(session, principal, model, sent_links.get(field), field)
        if sent_links.get("deal_id") is not None and "account_id" not in sent_links:
            values["account_id"] = session.get_one(Deal, sent_links["deal_id"]).account_id
        links = {field: values.get(field, getattr(activity, field)) for field, _ in LINKS}
        if not any(links.values()):
            raise ValidationFailed("deal_id", "an activity must be linked to an account, contact, deal or lead")
    update_record(session, principal, activity, values)
    return activity


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
