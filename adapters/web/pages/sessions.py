"""Server-side browser sessions and CSRF protection for the web pages.

The cookie carries a random session id; the database keeps only its SHA-256, the user and a
per-session CSRF token. Every state-changing request from a page must carry that token, either
as the form field ``csrf_token`` or, for fetch() calls, as the ``X-CSRF-Token`` header.
"""

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Annotated
from urllib.parse import quote

from fastapi import Depends, HTTPException, Request, Response
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from adapters.web.context import AppContext, DbSession, app_context
from assistant.crm.models import Channel, User, WebSession
from assistant.crm.principal import Principal, principal_for
from assistant.crm.settings import Settings

SESSION_COOKIE = "dw_session"
LOGIN_CSRF_COOKIE = "dw_login_csrf"
CSRF_HEADER = "X-CSRF-Token"
CSRF_FIELD = "csrf_token"
SESSION_LIFETIME = timedelta(days=14)


@dataclass(frozen=True)
class WebUser:
    """Who is using the pages: the web-channel principal plus this session's CSRF token."""

    principal: Principal
    csrf_token: str


def _digest(session_id: str) -> str:
    return hashlib.sha256(session_id.encode()).hexdigest()


def cookie_is_secure(settings: Settings) -> bool:
    return settings.base_url.lower().startswith("https://")


def start_session(db: Session, user: User, now: datetime) -> str:
    """Store a new session for this user and return the cookie value.

    Committed here, not when the request's session closes: the browser follows the sign-in redirect
    at once, and that next request must find the session."""
    session_id = secrets.token_urlsafe(32)
    db.add(
        WebSession(
            id_hash=_digest(session_id),
            user_id=user.id,
            csrf_token=secrets.token_urlsafe(32),
            created_at=now,
            expires_at=now + SESSION_LIFETIME,
        )
    )
    db.execute(delete(WebSession).where(WebSession.user_id == user.id, WebSession.expires_at < now))
    db.commit()
    return session_id


def end_session(db: Session, session_id: str | None) -> None:
    if session_id:
        db.execute(delete(WebSession).where(WebSession.id_hash == _digest(session_id)))
        db.commit()


def set_session_cookie(response: Response, session_id: str, settings: Settings) -> None:
    response.set_cookie(
        SESSION_COOKIE,
        session_id,
        max_age=int(SESSION_LIFETIME.total_seconds()),
        httponly=True,
        samesite="lax",
        secure=cookie_is_secure(settings),
        path="/",
    )


def clear_session_cookie(response: Response, settings: Settings) -> None:
    response.delete_cookie(SESSION_COOKIE, path="/", httponly=True, samesite="lax", secure=cookie_is_secure(settings))


def login_csrf_token(request: Request) -> str:
    """The pre-sign-in CSRF token (double-submit cookie): reuse the browser's, or make one."""
    return request.cookies.get(LOGIN_CSRF_COOKIE) or secrets.token_urlsafe(32)


def set_login_csrf_cookie(response: Response, token: str, settings: Settings) -> None:
    response.set_cookie(
        LOGIN_CSRF_COOKIE, token, httponly=True, samesite="lax", secure=cookie_is_secure(settings), path="/login"
    )


def tokens_match(expected: str | None, given: str | None) -> bool:
    return bool(expected) and bool(given) and hmac.compare_digest(str(expected), str(given))


def user_for_session(db: Session, session_id: str | None, now: datetime) -> tuple[User, WebSession] | None:
    if not session_id:
        return None
    row = db.get(WebSession, _digest(session_id))
    if row is None or row.expires_at <= now:
        return None
    user = db.scalars(select(User).where(User.id == row.user_id, User.is_active.is_(True))).first()
    return (user, row) if user is not None else None


def optional_web_user(
    request: Request,
    db: DbSession,
    context: Annotated[AppContext, Depends(app_context)],
) -> WebUser | None:
    found = user_for_session(db, request.cookies.get(SESSION_COOKIE), context.clock.now())
    if found is None:
        return None
    user, row = found
    return WebUser(principal=principal_for(db, user, Channel.web), csrf_token=row.csrf_token)


def sign_in_location(request: Request) -> str:
    """/login with this page (path and query) as ``next``, percent-encoded: any path, whatever its characters
    (non-ASCII, ``&``, ``#``), makes a valid Location header and comes back whole after sign-in."""
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return f"/login?next={quote(target, safe='')}"


def required_web_user(request: Request, user: Annotated[WebUser | None, Depends(optional_web_user)]) -> WebUser:
    """The signed-in user; a page view without a session is sent to /login, any other request gets 401."""
    if user is not None:
        return user
    if request.method == "GET":
        raise HTTPException(303, "sign in first", headers={"Location": sign_in_location(request)})
    raise HTTPException(401, "not signed in (or the session expired): sign in at /login")


async def checked_web_user(request: Request, user: Annotated[WebUser, Depends(required_web_user)]) -> WebUser:
    """A signed-in user whose POST carries this session's CSRF token (header or form field); 403 otherwise."""
    given = request.headers.get(CSRF_HEADER)
    if given is None and request.headers.get("content-type", "").startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        form = await request.form()
        field = form.get(CSRF_FIELD)
        given = field if isinstance(field, str) else None
    if not tokens_match(user.csrf_token, given):
        raise HTTPException(403, "missing or wrong CSRF token: reload the page and try again")
    return user


OptionalWebUser = Annotated[WebUser | None, Depends(optional_web_user)]
WebUserDep = Annotated[WebUser, Depends(required_web_user)]
CheckedWebUser = Annotated[WebUser, Depends(checked_web_user)]
