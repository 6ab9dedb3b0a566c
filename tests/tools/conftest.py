"""Deps for tool tests: a demo database, the fixed clock, and a principal per demo user."""

from collections.abc import Callable

import pytest
from sqlalchemy.orm import Session

from assistant.crm.deps import Deps
from assistant.crm.models import Channel
from assistant.crm.settings import Settings
from tests import support


@pytest.fixture
def deps_for(db: Session, settings: Settings) -> Callable[..., Deps]:
    def build(email: str, channel: Channel = Channel.api, retriever: object = None) -> Deps:
        return Deps(
            principal=support.principal(db, email, channel),
            session=db,
            clock=support.CLOCK,
            settings=settings,
            retriever=retriever,  # type: ignore[arg-type]
        )

    return build
