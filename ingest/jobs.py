"""Durable background jobs on huey, mirrored in our own ``Job`` rows so ``GET /api/jobs/{id}`` can answer.

One machine: ``SqliteHuey`` in ``DEALWISE_DATA_DIR/jobs.huey.db`` and a consumer thread inside the
web app. Many machines: ``RedisHuey`` when ``DEALWISE_REDIS_URL`` is set (run consumers anywhere).
A queued job survives a restart: the message stays in huey's store until a consumer runs it. A job
that was running when its process died has left huey's store already; :meth:`JobQueue.requeue_orphans`
puts it back when the one-machine app starts again.

Each attempt updates the Job row (status queued/running/done/failed, attempts, error, result).
Failures retry up to ``RETRIES`` times, ``RETRY_DELAY_S`` apart; a :class:`PermanentJobError`
(bad audio, say) fails at once, since running it again cannot help.
"""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from huey import RedisHuey, SqliteHuey
from huey.api import Huey
from huey.consumer import Consumer
from pydantic import BaseModel
from sqlalchemy import event, select
from sqlalchemy.orm import Session, sessionmaker

from assistant.crm.clock import Clock
from assistant.crm.db import session_factory, session_scope
from assistant.crm.models import Job
from assistant.crm.settings import Settings

log = logging.getLogger(__name__)

RETRIES = 2
RETRY_DELAY_S = 2
STOP_WAIT_S = 10.0
"""How long a non-graceful stop waits for the jobs in progress to reach a point where they can stop (an index
rebuild reports progress every 200 records, some seconds apart on two cores)."""
TASK_NAME = "dealwise.run_job"


class PermanentJobError(Exception):
    """A job failure that retrying cannot fix; the message is recorded as the job's error."""


class JobInterrupted(BaseException):
    """Raised in a job by :meth:`JobContext.set_progress` once its worker is stopping: the job goes back to the
    queue for the next consumer. A BaseException, so a handler's ``except Exception`` does not record it as a
    failure."""


@dataclass(frozen=True)
class JobContext:
    settings: Settings
    sessions: sessionmaker[Session]
    clock: Clock
    stopping: threading.Event = field(default_factory=threading.Event)

    def set_progress(self, job_id: str, fraction: float) -> None:
        """Record how far the job is; raises :class:`JobInterrupted` when the worker is stopping, so each
        handler that reports progress can be stopped there."""
        if self.stopping.is_set():
            raise JobInterrupted(job_id)
        with session_scope(self.sessions) as session:
            job = session.get(Job, job_id)
            if job is not None:
                job.progress = round(max(0.0, min(1.0, fraction)), 3)
                job.updated_at = self.clock.now()


Handler = Callable[[JobContext, Job], dict[str, Any]]
"""Runs one job of a kind: gets the context and the Job row, returns the job's result."""


class JobPublic(BaseModel):
    id: str
    kind: str
    status: str
    attempts: int
    max_attempts: int
    progress: float
    error: str | None
    result: dict[str, Any]
    created_by_id: int | None


def job_public(job: Job) -> JobPublic:
    return JobPublic(
        id=job.id,
        kind=job.kind,
        status=job.status,
        attempts=job.attempts,
        max_attempts=job.max_attempts,
        progress=job.progress,
        error=job.error,
        result=dict(job.result or {}),
        created_by_id=job.created_by_id,
    )


def make_huey(settings: Settings) -> Huey:
    if settings.redis_url:
        return RedisHuey("dealwise", url=settings.redis_url)
    path = settings.ensure_data_dir() / "jobs.huey.db"
    return SqliteHuey("dealwise", filename=str(path))


class _ThreadConsumer(Consumer):
    """A consumer that can run in a non-main thread (signal handlers belong to the host process)."""

    def _set_signal_handlers(self) -> None:
        return None


