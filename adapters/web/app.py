"""The FastAPI application factory."""

from fastapi import FastAPI

from adapters.email.lifespan import email_lifespan
from adapters.slack.socket_mode import with_socket_mode
from adapters.web import errors
from adapters.web.api import calls, chat, evals, imports, records, risk, slack, users
from adapters.web.context import AppContext
from adapters.web.pages import routes as pages
from assistant.crm.clock import Clock
from assistant.crm.db import session_factory
from assistant.crm.settings import Settings, get_settings


def create_app(settings: Settings | None = None, clock: Clock | None = None) -> FastAPI:
    settings = settings or get_settings()
    app = FastAPI(
        title="Dealwise",
        version="0.1.0",
        description="Conversational sales assistant over your CRM",
        lifespan=calls.lifespan_with(with_socket_mode(email_lifespan)),
    )
    app.state.context = AppContext(settings=settings, sessions=session_factory(settings), clock=clock or Clock())
    errors.install(app)
    app.include_router(users.router)
    app.include_router(records.router)
    app.include_router(imports.router)
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
