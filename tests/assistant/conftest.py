"""Fixtures for the assistant: an offline Assistant on the small demo data, and a helper to ask as someone."""

from collections.abc import Callable

import pytest
from sqlalchemy.orm import Session

from assistant.agent.conversation import Assistant
from assistant.crm.models import Channel
from assistant.crm.schemas.chat import ChatResponse
from tests import support


@pytest.fixture
def ask(assistant: Assistant, db: Session) -> Callable[..., ChatResponse]:
    """ask(email, message, thread_id=None, channel=Channel.api) -> ChatResponse"""

    def run(email: str, message: str, thread_id: str | None = None, channel: Channel = Channel.api) -> ChatResponse:
        return assistant.ask(support.principal(db, email, channel), message, thread_id)

    return run
