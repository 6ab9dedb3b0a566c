"""Shared shapes: pages, references to related records, validated field types."""

import re
from datetime import date, datetime
from typing import Annotated, Generic, TypeVar

from pydantic import AfterValidator, BaseModel, ConfigDict, EmailStr, Field

T = TypeVar("T")

PHONE_PATTERN = re.compile(r"^\+?[0-9 ().\-]{6,25}(\s*(x|ext\.?)\s*\d{1,6})?$", re.IGNORECASE)


def _check_phone(value: str | None) -> str | None:
    if value is None or value == "":
        return None
    digits = re.sub(r"\D", "", value.split("x")[0].split("ext")[0])
    if not PHONE_PATTERN.match(value.strip()) or not 7 <= len(digits) <= 15:
        raise ValueError("must be a phone number of 7 to 15 digits, e.g. +1 415 555 0100")
    return value.strip()


Phone = Annotated[str | None, AfterValidator(_check_phone)]
Email = EmailStr
Money = Annotated[float, Field(ge=0, description="non-negative amount")]
Currency = Annotated[str, Field(pattern=r"^[A-Z]{3}$", description="ISO 4217 code, e.g. USD")]


class Public(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class Page(BaseModel, Generic[T]):
    items: list[T]
    total: int
    page: int
    page_size: int


class UserRef(Public):
    id: int
    email: str
    name: str


class TeamRef(Public):
    id: int
    name: str


class AccountRef(Public):
    id: int
    name: str


class ContactRef(Public):
    id: int
    name: str
    email: str | None = None


class StageRef(Public):
    id: int
    name: str
    probability: int
    is_closed: bool
    is_won: bool


class PipelineRef(Public):
    id: int
    name: str


class DealRef(Public):
    id: int
    name: str


class LeadRef(Public):
    id: int
    name: str


class Stamped(Public):
    created_at: datetime | None = None
    updated_at: datetime | None = None


class DateRange(BaseModel):
    start: date | None = None
    end: date | None = None
