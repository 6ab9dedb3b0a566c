"""CRUD routes for accounts, contacts, leads, deals and activities: reads through the access rules,
writes through the narrower write rules, related records outside the reader's scope shown by id only."""

from typing import Annotated, TypeVar

from fastapi import APIRouter, Path, Query
from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session

from adapters.web.api.paging import Paging, page_of
from adapters.web.context import Context, CurrentPrincipal, DbSession
from assistant.crm.access import get_visible
from assistant.crm.models import Account, Activity, Contact, Deal, Lead, Pipeline
from assistant.crm.principal import Principal
from assistant.crm.schemas.accounts import AccountCreate, AccountPublic, AccountUpdate
from assistant.crm.schemas.activities import ActivityCreate, ActivityPublic, ActivityUpdate
from assistant.crm.schemas.common import ID_MAX, Page
from assistant.crm.schemas.contacts import ContactCreate, ContactPublic, ContactUpdate
from assistant.crm.schemas.deals import DealCreate, DealPublic, DealUpdate, PipelinePublic, StageChangePublic
from assistant.crm.schemas.leads import LeadConvert, LeadCreate, LeadPublic, LeadUpdate
from assistant.crm.services import accounts, activities, deals, leads
from assistant.crm.services.references import hide_out_of_scope

router = APIRouter(prefix="/api")
P = TypeVar("P", bound=BaseModel)
RecordPath = Annotated[int, Path(ge=1, le=ID_MAX, description="the record's id")]


def _shown(db: Session, principal: Principal, public: type[P], record: object) -> P:
    return hide_out_of_scope(db, principal, public.model_validate(record))


@router.get("/accounts", tags=["accounts"])
def list_accounts(
    db: DbSession, principal: CurrentPrincipal, paging: Paging, filters: Annotated[accounts.AccountFilters, Query()]
) -> Page[AccountPublic]:
    return page_of(db, accounts.account_query(principal, filters), paging, AccountPublic, principal)


@router.get("/accounts/{account_id}", tags=["accounts"])
def get_account(account_id: RecordPath, db: DbSession, principal: CurrentPrincipal) -> AccountPublic:
    return _shown(db, principal, AccountPublic, get_visible(db, principal, Account, account_id))


@router.post("/accounts", status_code=201, tags=["accounts"])
def create_account(data: AccountCreate, db: DbSession, principal: CurrentPrincipal) -> AccountPublic:
    return _shown(db, principal, AccountPublic, accounts.create_account(db, principal, data))


@router.patch("/accounts/{account_id}", tags=["accounts"])
def update_account(
    account_id: RecordPath, data: AccountUpdate, db: DbSession, principal: CurrentPrincipal
) -> AccountPublic:
    return _shown(db, principal, AccountPublic, accounts.update_account(db, principal, account_id, data))


@router.get("/contacts", tags=["contacts"])
def list_contacts(
    db: DbSession, principal: CurrentPrincipal, paging: Paging, filters: Annotated[accounts.ContactFilters, Query()]
) -> Page[ContactPublic]:
    return page_of(db, accounts.contact_query(principal, filters), paging, ContactPublic, principal)


@router.get("/contacts/{contact_id}", tags=["contacts"])
def get_contact(contact_id: RecordPath, db: DbSession, principal: CurrentPrincipal) -> ContactPublic:
    return _shown(db, principal, ContactPublic, get_visible(db, principal, Contact, contact_id))


@router.post("/contacts", status_code=201, tags=["contacts"])
def create_contact(data: ContactCreate, db: DbSession, principal: CurrentPrincipal) -> ContactPublic:
    return _shown(db, principal, ContactPublic, accounts.create_contact(db, principal, data))


@router.patch("/contacts/{contact_id}", tags=["contacts"])
def update_contact(
    contact_id: RecordPath, data: ContactUpdate, db: DbSession, principal: CurrentPrincipal
) -> ContactPublic:
    return _shown(db, principal, ContactPublic, accounts.update_contact(db, principal, contact_id, data))


@router.get("/leads", tags=["leads"])
def list_leads(
    db: DbSession, principal: CurrentPrincipal, paging: Paging, filters: Annotated[leads.LeadFilters, Query()]
) -> Page[LeadPublic]:
    return page_of(db, leads.lead_query(principal, filters), paging, LeadPublic, principal)


