from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, Field

from assistant.crm.models import ActivityType
from assistant.crm.schemas.common import AccountRef, ContactRef, DealRef, LeadRef, Stamped, UserRef

TaskStatus = Literal["open", "done"]


class ActivityCreate(BaseModel):
    type: ActivityType
    subject: str = Field(min_length=1, max_length=300)
    body: str | None = None
    occurred_at: datetime | None = Field(default=None, description="now if unset")
    due_date: date | None = None
    status: TaskStatus | None = None
    account_id: int | None = None
    contact_id: int | None = None
    deal_id: int | None = None
    lead_id: int | None = None


class ActivityUpdate(BaseModel):
    subject: str | None = Field(default=None, min_length=1, max_length=300)
    body: str | None = None
    occurred_at: datetime | None = None
    due_date: date | None = None
    status: TaskStatus | None = None


class ActivityPublic(Stamped):
    id: int
    type: ActivityType
    subject: str
    body: str | None
    occurred_at: datetime
    due_date: date | None
    status: str | None
    account: AccountRef | None
    contact: ContactRef | None
    deal: DealRef | None
    lead: LeadRef | None
    author: UserRef
