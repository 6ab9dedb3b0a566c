from pydantic import Field

from assistant.crm.schemas.common import (
    INT32_MAX,
    LABEL_MAX_CHARS,
    NAME_MAX_CHARS,
    AccountRef,
    Input,
    RecordId,
    Stamped,
    UserRef,
)


class AccountCreate(Input):
    name: str = Field(min_length=1, max_length=NAME_MAX_CHARS)
    domain: str | None = Field(default=None, max_length=200)
    industry: str | None = Field(default=None, max_length=LABEL_MAX_CHARS)
    region: str | None = Field(default=None, max_length=LABEL_MAX_CHARS)
    employees: int | None = Field(default=None, ge=0, le=INT32_MAX)
    parent_id: RecordId | None = None
    owner_id: RecordId | None = Field(default=None, description="yourself if unset")


class AccountUpdate(Input):
    """Only the fields sent change; a field that cannot be empty cannot be sent as null."""

    name: str = Field(default=None, min_length=1, max_length=NAME_MAX_CHARS)
    domain: str | None = Field(default=None, max_length=200)
    industry: str | None = Field(default=None, max_length=LABEL_MAX_CHARS)
    region: str | None = Field(default=None, max_length=LABEL_MAX_CHARS)
    employees: int | None = Field(default=None, ge=0, le=INT32_MAX)
    parent_id: RecordId | None = None
    owner_id: RecordId = Field(default=None, description="reassign: managers within their team, admins")


class AccountPublic(Stamped):
    id: int
    name: str
    domain: str | None
    industry: str | None
    region: str | None
    employees: int | None
    parent: AccountRef | None
    owner: UserRef
