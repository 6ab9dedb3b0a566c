"""The chat page, its streamed answers (server-sent events) and confirm/cancel of proposed writes."""

import json
import logging
import re
from collections.abc import AsyncIterator, Collection, Iterator
from typing import Annotated, Any

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response, StreamingResponse
from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from adapters.web.context import Context, DbSession, app_context
from adapters.web.pages.deal_choices import open_deal_choices
from adapters.web.pages.rendering import answer_html, not_found, render
from adapters.web.pages.sessions import CheckedWebUser, WebUserDep
from assistant.crm.errors import Forbidden, NotFound, ValidationFailed
from assistant.crm.models import Channel, Message, PendingAction, Thread
from assistant.crm.principal import Principal
from assistant.crm.schemas.chat import ChatResponse

router = APIRouter(include_in_schema=False)
log = logging.getLogger(__name__)

THREADS_SHOWN = 30
WORD_CHUNK = re.compile(r"(?:\s*\S+\s*){1,6}")


class ChatRequest(BaseModel):
    message: str = Field(min_length=1, description="at most settings.max_message_chars characters")
    thread_id: str | None = None


def checked_message(message: str, limit: int) -> str:
    """The message without surrounding whitespace; 422 when it is empty or over the limit (never cut)."""
    text = message.strip()
    if not text:
        raise HTTPException(422, "The message is empty: type a question or request first.")
    if len(text) > limit:
        raise HTTPException(
            422,
            f"The message is {len(text):,} characters long; the limit is {limit:,}. "
            "Nothing was sent: shorten it and send it again.",
        )
    return text


def sse(event: str, data: Any) -> str:
    """One server-sent event; data is JSON so newlines in answers survive the line-based format."""
    return f"event: {event}\ndata: {json.dumps(data)}\n\n"


def word_chunks(text: str) -> Iterator[str]:
    """The answer in pieces of a few words, whitespace kept, so the browser can show it as it arrives."""
    yield from (match.group(0) for match in WORD_CHUNK.finditer(text))


def user_threads(db: Session, principal: Principal) -> list[Thread]:
    query = (
        select(Thread)
        .where(Thread.user_id == principal.user_id, Thread.channel == Channel.web)
        .order_by(Thread.updated_at.desc(), Thread.created_at.desc())
        .limit(THREADS_SHOWN)
    )
    return list(db.scalars(query))


def own_thread(db: Session, principal: Principal, thread_id: str) -> Thread:
    """The thread if it is this person's; NotFound otherwise (someone else's thread does not exist for them)."""
    thread = db.get(Thread, thread_id)
    if thread is None or thread.user_id != principal.user_id:
        raise NotFound("thread", thread_id)  # type: ignore[arg-type]
    return thread


def _message_view(message: Message, waiting: Collection[str] = ()) -> dict[str, Any]:
    """A message for the page; one whose proposal still waits shows only its headline (the preview is in the box
    with the buttons, below)."""
    data = message.data if isinstance(message.data, dict) else {}
    records = [r for r in data.get("records", []) if isinstance(r, dict) and {"type", "id", "name"} <= r.keys()]
    rich = data.get("rich")
    if rich and (data.get("pending_action") or {}).get("id") in waiting:
        rich = {"headline": rich.get("headline", "")}
    html = answer_html(rich, records) if message.role == "assistant" else None
    return {"role": message.role, "content": message.content, "records": records, "html": html}


def _chat_page(request: Request, db: Session, user: Any, thread: Thread | None) -> HTMLResponse:
    messages: list[dict[str, Any]] = []
    pending: list[PendingAction] = []
    if thread is not None:
        rows = db.scalars(select(Message).where(Message.thread_id == thread.id).order_by(Message.id))
        pending = list(
            db.scalars(
                select(PendingAction)
                .where(PendingAction.thread_id == thread.id, PendingAction.status == "pending")
                .order_by(PendingAction.created_at)
            )
        )
        waiting = {action.id for action in pending}
        messages = [_message_view(m, waiting) for m in rows if m.role in ("user", "assistant")]
    return render(
        request,
        "chat.html",
        user,
        thread=thread,
        threads=user_threads(db, user.principal),
        messages=messages,
        pending=pending,
        deal_choices=open_deal_choices(db, user.principal),
        max_message_chars=app_context(request).settings.max_message_chars,
    )


@router.get("/chat", response_class=HTMLResponse)
def chat_new(request: Request, db: DbSession, user: WebUserDep) -> HTMLResponse:
    return _chat_page(request, db, user, None)


