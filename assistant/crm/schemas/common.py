"""Shared shapes: pages, references to related records, bounded field types, the error body.

Input side: ids fit their INTEGER columns, amounts are finite and fit ``Numeric(14, 2)``, text is
valid Unicode without NUL characters, request bodies refuse fields they do not know. Output side:
timestamps carry their offset (the database stores naive UTC), and a related record outside the
reader's scope can be shown by its id alone (assistant.crm.services.references decides which).
"""

import re
from datetime import UTC, date, datetime
from typing import Annotated, Any, Generic, Self, TypeVar

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    EmailStr,
    Field,
    PlainSerializer,
    SerializerFunctionWrapHandler,
    WithJsonSchema,
    model_serializer,
    model_validator,
)

T = TypeVar("T")

INT64_MAX = 2**63 - 1
INT32_MAX = 2**31 - 1
ID_MAX = INT32_MAX
"""record ids are INTEGER columns: 32-bit on PostgreSQL, so no record has a larger id"""
MONEY_LIMIT = 1e12
"""amounts are stored as Numeric(14, 2): anything from 1e12 up does not fit"""
SEARCH_MAX_CHARS = 200
NAME_MAX_CHARS = 200
LABEL_MAX_CHARS = 100
NOTE_MAX_CHARS = 20_000
BODY_MAX_CHARS = 200_000
"""an activity body can hold a long call transcript"""

PHONE_PATTERN = re.compile(r"^\+?[0-9 ().\-]{6,25}(\s*(x|ext\.?)\s*\d{1,6})?$", re.IGNORECASE)
UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def _check_phone(value: str | None) -> str | None:
    if value is None or value == "":
        return None
    digits = re.sub(r"\D", "", value.split("x")[0].split("ext")[0])
    if not PHONE_PATTERN.match(value.strip()) or not 7 <= len(digits) <= 15:
        raise ValueError("must be a phone number of 7 to 15 digits, e.g. +1 415 555 0100")
    return value.strip()


def _naive_utc(value: datetime) -> datetime:
    return value if value.tzinfo is None else value.astimezone(UTC).replace(tzinfo=None)


def _iso_utc(value: datetime) -> str:
    aware = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    return aware.isoformat()


Phone = Annotated[str | None, AfterValidator(_check_phone)]
Email = EmailStr
RecordId = Annotated[int, Field(ge=1, le=ID_MAX, description="a record id")]
Count = Annotated[int, Field(ge=0, le=INT32_MAX)]
Money = Annotated[
    float, Field(ge=0, lt=MONEY_LIMIT, allow_inf_nan=False, description="non-negative amount below 10^12")
]
AmountBound = Annotated[float, Field(allow_inf_nan=False, description="a finite amount")]
Currency = Annotated[str, Field(pattern=r"^[A-Z]{3}$", description="ISO 4217 code, e.g. USD")]
SearchText = Annotated[str, Field(max_length=SEARCH_MAX_CHARS, description="words to look for")]
Label = Annotated[str, Field(max_length=LABEL_MAX_CHARS)]
Moment = Annotated[datetime, AfterValidator(_naive_utc)]
"""A timestamp given to the API: with an offset it is converted to UTC, without one it is taken as UTC."""
Timestamp = Annotated[
    datetime,
    PlainSerializer(_iso_utc, return_type=str, when_used="json"),
    WithJsonSchema({"type": "string", "format": "date-time"}),
]
"""A stored (naive UTC) timestamp as the API shows it: ISO 8601 with ``+00:00``."""


def _unstorable_text(value: object, path: str) -> str | None:
    """The path of the first string under ``value`` the database could not store, if any."""
    if isinstance(value, str):
        return path if UNSTORABLE.search(value) else None
    if isinstance(value, dict):
        items: Any = value.items()
    elif isinstance(value, list | tuple):
        items = enumerate(value)
    else:
        return None
    for key, item in items:
        found = _unstorable_text(item, f"{path}.{key}" if path else str(key))
        if found is not None:
            return found
    return None


class TextChecked(BaseModel):
    """Refuses text no database column can hold: lone surrogates (invalid Unicode) and NUL characters."""

    @model_validator(mode="before")
    @classmethod
    def _storable_text(cls, data: Any) -> Any:
        if isinstance(data, BaseModel):
            return data
        found = _unstorable_text(data, "")
        if found is not None:
            raise ValueError(f"{found or 'text'}: is not valid Unicode text (a lone surrogate or a NUL character)")
        return data


class Input(TextChecked):
    """Base of every request body: fields it does not know are refused rather than silently dropped."""

    model_config = ConfigDict(extra="forbid")


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


class RecordLink(Public):
    """A related record: its id, and its name only when the reader may open it.

    ``hidden()`` is the same reference reduced to ``{"id": ...}``; the serializer keeps it that way
    (it has no return annotation so the JSON schema stays the model's own).
    """

    id: int
    name: str | None = Field(default=None, description="absent when the record is outside your scope")

    @model_serializer(mode="wrap")
    def _id_only_when_hidden(self, handler: SerializerFunctionWrapHandler):  # noqa: ANN202
        return {"id": self.id} if self.name is None else handler(self)

    def hidden(self) -> Self:
        return type(self).model_construct(id=self.id)


class AccountRef(RecordLink):
    pass


class ContactRef(RecordLink):
    email: str | None = None
    title: str | None = None
    phone: str | None = None


class DealRef(RecordLink):
    pass


class LeadRef(RecordLink):
    pass


class StageRef(Public):
    id: int
    name: str
    probability: int
    is_closed: bool
    is_won: bool


class PipelineRef(Public):
    id: int
    name: str


class Stamped(Public):
    created_at: Timestamp | None = None
    updated_at: Timestamp | None = None


class DateRange(BaseModel):
    start: date | None = None
    end: date | None = None


class ErrorItem(BaseModel):
    loc: list[str | int] = Field(description="where the problem is, e.g. ['body', 'amount']")
    msg: str
    type: str


class ErrorPublic(BaseModel):
    """Every 4xx answer: a sentence, or one item per field that was wrong."""

    detail: str | list[ErrorItem]
