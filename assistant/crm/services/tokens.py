"""API tokens: minted, listed and revoked by their owner or an admin; every mint and revocation is audited.

`principal` None is the local CLI, trusted like an admin (as in services.users).
"""

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from assistant.crm import audit
from assistant.crm.errors import Forbidden, NotFound
from assistant.crm.models import ApiToken, User
from assistant.crm.principal import Principal
from assistant.crm.security import mint_token, revoke_token, utcnow


def _may_manage(principal: Principal | None, user_id: int) -> bool:
    return principal is None or principal.is_admin or principal.user_id == user_id


def token_lifetime(days: int | None, default_days: int) -> timedelta | None:
    """`days` (or the configured default) as a lifetime; 0 means the token never expires."""
    chosen = default_days if days is None else days
    return timedelta(days=chosen) if chosen > 0 else None


def create_token(
    session: Session, principal: Principal | None, user: User, name: str, lifetime: timedelta | None
) -> tuple[ApiToken, str]:
    if not _may_manage(principal, user.id):
        raise Forbidden("only admins issue tokens for other users")
    row, secret = mint_token(session, user, name, lifetime)
    changes = {"name": name, "user_id": user.id, "expires_at": row.expires_at}
    channel = "cli" if principal is None else None
    audit.record(session, principal, "create", "api_token", row.id, changes, channel=channel)
    return row, secret


def tokens_of(session: Session, principal: Principal | None, user: User) -> list[ApiToken]:
    """Every token of `user`, newest first, revoked and expired ones included."""
    if not _may_manage(principal, user.id):
        raise NotFound("user", user.id)
    query = select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.created_at.desc(), ApiToken.id.desc())
    return list(session.scalars(query))


def revoke(session: Session, principal: Principal | None, token_id: int) -> ApiToken:
    """Revoke a token; someone else's token is "not found" unless the principal is an admin."""
    row = session.get(ApiToken, token_id)
    if row is None or not _may_manage(principal, row.user_id):
        raise NotFound("token", token_id)
    if row.revoked_at is None:
        revoke_token(session, row, utcnow())
        channel = "cli" if principal is None else None
        audit.record(session, principal, "revoke", "api_token", row.id, {"name": row.name}, channel=channel)
    return row
