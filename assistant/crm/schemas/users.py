from pydantic import BaseModel, Field

from assistant.crm.models import Role
from assistant.crm.schemas.common import Email, Public, TeamRef


class UserCreate(BaseModel):
    email: Email
    name: str = Field(min_length=1, max_length=200)
    role: Role = Role.rep
    team_id: int | None = None
    password: str | None = Field(default=None, min_length=8)


class UserPublic(Public):
    id: int
    email: str
    name: str
    role: Role
    team: TeamRef | None = None


class TokenPublic(BaseModel):
    token: str
    user: UserPublic
