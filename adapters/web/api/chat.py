"""/api/chat: talk to the assistant, confirm or cancel its proposed writes, read past threads."""

from typing import Annotated, Any

from fastapi import APIRouter, Path
from pydantic import BaseModel, Field

from adapters.web.context import Context, CurrentPrincipal
from assistant.crm.schemas.chat import ChatResponse
from assistant.crm.schemas.common import Input, Timestamp

router = APIRouter(prefix="/api/chat", tags=["chat"])


ID_MAX_CHARS = 64
ThreadPath = Annotated[str, Path(max_length=ID_MAX_CHARS, description="a thread id from an earlier answer")]


class ChatRequest(Input):
    message: str = Field(min_length=1, max_length=4000)
    thread_id: str | None = Field(default=None, max_length=ID_MAX_CHARS)


class ActionRequest(Input):
    action_id: str | None = Field(
        default=None, max_length=ID_MAX_CHARS, description="the pending action; the thread's latest if unset"
    )


class ThreadPublic(BaseModel):
    id: str
    title: str
    channel: str
    updated_at: Timestamp | None


class MessagePublic(BaseModel):
    id: int
    role: str
    content: str
    data: dict[str, Any]
    created_at: Timestamp | None


class ThreadDetailPublic(ThreadPublic):
    messages: list[MessagePublic]


@router.post("")
def chat(body: ChatRequest, context: Context, principal: CurrentPrincipal) -> ChatResponse:
    """One turn of the conversation; a write comes back as `pending_action`, applied only on confirm."""
    return context.assistant.ask(principal, body.message, body.thread_id)


@router.post("/{thread_id}/confirm")
def confirm(
    thread_id: ThreadPath, context: Context, principal: CurrentPrincipal, body: ActionRequest | None = None
) -> ChatResponse:
    return context.assistant.confirm(principal, thread_id, body.action_id if body else None)


@router.post("/{thread_id}/cancel")
def cancel(
    thread_id: ThreadPath, context: Context, principal: CurrentPrincipal, body: ActionRequest | None = None
) -> ChatResponse:
    return context.assistant.cancel(principal, thread_id, body.action_id if body else None)


@router.get("/threads")
def threads(context: Context, principal: CurrentPrincipal) -> list[ThreadPublic]:
    return [ThreadPublic(**vars(t)) for t in context.assistant.threads(principal)]


@router.get("/threads/{thread_id}")
def thread(thread_id: ThreadPath, context: Context, principal: CurrentPrincipal) -> ThreadDetailPublic:
    messages = context.assistant.messages(principal, thread_id)
    summary = next((t for t in context.assistant.threads(principal, limit=500) if t.id == thread_id), None)
    return ThreadDetailPublic(
        id=thread_id,
        title=summary.title if summary else "",
        channel=summary.channel if summary else "",
        updated_at=summary.updated_at if summary else None,
        messages=[MessagePublic(**m) for m in messages],
    )
