"""The import itself: check each row (ingest.imports.validation), match it, then create, update, merge or reject.

Matching, in order: the record this source created before (same source id: the export's values win), a
record this source's row was merged into before (recorded in the audit log: only empty fields are filled),
a duplicate found by ingest.imports.dedupe (merged: only empty fields are filled, audited "merge") unless
it is another record of the same source matched on a look-alike key only (then both are kept and reported
as possible duplicates), else a new record. Empty cells never clear a value. Links that could not be made
while reading are made once every row is in (ingest.imports.links).
"""

from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from time import perf_counter
from typing import Any

from sqlalchemy.orm import Session

from assistant.crm.models import Stage, User
from ingest.imports.dedupe import IDENTITY_KEYS, Target
from ingest.imports.history import import_history
from ingest.imports.links import Linker
from ingest.imports.owners import OwnerResolver
from ingest.imports.records import KINDS, Export, Row
from ingest.imports.report import KEPT_WITH_WARNINGS, ImportReport, Problem
from ingest.imports.stages import StageCatalog
from ingest.imports.targets import FIELDS, RecordIndex, label
from ingest.imports.validation import Checked, Rejected, Validator
from ingest.imports.writer import Writer

Progress = Callable[[str, int, int], None]
PROGRESS_EVERY = 500


def _same(old: Any, new: Any) -> bool:
    if isinstance(old, Decimal) or isinstance(new, Decimal):
        return old is not None and new is not None and Decimal(str(old)) == Decimal(str(new))
    return old == new


