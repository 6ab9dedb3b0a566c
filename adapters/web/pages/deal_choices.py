"""The open deals a person may attach a recording to: the choices of the chat page's deal chooser."""

from dataclasses import dataclass

from sqlalchemy import case
from sqlalchemy.orm import Session

from assistant.crm.access import scoped_select
from assistant.crm.models import Deal, Stage
from assistant.crm.principal import Principal

MAX_CHOICES = 300
"""Enough for a rep's or a team's open deals; past this, naming the deal in the recording still works."""


@dataclass(frozen=True)
class DealChoice:
    id: int
    label: str
    """Deal name, account and owner, as shown in the chooser"""
    mine: bool


def open_deal_choices(db: Session, principal: Principal, limit: int = MAX_CHOICES) -> list[DealChoice]:
    """Open deals this person may see, their own first, then by close date."""
    own_first = case((Deal.owner_id == principal.user_id, 0), else_=1)
    query = (
        scoped_select(principal, Deal)
        .join(Stage, Stage.id == Deal.stage_id)
        .where(Stage.is_closed.is_(False))
        .order_by(own_first, Deal.close_date.is_(None), Deal.close_date, Deal.name, Deal.id)
        .limit(limit)
    )
    choices = []
    for deal in db.scalars(query).unique():
        mine = deal.owner_id == principal.user_id
        owner = "" if mine else f" · {deal.owner.name}"
        choices.append(DealChoice(id=deal.id, label=f"{deal.name} ({deal.account.name}{owner})", mine=mine))
    return choices


def is_open_visible_deal(db: Session, principal: Principal, deal_id: int) -> bool:
    query = (
        scoped_select(principal, Deal)
        .join(Stage, Stage.id == Deal.stage_id)
        .where(Deal.id == deal_id, Stage.is_closed.is_(False))
    )
    return db.scalars(query).first() is not None
