"""Proposals a channel makes itself (a forwarded email to log, a call recording) shown like any assistant turn.

The write waits in the person's thread as a PendingAction, exactly as if a tool had proposed it in
a chat turn, so "confirm" / "yes" / the Confirm button apply it once through Assistant.confirm. Its
preview is the same readable one a chat turn's proposal gets (assistant.agent.answers.rich_answer).
"""

import uuid
from typing import Any

from assistant.agent.answers import rich_answer
from assistant.agent.writes import public_action
from assistant.crm.db import session_scope
from assistant.crm.deps import Deps
from assistant.crm.models import Message, Thread
from assistant.crm.principal import Principal
from assistant.crm.schemas.chat import ChatResponse
from assistant.crm.schemas.results import ProposalPublic


def present_proposal(
    assistant: Any, principal: Principal, request: str, answer: str, proposal: ProposalPublic, external_ref: str
) -> ChatResponse:
    """Record `request` and `answer` in the thread for `external_ref` and leave `proposal` waiting there."""
    propose = getattr(assistant, "propose", None)
    if callable(propose):
        return propose(principal, proposal, answer=answer, request=request, external_ref=external_ref)
    with session_scope(assistant.sessions) as session:
        thread_id = assistant.thread_for(principal, external_ref)
        thread = session.get(Thread, thread_id) if thread_id else None
        now = assistant.clock.now()
        if thread is None:
            thread = Thread(
                id=str(uuid.uuid4()),
                user_id=principal.user_id,
                channel=str(principal.channel),
                external_ref=external_ref,
                title=request[:80],
                state={},
                created_at=now,
                updated_at=now,
            )
            session.add(thread)
            session.flush()
        deps = Deps(principal, session, assistant.clock, assistant.settings, getattr(assistant, "retriever", None))
        action = assistant.writes.propose(deps, thread, proposal)
        pending = public_action(action)
        thread.state = {**(thread.state or {}), "pending_action_id": action.id}
        thread.updated_at = now
        rich = rich_answer(answer, [], principal, pending, session)
        response = ChatResponse(
            answer=answer, thread_id=thread.id, records=proposal.records, pending_action=pending, rich=rich
        )
        session.add(Message(thread_id=thread.id, role="user", content=request, data={}, created_at=now))
        data = response.model_dump(mode="json", exclude={"answer"})
        session.add(Message(thread_id=thread.id, role="assistant", content=answer, data=data, created_at=now))
        return response
