from pydantic import Field

from assistant.crm.schemas.common import AccountRef, Email, Input, Phone, RecordId, Stamped, UserRef


class ContactCreate(Input):
    first_name: str = Field(default="", max_length=100)
    last_name: str = Field(min_length=1, max_length=100)
    account_id: RecordId | None = None
    title: str | None = Field(default=None, max_length=200)
    email: Email | None = None
    phone: Phone = None
    owner_id: RecordId | None = Field(default=None, description="yourself if unset")


class ContactUpdate(Input):
    """Only the fields sent change; a field that cannot be empty cannot be sent as null."""

    first_name: str = Field(default=None, max_length=100)
    last_name: str = Field(default=None, min_length=1, max_length=100)
    account_id: RecordId | None = None
    title: str | None = Field(default=None, max_length=200)
    email: Email | None = None
    phone: Phone = None
    owner_id: RecordId = Field(default=None, description="reassign: managers within their team, admins")


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
