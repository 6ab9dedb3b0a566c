"""Channel events handled once: a Slack event id or an email Message-ID is claimed before any answer or write."""

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from assistant.crm.db import session_scope
from assistant.crm.models import ProcessedEvent

MAX_EVENT_ID = 300


def claim_event(
    sessions: sessionmaker[Session], source: str, event_id: str, outcome: str = "accepted", detail: str | None = None
) -> bool:
    """Record the event; False when it was already recorded (a retry or a duplicate), so the caller stays silent."""
    try:
        with session_scope(sessions) as session:
            session.add(ProcessedEvent(source=source, event_id=event_id[:MAX_EVENT_ID], outcome=outcome, detail=detail))
    except IntegrityError:
        return False
    return True


def mark_event(sessions: sessionmaker[Session], source: str, event_id: str, outcome: str, detail: str | None) -> None:
    """Update what became of a claimed event (answered, rejected, failed) and why."""
    with session_scope(sessions) as session:
        event = session.get(ProcessedEvent, (source, event_id[:MAX_EVENT_ID]))
        if event is not None:
            event.outcome = outcome[:32]
            event.detail = detail


def event_outcome(session: Session, source: str, event_id: str) -> ProcessedEvent | None:
    return session.scalars(
        select(ProcessedEvent).where(ProcessedEvent.source == source, ProcessedEvent.event_id == event_id)
    ).first()
