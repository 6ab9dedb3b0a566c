"""Import test helpers: the sample exports in tests/imports/data, row counts, and records by their source ids."""

from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from assistant.crm.models import Account, Activity, AuditEntry, Contact, Deal, DealStageHistory, Lead

DATA = Path(__file__).resolve().parents[1] / "imports" / "data"
MODELS: dict[str, Any] = {"account": Account, "contact": Contact, "deal": Deal, "lead": Lead, "activity": Activity}


def table_counts(session: Session) -> dict[str, int]:
    models = (Account, Contact, Lead, Deal, DealStageHistory, Activity, AuditEntry)
    return {model.__tablename__: session.scalar(select(func.count()).select_from(model)) or 0 for model in models}


def by_source(session: Session, kind: str, source: str) -> dict[str, Any]:
    """The records a source created or merged into, by source id."""
    model = MODELS[kind]
    records = {row.external_id: row for row in session.scalars(select(model).where(model.external_source == source))}
    merges = session.scalars(
        select(AuditEntry).where(AuditEntry.action == "merge", AuditEntry.entity_type == kind)
    ).all()
    for merge in merges:
        if merge.changes.get("external_source") == source:
            records[merge.changes["external_id"]] = session.get(model, merge.entity_id)
    return records
