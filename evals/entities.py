"""The entities a fact query can name, each a SELECT over the ORM models with its named fields.

Fields are plain SQL expressions (joins to owner, account, stage...), so a query filters and
aggregates in the database. `COMPUTED` adds per-row values worked out in Python (days between two
dates), usable as the measure of a grouped or median query.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, case, literal, select
from sqlalchemy.orm import aliased

from assistant.crm.models import (
    Account,
    Activity,
    AuditEntry,
    CallRecording,
    Contact,
    Deal,
    Lead,
    PendingAction,
    Pipeline,
    Stage,
    Team,
    User,
)

Fields = dict[str, ColumnElement[Any]]


@dataclass(frozen=True)
class EntitySpec:
    model: type
    base: Callable[[], tuple[Select[Any], Fields]]


def _deals() -> tuple[Select[Any], Fields]:
    owner, account, stage, pipeline, team, contact = (
        aliased(User),
        aliased(Account),
        aliased(Stage),
        aliased(Pipeline),
        aliased(Team),
        aliased(Contact),
    )
    status = case((stage.is_closed.is_(False), "open"), (stage.is_won.is_(True), "won"), else_="lost")
    fields: Fields = {
        "id": Deal.id,
        "name": Deal.name,
        "amount": Deal.amount,
        "currency": Deal.currency,
        "stage": stage.name,
        "probability": stage.probability,
        "status": status,
        "pipeline": pipeline.name,
        "owner": owner.email,
        "owner_name": owner.name,
        "team": team.name,
        "account": account.name,
        "account_id": Deal.account_id,
        "industry": account.industry,
        "region": account.region,
        "primary_contact": contact.first_name + literal(" ") + contact.last_name,
        "close_date": Deal.close_date,
        "next_step": Deal.next_step,
        "lead_source": Deal.lead_source,
        "created_at": Deal.created_at,
        "closed_at": Deal.closed_at,
    }
    query = (
        select(Deal)
        .join(owner, owner.id == Deal.owner_id)
        .join(account, account.id == Deal.account_id)
        .join(stage, stage.id == Deal.stage_id)
        .join(pipeline, pipeline.id == Deal.pipeline_id)
        .outerjoin(team, team.id == owner.team_id)
        .outerjoin(contact, contact.id == Deal.primary_contact_id)
    )
    return query, fields


def _accounts() -> tuple[Select[Any], Fields]:
    owner, team = aliased(User), aliased(Team)
    fields: Fields = {
        "id": Account.id,
        "name": Account.name,
        "domain": Account.domain,
        "industry": Account.industry,
        "region": Account.region,
        "employees": Account.employees,
        "owner": owner.email,
        "owner_name": owner.name,
        "team": team.name,
    }
    query = select(Account).join(owner, owner.id == Account.owner_id).outerjoin(team, team.id == owner.team_id)
    return query, fields


def _contacts() -> tuple[Select[Any], Fields]:
    owner, account = aliased(User), aliased(Account)
    fields: Fields = {
        "id": Contact.id,
        "name": Contact.first_name + literal(" ") + Contact.last_name,
        "first_name": Contact.first_name,
        "last_name": Contact.last_name,
        "title": Contact.title,
        "email": Contact.email,
        "phone": Contact.phone,
        "account": account.name,
        "account_id": Contact.account_id,
        "owner": owner.email,
    }
    query = (
        select(Contact).join(owner, owner.id == Contact.owner_id).outerjoin(account, account.id == Contact.account_id)
    )
    return query, fields


def _leads() -> tuple[Select[Any], Fields]:
    owner, team = aliased(User), aliased(Team)
    fields: Fields = {
        "id": Lead.id,
        "name": Lead.first_name + literal(" ") + Lead.last_name,
        "company": Lead.company,
        "title": Lead.title,
        "email": Lead.email,
        "source": Lead.source,
        "status": Lead.status,
        "score": Lead.score,
        "owner": owner.email,
        "owner_name": owner.name,
        "team": team.name,
        "created_at": Lead.created_at,
        "converted_at": Lead.converted_at,
    }
    query = select(Lead).join(owner, owner.id == Lead.owner_id).outerjoin(team, team.id == owner.team_id)
    return query, fields


def _activities() -> tuple[Select[Any], Fields]:
    author, account, deal, contact = aliased(User), aliased(Account), aliased(Deal), aliased(Contact)
    fields: Fields = {
        "id": Activity.id,
        "type": Activity.type,
        "subject": Activity.subject,
        "body": Activity.body,
        "occurred_at": Activity.occurred_at,
        "due_date": Activity.due_date,
        "status": Activity.status,
        "account": account.name,
        "account_id": Activity.account_id,
        "deal": deal.name,
        "deal_id": Activity.deal_id,
        "lead_id": Activity.lead_id,
        "contact": contact.first_name + literal(" ") + contact.last_name,
        "author": author.email,
        "author_name": author.name,
        "created_at": Activity.created_at,
    }
    query = (
        select(Activity)
        .join(author, author.id == Activity.author_id)
        .outerjoin(account, account.id == Activity.account_id)
        .outerjoin(deal, deal.id == Activity.deal_id)
        .outerjoin(contact, contact.id == Activity.contact_id)
    )
    return query, fields


def _calls() -> tuple[Select[Any], Fields]:
    owner, deal, account, activity = aliased(User), aliased(Deal), aliased(Account), aliased(Activity)
    fields: Fields = {
        "id": CallRecording.id,
        "owner": owner.email,
        "owner_name": owner.name,
        "deal": deal.name,
        "deal_id": CallRecording.deal_id,
        "account": account.name,
        "account_id": CallRecording.account_id,
        "filename": CallRecording.filename,
        "transcript": CallRecording.transcript,
        "occurred_at": activity.occurred_at,
        "created_at": CallRecording.created_at,
    }
    query = (
        select(CallRecording)
        .join(owner, owner.id == CallRecording.owner_id)
        .outerjoin(deal, deal.id == CallRecording.deal_id)
        .outerjoin(account, account.id == CallRecording.account_id)
        .outerjoin(activity, activity.id == CallRecording.activity_id)
    )
    return query, fields


def _users() -> tuple[Select[Any], Fields]:
    team = aliased(Team)
    fields: Fields = {"id": User.id, "name": User.name, "email": User.email, "role": User.role, "team": team.name}
    return select(User).outerjoin(team, team.id == User.team_id), fields


def _audit() -> tuple[Select[Any], Fields]:
    actor = aliased(User)
    fields: Fields = {
        "id": AuditEntry.id,
        "actor": actor.email,
        "channel": AuditEntry.channel,
        "action": AuditEntry.action,
        "entity_type": AuditEntry.entity_type,
        "entity_id": AuditEntry.entity_id,
        "at": AuditEntry.at,
    }
    return select(AuditEntry).outerjoin(actor, actor.id == AuditEntry.actor_id), fields


def _pending() -> tuple[Select[Any], Fields]:
    person = aliased(User)
    fields: Fields = {
        "id": PendingAction.id,
        "kind": PendingAction.kind,
        "status": PendingAction.status,
        "channel": PendingAction.channel,
        "user": person.email,
    }
    return select(PendingAction).join(person, person.id == PendingAction.user_id), fields


ENTITIES: dict[str, EntitySpec] = {
    "deals": EntitySpec(Deal, _deals),
    "accounts": EntitySpec(Account, _accounts),
    "contacts": EntitySpec(Contact, _contacts),
    "leads": EntitySpec(Lead, _leads),
    "activities": EntitySpec(Activity, _activities),
    "calls": EntitySpec(CallRecording, _calls),
    "users": EntitySpec(User, _users),
    "audit": EntitySpec(AuditEntry, _audit),
    "pending_actions": EntitySpec(PendingAction, _pending),
}


def _day(value: date | datetime | None) -> date | None:
    return value.date() if isinstance(value, datetime) else value


def days_to_close(row: dict[str, Any]) -> int | None:
    """Closed deals only: days from creation to closing (closed_at, or the close date when it is unset)."""
    if row["status"] == "open":
        return None
    end = _day(row["closed_at"]) or _day(row["close_date"])
    start = _day(row["created_at"])
    return None if end is None or start is None else max(0, (end - start).days)


COMPUTED: dict[str, dict[str, Callable[[dict[str, Any]], Any]]] = {
    "deals": {"days_to_close": days_to_close},
}
"""entity -> field -> function of the row's fields; None leaves the row out of the measure"""
ENTITY_FIELDS: dict[str, set[str]] = {
    name: set(spec.base()[1]) | set(COMPUTED.get(name, {})) for name, spec in ENTITIES.items()
}
SQL_FIELDS: dict[str, set[str]] = {name: set(spec.base()[1]) for name, spec in ENTITIES.items()}