@router.get("/chat/{thread_id}", response_class=HTMLResponse)
def chat_thread(thread_id: str, request: Request, db: DbSession, user: WebUserDep) -> HTMLResponse:
    try:
        thread = own_thread(db, user.principal, thread_id)
    except NotFound:
        return not_found(request, user, "No such conversation.")
    return _chat_page(request, db, user, thread)


@router.get("/threads", response_class=HTMLResponse)
def threads_page(request: Request, db: DbSession, user: WebUserDep) -> HTMLResponse:
    return render(request, "threads.html", user, thread=None, threads=user_threads(db, user.principal))


def turn_payload(context: Any, response: ChatResponse) -> dict[str, Any]:
    """The ChatResponse as JSON plus `action_status` (pending, applied, cancelled...) of its pending_action,
    so the page offers Confirm/Cancel only while the action still waits."""
    payload = response.model_dump(mode="json")
    payload["html"] = answer_html(response.rich, response.records)
    if response.pending_action is not None:
        with context.sessions() as session:
            action = session.get(PendingAction, response.pending_action.id)
            payload["action_status"] = action.status if action is not None else None
    return payload


def _failure(error: Exception) -> str:
    if isinstance(error, ValidationFailed):
        return f"{error.field}: {error.rule}"
    if isinstance(error, NotFound | Forbidden):
        return str(error)
    log.exception("the assistant failed on a web chat turn")
    return "The assistant could not answer that just now; nothing was changed. Please try again."


@router.post("/web/chat/stream")
def chat_stream(body: ChatRequest, db: DbSession, context: Context, user: CheckedWebUser) -> StreamingResponse:
    """Ask the assistant; the answer comes back as text/event-stream: `token` chunks, then `done` (ChatResponse)."""
    message = checked_message(body.message, context.settings.max_message_chars)
    if body.thread_id is not None:
        own_thread(db, user.principal, body.thread_id)
    principal = user.principal
    assistant = context.assistant

    async def events() -> AsyncIterator[str]:
        try:
            response: ChatResponse = await run_in_threadpool(assistant.ask, principal, message, body.thread_id)
            payload = await run_in_threadpool(turn_payload, context, response)
        except Exception as error:
            yield sse("error", {"detail": _failure(error)})
            return
        for chunk in word_chunks(response.answer):
            yield sse("token", {"text": chunk})
        yield sse("done", payload)

    return StreamingResponse(
        events(), media_type="text/event-stream", headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"}
    )


def _resolve(
    request: Request, db: Session, context: Any, user: Any, thread_id: str, action_id: str | None, confirm: bool
) -> Response:
    own_thread(db, user.principal, thread_id)
    assistant = context.assistant
    method = assistant.confirm if confirm else assistant.cancel
    try:
        response: ChatResponse = method(user.principal, thread_id, action_id or None)
    except (ValidationFailed, NotFound, Forbidden) as error:
        raise HTTPException(409 if isinstance(error, ValidationFailed) else 404, _failure(error)) from error
    if "application/json" in request.headers.get("accept", ""):
        return JSONResponse(turn_payload(context, response))
    return RedirectResponse(f"/chat/{thread_id}", status_code=303)


@router.post("/web/chat/{thread_id}/confirm")
def confirm_action(
    thread_id: str,
    request: Request,
    db: DbSession,
    context: Context,
    user: CheckedWebUser,
    action_id: Annotated[str | None, Form()] = None,
) -> Response:
    """Apply the pending action (JSON answer for fetch(), a redirect back to the thread for a plain form)."""
    return _resolve(request, db, context, user, thread_id, action_id, confirm=True)


@router.post("/web/chat/{thread_id}/cancel")
def cancel_action(
    thread_id: str,
    request: Request,
    db: DbSession,
    context: Context,
    user: CheckedWebUser,
    action_id: Annotated[str | None, Form()] = None,
) -> Response:
    return _resolve(request, db, context, user, thread_id, action_id, confirm=False)


@router.post("/web/chat/ask")
def ask_from_a_page(context: Context, user: CheckedWebUser, message: Annotated[str, Form()] = "") -> RedirectResponse:
    """A button elsewhere (e.g. "Prep me for a meeting" on a record page) asks in a new conversation and opens it."""
    text = checked_message(message, context.settings.max_message_chars)
    try:
        response: ChatResponse = context.assistant.ask(user.principal, text, None)
    except (ValidationFailed, NotFound, Forbidden) as error:
        raise HTTPException(422, _failure(error)) from error
    return RedirectResponse(f"/chat/{response.thread_id}", status_code=303)
