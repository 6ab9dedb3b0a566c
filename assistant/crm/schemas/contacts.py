from pydantic import BaseModel, Field

from assistant.crm.schemas.common import AccountRef, Email, Phone, Stamped, UserRef


class ContactCreate(BaseModel):
    first_name: str = Field(default="", max_length=100)
    last_name: str = Field(min_length=1, max_length=100)
    account_id: int | None = None
    title: str | None = Field(default=None, max_length=200)
    email: Email | None = None
    phone: Phone = None
    owner_id: int | None = None


class ContactUpdate(BaseModel):
    first_name: str | None = Field(default=None, max_length=100)
    last_name: str | None = Field(default=None, min_length=1, max_length=100)
    account_id: int | None = None
    title: str | None = None
    email: Email | None = None
    phone: Phone = None
    owner_id: int | None = None


class ContactPublic(Stamped):
    id: int
    name: str
    first_name: str
    last_name: str
    title: str | None
    email: str | None
    phone: str | None
    account: AccountRef | None
    owner: UserRef
