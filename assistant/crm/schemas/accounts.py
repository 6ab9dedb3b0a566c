from pydantic import BaseModel, Field

from assistant.crm.schemas.common import AccountRef, Stamped, UserRef


class AccountCreate(BaseModel):
    name: str = Field(min_length=1, max_length=200)
    domain: str | None = Field(default=None, max_length=200)
    industry: str | None = None
    region: str | None = None
    employees: int | None = Field(default=None, ge=0)
    parent_id: int | None = None
    owner_id: int | None = None


class AccountUpdate(BaseModel):
    name: str | None = Field(default=None, min_length=1, max_length=200)
    domain: str | None = None
    industry: str | None = None
    region: str | None = None
    employees: int | None = Field(default=None, ge=0)
    parent_id: int | None = None
    owner_id: int | None = None


class AccountPublic(Stamped):
    id: int
    name: str
    domain: str | None
    industry: str | None
    region: str | None
    employees: int | None
    parent: AccountRef | None
    owner: UserRef
