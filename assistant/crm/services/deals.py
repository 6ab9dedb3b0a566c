"""Deals: validation against their pipeline, stage history, filters."""

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from assistant.crm import audit
from assistant.crm.access import KIND_NAMES, check_link, check_reassign, get_visible, get_writable, scoped_select
from assistant.crm.errors import ValidationFailed
from assistant.crm.models import Account, Contact, Deal, DealStageHistory, Pipeline, Stage, User
from assistant.crm.principal import Principal
from assistant.crm.schemas.common import AmountBound, Label, RecordId, SearchText, TextChecked
from assistant.crm.schemas.deals import DealCreate, DealUpdate
from assistant.crm.services.common import resolve_owner


class DealFilters(TextChecked):
    owner_id: RecordId | None = None
    team_id: RecordId | None = None
    stage: Label | None = None
    stage_id: RecordId | None = None
    status: Label | None = None
    """open, won, lost or closed"""
    account_id: RecordId | None = None
    amount_min: AmountBound | None = None
    amount_max: AmountBound | None = None
    close_from: date | None = None
    close_to: date | None = None
    q: SearchText | None = None


def deal_query(principal: Principal, filters: DealFilters) -> Select[tuple[Deal]]:
    query = scoped_select(principal, Deal)
    if filters.owner_id is not None:
        query = query.where(Deal.owner_id == filters.owner_id)
    if filters.team_id is not None:
        query = query.where(Deal.owner_id.in_(select(User.id).where(User.team_id == filters.team_id)))
    if filters.stage_id is not None:
        query = query.where(Deal.stage_id == filters.stage_id)
    if filters.stage:
        query = query.where(Deal.stage_id.in_(select(Stage.id).where(func.lower(Stage.name) == filters.stage.lower())))
    if filters.status:
        status_filter = {
            "open": Stage.is_closed.is_(False),
            "closed": Stage.is_closed.is_(True),
            "won": Stage.is_won.is_(True),
            "lost": Stage.is_closed.is_(True) & Stage.is_won.is_(False),
        }
        if filters.status not in status_filter:
            raise ValidationFailed("status", "must be one of open, won, lost, closed")
        query = query.where(Deal.stage_id.in_(select(Stage.id).where(status_filter[filters.status])))
    if filters.account_id is not None:
        query = query.where(Deal.account_id == filters.account_id)
    if filters.amount_min is not None:
        query = query.where(Deal.amount >= filters.amount_min)
    if filters.amount_max is not None:
        query = query.where(Deal.amount <= filters.amount_max)
    if filters.close_from is not None:
        query = query.where(Deal.close_date >= filters.close_from)
    if filters.close_to is not None:
        query = query.where(Deal.close_date <= filters.close_to)
    if filters.q:
        query = query.where(func.lower(Deal.name).like(f"%{filters.q.lower()}%"))
    return query.order_by(Deal.close_date, Deal.id)


def default_pipeline(session: Session) -> Pipeline:
    pipeline = session.scalars(select(Pipeline).order_by(Pipeline.is_default.desc(), Pipeline.id)).first()
    if pipeline is None:
        raise ValidationFailed("pipeline_id", "no pipeline exists yet")
    return pipeline


def _stage_in_pipeline(session: Session, pipeline_id: int, stage_id: int | None) -> Stage:
    if stage_id is None:
        stage = session.scalars(select(Stage).where(Stage.pipeline_id == pipeline_id).order_by(Stage.position)).first()
        if stage is None:
            raise ValidationFailed("stage_id", f"pipeline {pipeline_id} has no stages")
        return stage
    stage = session.get(Stage, stage_id)
    if stage is None:
        raise ValidationFailed("stage_id", f"stage {stage_id} does not exist")
    if stage.pipeline_id != pipeline_id:
        raise ValidationFailed("stage_id", f"stage {stage_id} belongs to another pipeline than the deal's")
    return stage


