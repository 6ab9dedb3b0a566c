"""/api/me, /api/users and API tokens (minted, listed and revoked by their owner or an admin)."""

from typing import Annotated

from fastapi import APIRouter, Body, Response

from adapters.web.api.paging import Paging, page_of
from adapters.web.context import Context, CurrentPrincipal, DbSession
from assistant.crm.access import get_visible, scoped_select
from assistant.crm.models import User
from assistant.crm.principal import Principal
from assistant.crm.schemas.common import Page
from assistant.crm.schemas.tokens import ApiTokenPublic, TokenCreate, TokenPublic
from assistant.crm.schemas.users import UserCreate, UserPublic
from assistant.crm.services.tokens import create_token, revoke, token_lifetime, tokens_of
from assistant.crm.services.users import create_user

router = APIRouter(prefix="/api", tags=["users"])

NewToken = Annotated[TokenCreate | None, Body()]


@router.get("/me")
def me(db: DbSession, principal: CurrentPrincipal) -> UserPublic:
    return UserPublic.model_validate(db.get(User, principal.user_id))


@router.get("/users")
def list_users(db: DbSession, principal: CurrentPrincipal, paging: Paging) -> Page[UserPublic]:
    return page_of(db, scoped_select(principal, User).order_by(User.id), paging, UserPublic)


@router.get("/users/{user_id}")
def get_user(user_id: int, db: DbSession, principal: CurrentPrincipal) -> UserPublic:
    return UserPublic.model_validate(get_visible(db, principal, User, user_id))


@router.post("/users", status_code=201)
def add_user(data: UserCreate, db: DbSession, principal: CurrentPrincipal) -> UserPublic:
    return UserPublic.model_validate(create_user(db, principal, data))


def _mint(db: DbSession, context: Context, principal: Principal, user: User, data: TokenCreate | None) -> TokenPublic:
    data = data or TokenCreate()
    lifetime = token_lifetime(data.days, context.settings.api_token_days)
    row, secret = create_token(db, principal, user, data.name, lifetime)
    owner = UserPublic.model_validate(user)
    return TokenPublic(token=secret, id=row.id, name=row.name, expires_at=row.expires_at, user=owner)


@router.post("/users/{user_id}/tokens", status_code=201)
def add_token(
    user_id: int, db: DbSession, context: Context, principal: CurrentPrincipal, data: NewToken = None
) -> TokenPublic:
    """A new token for a user (admins, or the user themself); the secret is in this answer only."""
    return _mint(db, context, principal, get_visible(db, principal, User, user_id), data)


@router.get("/users/{user_id}/tokens")
def list_tokens(user_id: int, db: DbSession, principal: CurrentPrincipal) -> list[ApiTokenPublic]:
    """A user's tokens with their names and dates, never their secrets (admins, or the user themself)."""
    user = get_visible(db, principal, User, user_id)
    return [ApiTokenPublic.model_validate(row) for row in tokens_of(db, principal, user)]


@router.post("/me/tokens", status_code=201)
def add_my_token(db: DbSession, context: Context, principal: CurrentPrincipal, data: NewToken = None) -> TokenPublic:
    return _mint(db, context, principal, get_visible(db, principal, User, principal.user_id), data)


@router.get("/me/tokens")
def list_my_tokens(db: DbSession, principal: CurrentPrincipal) -> list[ApiTokenPublic]:
    user = get_visible(db, principal, User, principal.user_id)
    return [ApiTokenPublic.model_validate(row) for row in tokens_of(db, principal, user)]


@router.delete("/tokens/{token_id}", status_code=204)
def revoke_token(token_id: int, db: DbSession, principal: CurrentPrincipal) -> Response:
    """Revoke a token at once (admins, or its owner); revoking it again changes nothing."""
    revoke(db, principal, token_id)
    return Response(status_code=204)
