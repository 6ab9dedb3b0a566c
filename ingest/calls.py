"""Audio in, transcript out: store an upload, transcribe, summarise and link it to the records it names.

A failure marks the CallRecording ``failed`` with the reason. Proposing the activity to log (and
applying it once confirmed) is ``tools.call_logging``'s part; the web API queues both as one job
(:func:`submit_call`).
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Literal

from pydantic import BaseModel

from assistant.crm.access import get_visible
from assistant.crm.deps import Deps
from assistant.crm.errors import ValidationFailed
from assistant.crm.models import CallRecording, Deal
from assistant.crm.schemas.common import Timestamp
from assistant.crm.services.catalog import competitor_names
from ingest.audio import AudioError, load_audio
from ingest.dictation import DictationFields, extract_fields
from ingest.jobs import JobContext, queue_for
from ingest.summarize import CallSummaryPublic, summarize
from ingest.transcribe import ModelUnavailableError, SegmentProgress, Transcriber, TranscriptPublic, TranscriptSegment

NOTE_MAX_SECONDS = 60.0
BODY_TRANSCRIPT_CHARS = 4000
AudioKind = Literal["call", "note"]


class CallProcessingError(ValidationFailed):
    """The audio could not be turned into a transcript; the message says why."""

    def __init__(self, reason: str) -> None:
        super().__init__("audio", reason)


class CallRecordingPublic(BaseModel):
    id: int
    owner_id: int
    filename: str
    size_bytes: int
    status: str
    error: str | None = None
    duration_s: float | None = None
    language: str | None = None
    transcript: str | None = None
    segments: list[TranscriptSegment] = []
    summary: CallSummaryPublic | None = None
    account_id: int | None = None
    deal_id: int | None = None
    activity_id: int | None = None
    job_id: str | None = None
    created_at: Timestamp | None = None


class TranscribedCall(BaseModel):
    """A stored recording, transcribed and summarised, with the records its words name."""

    model_config = {"arbitrary_types_allowed": True}

    transcript: TranscriptPublic
    summary: CallSummaryPublic
    fields: DictationFields


def call_public(call: CallRecording) -> CallRecordingPublic:
    stored = dict(call.summary or {})
    error = stored.pop("error", None)
    return CallRecordingPublic(
        id=call.id,
        owner_id=call.owner_id,
        filename=call.filename,
        size_bytes=call.size_bytes,
        status=call.status,
        error=error,
        duration_s=call.duration_s,
        language=call.language,
        transcript=call.transcript,
        segments=[TranscriptSegment.model_validate(s) for s in call.segments or []],
        summary=CallSummaryPublic.model_validate(stored) if stored.get("summary") is not None else None,
        account_id=call.account_id,
        deal_id=call.deal_id,
        activity_id=call.activity_id,
        job_id=call.job_id,
        created_at=call.created_at,
    )


def size_text(n: int) -> str:
    return f"{n / 1048576:.1f} MB" if n >= 1048576 else f"{n / 1024:.0f} KB"


def _safe_name(filename: str) -> str:
    name = Path(filename or "audio").name
    return re.sub(r"[^A-Za-z0-9._-]+", "_", name)[-120:] or "audio"


def store_upload(deps: Deps, data: bytes, filename: str, deal_id: int | None = None) -> CallRecording:
    """Check the size, save the bytes under DEALWISE_DATA_DIR/audio/ and add a queued CallRecording."""
    limit = deps.settings.max_upload_bytes
    if not data:
        raise CallProcessingError(f"{filename or 'the upload'} is empty")
    if len(data) > limit:
        raise CallProcessingError(f"{filename} is {size_text(len(data))}, over the {size_text(limit)} upload limit")
    deal = None
    if deal_id is not None:
        deal = get_visible(deps.session, deps.principal, Deal, deal_id)
    directory = deps.settings.ensure_data_dir() / "audio"
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{uuid.uuid4().hex}-{_safe_name(filename)}"
    path.write_bytes(data)
    call = CallRecording(
        owner_id=deps.principal.user_id,
        deal_id=deal.id if deal else None,
        account_id=deal.account_id if deal else None,
        audio_path=str(path),
        filename=(filename or "audio")[:300],
        size_bytes=len(data),
        status="queued",
        segments=[],
        summary={},
        created_at=deps.clock.now(),
    )
    deps.session.add(call)
    deps.session.flush()
    return call


def _fail(deps: Deps, call: CallRecording, reason: str) -> CallProcessingError:
    call.status = "failed"
    call.summary = {"error": reason}
    deps.session.flush()
    return CallProcessingError(reason)


def transcribe_call(
    deps: Deps, call: CallRecording, on_progress: Callable[[SegmentProgress], None] | None = None
) -> TranscribedCall:
    """Decode, transcribe, summarise and link a stored recording (status ``transcribed``)."""
    settings = deps.settings
    try:
        decoded = load_audio(Path(call.audio_path), settings.max_upload_bytes)
        transcriber = Transcriber(settings.whisper_model, max_bytes=settings.max_upload_bytes)
        transcript = transcriber.transcribe(decoded, on_progress=on_progress)
    except AudioError as exc:
        raise _fail(deps, call, f"{call.filename}: {exc}") from exc
    except ModelUnavailableError as exc:
        raise _fail(deps, call, str(exc)) from exc
    summary = summarize(transcript.text, settings, competitors=competitor_names(deps.session, settings))
    fields = extract_fields(deps, transcript.text, call.deal_id)
    call.transcript = transcript.text
    call.segments = [s.model_dump() for s in transcript.segments]
    call.language = transcript.language
    call.duration_s = transcript.duration_s
    call.summary = summary.model_dump(mode="json")
    if call.deal_id is None and fields.deal is not None:
        call.deal_id = fields.deal.id
    if call.account_id is None and fields.account is not None:
        call.account_id = fields.account.id
    call.status = "transcribed"
    deps.session.flush()
    return TranscribedCall(transcript=transcript, summary=summary, fields=fields)


def mark_failed(context: JobContext, call_id: int, reason: str) -> None:
    with context.sessions() as session:
        call = session.get(CallRecording, call_id)
        if call is not None:
            call.status, call.summary = "failed", {"error": reason}
            session.commit()


def submit_call(deps: Deps, data: bytes, filename: str, deal_id: int | None = None, kind: AudioKind | None = None):  # type: ignore[no-untyped-def]
    """Store the upload and queue its processing; returns (job, call). The job starts when the session commits."""
    call = store_upload(deps, data, filename, deal_id)
    queue = queue_for(deps.settings)
    payload = {"call_id": call.id, "kind": kind, "channel": str(deps.principal.channel)}
    job = queue.create(deps.session, "process_call", payload, deps.principal.user_id)
    call.job_id = job.id
    deps.session.flush()
    return job, call
