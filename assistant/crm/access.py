"""Row-level access rules, in one place, for REST routes, tools, search, analytics and every channel.

Reading: a rep sees the records they own and the accounts they are on (as owner, on the account
team, or through a deal of theirs); a manager sees their team's; an admin sees everything. A record
outside someone's scope does not exist for them (NotFound).

Writing is narrower (``get_writable``, ``check_reassign``, ``check_link``): see WRITE_RULES. A record
someone may read but not change answers Forbidden, naming the rule.
"""

from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Select, and_, or_, select, true
from sqlalchemy.orm import Session

from assistant.crm.errors import Forbidden, NotFound, ValidationFailed
from assistant.crm.models import (
    Account,
    AccountMember,
    Activity,
    CallRecording,
    Contact,
    Deal,
    Lead,
    Role,
    Team,
    User,
)
from assistant.crm.principal import Principal

T = TypeVar("T")


def _owners(principal: Principal) -> list[int]:
    assert principal.visible_owner_ids is not None
    return sorted(principal.visible_owner_ids)


def deal_scope(principal: Principal) -> ColumnElement[bool]:
    if principal.visible_owner_ids is None:
        return true()
    return Deal.owner_id.in_(_owners(principal))


def visible_account_ids(principal: Principal) -> Select[Any]:
    owners = _owners(principal)
    return (
        select(Account.id)
        .where(Account.owner_id.in_(owners))
        .union(
            select(AccountMember.account_id).where(AccountMember.user_id.in_(owners)),
            select(Deal.account_id).where(Deal.owner_id.in_(owners)),
        )
    )


def account_scope(principal: Principal) -> ColumnElement[bool]:
    if principal.visible_owner_ids is None:
        return true()
    return Account.id.in_(visible_account_ids(principal))


def contact_scope(principal: Principal) -> ColumnElement[bool]:
    if principal.visible_owner_ids is None:
        return true()
    return or_(
        Contact.owner_id.in_(_owners(principal)),
        Contact.account_id.in_(visible_account_ids(principal)),
    )


def lead_scope(principal: Principal) -> ColumnElement[bool]:
    if principal.visible_owner_ids is None:
        return true()
    return Lead.owner_id.in_(_owners(principal))


def activity_scope(principal: Principal) -> ColumnElement[bool]:
    """Own activities, plus those on a visible deal, or on a visible account when no deal is linked.

    ``deal_id + 0`` is the same value, but it keeps SQLite from answering the OR with a MULTI-INDEX OR
    plan (every visible row fetched by rowid, then sorted): the query's own filters (type, deal,
    account, date order) pick the index and each candidate is checked against the lists here, which
    the activity indexes carry (assistant/crm/models/activities.py). PostgreSQL hashes the subquery alike.
    """
    if principal.visible_owner_ids is None:
        return true()
    owners = _owners(principal)
    return or_(
        Activity.author_id.in_(owners),
        (Activity.deal_id + 0).in_(select(Deal.id).where(Deal.owner_id.in_(owners))),
        and_(Activity.deal_id.is_(None), Activity.account_id.in_(visible_account_ids(principal))),
        and_(Activity.lead_id.is_not(None), Activity.lead_id.in_(select(Lead.id).where(lead_scope(principal)))),
    )


def call_scope(principal: Principal) -> ColumnElement[bool]:
    if principal.visible_owner_ids is None:
        return true()
    return CallRecording.owner_id.in_(_owners(principal))


def user_scope(principal: Principal) -> ColumnElement[bool]:
    """Everyone sees themselves, their team and its manager; a manager their team; admins all."""
    if principal.visible_owner_ids is None:
        return true()
    conditions: list[ColumnElement[bool]] = [User.id.in_(_owners(principal))]
    if principal.team_id is not None:
        conditions.append(User.team_id == principal.team_id)
        conditions.append(User.id.in_(select(Team.manager_id).where(Team.id == principal.team_id)))
    return or_(*conditions)


SCOPES = {
    Deal: deal_scope,
    Account: account_scope,
    Contact: contact_scope,
    Lead: lead_scope,
    Activity: activity_scope,
    CallRecording: call_scope,
    User: user_scope,
}

KIND_NAMES = {
    Deal: "deal",
    Account: "account",
    Contact: "contact",
    Lead: "lead",
    Activity: "activity",
    CallRecording: "call",
    User: "user",
}


