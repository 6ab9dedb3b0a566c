"""Slack's Events API and interactivity endpoints, served by the Bolt app when Slack is configured."""

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse
from slack_bolt.adapter.starlette.async_handler import AsyncSlackRequestHandler

from adapters.slack.app import build_slack_app
from adapters.web.context import AppContext


def _malformed(request: Request) -> Response | None:
    """401 for a request whose timestamp is not a whole number of seconds (Bolt would fail on it)."""
    timestamp = request.headers.get("x-slack-request-timestamp", "")
    if timestamp.isascii() and timestamp.isdigit() and len(timestamp) <= 12:
        return None
    return JSONResponse({"detail": "missing or malformed X-Slack-Request-Timestamp"}, status_code=401)


def slack_router(context: AppContext) -> APIRouter:
    """POST /slack/events and /slack/interactions; an empty router when the Slack settings are unset."""
    router = APIRouter(prefix="/slack", include_in_schema=False)
    settings = context.settings
    if settings.slack_bot_token is None or settings.slack_signing_secret is None:
        return router
    handler = AsyncSlackRequestHandler(build_slack_app(context))

    @router.post("/events")
    async def events(request: Request) -> Response:
        return _malformed(request) or await handler.handle(request)

    @router.post("/interactions")
    async def interactions(request: Request) -> Response:
        return _malformed(request) or await handler.handle(request)

    return router
