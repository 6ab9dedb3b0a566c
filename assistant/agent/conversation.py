"""The assistant's front door: threads, turns, and the confirm / cancel / undo of proposed writes.

Every channel calls `Assistant.ask`; a turn runs in one transaction. The brain (offline or LLM)
chooses and runs tools; a write tool's proposal ends the turn as a PendingAction that only the
person who asked can confirm, and that is applied once however often the confirmation arrives.
"""

import logging
import uuid
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from assistant.agent.answers import rich_answer
from assistant.agent.brains.base import Brain, Reply, ToolRunner, Turn
from assistant.agent.brains.offline.names import NameIndex
from assistant.agent.brains.offline.render import Renderer
from assistant.agent.grounding import build_evidence, check
from assistant.agent.writes import PendingWrites, persist_thread, public_action
from assistant.crm.clock import Clock
from assistant.crm.db import session_scope
from assistant.crm.deps import Deps, Retriever
from assistant.crm.errors import NotFound, ValidationFailed
from assistant.crm.models import Message, Thread
from assistant.crm.principal import Principal
from assistant.crm.schemas.chat import ChatResponse, ToolCallPublic
from assistant.crm.settings import Settings

log = logging.getLogger(__name__)

MAX_MESSAGE_CHARS = 4000
UNREADABLE = (
    "I could not read part of that message ({error}). Please check its dates (e.g. 2026-02-28) "
    "and numbers and ask again."
)
HISTORY_TURNS = 12


@dataclass
class ThreadSummary:
    id: str
    title: str
    channel: str
    updated_at: Any


@dataclass
class GroundingStats:
    checked: int = 0
    violations: int = 0
    replaced: list[str] = field(default_factory=list)


