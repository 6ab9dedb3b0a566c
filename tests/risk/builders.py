"""Deals with known risk signals, inserted straight into the demo database."""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from assistant.crm.models import (
    Account,
    Activity,
    AuditEntry,
    CallRecording,
    Contact,
    Deal,
    DealStageHistory,
    Stage,
    User,
)
from tests.support import NOW


def user_id(session: Session, email: str) -> int:
    return session.scalars(select(User.id).where(User.email == email)).one()


def stage(session: Session, name: str) -> Stage:
    return session.scalars(select(Stage).where(Stage.name == name)).first()  # type: ignore[return-value]


def days_ago(days: float) -> datetime:
    return NOW - timedelta(days=days)


@dataclass
class BuiltDeal:
    deal: Deal
    contacts: list[Contact]
    ids: dict[str, list[int]] = field(default_factory=dict)


def new_deal(
    session: Session,
    owner_email: str,
    *,
    name: str,
    stage_name: str = "Proposal",
    created_days_ago: int = 40,
    stage_entered_days_ago: int = 10,
    close_in_days: int = 30,
    amount: float = 30000,
    next_step: str | None = "Send proposal",
    lead_source: str | None = None,
    titles: tuple[str, ...] = ("CEO", "IT Manager", "Head of Procurement"),
) -> BuiltDeal:
    owner = user_id(session, owner_email)
    account = Account(name=f"{name} Inc", owner_id=owner, created_at=days_ago(400))
    session.add(account)
    session.flush()
    contacts = [
        Contact(account_id=account.id, first_name=f"Person{i}", last_name=name.split()[0], title=title, owner_id=owner)
        for i, title in enumerate(titles)
    ]
    session.add_all(contacts)
    target = stage(session, stage_name)
    deal = Deal(
        name=name,
        account_id=account.id,
        owner_id=owner,
        pipeline_id=target.pipeline_id,
        stage_id=target.id,
        amount=amount,
        close_date=NOW.date() + timedelta(days=close_in_days),
        next_step=next_step,
        lead_source=lead_source,
        created_at=days_ago(created_days_ago),
        closed_at=NOW - timedelta(days=3) if target.is_closed else None,
    )
    session.add(deal)
    session.flush()
    session.add(
        DealStageHistory(deal_id=deal.id, to_stage_id=stage(session, "Prospecting").id, changed_at=deal.created_at)
    )
    entered = DealStageHistory(deal_id=deal.id, to_stage_id=target.id, changed_at=days_ago(stage_entered_days_ago))
    session.add(entered)
    session.flush()
    return BuiltDeal(deal, contacts, {"stage_change": [entered.id]})


def touch(
    session: Session,
    built: BuiltDeal,
    days: float,
    contact: Contact | None = None,
    body: str = "Good call.",
    kind="call",
) -> Activity:
    activity = Activity(
        type=kind,
        subject=f"{kind.title()} on {built.deal.name}",
        body=body,
        occurred_at=days_ago(days),
        account_id=built.deal.account_id,
        contact_id=(contact or built.contacts[0]).id,
        deal_id=built.deal.id,
        author_id=built.deal.owner_id,
    )
    session.add(activity)
    session.flush()
    return activity


def task(session: Session, built: BuiltDeal, due: date, status: str = "open") -> Activity:
    activity = Activity(
        type="task",
        subject="Send the security questionnaire",
        occurred_at=days_ago(20),
        due_date=due,
        status=status,
        account_id=built.deal.account_id,
        deal_id=built.deal.id,
        author_id=built.deal.owner_id,
    )
    session.add(activity)
    session.flush()
    return activity


def change(session: Session, built: BuiltDeal, days: float, **changes: list[object]) -> AuditEntry:
    entry = AuditEntry(
        actor_id=built.deal.owner_id,
        channel="web",
        action="update",
        entity_type="deal",
        entity_id=built.deal.id,
        changes=changes,
        at=days_ago(days),
    )
    session.add(entry)
    session.flush()
    return entry


def call_summary(session: Session, built: BuiltDeal, days: float, summary: dict[str, object]) -> CallRecording:
    call = CallRecording(
        owner_id=built.deal.owner_id,
        deal_id=built.deal.id,
        account_id=built.deal.account_id,
        audio_path="/tmp/none.wav",
        filename="discovery-call.wav",
        status="done",
        summary=summary,
        created_at=days_ago(days),
    )
    session.add(call)
    session.flush()
    return call
