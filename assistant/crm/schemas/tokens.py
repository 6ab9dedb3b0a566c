"""API tokens as the API shows them: the secret once, at creation; afterwards only its name and dates."""

from pydantic import BaseModel, Field

from assistant.crm.schemas.common import Input, Public, Timestamp, UserRef
from assistant.crm.schemas.users import UserPublic


class TokenCreate(Input):
    name: str = Field(default="api", min_length=1, max_length=120, description="what the token is for")
    days: int | None = Field(
        default=None, ge=0, le=3650, description="lifetime in days; 0 never expires; default DEALWISE_API_TOKEN_DAYS"
    )


class ApiTokenPublic(Public):
    id: int
    name: str
    user: UserRef
    created_at: Timestamp
    expires_at: Timestamp | None
    revoked_at: Timestamp | None


class TokenPublic(BaseModel):
    """A newly minted token; `token` is the secret and is never shown again."""

    token: str
    id: int
    name: str
    expires_at: Timestamp | None
    user: UserPublic
