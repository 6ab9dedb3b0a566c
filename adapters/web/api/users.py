"""/api/me, /api/users and API tokens."""

from fastapi import APIRouter

from adapters.web.api.paging import Paging, page_of
from adapters.web.context import CurrentPrincipal, DbSession
from assistant.crm.access import get_visible, scoped_select
from assistant.crm.errors import Forbidden
from assistant.crm.models import User
from assistant.crm.schemas.common import Page
from assistant.crm.schemas.users import TokenPublic, UserCreate, UserPublic
from assistant.crm.security import issue_token
from assistant.crm.services.users import create_user

router = APIRouter(prefix="/api", tags=["users"])


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


@router.post("/users/{user_id}/tokens", status_code=201)
def add_token(user_id: int, db: DbSession, principal: CurrentPrincipal) -> TokenPublic:
    if not principal.is_admin:
        raise Forbidden("only admins issue tokens for users")
    user = get_visible(db, principal, User, user_id)
    token = issue_token(db, user)
    return TokenPublic(token=token, user=UserPublic.model_validate(user))