def scope_for(principal: Principal, model: type) -> ColumnElement[bool]:
    return SCOPES[model](principal)


def scoped_select(principal: Principal, model: type[T]) -> Select[tuple[T]]:
    return select(model).where(scope_for(principal, model))


def get_visible(session: Session, principal: Principal, model: type[T], record_id: int) -> T:
    """The record if this person may see it; NotFound otherwise (never a different error)."""
    row = session.scalars(scoped_select(principal, model).where(model.id == record_id)).first()  # type: ignore[attr-defined]
    if row is None:
        raise NotFound(KIND_NAMES[model], record_id)
    return row


def can_see(session: Session, principal: Principal, model: type, record_id: int) -> bool:
    query = select(model.id).where(scope_for(principal, model), model.id == record_id)  # type: ignore[attr-defined]
    return session.scalar(query) is not None


WRITE_RULES = {
    "account": "only its owner, the people on its account team, their manager or an admin may change an account",
    "contact": "only its owner, whoever may change its account, their manager or an admin may change a contact",
    "lead": "only its owner, their manager or an admin may change a lead",
    "deal": "only its owner, their manager or an admin may change a deal",
    "activity": "only its author, their manager or an admin may change an activity",
}
"""Who may change what: owners (and an account's team) for their records, managers for their team's, admins for all."""


def _account_team_ids(principal: Principal) -> Select[Any]:
    owners = _owners(principal)
    return (
        select(Account.id)
        .where(Account.owner_id.in_(owners))
        .union(select(AccountMember.account_id).where(AccountMember.user_id.in_(owners)))
    )


def write_scope(principal: Principal, model: type) -> ColumnElement[bool]:
    """The records this person may change: a subset of what they see, never more."""
    if principal.visible_owner_ids is None:
        return true()
    owners = _owners(principal)
    if model is Account:
        return Account.id.in_(_account_team_ids(principal))
    if model is Contact:
        return or_(Contact.owner_id.in_(owners), Contact.account_id.in_(_account_team_ids(principal)))
    if model is Activity:
        return Activity.author_id.in_(owners)
    if model in (Lead, Deal):
        return model.owner_id.in_(owners)  # type: ignore[attr-defined]
    raise ValueError(f"no write rule for {model.__name__}")


def can_write(session: Session, principal: Principal, model: type, record_id: int) -> bool:
    query = select(model.id).where(write_scope(principal, model), model.id == record_id)  # type: ignore[attr-defined]
    return session.scalar(query) is not None


def get_writable(session: Session, principal: Principal, model: type[T], record_id: int) -> T:
    """The record if this person may change it: NotFound if they cannot see it, Forbidden if they may only read it."""
    record = get_visible(session, principal, model, record_id)
    if not can_write(session, principal, model, record_id):
        kind = KIND_NAMES[model]
        raise Forbidden(f"{kind} {record_id}: {WRITE_RULES[kind]}")
    return record


def check_reassign(session: Session, principal: Principal, kind: str, current_owner_id: int, new_owner_id: int) -> None:
    """May this person give a record they may change to ``new_owner_id``?

    Reps never reassign (not even to themselves); a manager moves records within their team; an admin
    to any active user. Keeping the current owner is not a reassignment.
    """
    if new_owner_id == current_owner_id:
        return
    if principal.role not in (Role.manager, Role.admin):
        raise Forbidden(f"owner_id: only a manager or an admin may reassign a {kind}")
    owner = session.get(User, new_owner_id)
    outside = principal.visible_owner_ids is not None and new_owner_id not in principal.visible_owner_ids
    if owner is None or outside:
        raise ValidationFailed("owner_id", f"user {new_owner_id} does not exist or is outside your team")
    if not owner.is_active:
        raise ValidationFailed("owner_id", f"user {new_owner_id} is deactivated")


def check_link(session: Session, principal: Principal, model: type, record_id: int | None, field: str) -> None:
    """May a record this person is writing point at ``record_id``? They must be able to see it; an
    account's parent they must also be able to change (the hierarchy is the parent's too)."""
    if record_id is None:
        return
    if not can_see(session, principal, model, record_id):
        raise ValidationFailed(field, f"{field.removesuffix('_id')} {record_id} does not exist")
    if field == "parent_id" and not can_write(session, principal, model, record_id):
        raise Forbidden(f"{field}: {WRITE_RULES[KIND_NAMES[model]]}, and so may attach accounts under it")
