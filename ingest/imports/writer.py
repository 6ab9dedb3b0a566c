"""Bulk writes for an import: chunked INSERT ... RETURNING, batched updates, audit rows and possible duplicates.

Audit rows are written at the end, so a link resolved after every file was read (a parent account later in
the file) lands in its record's "create" entry rather than in a second "update"."""

from datetime import datetime
from typing import Any

from sqlalchemy import Table, bindparam, false, func, insert, select, update
from sqlalchemy.orm import Session

from assistant.crm.audit import plain
from assistant.crm.models import (
    Account,
    Activity,
    AuditEntry,
    Channel,
    Contact,
    Deal,
    DealStageHistory,
    Lead,
    PossibleDuplicate,
)
from ingest.imports.dedupe import Target

MODELS: dict[str, type] = {"account": Account, "contact": Contact, "deal": Deal, "lead": Lead, "activity": Activity}
CHUNK = 5_000
SKIPPED = ("created_at", "updated_at")


def _json(changes: dict[str, Any]) -> dict[str, Any]:
    return {k: [plain(x) for x in v] if isinstance(v, tuple) else plain(v) for k, v in changes.items()}


class Writer:
    def __init__(self, session: Session, actor_id: int, now: datetime) -> None:
        self.session, self.actor_id, self.now = session, actor_id, now
        self._pending: dict[str, list[Target]] = {}
        self._audits: list[tuple[str, str, Target, dict[str, Any]]] = []
        self._history: list[tuple[Target, dict[str, Any]]] = []
        self._updates: dict[Target, dict[str, Any]] = {}
        self._created: dict[int, dict[str, Any]] = {}
        self._duplicates: list[tuple[Target, Target, str, str]] = []

    def create(self, target: Target) -> None:
        pending = self._pending.setdefault(target.kind, [])
        pending.append(target)
        changes = {k: v for k, v in target.values.items() if v is not None and k not in SKIPPED}
        self._created[id(target)] = changes
        self.audit("create", target, changes)
        if len(pending) >= CHUNK:
            self.flush_creates()

    def flush_creates(self) -> None:
        for kind, targets in self._pending.items():
            if not targets:
                continue
            model = MODELS[kind]
            if self.session.get_bind().dialect.name == "sqlite":
                self._insert_with_ids(model.__table__, targets)  # type: ignore[attr-defined]
            else:
                statement = insert(model).returning(model.id, sort_by_parameter_order=True)  # type: ignore[attr-defined]
                ids = self.session.scalars(statement, [target.values for target in targets]).all()
                for target, new_id in zip(targets, ids, strict=True):
                    target.id = new_id
            self._pending[kind] = []

    def _insert_with_ids(self, table: Table, targets: list[Target]) -> None:
        """SQLite cannot return ids in parameter order, so ids are assigned here, under the write lock:
        the no-op UPDATE makes this transaction SQLite's single writer before the highest id is read."""
        self.session.execute(update(table).where(false()).values(id=table.c.id))
        start = self.session.scalar(select(func.max(table.c.id))) or 0
        for offset, target in enumerate(targets, 1):
            target.id = target.values["id"] = start + offset
        self.session.execute(insert(table), [target.values for target in targets])

    def change(self, target: Target, changes: dict[str, tuple[Any, Any]]) -> None:
        """Apply changes to a record: in its pending row if not inserted yet, else with a (batched) UPDATE.
        A record this import created keeps one audit entry: its "create" entry takes the new values."""
        new_values = {field: new for field, (_, new) in changes.items()}
        target.values.update(new_values)
        if target.id is not None and new_values:
            self._updates.setdefault(target, {}).update(new_values)
        if id(target) in self._created:
            self._created[id(target)].update({k: v for k, v in new_values.items() if v is not None})

    def created_here(self, target: Target) -> bool:
        return id(target) in self._created

    def possible_duplicate(self, target: Target, other: Target, matched_on: str, source: str) -> None:
        self._duplicates.append((target, other, matched_on, source))

    def flush_updates(self) -> None:
        groups: dict[tuple[str, frozenset[str]], list[dict[str, Any]]] = {}
        for target, values in self._updates.items():
            groups.setdefault((target.kind, frozenset(values)), []).append({"_id": target.id, **values})
        for (kind, fields), rows in groups.items():
            table = MODELS[kind].__table__  # type: ignore[attr-defined]
            statement = (
                update(table)
                .where(table.c.id == bindparam("_id"))
                .values({**{field: bindparam(field) for field in fields}, "updated_at": self.now})
            )
            self.session.execute(statement, rows)
        self._updates = {}

    def audit(self, action: str, target: Target, changes: dict[str, Any]) -> None:
        self._audits.append((action, target.kind, target, changes))

    def stage_history(self, deal: Target, row: dict[str, Any]) -> None:
        self._history.append((deal, row))

    def flush(self) -> None:
        """Everything but the audit rows and the possible duplicates (see finish)."""
        self.flush_creates()
        self.flush_updates()
        if self._history:
            rows = [{**row, "deal_id": deal.id} for deal, row in self._history]
            self.session.execute(insert(DealStageHistory.__table__), rows)
            self._history = []

    def finish(self) -> None:
        self.flush()
        if self._duplicates:
            rows = [
                {"entity_type": target.kind, "record_id": target.id, "other_id": other.id, "matched_on": how,
                 "source": source, "status": "open", "found_at": self.now}
                for target, other, how, source in self._duplicates
            ]  # fmt: skip
            self.session.execute(insert(PossibleDuplicate.__table__), rows)
            self._duplicates = []
        if self._audits:
            rows = [
                {
                    "actor_id": self.actor_id,
                    "channel": Channel.import_.value,
                    "action": action,
                    "entity_type": kind,
                    "entity_id": target.id,
                    "changes": _json(changes),
                    "at": self.now,
                }
                for action, kind, target, changes in self._audits
            ]
            self.session.execute(insert(AuditEntry.__table__), rows)
            self._audits = []
