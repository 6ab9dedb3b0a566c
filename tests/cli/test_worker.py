"""`dealwise worker` runs, in its own process, the background jobs another process submitted: here an
import uploaded to a web app that runs no worker of its own (DEALWISE_RUN_WORKER=false)."""

import io
import signal
import time
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from assistant.crm.db import session_factory
from assistant.crm.models import Contact, Job
from assistant.crm.settings import Settings
from ingest.jobs import JobQueue, forget_queue
from tests.cli.running import dealwise_process, read_until
from tests.support import ADMIN, wait_for

SALESFORCE_EXPORT = Path(__file__).resolve().parents[1] / "imports" / "data" / "salesforce"


def _zipped(directory: Path) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in sorted(directory.iterdir()):
            archive.write(path, f"export/{path.name}")
    return buffer.getvalue()


def test_a_job_submitted_by_the_web_app_is_run_by_dealwise_worker(
    settings: Settings,
    make_app: Callable[[Settings], FastAPI],
    api_tokens: dict[str, str],
    db: Session,
    tmp_path: Path,
) -> None:
    headers = {"Authorization": f"Bearer {api_tokens[ADMIN]}"}
    web_only = settings.model_copy(update={"run_worker": False})
    upload = {"file": ("export.zip", _zipped(SALESFORCE_EXPORT), "application/zip")}
    with TestClient(make_app(web_only)) as web:
        accepted = web.post("/api/imports", files=upload, data={"source": "salesforce"}, headers=headers)
        assert accepted.status_code == 202, accepted.text
        run_id = accepted.json()["id"]
        time.sleep(1)
        assert web.get(f"/api/imports/{run_id}", headers=headers).json()["status"] == "queued"

        worker = dealwise_process(
            ["worker"],
            tmp_path,
            DEALWISE_DATABASE_URL=settings.resolved_database_url,
            DEALWISE_DATA_DIR=str(settings.data_dir),
        )
        try:
            started = read_until(worker, "worker running", timeout_s=180)
            assert "worker running jobs from the SQLite queue" in started, started
            seen: dict[str, Any] = {}

            def finished() -> bool:
                seen.update(web.get(f"/api/imports/{run_id}", headers=headers).json())
                return seen["status"] in ("done", "failed")

            wait_for(finished, timeout_s=180)
            worker.send_signal(signal.SIGTERM)
            rest, _ = worker.communicate(timeout=60)
        finally:
            if worker.poll() is None:
                worker.kill()
                worker.wait()
    forget_queue(web_only)
    assert seen["status"] == "done", seen
    created = seen["counts"]["per_kind"]["contact"]["created"]
    imported = db.scalar(select(func.count()).select_from(Contact).where(Contact.external_source == "salesforce"))
    assert created > 0 and imported == created
    assert worker.returncode == 0 and "worker stopped" in rest, rest
    assert "Traceback" not in started + rest


def test_dealwise_worker_runs_again_a_job_a_stopped_worker_left_running(settings: Settings, tmp_path: Path) -> None:
    queue = JobQueue(settings)
    job_id = queue.submit("index_records", {"record_type": "activity", "ids": []})
    queue.huey.flush()  # a worker killed mid-job: the message is gone, the row still says running
    with session_factory(settings)() as session:
        job = session.get(Job, job_id)
        assert job is not None
        job.status, job.attempts = "running", 1
        session.commit()

    worker = dealwise_process(
        ["worker"],
        tmp_path,
        DEALWISE_DATABASE_URL=settings.resolved_database_url,
        DEALWISE_DATA_DIR=str(settings.data_dir),
    )
    try:
        started = read_until(worker, "worker running", timeout_s=180)
        assert "queued again 1 job(s)" in started, started

        def status() -> str:
            with session_factory(settings)() as session:
                return session.get(Job, job_id).status  # type: ignore[union-attr]

        wait_for(lambda: status() == "done", timeout_s=120)
        worker.send_signal(signal.SIGINT)
        assert worker.wait(timeout=60) == 0
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait()
