"""Unusable audio gets a clear reason; no activity is created; a queued job fails once, with the reason."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import func, select

from assistant.crm.deps import Deps
from assistant.crm.models import Activity, CallRecording, Job
from assistant.crm.settings import Settings
from ingest.calls import CallProcessingError, submit_call
from ingest.jobs import JobQueue
from tests.support import ALICE, wait_for
from tests.support.ingest import write_wav
from tools.call_logging import process_audio
from tools.registry import JOB_HANDLERS


def _silence(tmp_path: Path) -> bytes:
    return write_wav(tmp_path / "silence.wav", np.zeros(16_000 * 3, dtype=np.float32)).read_bytes()


@pytest.mark.parametrize(
    ("name", "make", "reason"),
    [
        ("empty.wav", lambda tmp: b"", "is empty"),
        ("notes.mp3", lambda tmp: b"these are meeting notes, not audio\n" * 200, "not audio we can read"),
        ("corrupt.wav", lambda tmp: b"RIFF\x24\x00\x00\x00WAVEfmt " + bytes(range(256)) * 4, "not audio we can read"),
        ("silence.wav", _silence, "silent"),
    ],
)
def test_bad_audio_is_rejected_with_its_reason(
    deps_for: Callable[..., Deps], tmp_path: Path, name: str, make: Callable[[Path], bytes], reason: str
) -> None:
    deps = deps_for(ALICE)
    activities = deps.session.scalar(select(func.count()).select_from(Activity))
    with pytest.raises(CallProcessingError) as caught:
        process_audio(deps, make(tmp_path), name)
    assert reason in str(caught.value) and name in str(caught.value)
    assert deps.session.scalar(select(func.count()).select_from(Activity)) == activities
    calls = list(deps.session.scalars(select(CallRecording).where(CallRecording.filename.like(f"%{name}"))))
    assert all(c.status == "failed" and c.activity_id is None for c in calls)


def test_over_the_size_limit_is_rejected_before_anything_is_stored(
    db_url: str, settings_for: Callable[..., Settings], deps_for: Callable[..., Deps], clips: dict[str, Path]
) -> None:
    deps = deps_for(ALICE)
    deps.settings = settings_for(db_url, max_upload_bytes=10_000)
    calls_before = deps.session.scalar(select(func.count()).select_from(CallRecording))
    with pytest.raises(CallProcessingError, match="over the 10 KB upload limit"):
        process_audio(deps, clips["dictation"].read_bytes(), "dictation.wav")
    assert deps.session.scalar(select(func.count()).select_from(CallRecording)) == calls_before
    assert not (deps.settings.data_dir / "audio").exists() or not any((deps.settings.data_dir / "audio").iterdir())


def test_a_job_with_bad_audio_fails_once_with_the_reason(deps_for: Callable[..., Deps], settings: Settings) -> None:
    deps = deps_for(ALICE)
    job, call = submit_call(deps, b"not audio at all" * 100, "renamed.mp3")
    deps.session.commit()
    queue = JobQueue(settings, retry_delay=0)
    queue.start_worker(JOB_HANDLERS)
    try:
        wait_for(lambda: _status(settings, job.id) == "failed")
    finally:
        queue.stop_worker()
    deps.session.expire_all()
    stored = deps.session.get(Job, job.id)
    assert stored is not None and stored.attempts == 1 and "renamed.mp3" in (stored.error or "")
    assert "not audio we can read" in (stored.error or "")
    failed = deps.session.get(CallRecording, call.id)
    assert failed is not None and failed.status == "failed" and failed.activity_id is None


def _status(settings: Settings, job_id: str) -> str:
    from assistant.crm.db import session_factory

    with session_factory(settings)() as session:
        job = session.get(Job, job_id)
        return job.status if job else "missing"