def _check_contact(session: Session, principal: Principal, contact_id: int | None, account_id: int) -> None:
    if contact_id is None:
        return
    check_link(session, principal, Contact, contact_id, "primary_contact_id")
    contact = session.get(Contact, contact_id)
    if contact is not None and contact.account_id not in (None, account_id):
        raise ValidationFailed("primary_contact_id", "the contact works for another account than the deal's")


def create_deal(session: Session, principal: Principal, data: DealCreate, now: datetime) -> Deal:
    check_link(session, principal, Account, data.account_id, "account_id")
    pipeline_id = data.pipeline_id or default_pipeline(session).id
    if session.get(Pipeline, pipeline_id) is None:
        raise ValidationFailed("pipeline_id", f"pipeline {pipeline_id} does not exist")
    stage = _stage_in_pipeline(session, pipeline_id, data.stage_id)
    if not stage.is_closed and data.close_date is None:
        raise ValidationFailed("close_date", "an open deal needs a close date")
    _check_contact(session, principal, data.primary_contact_id, data.account_id)
    values = data.model_dump()
    values.update(
        owner_id=resolve_owner(session, principal, data.owner_id),
        pipeline_id=pipeline_id,
        stage_id=stage.id,
        amount=Decimal(str(data.amount)),
        closed_at=now if stage.is_closed else None,
    )
    deal = Deal(**values)
    session.add(deal)
    session.flush()
    session.add(
        DealStageHistory(deal_id=deal.id, to_stage_id=stage.id, changed_by_id=principal.user_id, changed_at=now)
    )
    audit.record(session, principal, "create", "deal", deal.id, values)
    session.flush()
    return deal


def update_deal(
    session: Session, principal: Principal, deal_id: int, data: DealUpdate, now: datetime
) -> tuple[Deal, dict[str, tuple[object, object]]]:
    deal = get_writable(session, principal, Deal, deal_id)
    values = data.model_dump(exclude_unset=True)
    if "owner_id" in values:
        check_reassign(session, principal, KIND_NAMES[Deal], deal.owner_id, values["owner_id"])
    if "account_id" in values:
        check_link(session, principal, Account, values["account_id"], "account_id")
    stage = deal.stage
    if "stage_id" in values:
        stage = _stage_in_pipeline(session, deal.pipeline_id, values["stage_id"])
    close_date = values.get("close_date", deal.close_date)
    if not stage.is_closed and close_date is None:
        raise ValidationFailed("close_date", "an open deal needs a close date")
    account_id = values.get("account_id", deal.account_id)
    if "primary_contact_id" in values:
        _check_contact(session, principal, values["primary_contact_id"], account_id)
    elif deal.primary_contact is not None and deal.primary_contact.account_id not in (None, account_id):
        raise ValidationFailed("account_id", "the deal's primary contact works for another account")
    old_stage_id = deal.stage_id
    changes = audit.apply_fields(deal, values)
    if "stage_id" in changes:
        session.add(
            DealStageHistory(
                deal_id=deal.id,
                from_stage_id=old_stage_id,
                to_stage_id=stage.id,
                changed_by_id=principal.user_id,
                changed_at=now,
            )
        )
        deal.closed_at = now if stage.is_closed else None
    if changes:
        deal.updated_at = now
        session.flush()
        session.expire(deal, ["stage", "account", "owner", "primary_contact"])
        audit.record(session, principal, "update", "deal", deal.id, changes)
    return deal, changes


def stage_history(session: Session, principal: Principal, deal_id: int) -> list[DealStageHistory]:
    get_visible(session, principal, Deal, deal_id)
    query = select(DealStageHistory).where(DealStageHistory.deal_id == deal_id)
    return list(session.scalars(query.order_by(DealStageHistory.changed_at, DealStageHistory.id)).all())


def find_stage(session: Session, name: str, pipeline_id: int | None = None) -> Stage | None:
    query = select(Stage).where(func.lower(Stage.name) == name.lower())
    if pipeline_id is not None:
        query = query.where(Stage.pipeline_id == pipeline_id)
    return session.scalars(query.order_by(Stage.pipeline_id)).first()
