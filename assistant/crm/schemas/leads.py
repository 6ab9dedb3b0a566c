from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from assistant.crm.schemas.common import Email, Phone, Stamped, UserRef

LeadStatus = Literal["new", "working", "qualified", "unqualified", "converted"]


class LeadCreate(BaseModel):
    first_name: str = Field(default="", max_length=100)
    last_name: str = Field(min_length=1, max_length=100)
    company: str | None = None
    title: str | None = None
    email: Email | None = None
    phone: Phone = None
    source: str | None = None
    status: LeadStatus = "new"
    score: int = Field(default=0, ge=0, le=100)
    notes: str | None = None
    owner_id: int | None = None


class LeadUpdate(BaseModel):
    first_name: str | None = None
    last_name: str | None = Field(default=None, min_length=1)
    company: str | None = None
    title: str | None = None
    email: Email | None = None
    phone: Phone = None
    source: str | None = None
    status: LeadStatus | None = None
    score: int | None = Field(default=None, ge=0, le=100)
    notes: str | None = None
    owner_id: int | None = None


class LeadConvert(BaseModel):
    account_id: int | None = Field(default=None, description="existing account; a new one from the company if unset")
    deal_name: str | None = Field(default=None, description="create a deal with this name")
    amount: float | None = Field(default=None, ge=0)
    close_date: str | None = None


class LeadPublic(Stamped):
    id: int
    name: str
    first_name: str
    last_name: str
    company: str | None
    title: str | None
    email: str | None
    phone: str | None
    source: str | None
    status: str
    score: int
    owner: UserRef
    converted_at: datetime | None
    converted_account_id: int | None
    converted_contact_id: int | None
    converted_deal_id: int | None
