"""Audio from the browser (an uploaded file or a MediaRecorder clip) turned into a transcript-backed proposal.

The clip goes through the same path as Slack and email audio (adapters.audio_turn): stored,
transcribed, summarised, linked to the deal the person chose (or to the records the transcript
names), and the call or note to log waits in the conversation for Confirm. The upload is a turn of
a web conversation like any typed question: saved, listed in the sidebar, reopenable, even when
nothing could be proposed.
"""

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, HTTPException, UploadFile
from sqlalchemy import select
from sqlalchemy.orm import Session

from adapters.audio_turn import audio_turn
from adapters.web.context import Context, DbSession
from adapters.web.pages.chat import own_thread, turn_payload
from adapters.web.pages.deal_choices import is_open_visible_deal
from adapters.web.pages.sessions import CheckedWebUser
from assistant.crm.models import Channel, Message, Thread
from assistant.crm.principal import Principal
from assistant.crm.schemas.chat import ChatResponse

router = APIRouter(include_in_schema=False)

WEB_REF_PREFIX = "web:"


def _read_limited(upload: UploadFile, limit: int) -> bytes:
    data = upload.file.read(limit + 1)
    if len(data) > limit:
        raise HTTPException(413, f"{upload.filename or 'the recording'} is over the {limit / 1048576:.1f} MB limit")
    if not data:
        raise HTTPException(422, f"{upload.filename or 'the recording'} is empty: nothing was recorded or uploaded")
    return data


def _deal_id(db: Session, principal: Principal, value: str | None) -> int | None:
    """The chosen deal, or None for "let Dealwise find it in the transcript"; 422 for anything else."""
    if not value:
        return None
    if not value.isdigit() or not is_open_visible_deal(db, principal, int(value)):
        raise HTTPException(422, "Choose one of your open deals for this recording, or let Dealwise find it.")
    return int(value)


def _external_ref(db: Session, user: CheckedWebUser, thread_id: str | None) -> str:
    """The reference audio_turn files the proposal under: the open conversation's, or a fresh one."""
    if not thread_id:
        return f"{WEB_REF_PREFIX}{uuid.uuid4()}"
    thread = own_thread(db, user.principal, thread_id)
    if not thread.external_ref:
        thread.external_ref = f"{WEB_REF_PREFIX}{thread.id}"
        db.commit()
    return thread.external_ref


def _save_turn(
    db: Session, context: Any, principal: Principal, external_ref: str, request: str, response: ChatResponse
) -> ChatResponse:
    """Keep an upload that proposed nothing (no record named, unreadable audio) in its conversation too."""
    query = select(Thread).where(Thread.user_id == principal.user_id, Thread.external_ref == external_ref)
    thread = db.scalars(query).first()
    now = context.clock.now()
    if thread is None:
        thread = Thread(
            id=str(uuid.uuid4()),
            user_id=principal.user_id,
            channel=str(Channel.web),
            external_ref=external_ref,
            title=request[:80],
            state={},
            created_at=now,
        )
        db.add(thread)
        db.flush()
    thread.updated_at = now
    saved = response.model_copy(update={"thread_id": thread.id})
    db.add(Message(thread_id=thread.id, role="user", content=request, data={}, created_at=now))
    data = saved.model_dump(mode="json", exclude={"answer"})
    db.add(Message(thread_id=thread.id, role="assistant", content=saved.answer, data=data, created_at=now))
    db.commit()
    return saved


@router.post("/web/calls")
def upload_call(
    context: Context,
    db: DbSession,
    user: CheckedWebUser,
    audio: Annotated[UploadFile, File(description="a recording: wav, mp3, m4a, ogg/opus, webm or flac")],
    thread_id: Annotated[str | None, Form()] = None,
    deal_id: Annotated[str | None, Form(description="an open deal's id; empty: find it in the transcript")] = None,
) -> dict[str, Any]:
    """Transcribe the clip now and answer like a chat turn: `{"response": ChatResponse + action_status}`."""
    chosen_deal = _deal_id(db, user.principal, deal_id)
    data = _read_limited(audio, context.settings.max_upload_bytes)
    filename = audio.filename or "recording.webm"
    external_ref = _external_ref(db, user, thread_id or None)
    response = audio_turn(context, user.principal, data, filename, external_ref, deal_id=chosen_deal)
    if not response.thread_id:
        response = _save_turn(db, context, user.principal, external_ref, f"(audio clip {filename})", response)
    return {"response": turn_payload(context, response)}
