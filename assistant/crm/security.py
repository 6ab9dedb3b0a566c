"""Passwords (scrypt) and API tokens (random, stored as SHA-256)."""

import hashlib
import hmac
import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session

from assistant.crm.models import ApiToken, User

_SCRYPT = {"n": 2**14, "r": 8, "p": 1}


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


def issue_token(session: Session, user: User, label: str = "api") -> str:
    token = "dw_" + secrets.token_urlsafe(32)
    session.add(ApiToken(user_id=user.id, token_hash=token_digest(token), label=label))
    session.flush()
    return token


def user_for_token(session: Session, token: str) -> User | None:
    query = (
        select(User)
        .join(ApiToken, ApiToken.user_id == User.id)
        .where(ApiToken.token_hash == token_digest(token), ApiToken.revoked.is_(False), User.is_active.is_(True))
    )
    return session.scalars(query).first()
