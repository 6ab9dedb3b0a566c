"""Real speech for the calls tests: espeak-ng clips through the bundled Whisper model, demo data, a job queue."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from assistant.crm.deps import Deps
from assistant.crm.models import Channel
from assistant.crm.settings import Settings
from ingest.jobs import forget_queue
from tests import support
from tests.support.calls import DICTATION, SALES_CALL
from tests.support.speech import synthesise


@pytest.fixture(scope="session")
def clips(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    directory = tmp_path_factory.mktemp("speech")
    return {
        "dictation": synthesise(DICTATION, directory / "dictation.wav", speed=150),
        "sales_call": synthesise(SALES_CALL, directory / "sales-call.wav", speed=150),
    }


@pytest.fixture
def deps_for(db: Session, settings: Settings) -> Callable[..., Deps]:
    def build(email: str, retriever: object = None) -> Deps:
        principal = support.principal(db, email, Channel.api)
        return Deps(principal, db, support.CLOCK, settings, retriever)  # type: ignore[arg-type]

    return build


@pytest.fixture(autouse=True)
def _no_leftover_queue(settings: Settings) -> Iterator[None]:
    yield
    forget_queue(settings)