class Importer:
    def __init__(
        self, session: Session, export: Export, actor: User, now: datetime, progress: Progress | None = None
    ) -> None:
        self.session, self.export, self.source, self.now = session, export, export.source, now
        self.report = ImportReport(source=export.source, notes=list(export.notes), rows_read=export.total_rows)
        self.writer = Writer(session, actor.id, now)
        self.owners = OwnerResolver(session, actor, export, self._audit_created)
        self.stages = StageCatalog(session, export, self._audit_created)
        self.records = RecordIndex(export.source)
        self.links = Linker(self.records, self.report, self.writer)
        self.validator = Validator(self.stages, self.owners, self.links, now, export.mapping.currency)
        self.progress = progress
        self.created_deals: dict[str, Target] = {}
        self.activities: list[Target] = []
        self._seen: dict[tuple[str, str], tuple[str, int]] = {}
        self._merges: list[tuple[Row, Target, str]] = []
        self.currency_defaulted = 0

    def _audit_created(self, kind: str, record_id: int, values: dict[str, object]) -> None:
        self.writer.audit("create", Target(kind, record_id, {}), values)
        self.report.count(kind, "created")

    def run(self) -> ImportReport:
        for kind in ("deal", "stage_history"):
            for row in self.export.rows.get(kind, []):
                self.stages.observe(row)
        self.stages.prepare()
        for kind in KINDS:
            started = perf_counter()
            rows = self.export.rows.get(kind, [])
            if kind == "stage_history":
                import_history(rows, self.created_deals, self.links, self.stages, self.owners, self.writer,
                               self.report, self.now)  # fmt: skip
            else:
                self._import_kind(kind, rows)
            self.links.done_kinds.add(kind)
            if rows:
                self.report.seconds_per_kind[kind] = perf_counter() - started
        self.links.resolve_deferred()
        self.writer.finish()
        self._notes()
        return self.report

    def _import_kind(self, kind: str, rows: list[Row]) -> None:
        self.records.load(self.session, kind)
        for done, row in enumerate(rows, 1):
            self._import_row(row)
            if self.progress and done % PROGRESS_EVERY == 0:
                self.progress(kind, done, len(rows))
        self.writer.flush()
        if self.progress and rows:
            self.progress(kind, len(rows), len(rows))

    def _notes(self) -> None:
        self.report.merges = [
            {"kind": row.kind, "file": row.file, "line": row.line, "external_id": row.external_id,
             "into_id": target.id, "into": target.label, "matched_on": how}
            for row, target, how in self._merges
        ]  # fmt: skip
        self.report.warnings += self.owners.warnings()
        notes = self.report.notes
        if self.stages.new_pipelines:
            notes.append(f"created pipeline(s): {', '.join(self.stages.new_pipelines)}")
        if self.stages.created:
            notes.append(f"created {len(self.stages.created)} stage(s): {'; '.join(self.stages.created)} "
                         "(rename, merge or set their flags with `stages:` in the --map file)")  # fmt: skip
        if self.owners.created:
            notes.append(f"created {len(self.owners.created)} user(s) for the export's owners, without a password: "
                         f"{', '.join(self.owners.created)}")  # fmt: skip
        if self.currency_defaulted:
            notes.append(f"{self.currency_defaulted} deal(s) name no currency; taken as USD "
                         "(set `currency:` in the --map file if they are not)")  # fmt: skip

    # one row

    def _import_row(self, row: Row) -> None:
        try:
            if row.external_id:
                first = self._seen.setdefault((row.kind, row.external_id), (row.file, row.line))
                if first != (row.file, row.line):
                    reason = f"duplicate id {row.external_id} in the export (first at {first[0]}:{first[1]})"
                    raise Rejected([("Id", reason)])
            checked = self.validator.check(row)
        except Rejected as rejected:
            for column, reason in rejected.problems:
                self.report.rejected.append(Problem(row.file, row.line, column, reason, row.kind))
            self.report.count(row.kind, "rejected")
            if row.external_id:
                self.records.rejected.setdefault((row.kind, row.external_id), row.line)
            return
        target = self._write(row, checked)
        self.currency_defaulted += checked.currency_defaulted
        for name, ref in checked.waiting:
            self.links.defer(row, target, name, ref)
        if row.warnings:
            self.report.warnings += [Problem(row.file, row.line, column, reason, row.kind)
                                     for column, reason in row.warnings]  # fmt: skip
            self.report.count(row.kind, KEPT_WITH_WARNINGS)

    def _write(self, row: Row, checked: Checked) -> Target:
        values, provided = checked.values, checked.provided
        target = self.records.targets.get((row.kind, row.external_id)) if row.external_id else None
        if target is not None:
            owned = target.external_source == self.source and target.external_id == row.external_id
            self._apply(row, target, self._diff(target, values, provided, overwrite=owned))
            return target
        found = self.records.duplicate(row.kind, values)
        if found is not None:
            other, how = found
            if how in IDENTITY_KEYS or not self.records.same_source_other_id(other, row.external_id):
                return self._merge(row, other, how, values, provided)
            created = self._create(row, values)
            self.writer.possible_duplicate(created, other, how, self.source)
            self.report.possible_duplicates.append(
                {"kind": row.kind, "file": row.file, "line": row.line, "external_id": row.external_id,
                 "name": created.label, "other_external_id": other.external_id, "other": other.label,
                 "matched_on": how}
            )  # fmt: skip
            return created
        return self._create(row, values)

    def _merge(self, row: Row, target: Target, how: str, values: dict[str, Any], provided: set[str]) -> Target:
        changes = self._diff(target, values, provided, overwrite=False)
        if row.external_id is None and not changes:
            self.report.count(row.kind, "unchanged")
            return target
        self.writer.change(target, changes)
        audit = {"external_source": self.source, "external_id": row.external_id, "matched_on": how, **changes}
        self.writer.audit("merge", target, audit)
        if row.external_id:
            self.records.targets[(row.kind, row.external_id)] = target
        self._merges.append((row, target, how))
        self.report.count(row.kind, "merged")
        return target

    def _apply(self, row: Row, target: Target, changes: dict[str, tuple[Any, Any]]) -> None:
        if not changes:
            self.report.count(row.kind, "unchanged")
            return
        if row.kind == "deal" and "stage_id" in changes and target.id is not None:
            stage = self.session.get(Stage, changes["stage_id"][1])
            assert stage is not None
            closed_at = self.validator.closed_at(stage, target.values.get("close_date"))
            changes["closed_at"] = (target.values.get("closed_at"), closed_at)
            self.writer.stage_history(
                target,
                {"from_stage_id": changes["stage_id"][0], "to_stage_id": changes["stage_id"][1],
                 "changed_by_id": self.writer.actor_id, "changed_at": self.now},
            )  # fmt: skip
        self.writer.change(target, changes)
        self.writer.audit("update", target, changes)
        if row.kind == "activity":
            self.activities.append(target)
        self.report.count(row.kind, "updated")

    def _create(self, row: Row, values: dict[str, Any]) -> Target:
        record = {name: values.get(name) for name in FIELDS[row.kind]}
        if row.kind == "deal" and record["amount"] is None:
            record["amount"] = Decimal(0)
        stamp = row.on_create.get("created_at") or self.now
        record.update(external_source=self.source, external_id=row.external_id, created_at=stamp, updated_at=self.now)
        if row.kind == "activity" and record["occurred_at"] is None:
            record["occurred_at"] = self.now
        target = Target(row.kind, None, record, self.source, row.external_id, created_now=True)
        target.label = label(row.kind, record)
        self.writer.create(target)
        self.records.index(target)
        if row.external_id:
            self.records.targets[(row.kind, row.external_id)] = target
            if row.kind == "deal":
                self.created_deals[row.external_id] = target
        if row.kind == "activity":
            self.activities.append(target)
        self.report.count(row.kind, "created")
        return target

    def _diff(
        self, target: Target, values: dict[str, Any], provided: set[str], overwrite: bool
    ) -> dict[str, tuple[Any, Any]]:
        changes: dict[str, tuple[Any, Any]] = {}
        for name in provided:
            old, new = target.values.get(name), values.get(name)
            if not overwrite and old not in (None, ""):
                continue
            if not _same(old, new):
                changes[name] = (old, new)
        return changes
