"""Row-level access rules, in one place, for REST routes, tools, search and analytics alike.

A rep sees the records they own and the accounts they are on; a manager sees their team's;
an admin sees everything. A record outside someone's scope does not exist for them.
"""

from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Select, and_, or_, select, true
from sqlalchemy.orm import Session

from assistant.crm.errors import NotFound
from assistant.crm.models import (
    Account,
    AccountMember,
    Activity,
    CallRecording,
    Contact,
    Deal,
    Lead,
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
