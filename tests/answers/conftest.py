"""Fixtures for answers: tool deps per demo user and an offline assistant on the small demo data."""

from collections.abc import Callable

import pytest
from sqlalchemy.orm import Session

from assistant.agent.conversation import Assistant
from assistant.crm.deps import Deps
from assistant.crm.models import Channel
from assistant.crm.schemas.chat import ChatResponse
from assistant.crm.settings import Settings
from tests import support


@pytest.fixture
def deps_for(db: Session, settings: Settings) -> Callable[..., Deps]:
    def build(email: str, channel: Channel = Channel.api) -> Deps:
        return Deps(principal=support.principal(db, email, channel), session=db, clock=support.CLOCK, settings=settings)

    return build


@pytest.fixture
def ask(assistant: Assistant, db: Session) -> Callable[..., ChatResponse]:
    """ask(email, message, thread_id=None, channel=Channel.web) -> ChatResponse"""

    def run(email: str, message: str, thread_id: str | None = None, channel: Channel = Channel.web) -> ChatResponse:
        return assistant.ask(support.principal(db, email, channel), message, thread_id)

    return run
