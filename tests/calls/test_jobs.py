"""Jobs survive a restart of the consumer, retry with a limit, and record why they failed; a job cut short by a
stopped server runs again at the next start, and stopping the server does not wait for it."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

import pytest
import uvicorn
from fastapi import FastAPI
from fastapi.testclient import TestClient

from assistant.crm.db import session_factory
from assistant.crm.models import Activity, Job
from assistant.crm.settings import Settings
from ingest.indexing import build_retriever
from ingest.jobs import JobContext, JobQueue, queue_for
from tests.support import free_port, wait_for
from tools.registry import JOB_HANDLERS

CALLS: list[int] = []


def _always_fails(context: JobContext, job: Any) -> dict[str, Any]:
    CALLS.append(1)
    raise RuntimeError("the CRM API answered 503")


def _job(settings: Settings, job_id: str) -> Job:
    with session_factory(settings)() as session:
        job = session.get(Job, job_id)
        assert job is not None
        return job


def test_a_queued_job_survives_a_consumer_restart(settings: Settings) -> None:
    first = JobQueue(settings)
    first.start_worker(JOB_HANDLERS)
    first.stop_worker()
    with session_factory(settings)() as session:
        ids = list(session.scalars(Activity.__table__.select().with_only_columns(Activity.id).limit(3)))
    job_id = first.submit("index_records", {"record_type": "activity", "ids": ids})
    assert _job(settings, job_id).status == "queued" and first.pending() == 1

    restarted = JobQueue(settings)
    restarted.start_worker(JOB_HANDLERS)
    try:
        wait_for(lambda: _job(settings, job_id).status == "done")
    finally:
        restarted.stop_worker()
    job = _job(settings, job_id)
    assert job.attempts == 1 and job.result["records"] == 3 and job.result["chunks"] >= 3
    assert build_retriever(settings).count() == job.result["chunks"]


def test_a_failing_job_retries_twice_then_records_why(settings: Settings) -> None:
    CALLS.clear()
    queue = JobQueue(settings, retry_delay=0)
    job_id = queue.submit("test_always_fails", {}, None)
    queue.start_worker({"test_always_fails": _always_fails})
    try:
        wait_for(lambda: _job(settings, job_id).status == "failed")
    finally:
        queue.stop_worker()
    job = _job(settings, job_id)
    assert job.attempts == 3 == job.max_attempts == len(CALLS)
    assert job.error == "RuntimeError: the CRM API answered 503"


def _left_running_by_a_dead_process(settings: Settings, queue: JobQueue, job_id: str) -> None:
    """What a server killed mid-job leaves: the Job row "running", its message already taken off the queue."""
    queue.huey.flush()
    with session_factory(settings)() as session:
        job = session.get(Job, job_id)
        assert job is not None
        job.status, job.attempts = "running", 1
        session.commit()
    assert queue.pending() == 0


def test_a_job_left_running_by_a_dead_server_runs_again_when_the_app_starts(
    settings: Settings, make_app: Callable[[Settings], FastAPI]
) -> None:
    with session_factory(settings)() as session:
        ids = list(session.scalars(Activity.__table__.select().with_only_columns(Activity.id).limit(2)))
    before = JobQueue(settings)
    job_id = before.submit("index_records", {"record_type": "activity", "ids": ids})
    _left_running_by_a_dead_process(settings, before, job_id)

    with TestClient(make_app(settings)):
        wait_for(lambda: _job(settings, job_id).status == "done")
    job = _job(settings, job_id)
    assert job.attempts == 2 and job.result["records"] == 2


def test_requeue_orphans_queues_each_once_and_fails_those_out_of_attempts(settings: Settings) -> None:
    queue = JobQueue(settings)
    again, spent = queue.submit("index_records", {"ids": []}), queue.submit("index_records", {"ids": []})
    _left_running_by_a_dead_process(settings, queue, again)
    with session_factory(settings)() as session:
        job = session.get(Job, spent)
        assert job is not None
        job.status, job.attempts = "running", job.max_attempts
        session.commit()

    assert queue.requeue_orphans() == [again]
    assert queue.requeue_orphans() == [] and queue.pending() == 1
    assert _job(settings, again).status == "queued"
    assert _job(settings, spent).status == "failed" and "interrupted" in (_job(settings, spent).error or "")
    on_redis = JobQueue(settings.model_copy(update={"redis_url": "redis://127.0.0.1:1/0"}), queue.context.sessions)
    with session_factory(settings)() as session:
        job = session.get(Job, again)
        assert job is not None
        job.status = "running"
        session.commit()
    assert on_redis.requeue_orphans() == [], "on Redis another machine's consumer may be running it"


def test_a_served_app_stops_within_seconds_while_a_job_runs_and_the_job_is_queued_again(
    settings: Settings, make_app: Callable[[Settings], FastAPI], monkeypatch: pytest.MonkeyPatch
) -> None:
    def takes_minutes(context: JobContext, job: Any) -> dict[str, Any]:
        for step in range(1200):
            context.set_progress(job.id, step / 1200)
            time.sleep(0.1)
        return {}

    monkeypatch.setattr("adapters.web.api.calls.JOB_HANDLERS", {**JOB_HANDLERS, "test_takes_minutes": takes_minutes})
    server = uvicorn.Server(uvicorn.Config(make_app(settings), host="127.0.0.1", port=free_port(), log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    wait_for(lambda: server.started)
    queue = queue_for(settings)
    job_id = queue.submit("test_takes_minutes", {})
    wait_for(lambda: _job(settings, job_id).progress > 0)
    stopping = time.monotonic()
    server.should_exit = True  # what uvicorn's own Ctrl-C / SIGTERM handler does
    thread.join(timeout=60)
    assert not thread.is_alive() and time.monotonic() - stopping < 3, "the server waited for the job"
    job = _job(settings, job_id)
    assert (job.status, job.attempts, queue.pending()) == ("queued", 0, 1), "queued again for the next start"


def test_a_job_that_cannot_stop_holds_a_fast_stop_only_a_few_seconds(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("ingest.jobs.STOP_WAIT_S", 1.0)
    release = threading.Event()
    queue = JobQueue(settings)
    queue.start_worker({"test_blocks": lambda _context, _job: {"released": release.wait(120)}})
    try:
        job_id = queue.submit("test_blocks", {})
        wait_for(lambda: _job(settings, job_id).status == "running")
        stopping = time.monotonic()
        queue.stop_worker(graceful=False)
        assert time.monotonic() - stopping < 3
        assert _job(settings, job_id).status == "running", "left for requeue_orphans at the next start"
    finally:
        release.set()
