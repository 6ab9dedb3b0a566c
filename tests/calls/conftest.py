"""Real speech for the calls tests: espeak-ng clips through the bundled Whisper model, demo data, a job queue."""

from __future__ import annotations

import shutil
import subprocess
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


def speak(text: str, path: Path, speed: int = 150) -> Path:
    binary = shutil.which("espeak-ng")
    if binary is None:
        pytest.skip("espeak-ng is not installed, so no synthetic speech")
    subprocess.run([binary, "-s", str(speed), "-w", str(path), text], check=True, capture_output=True, timeout=60)
    return path


@pytest.fixture(scope="session")
def clips(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    directory = tmp_path_factory.mktemp("speech")
    return {
        "dictation": speak(DICTATION, directory / "dictation.wav"),
        "sales_call": speak(SALES_CALL, directory / "sales-call.wav"),
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
