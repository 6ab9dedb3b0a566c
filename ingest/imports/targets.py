"""The records an import can write to or link to: those the database holds and those this import creates,
by source id, and indexed for de-duplication."""

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from assistant.crm.models import AuditEntry
from ingest.imports.dedupe import CompanyIndex, PeopleIndex, Target
from ingest.imports.writer import MODELS

FIELDS: dict[str, tuple[str, ...]] = {
    "account": ("name", "domain", "industry", "region", "employees", "parent_id", "owner_id"),
    "contact": ("first_name", "last_name", "account_id", "title", "email", "phone", "owner_id"),
    "deal": ("name", "account_id", "primary_contact_id", "owner_id", "pipeline_id", "stage_id", "amount",
             "currency", "close_date", "next_step", "lead_source", "closed_at"),
    "lead": ("first_name", "last_name", "company", "title", "email", "phone", "source", "status", "notes",
             "owner_id", "converted_at", "converted_account_id", "converted_contact_id", "converted_deal_id"),
    "activity": ("type", "subject", "body", "occurred_at", "due_date", "status", "account_id", "contact_id",
                 "deal_id", "lead_id", "author_id"),
}  # fmt: skip
LOADED_IN_FULL = ("account", "contact", "lead")
"""kinds deduplicated against every record in the database, so all of them are loaded"""


def label(kind: str, values: dict[str, Any]) -> str:
    if kind in ("contact", "lead"):
        return f"{values.get('first_name') or ''} {values.get('last_name') or ''}".strip()
    return str(values.get("name") or values.get("subject") or "")


@dataclass
class RecordIndex:
    source: str
    targets: dict[tuple[str, str], Target] = field(default_factory=dict)
    """(kind, source id) -> the record: created by this source, or merged into by it before"""
    rejected: dict[tuple[str, str], int] = field(default_factory=dict)
    """(kind, source id) -> the line of the rejected row, so a link to it says so"""
    people: dict[str, PeopleIndex] = field(default_factory=lambda: {"contact": PeopleIndex(), "lead": PeopleIndex()})
    companies: CompanyIndex = field(default_factory=CompanyIndex)

    def load(self, session: Session, kind: str) -> None:
        """Index what the database holds of this kind (all of it for the deduplicated kinds, else this source's)."""
        model, fields = MODELS[kind], FIELDS[kind]
        columns = [model.id, model.external_source, model.external_id] + [getattr(model, f) for f in fields]  # type: ignore[attr-defined]
        query = select(*columns)
        if kind not in LOADED_IN_FULL:
            query = query.where(model.external_source == self.source)  # type: ignore[attr-defined]
        by_id: dict[int, Target] = {}
        for record in session.execute(query):
            values = dict(zip(fields, record[3:], strict=True))
            target = Target(kind, record[0], values, record[1], record[2], label=label(kind, values))
            by_id[record[0]] = target
            if record[1] == self.source and record[2]:
                self.targets[(kind, record[2])] = target
            self.index(target)
        aliases = select(AuditEntry.entity_id, AuditEntry.changes).where(
            AuditEntry.action == "merge", AuditEntry.entity_type == kind, AuditEntry.channel == "import"
        )
        for entity_id, changes in session.execute(aliases):
            if changes.get("external_source") == self.source and entity_id in by_id:
                self.targets.setdefault((kind, str(changes.get("external_id"))), by_id[entity_id])

    def index(self, target: Target) -> None:
        values = target.values
        if target.kind == "account":
            self.companies.add(target, values.get("domain"), values.get("name"))
        elif target.kind in self.people:
            self.people[target.kind].add(
                target, values.get("email"), values.get("phone"), values.get("first_name"), values.get("last_name")
            )

    def duplicate(self, kind: str, values: dict[str, Any]) -> tuple[Target, str] | None:
        if kind == "account":
            return self.companies.find(values.get("domain"), values.get("name"))
        if kind in self.people:
            return self.people[kind].find(
                values.get("email"), values.get("phone"), values.get("first_name"), values.get("last_name")
            )
        return None

    def same_source_other_id(self, target: Target, external_id: str | None) -> bool:
        """Whether target is another record of this same source (so a look-alike must not be merged into it)."""
        return bool(
            external_id and target.external_source == self.source and target.external_id
            and target.external_id != external_id
        )  # fmt: skip
