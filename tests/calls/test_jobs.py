"""Jobs survive a restart of the consumer, retry with a limit, and record why they failed."""

from __future__ import annotations

from typing import Any

from assistant.crm.db import session_factory
from assistant.crm.models import Activity, Job
from assistant.crm.settings import Settings
from ingest.indexing import build_retriever
from ingest.jobs import JobContext, JobQueue
from tests.support import wait_for
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
