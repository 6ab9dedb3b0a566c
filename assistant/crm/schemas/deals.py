from datetime import date, datetime

from pydantic import BaseModel, Field

from assistant.crm.schemas.common import (
    AccountRef,
    ContactRef,
    Currency,
    Money,
    PipelineRef,
    Public,
    StageRef,
    Stamped,
    UserRef,
)


class DealCreate(BaseModel):
    name: str = Field(min_length=1, max_length=200)
    account_id: int
    primary_contact_id: int | None = None
    owner_id: int | None = None
    pipeline_id: int | None = Field(default=None, description="the default pipeline if unset")
    stage_id: int | None = Field(default=None, description="the pipeline's first stage if unset")
    amount: Money = 0
    currency: Currency = "USD"
    close_date: date | None = None
    next_step: str | None = None
    lead_source: str | None = None


class DealUpdate(BaseModel):
    name: str | None = Field(default=None, min_length=1, max_length=200)
    account_id: int | None = None
    primary_contact_id: int | None = None
    owner_id: int | None = None
    stage_id: int | None = None
    amount: Money | None = None
    currency: Currency | None = None
    close_date: date | None = None
    next_step: str | None = None
    lead_source: str | None = None


class DealPublic(Stamped):
    id: int
    name: str
    account: AccountRef
    primary_contact: ContactRef | None
    owner: UserRef
    pipeline: PipelineRef
    stage: StageRef
    amount: float
    currency: str
    close_date: date | None
    next_step: str | None
    lead_source: str | None
    closed_at: datetime | None


class StageChangePublic(Public):
    id: int
    deal_id: int
    from_stage: StageRef | None
    to_stage: StageRef
    changed_by: UserRef | None
    changed_at: datetime


class PipelinePublic(Public):
    id: int
    name: str
    is_default: bool
    stages: list[StageRef]
