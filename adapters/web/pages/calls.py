"""Audio from the browser (an uploaded file or a MediaRecorder clip) turned into a transcript-backed proposal.

The clip goes through the same path as Slack and email audio (adapters.audio_turn): stored,
transcribed, summarised, linked to the records it names, and the call or note to log waits in the
conversation for Confirm. An existing web conversation gets the proposal; otherwise a new one starts.
"""

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, HTTPException, UploadFile
from sqlalchemy.orm import Session

from adapters.audio_turn import audio_turn
from adapters.web.context import Context, DbSession
from adapters.web.pages.chat import own_thread, turn_payload
from adapters.web.pages.sessions import CheckedWebUser

router = APIRouter(include_in_schema=False)

WEB_REF_PREFIX = "web:"


def _read_limited(upload: UploadFile, limit: int) -> bytes:
    data = upload.file.read(limit + 1)
    if len(data) > limit:
        raise HTTPException(413, f"{upload.filename or 'the recording'} is over the {limit / 1048576:.1f} MB limit")
    if not data:
        raise HTTPException(422, f"{upload.filename or 'the recording'} is empty: nothing was recorded or uploaded")
    return data


def _external_ref(db: Session, user: CheckedWebUser, thread_id: str | None) -> str:
    """The reference audio_turn files the proposal under: the open conversation's, or a fresh one."""
    if not thread_id:
        return f"{WEB_REF_PREFIX}{uuid.uuid4()}"
    thread = own_thread(db, user.principal, thread_id)
    if not thread.external_ref:
        thread.external_ref = f"{WEB_REF_PREFIX}{thread.id}"
        db.commit()
    return thread.external_ref


@router.post("/web/calls")
def upload_call(
    context: Context,
    db: DbSession,
    user: CheckedWebUser,
    audio: Annotated[UploadFile, File(description="a recording: wav, mp3, m4a, ogg/opus, webm or flac")],
    thread_id: Annotated[str | None, Form()] = None,
) -> dict[str, Any]:
    """Transcribe the clip now and answer like a chat turn: `{"response": ChatResponse + action_status}`."""
    data = _read_limited(audio, context.settings.max_upload_bytes)
    external_ref = _external_ref(db, user, thread_id or None)
    response = audio_turn(context, user.principal, data, audio.filename or "recording.webm", external_ref)
    return {"response": turn_payload(context, response)}
