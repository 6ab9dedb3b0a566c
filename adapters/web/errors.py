"""Domain errors as HTTP answers that say what was wrong."""

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from assistant.crm.errors import Forbidden, NotFound, ValidationFailed


def install(app: FastAPI) -> None:
    @app.exception_handler(NotFound)
    async def not_found(_: Request, error: NotFound) -> JSONResponse:
        return JSONResponse({"detail": str(error)}, status_code=404)

    @app.exception_handler(ValidationFailed)
    async def invalid(_: Request, error: ValidationFailed) -> JSONResponse:
        detail = [{"loc": ["body", error.field], "msg": error.rule, "type": "value_error"}]
        return JSONResponse({"detail": detail}, status_code=422)

    @app.exception_handler(Forbidden)
    async def forbidden(_: Request, error: Forbidden) -> JSONResponse:
        return JSONResponse({"detail": str(error)}, status_code=403)
