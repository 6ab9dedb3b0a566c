"""Starts the email channel with the web app: the SMTP listener and/or the IMAP poller the settings ask for."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from adapters.email.handling import EmailProcessor
from adapters.email.imap import ImapPoller
from adapters.email.listener import listener_for


@asynccontextmanager
async def email_channel(context: Any) -> AsyncIterator[None]:
    """Runs for the app's lifetime; does nothing when neither DEALWISE_SMTP_LISTEN_* nor DEALWISE_IMAP_URL is set."""
    processor = EmailProcessor(context)
    listener = listener_for(context, processor)
    poller = ImapPoller(context, processor) if context.settings.imap_url else None
    if listener is not None:
        listener.start()
    if poller is not None:
        poller.start()
    try:
        yield
    finally:
        if poller is not None:
            poller.stop()
        if listener is not None:
            listener.stop()


@asynccontextmanager
async def email_lifespan(app: Any) -> AsyncIterator[None]:
    """FastAPI lifespan: `FastAPI(lifespan=email_lifespan)` or entered from another lifespan."""
    async with email_channel(app.state.context):
        yield
