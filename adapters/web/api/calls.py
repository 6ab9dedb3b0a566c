"""Call recordings over REST: upload (a background job), job status, the call, and logging it without chat."""

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Annotated, Any, Literal

from fastapi import APIRouter, FastAPI, File, Form, HTTPException, UploadFile
from pydantic import BaseModel

from adapters.briefs import BriefScheduler
from adapters.web.context import Context, CurrentPrincipal, DbSession
from assistant.crm.access import get_visible
from assistant.crm.deps import Deps
from assistant.crm.models import Activity, CallRecording, Job
from ingest.calls import CallRecordingPublic, call_public, submit_call
from ingest.indexing import install_index_hooks
from ingest.jobs import JobPublic, job_public, queue_for
from tools import calls as _call_tools  # noqa: F401  (registers the log_call action and call tools)
from tools.call_logging import confirm_call
from tools.registry import JOB_HANDLERS

router = APIRouter(prefix="/api", tags=["calls"])
READ_CHUNK = 1024 * 1024


class CallAccepted(BaseModel):
    job_id: str
    call_id: int
    status: str
    job_url: str
    call_url: str


class LoggedActivity(BaseModel):
    id: int
    type: str
    subject: str


class CallDetail(CallRecordingPublic):
    activity: LoggedActivity | None = None
    proposal: dict[str, Any] | None = None


async def _read_limited(upload: UploadFile, limit: int) -> bytes:
    data = bytearray()
    while chunk := await upload.read(READ_CHUNK):
        data += chunk
        if len(data) > limit:
            raise HTTPException(
                413, f"{upload.filename or 'the upload'} is over the {limit / 1048576:.1f} MB upload limit"
            )
    return bytes(data)


@router.post("/calls", status_code=202, response_model=CallAccepted)
async def upload_call(
    context: Context,
    db: DbSession,
    principal: CurrentPrincipal,
    audio: Annotated[UploadFile, File(description="the recording: wav, mp3, m4a, ogg/opus, webm or flac")],
    deal_id: Annotated[int | None, Form(description="the deal it is about, if known")] = None,
    kind: Annotated[Literal["call", "note"] | None, Form(description="log it as a call or a note")] = None,
) -> CallAccepted:
    """Store the recording and queue transcription; poll the job, then read the call."""
    data = await _read_limited(audio, context.settings.max_upload_bytes)
    deps = Deps(principal, db, context.clock, context.settings, None)
    job, call = submit_call(deps, data, audio.filename or "audio", deal_id, kind)
    return CallAccepted(
        job_id=job.id,
        call_id=call.id,
        status=job.status,
        job_url=f"/api/jobs/{job.id}",
        call_url=f"/api/calls/{call.id}",
    )


@router.get("/jobs/{job_id}", response_model=JobPublic)
def get_job(job_id: str, db: DbSession, principal: CurrentPrincipal) -> JobPublic:
    """A background job's status, attempts, error and result (its creator or an admin only)."""
    job = db.get(Job, job_id)
    if job is None or not (principal.is_admin or job.created_by_id == principal.user_id):
        raise HTTPException(404, f"job {job_id} not found")
    return job_public(job)


def _detail(db: Any, principal: Any, call: CallRecording) -> CallDetail:
    activity = None
    if call.activity_id is not None:
        row = db.get(Activity, call.activity_id)
        if row is not None:
            activity = LoggedActivity(id=row.id, type=row.type, subject=row.subject)
    job = db.get(Job, call.job_id) if call.job_id else None
    proposal = (job.result or {}).get("proposal") if job is not None and call.activity_id is None else None
    return CallDetail(**call_public(call).model_dump(), activity=activity, proposal=proposal)


@router.get("/calls/{call_id}", response_model=CallDetail)
def get_call(call_id: int, db: DbSession, principal: CurrentPrincipal) -> CallDetail:
    """The recording's transcript, summary, proposed or logged activity."""
    return _detail(db, principal, get_visible(db, principal, CallRecording, call_id))


@router.post("/calls/{call_id}/confirm", response_model=CallDetail)
def confirm(call_id: int, context: Context, db: DbSession, principal: CurrentPrincipal) -> CallDetail:
    """Log the proposed activity for a transcribed call (once; repeating it changes nothing)."""
    deps = Deps(principal, db, context.clock, context.settings, None)
    confirm_call(deps, call_id)
    return _detail(db, principal, get_visible(db, principal, CallRecording, call_id))


def lifespan_with(
    inner: Callable[[FastAPI], AbstractAsyncContextManager[None]],
) -> Callable[[FastAPI], AbstractAsyncContextManager[None]]:
    """A lifespan that runs the job consumer and the weekly risk briefs (when DEALWISE_RUN_WORKER) and index hooks
    around ``inner``. The consumer first queues again the jobs a stopped server left running, and at shutdown
    it is stopped without waiting for the job in progress (a transcription can take minutes)."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        context = app.state.context
        install_index_hooks(context.sessions, context.settings)
        queue = queue_for(context.settings, context.sessions, context.clock)
        briefs = BriefScheduler(context)
        if context.settings.run_worker:
            queue.requeue_orphans()
            queue.start_worker(JOB_HANDLERS)
            briefs.start()
        try:
            async with inner(app):
                yield
        finally:
            queue.stop_worker(graceful=False)  # a job cut short is queued again at the next start
            if context.settings.run_worker:
                briefs.stop()

    return lifespan
