from datetime import date
from typing import Literal

from pydantic import Field

from assistant.crm.schemas.common import (
    NAME_MAX_CHARS,
    NOTE_MAX_CHARS,
    Email,
    Input,
    Money,
    Phone,
    RecordId,
    Stamped,
    Timestamp,
    UserRef,
)

LeadStatus = Literal["new", "working", "qualified", "unqualified", "converted"]
SOURCE_MAX_CHARS = 60


class LeadCreate(Input):
    first_name: str = Field(default="", max_length=100)
    last_name: str = Field(min_length=1, max_length=100)
    company: str | None = Field(default=None, max_length=NAME_MAX_CHARS)
    title: str | None = Field(default=None, max_length=200)
    email: Email | None = None
    phone: Phone = None
    source: str | None = Field(default=None, max_length=SOURCE_MAX_CHARS)
    status: LeadStatus = "new"
    score: int = Field(default=0, ge=0, le=100)
    notes: str | None = Field(default=None, max_length=NOTE_MAX_CHARS)
    owner_id: RecordId | None = Field(default=None, description="yourself if unset")


class LeadUpdate(Input):
    """Only the fields sent change; a field that cannot be empty cannot be sent as null."""

    first_name: str = Field(default=None, max_length=100)
    last_name: str = Field(default=None, min_length=1, max_length=100)
    company: str | None = Field(default=None, max_length=NAME_MAX_CHARS)
    title: str | None = Field(default=None, max_length=200)
    email: Email | None = None
    phone: Phone = None
    source: str | None = Field(default=None, max_length=SOURCE_MAX_CHARS)
    status: LeadStatus = Field(default=None)
    score: int = Field(default=None, ge=0, le=100)
    notes: str | None = Field(default=None, max_length=NOTE_MAX_CHARS)
    owner_id: RecordId = Field(default=None, description="reassign: managers within their team, admins")


class LeadConvert(Input):
    account_id: RecordId | None = Field(
        default=None, description="existing account; a new one from the company if unset"
    )
    deal_name: str | None = Field(
        default=None, min_length=1, max_length=NAME_MAX_CHARS, description="create a deal with this name"
    )
    amount: Money | None = None
    close_date: date | None = None


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
    converted_at: Timestamp | None
    converted_account_id: int | None
    converted_contact_id: int | None
    converted_deal_id: int | None
