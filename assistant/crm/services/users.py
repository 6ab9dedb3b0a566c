"""Users and teams."""

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from assistant.crm import audit
from assistant.crm.errors import Forbidden, ValidationFailed
from assistant.crm.models import Team, User
from assistant.crm.principal import Principal
from assistant.crm.schemas.users import UserCreate
from assistant.crm.security import hash_password


def user_by_email(session: Session, email: str) -> User | None:
    return session.scalars(select(User).where(func.lower(User.email) == email.strip().lower())).first()


def create_user(session: Session, principal: Principal | None, data: UserCreate) -> User:
    """Admins create users; principal None is the local CLI, which is trusted like an admin."""
    if principal is not None and not principal.is_admin:
        raise Forbidden("only admins create users")
    if user_by_email(session, data.email) is not None:
        raise ValidationFailed("email", f"a user with email {data.email} already exists")
    if data.team_id is not None and session.get(Team, data.team_id) is None:
        raise ValidationFailed("team_id", f"team {data.team_id} does not exist")
    user = User(
        email=data.email.lower(),
        name=data.name,
        role=data.role.value,
        team_id=data.team_id,
        password_hash=hash_password(data.password) if data.password else None,
    )
    session.add(user)
    session.flush()
    audit.record(
        session,
        principal,
        "create",
        "user",
        user.id,
        {"email": user.email, "role": user.role},
        channel="cli" if principal is None else None,
    )
    return user


def team_by_name(session: Session, name: str) -> Team | None:
    return session.scalars(select(Team).where(func.lower(Team.name) == name.lower())).first()
