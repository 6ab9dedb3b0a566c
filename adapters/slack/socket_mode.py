"""Slack in Socket Mode: with DEALWISE_SLACK_APP_TOKEN set, events arrive over a websocket the app opens,
so Dealwise needs no public HTTPS address. The same handlers answer as in HTTP mode."""

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager

from fastapi import FastAPI
from slack_bolt.adapter.socket_mode.aiohttp import AsyncSocketModeHandler
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.app import build_slack_app, slack_api_url
from adapters.web.context import AppContext


def socket_mode_handler(context: AppContext) -> AsyncSocketModeHandler | None:
    """The Socket Mode connection for these settings, or None when no app-level token is set."""
    settings = context.settings
    if settings.slack_app_token is None or settings.slack_bot_token is None:
        return None
    app = build_slack_app(context, socket_mode=True)
    token = settings.slack_app_token.get_secret_value()
    return AsyncSocketModeHandler(app, token, web_client=AsyncWebClient(token=token, base_url=slack_api_url(settings)))


def with_socket_mode(
    inner: Callable[[FastAPI], AbstractAsyncContextManager[None]],
) -> Callable[[FastAPI], AbstractAsyncContextManager[None]]:
    """A lifespan that holds the Socket Mode connection open (when configured) around ``inner``."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        handler = socket_mode_handler(app.state.context)
        if handler is not None:
            await handler.connect_async()
        try:
            async with inner(app):
                yield
        finally:
            if handler is not None:
                await handler.close_async()

    return lifespan
