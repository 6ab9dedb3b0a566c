"""Recording which named records changed, in the same transaction as the change.

Name lookups (the offline brain's name index) keep a copy of every record name in memory; each worker
process asks for the latest change id before a message (one indexed read) and reloads only the records
that changed. ORM flushes are recorded by the listener installed in assistant.crm.db; code that writes
with bulk SQL calls :func:`note_reload` for the kinds it touched.
"""

from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session, UOWTransaction

from assistant.crm.models import Account, Contact, Deal, Lead, NameChange, Pipeline, Stage, Team, User

WATCHED: dict[type, tuple[str, tuple[str, ...]]] = {
    Account: ("account", ("name", "owner_id")),
    Deal: ("deal", ("name", "account_id", "owner_id", "stage_id")),
    Contact: ("contact", ("first_name", "last_name", "account_id", "owner_id")),
    Lead: ("lead", ("first_name", "last_name", "owner_id", "status", "source")),
    User: ("user", ("name", "team_id", "is_active")),
    Team: ("team", ("name", "manager_id")),
    Stage: ("stage", ("name", "is_closed", "is_won")),
    Pipeline: ("pipeline", ("name",)),
}
"""model -> (kind, the columns whose change matters to name lookups and access)"""


def _changed(instance: Any, columns: tuple[str, ...]) -> bool:
    state = instance._sa_instance_state  # noqa: SLF001 - SQLAlchemy's documented attribute history
    return any(state.attrs[c].history.has_changes() for c in columns if c in state.attrs)


def record_flush(session: Session, _flush: UOWTransaction) -> None:
    """After a flush: one NameChange row per watched record that was created, deleted or renamed."""
    rows: list[dict[str, Any]] = []
    for instance in [*session.new, *session.deleted, *session.dirty]:
        watched = WATCHED.get(type(instance))
        if watched is None or getattr(instance, "id", None) is None:
            continue
        kind, columns = watched
        if instance in session.dirty and not _changed(instance, columns):
            continue
        rows.append({"entity_type": kind, "entity_id": instance.id})
    if rows:
        session.connection().execute(insert(NameChange), rows)


def note_reload(session: Session, kind: str) -> None:
    """After bulk SQL writes to ``kind`` records: every name index reloads that kind."""
    session.execute(insert(NameChange).values(entity_type=kind, entity_id=0))


def latest_change(session: Session) -> int:
    return int(session.scalar(select(func.max(NameChange.id))) or 0)


def changes_since(session: Session, change_id: int) -> list[tuple[str, int]]:
    query = select(NameChange.entity_type, NameChange.entity_id).where(NameChange.id > change_id)
    return list(dict.fromkeys((kind, int(entity)) for kind, entity in session.execute(query.order_by(NameChange.id))))