class JobQueue:
    """Submits jobs and runs them; ``start_worker(handlers)`` runs a consumer in this process.

    The handlers by job kind come from ``tools.registry.JOB_HANDLERS``, the one place they are listed.
    """

    def __init__(
        self,
        settings: Settings,
        sessions: sessionmaker[Session] | None = None,
        clock: Clock | None = None,
        retry_delay: float = RETRY_DELAY_S,
    ):
        self.context = JobContext(settings, sessions or session_factory(settings), clock or Clock())
        self.huey = make_huey(settings)
        self._task = self.huey.task(retries=RETRIES, retry_delay=retry_delay, context=True, name=TASK_NAME)(self._run)
        self._consumer: _ThreadConsumer | None = None
        self.handlers: Mapping[str, Handler] = {}

    def create(self, session: Session, kind: str, payload: dict[str, Any], created_by_id: int | None) -> Job:
        """A queued Job row in ``session``; it is sent to the workers when ``session`` commits."""
        if self.handlers and kind not in self.handlers:
            raise ValueError(f"unknown job kind {kind!r}")
        now = self.context.clock.now()
        job = Job(
            id=str(uuid.uuid4()),
            kind=kind,
            status="queued",
            attempts=0,
            max_attempts=RETRIES + 1,
            payload=payload,
            result={},
            progress=0.0,
            created_by_id=created_by_id,
            created_at=now,
            updated_at=now,
        )
        session.add(job)
        session.flush()
        job_id = job.id
        event.listen(session, "after_commit", lambda _s: self.enqueue(job_id), once=True)
        return job

    def submit(self, kind: str, payload: dict[str, Any], created_by_id: int | None = None) -> str:
        """Create, commit and enqueue a job in its own transaction; returns the job id."""
        with session_scope(self.context.sessions) as session:
            job_id = self.create(session, kind, payload, created_by_id).id
        return job_id

    def enqueue(self, job_id: str) -> None:
        self._task(job_id)

    def pending(self) -> int:
        return self.huey.pending_count()

    def requeue_orphans(self) -> list[str]:
        """Jobs left "running" by a process that died, queued again (or failed once out of attempts).

        Only for the embedded SQLite queue, before this process starts its consumer: then no other
        process runs these jobs. On Redis a consumer on another machine may well be running them.
        """
        if self.context.settings.redis_url:
            return []
        waiting = {task.args[0] for task in [*self.huey.pending(), *self.huey.scheduled()] if task.args}
        requeued: list[str] = []
        with session_scope(self.context.sessions) as session:
            for job in session.scalars(select(Job).where(Job.status == "running")):
                job.updated_at = self.context.clock.now()
                if job.attempts >= job.max_attempts:
                    job.status, job.error = "failed", "interrupted: the process running it stopped"
                    continue
                job.status = "queued"
                requeued.append(job.id)
        for job_id in requeued:
            if job_id not in waiting:
                self.enqueue(job_id)
        if requeued:
            log.info("requeued %d job(s) interrupted by a restart", len(requeued))
        return requeued

    def _run(self, job_id: str, task: Any = None) -> None:
        remaining = int(getattr(task, "retries", 0) or 0)
        with session_scope(self.context.sessions) as session:
            job = session.get(Job, job_id)
            if job is None or job.status in ("done", "failed"):
                return
            job.status = "running"
            job.attempts += 1
            job.updated_at = self.context.clock.now()
        try:
            handler = self.handlers.get(job.kind)
            if handler is None:
                raise PermanentJobError(f"no handler for job kind {job.kind!r}")
            result = handler(self.context, job)
        except JobInterrupted:
            self._put_back(job_id)
            return
        except PermanentJobError as exc:
            self._finish(job_id, "failed", error=str(exc))
            return
        except Exception as exc:
            log.exception("job %s (%s) failed", job_id, job.kind)
            reason = f"{type(exc).__name__}: {exc}"
            self._finish(job_id, "queued" if remaining > 0 else "failed", error=reason)
            if remaining > 0:
                raise
            return
        self._finish(job_id, "done", result=result)

    def _put_back(self, job_id: str) -> None:
        """A job stopped by a stopping worker: queued again, the attempt not counted, for the next consumer."""
        with session_scope(self.context.sessions) as session:
            job = session.get(Job, job_id)
            if job is None:
                return
            job.status, job.attempts = "queued", max(0, job.attempts - 1)
            job.updated_at = self.context.clock.now()
        self.enqueue(job_id)
        log.info("job %s stopped with its worker; queued again", job_id)

    def _finish(self, job_id: str, status: str, error: str | None = None, result: dict[str, Any] | None = None) -> None:
        with session_scope(self.context.sessions) as session:
            job = session.get(Job, job_id)
            if job is None:
                return
            job.status = status
            job.error = error
            if result is not None:
                job.result = result
                job.progress = 1.0
            job.updated_at = self.context.clock.now()

    def start_worker(self, handlers: Mapping[str, Handler], workers: int = 1) -> None:
        """Run a consumer (threads) in this process until :meth:`stop_worker`."""
        self.handlers = handlers
        if self._consumer is not None:
            return
        self.context.stopping.clear()
        consumer = _ThreadConsumer(
            self.huey, workers=workers, periodic=False, initial_delay=0.05, max_delay=0.5, check_worker_health=False
        )
        consumer.start()
        self._consumer = consumer

    def stop_worker(self, graceful: bool = True) -> None:
        """Stop the consumer. ``graceful`` waits for the jobs in progress to finish, however long they take.
        Otherwise jobs stop at their next progress report and go back to the queue; after ``STOP_WAIT_S`` it
        returns anyway, and a job still running stays "running" until :meth:`requeue_orphans` queues it again
        at the next start."""
        if self._consumer is not None:
            if not graceful:
                self.context.stopping.set()
                self._consumer.shutdown_timeout = STOP_WAIT_S
            self._consumer.stop(graceful=True)
            self._consumer = None

    @property
    def running(self) -> bool:
        return self._consumer is not None


_QUEUES: dict[tuple[str, str, str], JobQueue] = {}
_QUEUES_LOCK = threading.Lock()


def _key(settings: Settings) -> tuple[str, str, str]:
    return (str(settings.data_dir.resolve()), settings.redis_url or "", settings.resolved_database_url)


def queue_for(
    settings: Settings, sessions: sessionmaker[Session] | None = None, clock: Clock | None = None
) -> JobQueue:
    """The process's queue for these settings (created on first use with the given sessions and clock)."""
    with _QUEUES_LOCK:
        queue = _QUEUES.get(_key(settings))
        if queue is None:
            queue = JobQueue(settings, sessions, clock)
            _QUEUES[_key(settings)] = queue
        return queue


def forget_queue(settings: Settings) -> None:
    """Stop and drop this process's queue for ``settings`` (a restart, in tests)."""
    with _QUEUES_LOCK:
        queue = _QUEUES.pop(_key(settings), None)
    if queue is not None:
        queue.stop_worker()
