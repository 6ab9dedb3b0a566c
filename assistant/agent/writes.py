"""Proposed writes as PendingAction rows: created by a turn, applied once on confirmation, or dropped.

Only the person who asked can confirm (threads are private to their owner and the action's user
is checked again). Applying claims the row with a conditional UPDATE (pending -> applying) inside
the turn's transaction, so two confirmations racing each other apply the change once; the second
returns the first one's answer. "undo" proposes the reverse of the last applied change, which
again needs a confirmation.
"""

import logging
import uuid
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from assistant.agent.safety import is_cancellation, is_confirmation, is_undo
from assistant.crm.clock import Clock
from assistant.crm.deps import Deps
from assistant.crm.errors import DealwiseError, Forbidden, NotFound
from assistant.crm.models import PendingAction, Stage, Thread
from assistant.crm.schemas.chat import FieldChange, PendingActionPublic, RecordRef
from assistant.crm.schemas.results import ProposalPublic
from tools.base import WriteSpec

log = logging.getLogger(__name__)

Outcome = tuple[str, PendingActionPublic | None, list[RecordRef]]
UNDO_PREFIX = "undo:"


def public_action(action: PendingAction) -> PendingActionPublic:
    preview = action.preview or {}
    return PendingActionPublic(
        id=action.id, kind=action.kind, summary=preview.get("summary", action.kind), changes=preview.get("changes", [])
    )


def _records(action: PendingAction) -> list[RecordRef]:
    return [RecordRef.model_validate(r) for r in (action.preview or {}).get("records", [])]


def persist_thread(session: Session, thread: Thread) -> None:
    """Insert a thread made by this turn (threads are written only once the turn has its answer)."""
    if thread not in session:
        session.add(thread)
        session.flush()


class PendingWrites:
    """The pending, applied and undone writes of threads; ``writes`` says how each kind applies and undoes."""

    def __init__(self, clock: Clock, writes: Mapping[str, WriteSpec]) -> None:
        self.clock = clock
        self.writes = writes

    def _actions(self, session: Session, thread: Thread) -> list[PendingAction]:
        query = select(PendingAction).where(PendingAction.thread_id == thread.id)
        return list(session.scalars(query.order_by(PendingAction.created_at.desc(), PendingAction.id)))

    def _find(self, session: Session, thread: Thread, action_id: str | None) -> PendingAction:
        if action_id:
            action = session.get(PendingAction, action_id)
            if action is None or action.thread_id != thread.id:
                raise NotFound("pending action", action_id)
            return action
        pending_id = (thread.state or {}).get("pending_action_id")
        action = session.get(PendingAction, pending_id) if pending_id else None
        if action is None:
            actions = self._actions(session, thread)
            action = next((a for a in actions if a.status == "pending"), actions[0] if actions else None)
        if action is None:
            raise NotFound("pending action", f"in thread {thread.id}")
        return action

    def _own(self, deps: Deps, thread: Thread, action_id: str | None, verb: str) -> PendingAction:
        """The thread's action, if the person asking is the one who proposed it."""
        action = self._find(deps.session, thread, action_id)
        if action.user_id != deps.principal.user_id:
            raise Forbidden(f"only the person who asked for this change can {verb} it")
        return action

    @staticmethod
    def _claim(session: Session, action: PendingAction, **values: Any) -> bool:
        """Move a still-pending action on (one UPDATE, so of two racing turns only one wins)."""
        claimed = session.execute(
            update(PendingAction)
            .where(PendingAction.id == action.id, PendingAction.status == "pending")
            .values(**values)
        )
        return claimed.rowcount == 1  # type: ignore[attr-defined]

    def propose(self, deps: Deps, thread: Thread, proposal: ProposalPublic) -> PendingAction:
        """Store the proposal; an older proposal still waiting in this thread expires."""
        session = deps.session
        persist_thread(session, thread)
        session.execute(
            update(PendingAction)
            .where(PendingAction.thread_id == thread.id, PendingAction.status == "pending")
            .values(status="expired", resolved_at=self.clock.now())
        )
        action = PendingAction(
            id=str(uuid.uuid4()),
            thread_id=thread.id,
            user_id=deps.principal.user_id,
            kind=proposal.kind,
            payload=proposal.payload,
            preview=proposal.model_dump(mode="json", exclude={"payload"}),
            status="pending",
            result={},
            channel=str(deps.principal.channel),
            created_at=self.clock.now(),
        )
        session.add(action)
        session.flush()
        return action

    def control(self, deps: Deps, thread: Thread, message: str) -> Outcome | None:
        """Handle "yes" / "cancel" / "undo" typed in the chat; None when the message is none of them."""
        state = thread.state or {}
        waiting = state.get("pending_action_id")
        if waiting and is_confirmation(message):
            return self.confirm(deps, thread, waiting)
        if waiting and is_cancellation(message):
            return self.cancel(deps, thread, waiting)
        if is_undo(message):
            return self.undo(deps, thread)
        return None

    def confirm(self, deps: Deps, thread: Thread, action_id: str | None) -> Outcome:
        session = deps.session
        action = self._own(deps, thread, action_id, "confirm")
        if not self._claim(session, action, status="applying"):
            session.refresh(action)
            return self._settled(action)
        apply = self.applier(action.kind)
        if apply is None:
            raise NotFound("action kind", action.kind)
        try:
            with session.begin_nested():
                result = apply(deps, dict(action.payload))
        except DealwiseError as exc:
            self._resolve(session, action, "failed", {"error": str(exc), "answer": f"I could not apply it: {exc}"})
            return action_result(action)
        summary = (action.preview or {}).get("summary", action.kind)
        answer = f"Done: {summary}"
        self._resolve(session, action, "applied", {**(result or {}), "answer": answer})
        state = dict(thread.state or {})
        state.pop("pending_action_id", None)
        state["last_applied_id"] = action.id
        thread.state = state
        return action_result(action)

    def _resolve(self, session: Session, action: PendingAction, status: str, result: dict[str, Any]) -> None:
        action.status = status
        action.result = result
        action.resolved_at = self.clock.now()
        session.flush()

    def _settled(self, action: PendingAction) -> Outcome:
        if action.status in ("applied", "failed"):
            return action_result(action)
        if action.status == "applying":
            return "That change is being applied right now.", public_action(action), _records(action)
        return f"That change was {action.status}; nothing was applied.", public_action(action), _records(action)

    def cancel(self, deps: Deps, thread: Thread, action_id: str | None) -> Outcome:
        session = deps.session
        action = self._own(deps, thread, action_id, "cancel")
        claimed = self._claim(session, action, status="cancelled", resolved_at=self.clock.now())
        session.refresh(action)
        state = dict(thread.state or {})
        if state.get("pending_action_id") == action.id:
            state.pop("pending_action_id")
            thread.state = state
        if not claimed:
            return self._settled(action)
        return "Cancelled; nothing was changed.", public_action(action), _records(action)

    def undo(self, deps: Deps, thread: Thread) -> Outcome:
        """Propose the reverse of the last change applied in this thread."""
        session = deps.session
        applied = [a for a in self._actions(session, thread) if a.status == "applied"]
        applied.sort(key=lambda a: a.resolved_at or datetime.min, reverse=True)
        if not applied:
            return "There is no change in this conversation to undo.", None, []
        last = applied[0]
        spec = self.writes.get(last.kind)
        if spec is None:
            return f"I can't undo a {last.kind.replace('_', ' ')} change.", None, _records(last)
        proposal = undo_proposal(deps, last, spec)
        action = self.propose(deps, thread, proposal)
        last.result = {**(last.result or {}), "undone_by": action.id}
        state = dict(thread.state or {})
        state["pending_action_id"] = action.id
        thread.state = state
        answer = f"To undo the last change I will: {proposal.summary}. Confirm to apply it, or cancel."
        return answer, public_action(action), list(proposal.records)

    def applier(self, kind: str) -> Any:
        """The function that applies a confirmed action of this kind ("undo:<kind>" reverses one)."""
        spec = self.writes.get(kind.removeprefix(UNDO_PREFIX))
        if spec is None:
            return None
        if kind.startswith(UNDO_PREFIX):
            return lambda deps, payload: spec.undo(deps, payload["result"])
        return spec.apply


