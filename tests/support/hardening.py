"""Records to write to in the hardening tests: one of each writable record per owner, and dates ahead of TODAY."""

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from assistant.crm.db import session_factory
from assistant.crm.models import Account, Activity, Contact, Deal, Lead, Pipeline, Stage, User
from assistant.crm.settings import Settings
from tests import support


@dataclass(frozen=True)
class Records:
    """One of each writable record, owned (or, for the activity, written) by one person."""

    owner_id: int
    account: int
    contact: int
    lead: int
    deal: int
    activity: int


def user_id(session: Session, email: str) -> int:
    return session.scalars(select(User.id).where(User.email == email)).one()


def make_records(settings: Settings, owner_email: str) -> Records:
    with session_factory(settings)() as session:
        owner = user_id(session, owner_email)
        pipeline = session.scalars(select(Pipeline).where(Pipeline.is_default.is_(True))).first()
        stage = session.scalars(
            select(Stage).where(Stage.pipeline_id == pipeline.id).order_by(Stage.position)  # type: ignore[union-attr]
        ).first()
        account = Account(name=f"Matrix account of {owner_email}", owner_id=owner)
        session.add(account)
        session.flush()
        contact = Contact(first_name="Pat", last_name="Matrix", account_id=account.id, owner_id=owner)
        lead = Lead(first_name="Lee", last_name="Matrix", company="Matrix Lead Co", owner_id=owner)
        session.add_all([contact, lead])
        session.flush()
        deal = Deal(
            name=f"Matrix deal of {owner_email}",
            account_id=account.id,
            owner_id=owner,
            pipeline_id=stage.pipeline_id,  # type: ignore[union-attr]
            stage_id=stage.id,  # type: ignore[union-attr]
            amount=Decimal(1000),
            close_date=support.TODAY + timedelta(days=30),
        )
        session.add(deal)
        session.flush()
        activity = Activity(
            type="note",
            subject="Matrix note",
            occurred_at=support.NOW,
            account_id=account.id,
            deal_id=deal.id,
            author_id=owner,
        )
        session.add(activity)
        session.commit()
        return Records(owner, account.id, contact.id, lead.id, deal.id, activity.id)


def later(days: int = 30) -> str:
    return (support.TODAY + timedelta(days=days)).isoformat()