class Assistant:
    def __init__(
        self,
        settings: Settings,
        sessions: sessionmaker[Session],
        clock: Clock,
        brain: Brain,
        runner: ToolRunner,
        names: NameIndex | None = None,
        renderer: Renderer | None = None,
        retriever: Retriever | None = None,
    ) -> None:
        self.settings = settings
        self.sessions = sessions
        self.clock = clock
        self.brain = brain
        self.runner = runner
        self.names = names
        """CRM names for the grounding check (optional)"""
        self.renderer = renderer
        self.retriever = retriever
        self.grounding = GroundingStats()
        self.writes = PendingWrites(clock, runner.toolset.writes)

    def warm(self) -> None:
        """Load what the first message would otherwise wait for: the CRM name catalog (seconds on a large CRM)."""
        if self.names is None:
            return
        with session_scope(self.sessions) as session:
            self.names.warm(session)

    def _deps(self, principal: Principal, session: Session) -> Deps:
        return Deps(principal, session, self.clock, self.settings, self.retriever)

    def _thread(
        self, session: Session, principal: Principal, thread_id: str | None, external_ref: str | None
    ) -> Thread:
        if thread_id:
            thread = session.get(Thread, thread_id)
            if thread is None or thread.user_id != principal.user_id:
                raise NotFound("thread", thread_id)
            return thread
        if external_ref:
            found = self._by_ref(session, principal, external_ref)
            if found is not None:
                return found
        return Thread(
            id=str(uuid.uuid4()),
            user_id=principal.user_id,
            channel=str(principal.channel),
            external_ref=external_ref,
            state={},
        )

    def _by_ref(self, session: Session, principal: Principal, external_ref: str) -> Thread | None:
        query = select(Thread).where(Thread.user_id == principal.user_id, Thread.external_ref == external_ref)
        return session.scalars(query.order_by(Thread.created_at.desc())).first()

    def _history(self, session: Session, thread: Thread) -> list[tuple[str, str]]:
        query = select(Message).where(Message.thread_id == thread.id).order_by(Message.id.desc()).limit(HISTORY_TURNS)
        return [(m.role, m.content) for m in reversed(session.scalars(query).all())]

    def _record(self, session: Session, thread: Thread, role: str, content: str, data: dict[str, Any]) -> None:
        persist_thread(session, thread)
        session.add(Message(thread_id=thread.id, role=role, content=content, data=data, created_at=self.clock.now()))
        thread.updated_at = self.clock.now()
        if not thread.title and role == "user":
            thread.title = content[:80]

    def _respond(
        self, session: Session, thread: Thread, answer: str, reply: Reply | None = None, **extra: Any
    ) -> ChatResponse:
        response = ChatResponse(
            answer=answer,
            thread_id=thread.id,
            tool_calls=[ToolCallPublic(name=r.name, args=r.args) for r in reply.runs] if reply else [],
            records=reply.records if reply else extra.pop("records", []),
            grounded=reply.grounded if reply else True,
            diagnostics=reply.diagnostics if reply else None,
            **extra,
        )
        self._record(session, thread, "assistant", answer, response.model_dump(mode="json", exclude={"answer"}))
        return response

    def ask(
        self, principal: Principal, message: str, thread_id: str | None = None, external_ref: str | None = None
    ) -> ChatResponse:
        """One turn: the person's message in, the assistant's answer (and any pending write) out."""
        text = (message or "").strip()
        if not text:
            raise ValidationFailed("message", "must not be empty")
        if len(text) > MAX_MESSAGE_CHARS:
            raise ValidationFailed("message", f"is {len(text)} characters; the limit is {MAX_MESSAGE_CHARS}")
        with session_scope(self.sessions) as session:
            thread = self._thread(session, principal, thread_id, external_ref)
            history = self._history(session, thread) if thread in session else []
            deps = self._deps(principal, session)
            control = self.writes.control(deps, thread, text)
            if control is not None:
                self._record(session, thread, "user", text, {})
                answer, action, records = control
                return self._respond(session, thread, answer, pending_action=action, records=records)
            state = dict(thread.state or {})
            try:
                reply = self.brain.reply(Turn(deps=deps, message=text, state=state, history=history))
            except ValueError as error:  # a date or number in the message that no calendar or column holds
                log.info("could not read the message: %s", error)
                reply = Reply(answer=UNREADABLE.format(error=error))
            if reply.needs_grounding:
                self._ground(deps, text, reply)
            self._record(session, thread, "user", text, {})
            pending = None
            if reply.proposal is not None:
                action = self.writes.propose(deps, thread, reply.proposal)
                pending = public_action(action)
                state["pending_action_id"] = action.id
            thread.state = state
            rich = rich_answer(reply.answer, reply.runs, principal, pending, session)
            return self._respond(session, thread, reply.answer, reply, pending_action=pending, rich=rich)

    def _ground(self, deps: Deps, message: str, reply: Reply) -> None:
        results: list[Any] = [run.result for run in reply.runs if run.result is not None]
        results += [{"error": run.error} for run in reply.runs if run.error is not None]
        evidence = build_evidence(results, message)
        names = self.names.names_in(deps.session, reply.answer) if self.names is not None else []
        outcome = check(reply.answer, evidence, names)
        self.grounding.checked += 1
        if outcome.ok:
            return
        self.grounding.violations += 1
        self.grounding.replaced.append(reply.answer)
        log.warning("ungrounded answer replaced: %s", [v.text for v in outcome.violations])
        reply.grounded = False
        if self.renderer is not None:
            reply.answer = self.renderer.plain(reply.runs)
        else:
            reply.answer = "I could not verify that answer against the CRM, so here is what the tools returned."

    def confirm(self, principal: Principal, thread_id: str, action_id: str | None = None) -> ChatResponse:
        """Apply the thread's pending write, once; a repeated confirmation returns the first result."""
        with session_scope(self.sessions) as session:
            thread = self._thread(session, principal, thread_id, None)
            answer, action, records = self.writes.confirm(self._deps(principal, session), thread, action_id)
            return self._respond(session, thread, answer, pending_action=action, records=records)

    def cancel(self, principal: Principal, thread_id: str, action_id: str | None = None) -> ChatResponse:
        with session_scope(self.sessions) as session:
            thread = self._thread(session, principal, thread_id, None)
            answer, action, records = self.writes.cancel(self._deps(principal, session), thread, action_id)
            return self._respond(session, thread, answer, pending_action=action, records=records)

    def thread_for(self, principal: Principal, external_ref: str) -> str | None:
        with session_scope(self.sessions) as session:
            thread = self._by_ref(session, principal, external_ref)
            return thread.id if thread else None

    def threads(self, principal: Principal, limit: int = 50) -> list[ThreadSummary]:
        """The person's threads, most recently active first."""
        with session_scope(self.sessions) as session:
            query = (
                select(Thread)
                .where(Thread.user_id == principal.user_id)
                .order_by(Thread.updated_at.desc(), Thread.created_at.desc())
                .limit(limit)
            )
            return [ThreadSummary(t.id, t.title, t.channel, t.updated_at) for t in session.scalars(query)]

    def messages(self, principal: Principal, thread_id: str) -> list[dict[str, Any]]:
        with session_scope(self.sessions) as session:
            thread = self._thread(session, principal, thread_id, None)
            query = select(Message).where(Message.thread_id == thread.id).order_by(Message.id)
            return [
                {"id": m.id, "role": m.role, "content": m.content, "data": m.data, "created_at": m.created_at}
                for m in session.scalars(query)
            ]
