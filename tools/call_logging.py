"""Logging a recording: propose the call or note as an activity, apply it once confirmed, undo it.

``process_audio`` is what channels call (Slack clips, web uploads, email attachments); the web API
runs the same steps as a background job (:func:`run_call_job`). Nothing is half-logged: a failure
marks the CallRecording ``failed`` with the reason and creates no activity; the activity is only
written when the person confirms the ``log_call`` proposal, which also links it to the recording.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pydantic import BaseModel
from sqlalchemy import update

from assistant.crm.access import get_visible
from assistant.crm.deps import Deps
from assistant.crm.errors import ValidationFailed
from assistant.crm.models import CallRecording, Channel, Job, User
from assistant.crm.principal import principal_for
from assistant.crm.schemas.chat import FieldChange
from assistant.crm.schemas.results import ProposalPublic
from ingest.calls import (
    NOTE_MAX_SECONDS,
    AudioKind,
    CallProcessingError,
    CallRecordingPublic,
    call_public,
    mark_failed,
    store_upload,
    transcribe_call,
)
from ingest.dictation import DictationFields, extract_fields
from ingest.jobs import JobContext, PermanentJobError
from ingest.summarize import CallSummaryPublic
from ingest.transcribe import SegmentProgress, TranscriptPublic
from tools.base import WriteSpec
from tools.updates import (
    LogActivityInput,
    apply_log_activity,
    apply_update_deal,
    log_activity,
    undo_create_activity,
    undo_update_deal,
)

BODY_TRANSCRIPT_CHARS = 4000


class ProcessedAudio(BaseModel):
    call: CallRecordingPublic
    transcript: TranscriptPublic
    summary: CallSummaryPublic
    proposal: ProposalPublic | None


def process_call(
    deps: Deps,
    call: CallRecording,
    kind: AudioKind | None = None,
    on_progress: Callable[[SegmentProgress], None] | None = None,
) -> ProcessedAudio:
    """Decode, transcribe, summarise and link a stored recording; propose the activity to log."""
    done = transcribe_call(deps, call, on_progress)
    chosen: AudioKind = kind or ("note" if done.transcript.duration_s < NOTE_MAX_SECONDS else "call")
    proposal = propose_call_activity(deps, call, chosen, done.fields, done.summary)
    return ProcessedAudio(call=call_public(call), transcript=done.transcript, summary=done.summary, proposal=proposal)


def process_audio(
    deps: Deps,
    data: bytes,
    filename: str,
    deal_id: int | None = None,
    kind: AudioKind | None = None,
    on_progress: Callable[[SegmentProgress], None] | None = None,
) -> ProcessedAudio:
    """Store, transcribe and summarise ``data``; the returned proposal logs it once confirmed.

    Raises :class:`CallProcessingError` (a ValidationFailed on field ``audio``) with a reason the
    sender can read; the CallRecording is then marked failed (when the caller commits) and no
    activity exists.
    """
    call = store_upload(deps, data, filename, deal_id)
    return process_call(deps, call, kind, on_progress)


def _body(kind: AudioKind, transcript: str, summary: CallSummaryPublic) -> str:
    if kind == "note":
        return transcript
    lines = [summary.summary]
    if summary.action_items:
        lines += ["", "Action items:", *(f"- {item.quote}" for item in summary.action_items)]
    if summary.next_steps:
        lines += ["", "Next steps:", *(f"- {item.quote}" for item in summary.next_steps)]
    lines += ["", "Transcript:", transcript[:BODY_TRANSCRIPT_CHARS]]
    return "\n".join(lines)


def propose_call_activity(
    deps: Deps,
    call: CallRecording,
    kind: AudioKind,
    fields: DictationFields | None = None,
    summary: CallSummaryPublic | None = None,
) -> ProposalPublic | None:
    """A ``log_call`` proposal: log_activity's proposal for this recording, plus a next-step update.

    None when the transcript names no record the person can see and no deal was given.
    """
    transcript = call.transcript or ""
    fields = fields or extract_fields(deps, transcript, call.deal_id)
    summary = summary or CallSummaryPublic.model_validate(call.summary)
    account_id = call.account_id or (fields.account.id if fields.account else None)
    if call.deal_id is None and account_id is None:
        return None
    about = fields.deal.name if fields.deal else (fields.account.name if fields.account else f"deal {call.deal_id}")
    subject = f"{'Voice note' if kind == 'note' else 'Call'}: {about}"[:300]
    activity = log_activity(
        deps,
        LogActivityInput(
            type=kind,
            subject=subject,
            body=_body(kind, transcript, summary),
            occurred_at=call.created_at,
            deal_id=call.deal_id,
            account_id=account_id if call.deal_id is None else None,
            contact_id=fields.contact.id if fields.contact else None,
        ),
    )
    payload: dict[str, Any] = {"call_id": call.id, "activity": activity.payload, "deal_update": None}
    changes = list(activity.changes)
    summary_text = activity.summary
    if fields.next_step and call.deal_id is not None:
        step = fields.next_step + (f" (due {fields.next_step_due.isoformat()})" if fields.next_step_due else "")
        payload["deal_update"] = {"deal_id": call.deal_id, "values": {"next_step": step[:1000]}}
        changes.append(
            FieldChange(
                record_type="deal",
                record_id=call.deal_id,
                record_name=fields.deal.name if fields.deal else str(call.deal_id),
                field="next_step",
                old=None,
                new=step,
            )
        )
        summary_text += f"; set next step: {step}"
    payload["fields"] = fields.model_dump(mode="json")
    return ProposalPublic(
        kind="log_call", summary=summary_text, changes=changes, payload=payload, records=activity.records
    )


def apply_log_call(deps: Deps, payload: dict[str, Any]) -> dict[str, Any]:
    """Log the proposed activity once and link it to its CallRecording; set the deal's next step if proposed."""
    call = get_visible(deps.session, deps.principal, CallRecording, int(payload["call_id"]))
    claimed = deps.session.execute(
        update(CallRecording)
        .where(CallRecording.id == call.id, CallRecording.activity_id.is_(None), CallRecording.status == "transcribed")
        .values(status="logging")
    )
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        deps.session.refresh(call)
        if call.activity_id is None:
            raise ValidationFailed("call", f"call {call.id} is {call.status}; there is nothing to log")
        return {"record_type": "activity", "record_id": call.activity_id, "name": call.filename, "call_id": call.id}
    result = apply_log_activity(deps, dict(payload["activity"]))
    update_result = None
    if payload.get("deal_update"):
        try:
            with deps.session.begin_nested():
                update_result = apply_update_deal(deps, dict(payload["deal_update"]))
        except ValidationFailed:
            update_result = None
    deps.session.refresh(call)
    call.activity_id = int(result["record_id"])
    call.status = "logged"
    deps.session.flush()
    return {**result, "call_id": call.id, "deal_update": update_result}


