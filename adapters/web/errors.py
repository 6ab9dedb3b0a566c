"""Domain errors as HTTP answers that say what was wrong, and the error answers the OpenAPI document declares.

Every error body is ``{"detail": "..."}`` or ``{"detail": [{"loc", "msg", "type"}, ...]}``
(assistant.crm.schemas.common.ErrorPublic). A validation error never echoes the input back: it may
be 10 MB, not finite (NaN) or not valid Unicode, and the answer must still be serialisable.
"""

import logging
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from sqlalchemy.exc import DataError, IntegrityError
from starlette.exceptions import HTTPException

from adapters.web.pages import error_pages
from assistant.crm.errors import Forbidden, NotFound, ValidationFailed
from assistant.crm.schemas.common import ErrorPublic

log = logging.getLogger(__name__)

ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorPublic, "description": description}
    for status, description in {
        400: "The request could not be read (e.g. a body that is not JSON)",
        401: "Missing, invalid, expired or revoked credentials",
        403: "Signed in, but this person may not do this (the answer names the rule)",
        404: "No such record, or one outside this person's scope",
        409: "The change conflicts with the data as it is now",
        413: "The request body is too large",
        422: "A field is missing, malformed or breaks a rule (the answer names the field and the rule)",
        429: "Too many attempts; retry after the time the Retry-After header gives",
    }.items()
}
"""Declared on every API operation (FastAPI(responses=...))."""


def _text(value: object) -> str:
    """Any value as text that can be encoded as UTF-8 (lone surrogates escaped)."""
    return str(value).encode("utf-8", "backslashreplace").decode("utf-8")


def _header_value(value: str) -> str:
    """A header value as printable ASCII: a redirect to a path with other characters is percent-encoded."""
    return value if value.isascii() and value.isprintable() else quote(value, safe="/:?&=#%+,;@!$'()*[]~")


def _loc_part(part: object) -> str | int:
    return part if isinstance(part, int) else _text(part)


def validation_detail(errors: list[Any]) -> list[dict[str, Any]]:
    return [
        {
            "loc": [_loc_part(part) for part in error.get("loc", ())],
            "msg": _text(error.get("msg", "invalid")),
            "type": _text(error.get("type", "value_error")),
        }
        for error in errors
    ]


def install(app: FastAPI) -> None:
    @app.exception_handler(HTTPException)
    async def http_error(request: Request, error: HTTPException) -> Response:
        if error.headers:
            error.headers = {name: _header_value(value) for name, value in error.headers.items()}
        return await http_exception_handler(request, error)

    @app.exception_handler(RequestValidationError)
    async def malformed(_: Request, error: RequestValidationError) -> JSONResponse:
        return JSONResponse({"detail": validation_detail(list(error.errors()))}, status_code=422)

    @app.exception_handler(NotFound)
    async def not_found(_: Request, error: NotFound) -> JSONResponse:
        return JSONResponse({"detail": _text(error)}, status_code=404)

    @app.exception_handler(ValidationFailed)
    async def invalid(_: Request, error: ValidationFailed) -> JSONResponse:
        detail = [{"loc": ["body", _text(error.field)], "msg": _text(error.rule), "type": "value_error"}]
        return JSONResponse({"detail": detail}, status_code=422)

    @app.exception_handler(Forbidden)
    async def forbidden(_: Request, error: Forbidden) -> JSONResponse:
        return JSONResponse({"detail": _text(error)}, status_code=403)

    @app.exception_handler(DataError)
    @app.exception_handler(OverflowError)
    async def out_of_range(_: Request, error: Exception) -> JSONResponse:
        log.warning("a value did not fit its column: %s", error)
        return JSONResponse({"detail": "a number or text in the request does not fit the database"}, status_code=422)

    @app.exception_handler(IntegrityError)
    async def conflict(_: Request, error: IntegrityError) -> JSONResponse:
        log.warning("write refused by the database: %s", error.orig)
        return JSONResponse({"detail": "the change conflicts with the data as it is now"}, status_code=409)

    error_pages.install(app)  # last: people in a browser get these answers as pages, API clients as above
