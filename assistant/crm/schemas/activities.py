from datetime import date
from typing import Literal

from pydantic import Field

from assistant.crm.models import ActivityType
from assistant.crm.schemas.common import (
    BODY_MAX_CHARS,
    AccountRef,
    ContactRef,
    DealRef,
    Input,
    LeadRef,
    Moment,
    RecordId,
    Stamped,
    Timestamp,
    UserRef,
)

TaskStatus = Literal["open", "done"]
SUBJECT_MAX_CHARS = 300


class ActivityCreate(Input):
    type: ActivityType
    subject: str = Field(min_length=1, max_length=SUBJECT_MAX_CHARS)
    body: str | None = Field(default=None, max_length=BODY_MAX_CHARS)
    occurred_at: Moment | None = Field(default=None, description="now if unset; UTC unless an offset is given")
    due_date: date | None = None
    status: TaskStatus | None = None
    account_id: RecordId | None = None
    contact_id: RecordId | None = None
    deal_id: RecordId | None = None
    lead_id: RecordId | None = None


class ActivityUpdate(Input):
    """Only the fields sent change; a field that cannot be empty cannot be sent as null. The links
    (account, contact, deal, lead) can be changed, the author cannot."""

    subject: str = Field(default=None, min_length=1, max_length=SUBJECT_MAX_CHARS)
    body: str | None = Field(default=None, max_length=BODY_MAX_CHARS)
    occurred_at: Moment = Field(default=None, description="UTC unless an offset is given")
    due_date: date | None = None
    status: TaskStatus | None = None
    account_id: RecordId | None = None
    contact_id: RecordId | None = None
    deal_id: RecordId | None = None
    lead_id: RecordId | None = None


class ActivityPublic(Stamped):
    id: int
    type: ActivityType
    subject: str
    body: str | None
    occurred_at: Timestamp
    due_date: date | None
    status: str | None
    account: AccountRef | None
    contact: ContactRef | None
    deal: DealRef | None
    lead: LeadRef | None
    author: UserRef