def confirm_call(deps: Deps, call_id: int) -> dict[str, Any]:
    """Apply the proposal for a transcribed call without a chat thread (``POST /api/calls/{id}/confirm``)."""
    call = get_visible(deps.session, deps.principal, CallRecording, call_id)
    if call.activity_id is not None:
        return {"record_type": "activity", "record_id": call.activity_id, "call_id": call.id, "already": True}
    if call.status != "transcribed":
        raise ValidationFailed("call", f"call {call.id} is {call.status}; only a transcribed call can be logged")
    if call.owner_id != deps.principal.user_id:
        raise ValidationFailed("call", "only the person who uploaded the recording can log it")
    job = deps.session.get(Job, call.job_id) if call.job_id else None
    shown = (job.result or {}).get("proposal") if job is not None else None
    if shown:
        return apply_log_call(deps, dict(shown["payload"]))
    duration = call.duration_s or 0.0
    proposal = propose_call_activity(deps, call, "note" if duration < NOTE_MAX_SECONDS else "call")
    if proposal is None:
        raise ValidationFailed("deal_id", "the recording names no account or deal you can see; upload it with a deal")
    return apply_log_call(deps, proposal.payload)


def undo_log_call(deps: Deps, result: dict[str, Any]) -> dict[str, Any]:
    """Delete the activity a confirmed log_call created, put back the deal's next step, and leave the
    recording transcribed (so it can be logged again)."""
    call = get_visible(deps.session, deps.principal, CallRecording, int(result["call_id"]))
    if result.get("deal_update"):
        undo_update_deal(deps, dict(result["deal_update"]))
    call.activity_id = None
    call.status = "transcribed"
    deps.session.flush()
    undone = undo_create_activity(deps, result)
    return {**undone, "call_id": call.id}


def run_call_job(context: JobContext, job: Any) -> dict[str, Any]:
    """Transcribe a stored upload as the person who uploaded it; bad audio fails the job at once."""
    payload = dict(job.payload or {})
    session = context.sessions()
    try:
        user = session.get(User, job.created_by_id)
        if user is None:
            raise PermanentJobError(f"user {job.created_by_id} no longer exists")
        principal = principal_for(session, user, Channel(payload.get("channel", "api")))
        deps = Deps(principal, session, context.clock, context.settings, None)
        call = get_visible(session, principal, CallRecording, int(payload["call_id"]))
        call.status, call.job_id = "processing", job.id
        session.commit()
        try:
            processed = process_call(
                deps, call, payload.get("kind"), lambda p: context.set_progress(job.id, 0.9 * p.fraction)
            )
        except CallProcessingError as exc:
            session.commit()
            raise PermanentJobError(exc.rule) from exc
        except Exception as exc:
            session.rollback()
            mark_failed(context, int(payload["call_id"]), f"{type(exc).__name__}: {exc}")
            raise
        session.commit()
        proposal = processed.proposal.model_dump(mode="json") if processed.proposal else None
        return {"call_id": call.id, "status": call.status, "proposal": proposal}
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


WRITES = [WriteSpec("log_call", apply_log_call, undo_log_call, "delete the logged call and restore the next step")]
