"""Error answers for people: a readable page (with the usual header) instead of JSON.

A request gets the page when a browser navigates (Accept names text/html, not JSON) outside /api/
and without an API token; API clients, fetch() calls and everything under /api/ keep the JSON
answers of adapters.web.errors. `install` wraps the app's exception handlers, so it sees every
error those handlers answer, whatever their JSON looks like.
"""

import json
import logging
from collections.abc import Awaitable, Callable
from urllib.parse import urlsplit

from fastapi import FastAPI, Request
from fastapi.exceptions import WebSocketRequestValidationError
from fastapi.responses import PlainTextResponse, Response

from adapters.web.context import app_context
from adapters.web.pages.rendering import render
from adapters.web.pages.sessions import WebUser, optional_web_user

log = logging.getLogger(__name__)

Handler = Callable[[Request, Exception], Awaitable[Response] | Response]

TITLES = {
    400: "That request could not be understood",
    401: "Please sign in",
    403: "You do not have access to this page",
    404: "Not found",
    405: "That is not something this page does",
    409: "That cannot be done right now",
    413: "That file is too large",
    422: "Please check what you entered",
    429: "Too many attempts",
    500: "Something went wrong",
}


def wants_html(request: Request) -> bool:
    """A person in a browser, not an API client: HTML accepted, JSON not asked for, no API token, not /api/."""
    if request.url.path.startswith("/api/") or request.headers.get("authorization"):
        return False
    accept = request.headers.get("accept", "").lower()
    return "text/html" in accept and "application/json" not in accept


def _detail(body: bytes) -> str:
    """The human part of a JSON error answer: its `detail` string, or its messages joined."""
    try:
        detail = json.loads(body).get("detail")
    except (ValueError, AttributeError):
        return ""
    if isinstance(detail, str):
        return detail
    if isinstance(detail, list):
        parts = []
        for item in detail:
            if isinstance(item, dict):
                where = [str(p) for p in item.get("loc", []) if p not in ("body", "query", "path", "header")]
                parts.append(f"{'.'.join(where)}: {item.get('msg', '')}" if where else str(item.get("msg", "")))
        return "; ".join(parts)
    return ""


def _web_user(request: Request) -> WebUser | None:
    """Who is looking, for the page header; an error page never fails for want of it."""
    try:
        context = app_context(request)
        with context.sessions() as db:
            return optional_web_user(request, db, context)
    except Exception:  # noqa: BLE001 - the header is optional; the error page must render
        log.debug("no web user for the error page", exc_info=True)
        return None


def _same_site_referer(request: Request) -> str | None:
    """The page the person came from, when it is on this site (for a "Back" link)."""
    referer = urlsplit(request.headers.get("referer", ""))
    if referer.netloc != request.url.netloc or referer.path == request.url.path:
        return None
    return referer.path + (f"?{referer.query}" if referer.query else "")


def error_page(request: Request, status_code: int, detail: str, headers: dict[str, str] | None = None) -> Response:
    title = TITLES.get(status_code, "Something went wrong" if status_code >= 500 else "That did not work")
    response = render(
        request,
        "error.html",
        _web_user(request),
        status_code=status_code,
        title=title,
        detail=detail,
        error_status=status_code,
        next_path=request.url.path,
        back=_same_site_referer(request),
    )
    for name, value in (headers or {}).items():
        if name.lower() != "content-type":
            response.headers[name] = value
    return response


def _for_people(handler: Handler) -> Handler:
    async def handle(request: Request, error: Exception) -> Response:
        answer = handler(request, error)
        response = await answer if isinstance(answer, Awaitable) else answer
        if response.status_code < 400 or not wants_html(request):
            return response
        body = bytes(response.body) if hasattr(response, "body") else b""
        extra = {k: v for k, v in response.headers.items() if k.lower() in ("www-authenticate", "retry-after")}
        return error_page(request, response.status_code, _detail(body), extra)

    return handle


async def _server_error(request: Request, error: Exception) -> Response:
    if wants_html(request):
        return error_page(request, 500, "The server could not finish that. Please try again in a moment.")
    return PlainTextResponse("Internal Server Error", status_code=500)


def install(app: FastAPI) -> None:
    """Wrap every exception handler registered so far; add a page for unexpected errors."""
    for key, handler in list(app.exception_handlers.items()):
        if key is WebSocketRequestValidationError:
            continue
        app.exception_handlers[key] = _for_people(handler)
    app.exception_handlers.setdefault(Exception, _server_error)
