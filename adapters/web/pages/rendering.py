"""Jinja2 templates and the two static files the pages use (served without a build step or CDN)."""

from datetime import date, datetime
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from adapters.web.pages.sessions import CSRF_FIELD, CSRF_HEADER, WebUser

HERE = Path(__file__).parent
STATIC_DIR = HERE / "static"
STATIC_FILES = {"chat.js": "text/javascript; charset=utf-8", "style.css": "text/css; charset=utf-8"}

templates = Jinja2Templates(directory=HERE / "templates")


def _money(amount: Any, currency: str = "USD") -> str:
    try:
        return f"{float(amount):,.0f} {currency}"
    except (TypeError, ValueError):
        return "—"


def _when(value: date | datetime | None) -> str:
    if value is None:
        return "—"
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    return value.isoformat()


templates.env.filters["money"] = _money
templates.env.filters["when"] = _when
templates.env.globals.update(csrf_field=CSRF_FIELD, csrf_header=CSRF_HEADER)


def render(request: Request, name: str, user: WebUser | None, status_code: int = 200, **context: Any) -> HTMLResponse:
    return templates.TemplateResponse(
        request, name, {"user": user, "csrf_token": user.csrf_token if user else "", **context}, status_code=status_code
    )


def not_found(request: Request, user: WebUser | None, what: str) -> HTMLResponse:
    """The page for a record that does not exist or that this person may not see (the same page for both)."""
    return render(request, "not_found.html", user, status_code=404, what=what)
