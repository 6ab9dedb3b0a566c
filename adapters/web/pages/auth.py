"""Sign-in (email + password, throttled; or a one-click, single-use sign-in link) and sign-out."""

import math
import secrets
from functools import cache
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import func, select

from adapters.web.context import Context, DbSession
from adapters.web.pages.rendering import render
from adapters.web.pages.sessions import (
    LOGIN_CSRF_COOKIE,
    SESSION_COOKIE,
    CheckedWebUser,
    OptionalWebUser,
    clear_session_cookie,
    end_session,
    login_csrf_token,
    set_login_csrf_cookie,
    set_session_cookie,
    start_session,
    tokens_match,
)
from adapters.web.throttle import SignInThrottle
from assistant.crm.models import User
from assistant.crm.security import hash_password, redeem_login_token, verify_password

router = APIRouter(include_in_schema=False)

SIGN_IN_FAILED = "That email and password do not match an active account."
LINK_FAILED = (
    "That sign-in link is invalid, expired or already used (each link works once, for a few minutes). "
    "Sign in with your email and password, or ask for a new link."
)


@cache
def _unknown_user_hash() -> str:
    """Checked for unknown emails too, so a failed sign-in takes as long whether or not the email exists."""
    return hash_password(secrets.token_urlsafe(16))


def _safe_next(target: str | None) -> str:
    """Only same-site paths: never redirect to another host after sign-in."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/chat"


def _throttled_message(seconds: int) -> str:
    minutes = math.ceil(seconds / 60)
    wait = f"{seconds} seconds" if seconds < 120 else f"{minutes} minutes"
    return f"Too many failed sign-ins for this account or from this address. Try again in {wait}."


def _login_page(
    request: Request, context: Context, error: str | None, email: str, next_path: str, status_code: int = 401
) -> Response:
    token = login_csrf_token(request)
    response = render(
        request,
        "login.html",
        None,
        status_code=status_code if error else 200,
        error=error,
        email=email,
        next_path=next_path,
        login_csrf=token,
    )
    set_login_csrf_cookie(response, token, context.settings)
    return response


@router.get("/")
def home(user: OptionalWebUser) -> RedirectResponse:
    return RedirectResponse("/chat" if user else "/login", status_code=303)


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, context: Context, user: OptionalWebUser, next: str | None = None) -> Response:
    if user is not None:
        return RedirectResponse(_safe_next(next), status_code=303)
    return _login_page(request, context, None, "", _safe_next(next))


@router.post("/login", response_class=HTMLResponse)
def login_submit(
    request: Request,
    db: DbSession,
    context: Context,
    email: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
    csrf_token: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "/chat",
) -> Response:
    if not tokens_match(request.cookies.get(LOGIN_CSRF_COOKIE), csrf_token):
        return _login_page(request, context, "The sign-in form expired: please try again.", email, _safe_next(next))
    throttle: SignInThrottle = request.app.state.signin_throttle
    address = request.client.host if request.client else "unknown"
    wait = throttle.retry_after(email, address)
    if wait is not None:
        response = _login_page(request, context, _throttled_message(wait), email, _safe_next(next), status_code=429)
        response.headers["Retry-After"] = str(wait)
        return response
    user = db.scalars(select(User).where(func.lower(User.email) == email.strip().lower())).first()
    password_ok = verify_password(password, user.password_hash if user else _unknown_user_hash())
    if user is None or not user.is_active or not password_ok:
        throttle.failed(email, address)
        return _login_page(request, context, SIGN_IN_FAILED, email, _safe_next(next))
    throttle.succeeded(email)
    response = RedirectResponse(_safe_next(next), status_code=303)
    set_session_cookie(response, start_session(db, user, context.clock.now()), context.settings)
    response.delete_cookie(LOGIN_CSRF_COOKIE, path="/login")
    return response


@router.get("/login/token", response_class=HTMLResponse)
def login_with_token(request: Request, db: DbSession, context: Context, t: str = "") -> Response:
    """A one-click sign-in link: its login token works once (API tokens are refused here)."""
    user = redeem_login_token(db, t.strip()) if t.strip() else None
    if user is None:
        return _login_page(request, context, LINK_FAILED, "", "/chat")
    response = RedirectResponse("/chat", status_code=303)
    set_session_cookie(response, start_session(db, user, context.clock.now()), context.settings)
    return response


@router.post("/logout")
def logout(request: Request, db: DbSession, context: Context, _user: CheckedWebUser) -> RedirectResponse:
    end_session(db, request.cookies.get(SESSION_COOKIE))
    response = RedirectResponse("/login", status_code=303)
    clear_session_cookie(response, context.settings)
    return response
