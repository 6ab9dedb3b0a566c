"""Sign-in (email + password, or a one-click API-token link) and sign-out."""

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
from assistant.crm.models import User
from assistant.crm.security import hash_password, user_for_token, verify_password

router = APIRouter(include_in_schema=False)

SIGN_IN_FAILED = "That email and password do not match an active account."


@cache
def _unknown_user_hash() -> str:
    """Checked for unknown emails too, so a failed sign-in takes as long whether or not the email exists."""
    return hash_password(secrets.token_urlsafe(16))


def _safe_next(target: str | None) -> str:
    """Only same-site paths: never redirect to another host after sign-in."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/chat"


def _login_page(request: Request, context: Context, error: str | None, email: str, next_path: str) -> Response:
    token = login_csrf_token(request)
    response = render(
        request,
        "login.html",
        None,
        status_code=401 if error else 200,
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
    user = db.scalars(select(User).where(func.lower(User.email) == email.strip().lower())).first()
    password_ok = verify_password(password, user.password_hash if user else _unknown_user_hash())
    if user is None or not user.is_active or not password_ok:
        return _login_page(request, context, SIGN_IN_FAILED, email, _safe_next(next))
    response = RedirectResponse(_safe_next(next), status_code=303)
    set_session_cookie(response, start_session(db, user, context.clock.now()), context.settings)
    response.delete_cookie(LOGIN_CSRF_COOKIE, path="/login")
    return response


@router.get("/login/token", response_class=HTMLResponse)
def login_with_token(request: Request, db: DbSession, context: Context, t: str = "") -> Response:
    user = user_for_token(db, t.strip()) if t.strip() else None
    if user is None:
        return _login_page(request, context, "That sign-in link is invalid or was revoked.", "", "/chat")
    response = RedirectResponse("/chat", status_code=303)
    set_session_cookie(response, start_session(db, user, context.clock.now()), context.settings)
    return response


@router.post("/logout")
def logout(request: Request, db: DbSession, context: Context, _user: CheckedWebUser) -> RedirectResponse:
    end_session(db, request.cookies.get(SESSION_COOKIE))
    response = RedirectResponse("/login", status_code=303)
    clear_session_cookie(response, context.settings)
    return response
