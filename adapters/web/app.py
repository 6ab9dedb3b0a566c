"""The FastAPI application factory."""

import logging

from fastapi import FastAPI

from adapters.email.lifespan import email_lifespan
from adapters.slack.socket_mode import with_socket_mode
from adapters.web import errors, security_headers
from adapters.web.api import calls, chat, evals, imports, records, risk, slack, users
from adapters.web.context import AppContext
from adapters.web.limits import RequestLimits
from adapters.web.pages import routes as pages
from adapters.web.signin import redact_sign_in_links
from adapters.web.throttle import SignInThrottle
from assistant.crm.clock import Clock
from assistant.crm.db import session_factory
from assistant.crm.settings import Settings, get_settings, unknown_variables

log = logging.getLogger(__name__)


def create_app(settings: Settings | None = None, clock: Clock | None = None) -> FastAPI:
    settings = settings or get_settings()
    if unknown := unknown_variables():
        log.warning(
            "ignoring %s: no Dealwise setting has these names (see Configuration in README.md)", ", ".join(unknown)
        )
    app = FastAPI(
        title="Dealwise",
        version="0.1.0",
        description="Conversational sales assistant over your CRM",
        docs_url=None,  # adapters.web.pages.docs serves /docs from local assets instead of a CDN
        redoc_url=None,
        responses=errors.ERROR_RESPONSES,
        lifespan=calls.lifespan_with(with_socket_mode(email_lifespan)),
    )
    app.state.context = AppContext(settings=settings, sessions=session_factory(settings), clock=clock or Clock())
    app.state.signin_throttle = SignInThrottle(settings)
    errors.install(app)
    app.add_middleware(RequestLimits, upload_bytes=settings.max_upload_bytes)
    security_headers.install(app, settings.base_url)
    redact_sign_in_links()
    app.include_router(users.router)
    app.include_router(records.router)
    app.include_router(imports.router)
    app.include_router(imports.rates_router)
    app.include_router(chat.router)
    app.include_router(risk.router)
    app.include_router(evals.router)
    app.include_router(calls.router)
    app.include_router(slack.slack_router(app.state.context))
    app.include_router(pages.router)

    @app.get("/healthz", include_in_schema=False)
    def health() -> dict[str, str]:
        return {"status": "ok"}

    return app