def undo_proposal(deps: Deps, applied: PendingAction, spec: WriteSpec) -> ProposalPublic:
    """The reverse of an applied change, as a proposal that needs its own confirmation."""
    result = {k: v for k, v in (applied.result or {}).items() if k not in ("answer", "undone_by")}
    name = str(result.get("name", applied.kind))

    def shown(field: str, value: Any) -> Any:
        if field == "stage_id" and value is not None:
            stage = deps.session.get(Stage, int(value))
            return stage.name if stage else value
        return value

    changes = [
        FieldChange(
            record_type=str(result.get("record_type", "deal")),
            record_id=result.get("record_id"),
            record_name=name,
            field=field.removesuffix("_id") if field == "stage_id" else field,
            old=shown(field, (result.get("new") or {}).get(field)),
            new=shown(field, old),
        )
        for field, old in (result.get("old") or {}).items()
    ]
    if changes:
        summary = f"Undo the change to {name}: " + "; ".join(f"{c.field} {c.old} -> {c.new}" for c in changes)
    else:
        label = spec.undo_label or f"reverse the {applied.kind.replace('_', ' ')}"
        summary = f"Undo: {label} '{name}'"
        changes = [
            FieldChange(
                record_type=str(result.get("record_type", "activity")),
                record_id=result.get("record_id"),
                record_name=name,
                field="record",
                old=name,
                new="deleted",
            )
        ]
    records = [RecordRef(type=c.record_type, id=c.record_id, name=name) for c in changes[:1] if c.record_id]
    return ProposalPublic(
        kind=UNDO_PREFIX + applied.kind,
        summary=summary,
        changes=changes,
        payload={"result": result, "undoes": applied.id},
        records=records,
    )


def action_result(action: PendingAction) -> Outcome:
    answer = (action.result or {}).get("answer") or f"That change was {action.status}."
    return answer, public_action(action), _records(action)
