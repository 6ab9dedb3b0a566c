"""Passwords (scrypt), API tokens and one-time sign-in links (random, stored only as SHA-256).

Token lifetimes run on the wall clock (UTC), never on a business clock a test or an eval fixes.
An API token is `dw_…`: named, expiring, revocable. A sign-in link carries a `dwl_…` login token:
it works once, for minutes, and is never an API token.
"""

import hashlib
import hmac
import secrets
from datetime import UTC, datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from assistant.crm.models import ApiToken, LoginToken, User

_SCRYPT = {"n": 2**14, "r": 8, "p": 1}
API_TOKEN_PREFIX = "dw_"
LOGIN_TOKEN_PREFIX = "dwl_"
DEFAULT_API_TOKEN_LIFETIME = timedelta(days=90)


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, **_SCRYPT)
    return f"scrypt${salt.hex()}${digest.hex()}"


def verify_password(password: str, stored: str | None) -> bool:
    if not stored or not stored.startswith("scrypt$"):
        return False
    _, salt_hex, digest_hex = stored.split("$")
    digest = hashlib.scrypt(password.encode(), salt=bytes.fromhex(salt_hex), **_SCRYPT)
    return hmac.compare_digest(digest.hex(), digest_hex)


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def mint_token(
    session: Session,
    user: User,
    name: str = "api",
    lifetime: timedelta | None = DEFAULT_API_TOKEN_LIFETIME,
    now: datetime | None = None,
) -> tuple[ApiToken, str]:
    """A new API token for `user`: the stored row and the secret, which is shown once and never stored."""
    now = now or utcnow()
    token = API_TOKEN_PREFIX + secrets.token_urlsafe(32)
    row = ApiToken(
        user_id=user.id,
        token_hash=token_digest(token),
        name=name,
        created_at=now,
        expires_at=now + lifetime if lifetime else None,
    )
    session.add(row)
    session.flush()
    return row, token


def issue_token(
    session: Session, user: User, name: str = "api", lifetime: timedelta | None = DEFAULT_API_TOKEN_LIFETIME
) -> str:
    return mint_token(session, user, name, lifetime)[1]


def token_row(session: Session, token: str, now: datetime | None = None) -> ApiToken | None:
    """The live token row for this secret: not revoked, not expired, its user active."""
    if not token.startswith(API_TOKEN_PREFIX):
        return None
    now = now or utcnow()
    query = (
        select(ApiToken)
        .join(User, ApiToken.user_id == User.id)
        .where(ApiToken.token_hash == token_digest(token), ApiToken.revoked_at.is_(None), User.is_active.is_(True))
    )
    row = session.scalars(query).first()
    if row is None or (row.expires_at is not None and row.expires_at <= now):
        return None
    return row


def user_for_token(session: Session, token: str, now: datetime | None = None) -> User | None:
    """The token's user; reading only (a request's session must not hold a write lock the work it serves needs)."""
    row = token_row(session, token, now)
    return row.user if row is not None else None


def revoke_token(session: Session, row: ApiToken, now: datetime | None = None) -> None:
    if row.revoked_at is None:
        row.revoked_at = now or utcnow()
        session.flush()


def issue_login_token(session: Session, user: User, lifetime: timedelta, now: datetime | None = None) -> str:
    """A single-use sign-in token for a one-click link."""
    now = now or utcnow()
    token = LOGIN_TOKEN_PREFIX + secrets.token_urlsafe(32)
    session.add(LoginToken(user_id=user.id, token_hash=token_digest(token), created_at=now, expires_at=now + lifetime))
    session.flush()
    return token


def redeem_login_token(session: Session, token: str, now: datetime | None = None) -> User | None:
    """The user a sign-in link is for, if it is unused and unexpired; it is used up either way it succeeds.

    One conditional UPDATE claims it, so two clicks racing each other sign in once."""
    if not token.startswith(LOGIN_TOKEN_PREFIX):
        return None
    now = now or utcnow()
    digest = token_digest(token)
    claimed = session.execute(
        update(LoginToken)
        .where(LoginToken.token_hash == digest, LoginToken.used_at.is_(None), LoginToken.expires_at > now)
        .values(used_at=now)
    )
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        return None
    row = session.scalars(select(LoginToken).where(LoginToken.token_hash == digest)).one()
    user = session.get(User, row.user_id)
    return user if user is not None and user.is_active else None