@router.get("/leads/{lead_id}", tags=["leads"])
def get_lead(lead_id: RecordPath, db: DbSession, principal: CurrentPrincipal) -> LeadPublic:
    return _shown(db, principal, LeadPublic, get_visible(db, principal, Lead, lead_id))


@router.post("/leads", status_code=201, tags=["leads"])
def create_lead(data: LeadCreate, db: DbSession, principal: CurrentPrincipal) -> LeadPublic:
    return _shown(db, principal, LeadPublic, leads.create_lead(db, principal, data))


@router.patch("/leads/{lead_id}", tags=["leads"])
def update_lead(lead_id: RecordPath, data: LeadUpdate, db: DbSession, principal: CurrentPrincipal) -> LeadPublic:
    return _shown(db, principal, LeadPublic, leads.update_lead(db, principal, lead_id, data))


@router.post("/leads/{lead_id}/convert", tags=["leads"])
def convert_lead(
    lead_id: RecordPath, data: LeadConvert, db: DbSession, principal: CurrentPrincipal, context: Context
) -> LeadPublic:
    converted = leads.convert_lead(db, principal, lead_id, data, context.clock.now())
    return _shown(db, principal, LeadPublic, converted)


@router.get("/pipelines", tags=["deals"])
def list_pipelines(db: DbSession, principal: CurrentPrincipal) -> list[PipelinePublic]:
    return [PipelinePublic.model_validate(p) for p in db.scalars(select(Pipeline).order_by(Pipeline.id))]


@router.get("/deals", tags=["deals"])
def list_deals(
    db: DbSession, principal: CurrentPrincipal, paging: Paging, filters: Annotated[deals.DealFilters, Query()]
) -> Page[DealPublic]:
    return page_of(db, deals.deal_query(principal, filters), paging, DealPublic, principal)


@router.get("/deals/{deal_id}", tags=["deals"])
def get_deal(deal_id: RecordPath, db: DbSession, principal: CurrentPrincipal) -> DealPublic:
    return _shown(db, principal, DealPublic, get_visible(db, principal, Deal, deal_id))


@router.get("/deals/{deal_id}/history", tags=["deals"])
def deal_history(deal_id: RecordPath, db: DbSession, principal: CurrentPrincipal) -> list[StageChangePublic]:
    return [StageChangePublic.model_validate(row) for row in deals.stage_history(db, principal, deal_id)]


@router.post("/deals", status_code=201, tags=["deals"])
def create_deal(data: DealCreate, db: DbSession, principal: CurrentPrincipal, context: Context) -> DealPublic:
    return _shown(db, principal, DealPublic, deals.create_deal(db, principal, data, context.clock.now()))


@router.patch("/deals/{deal_id}", tags=["deals"])
def update_deal(
    deal_id: RecordPath, data: DealUpdate, db: DbSession, principal: CurrentPrincipal, context: Context
) -> DealPublic:
    deal, _ = deals.update_deal(db, principal, deal_id, data, context.clock.now())
    db.refresh(deal)
    return _shown(db, principal, DealPublic, deal)


@router.get("/activities", tags=["activities"])
def list_activities(
    db: DbSession, principal: CurrentPrincipal, paging: Paging, filters: Annotated[activities.ActivityFilters, Query()]
) -> Page[ActivityPublic]:
    return page_of(db, activities.activity_query(principal, filters), paging, ActivityPublic, principal)


@router.get("/activities/{activity_id}", tags=["activities"])
def get_activity(activity_id: RecordPath, db: DbSession, principal: CurrentPrincipal) -> ActivityPublic:
    return _shown(db, principal, ActivityPublic, get_visible(db, principal, Activity, activity_id))


@router.post("/activities", status_code=201, tags=["activities"])
def create_activity(
    data: ActivityCreate, db: DbSession, principal: CurrentPrincipal, context: Context
) -> ActivityPublic:
    created = activities.create_activity(db, principal, data, context.clock.now())
    return _shown(db, principal, ActivityPublic, created)


@router.patch("/activities/{activity_id}", tags=["activities"])
def update_activity(
    activity_id: RecordPath, data: ActivityUpdate, db: DbSession, principal: CurrentPrincipal
) -> ActivityPublic:
    return _shown(db, principal, ActivityPublic, activities.update_activity(db, principal, activity_id, data))
