from datetime import date

from pydantic import Field

from assistant.crm.schemas.common import (
    NAME_MAX_CHARS,
    AccountRef,
    ContactRef,
    Currency,
    Input,
    Money,
    PipelineRef,
    Public,
    RecordId,
    StageRef,
    Stamped,
    Timestamp,
    UserRef,
)

NEXT_STEP_MAX_CHARS = 2000
SOURCE_MAX_CHARS = 60


class DealCreate(Input):
    name: str = Field(min_length=1, max_length=NAME_MAX_CHARS)
    account_id: RecordId
    primary_contact_id: RecordId | None = None
    owner_id: RecordId | None = Field(default=None, description="yourself if unset")
    pipeline_id: RecordId | None = Field(default=None, description="the default pipeline if unset")
    stage_id: RecordId | None = Field(default=None, description="the pipeline's first stage if unset")
    amount: Money = 0
    currency: Currency = "USD"
    close_date: date | None = None
    next_step: str | None = Field(default=None, max_length=NEXT_STEP_MAX_CHARS)
    lead_source: str | None = Field(default=None, max_length=SOURCE_MAX_CHARS)


class DealUpdate(Input):
    """Only the fields sent change; a field that cannot be empty cannot be sent as null."""

    name: str = Field(default=None, min_length=1, max_length=NAME_MAX_CHARS)
    account_id: RecordId = Field(default=None)
    primary_contact_id: RecordId | None = None
    owner_id: RecordId = Field(default=None, description="reassign: managers within their team, admins")
    stage_id: RecordId = Field(default=None)
    amount: Money = Field(default=None)
    currency: Currency = Field(default=None)
    close_date: date | None = None
    next_step: str | None = Field(default=None, max_length=NEXT_STEP_MAX_CHARS)
    lead_source: str | None = Field(default=None, max_length=SOURCE_MAX_CHARS)


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
    closed_at: Timestamp | None


class StageChangePublic(Public):
    id: int
    deal_id: int
    from_stage: StageRef | None
    to_stage: StageRef
    changed_by: UserRef | None
    changed_at: Timestamp


class PipelinePublic(Public):
    id: int
    name: str
    is_default: bool
    stages: list[StageRef]
