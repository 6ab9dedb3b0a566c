"""The import itself: validate each row with the API's rules, match it, then create, update, merge or reject.

Matching, in order: the record this source created before (same external id: the export's values win),
a record this source's row was merged into before (recorded in the audit log: only empty fields are filled),
a duplicate found by ingest.imports.dedupe (merged: only empty fields are filled, audited "merge"),
else a new record. Empty cells never clear a value.
"""

import re
from collections.abc import Callable
from datetime import datetime, time
from decimal import Decimal
from typing import Any

from email_validator import SPECIAL_USE_DOMAIN_NAMES
from pydantic import BaseModel, ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from assistant.crm.models import AuditEntry, Stage, User
from assistant.crm.schemas.accounts import AccountCreate
from assistant.crm.schemas.activities import ActivityCreate
from assistant.crm.schemas.contacts import ContactCreate
from assistant.crm.schemas.deals import DealCreate
from assistant.crm.schemas.leads import LeadCreate
from ingest.imports.dedupe import CompanyIndex, PeopleIndex, Target, normal_domain
from ingest.imports.owners import OwnerResolver
from ingest.imports.records import Export, Ref, Row
from ingest.imports.report import ImportReport, Problem
from ingest.imports.stages import StageMapper
from ingest.imports.writer import MODELS, Writer

Progress = Callable[[str, int, int], None]
SCHEMAS: dict[str, type[BaseModel]] = {
    "account": AccountCreate,
    "contact": ContactCreate,
    "deal": DealCreate,
    "lead": LeadCreate,
    "activity": ActivityCreate,
}
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
REQUIRED_LINKS = {("deal", "account_id")}
LOADED_IN_FULL = ("account", "contact", "lead")
"""kinds deduplicated against every record in the database, so all of them are loaded"""


class Rejected(Exception):
    def __init__(self, problems: list[tuple[str, str]]) -> None:
        super().__init__("; ".join(f"{field}: {reason}" for field, reason in problems))
        self.problems = problems


def _same(old: Any, new: Any) -> bool:
    if isinstance(old, Decimal) or isinstance(new, Decimal):
        return old is not None and new is not None and Decimal(str(old)) == Decimal(str(new))
    return old == new


PLAIN_EMAIL = re.compile(
    r"^[A-Za-z0-9_+-]+(?:\.[A-Za-z0-9_+-]+)*@((?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+([A-Za-z]{2,63}))$"
)
SPECIAL_USE_TLDS = frozenset(SPECIAL_USE_DOMAIN_NAMES)


def plain_valid_email(value: Any) -> str | None:
    """A shortcut for the common case: an ASCII address that email-validator (the API's EmailStr) surely accepts,
    normalised the way it does (domain in lower case). None means: let the schema decide."""
    if not isinstance(value, str) or len(value) > 254:
        return None
    match = PLAIN_EMAIL.match(value)
    if match is None or match.group(2).lower() in SPECIAL_USE_TLDS or value.index("@") > 64:
        return None
    local, domain = value.rsplit("@", 1)
    return f"{local}@{domain.lower()}"


def _message(error: Any) -> str:
    if error["type"] == "missing":
        return "required, but empty in the export"
    message = str(error["msg"]).removeprefix("Value error, ")
    value = error.get("input")
    return f"{message} (got {value!r})" if isinstance(value, str | int | float) else message


class Importer:
    def __init__(
        self, session: Session, export: Export, actor: User, now: datetime, progress: Progress | None = None
    ) -> None:
        self.session, self.export, self.source, self.now = session, export, export.source, now
        self.report = ImportReport(source=export.source, notes=list(export.notes), rows_read=export.total_rows)
        self.writer = Writer(session, actor.id, now)
        self.owners = OwnerResolver(session, actor, export.user_emails)
        self.stages = StageMapper(session, export.stage_map)
        self.progress = progress
        self.targets: dict[tuple[str, str], Target] = {}
        self.people = {"contact": PeopleIndex(), "lead": PeopleIndex()}
        self.companies = CompanyIndex()
        self.created_deals: dict[str, Target] = {}
        self.activity_ids: list[Target] = []
        self._merges: list[tuple[Row, Target, str]] = []
        self._seen: dict[tuple[str, str], int] = {}
        self._linked: dict[str, Target] = {}

    def run(self) -> ImportReport:
        for kind in ("account", "contact", "deal", "stage_history", "lead", "activity"):
            rows = self.export.rows.get(kind, [])
            if kind == "stage_history":
                self._stage_history(rows)
                continue
            self._load(kind)
            levels = self._account_levels(rows) if kind == "account" else [rows]
            done = 0
            for level in levels:
                for row in level:
                    self._import_row(row)
                    done += 1
                    if self.progress and done % 500 == 0:
                        self.progress(kind, done, len(rows))
                self.writer.flush_creates()
            if self.progress and rows:
                self.progress(kind, len(rows), len(rows))
            self.writer.flush()
        self.report.warnings += self.owners.warnings()
        self.report.merges = [
            {"kind": row.kind, "file": row.file, "line": row.line, "external_id": row.external_id,
             "into_id": target.id, "into": target.label, "matched_on": how}
            for row, target, how in self._merges
        ]  # fmt: skip
        return self.report

    # loading what the database already holds

    def _load(self, kind: str) -> None:
        model, fields = MODELS[kind], FIELDS[kind]
        columns = [model.id, model.external_source, model.external_id] + [getattr(model, f) for f in fields]  # type: ignore[attr-defined]
        query = select(*columns)
        if kind not in LOADED_IN_FULL:
            query = query.where(model.external_source == self.source)  # type: ignore[attr-defined]
        by_id: dict[int, Target] = {}
        for record in self.session.execute(query):
            values = dict(zip(fields, record[3:], strict=True))
            target = Target(kind, record[0], values, record[1], record[2], label=self._label(kind, values))
            by_id[target.id] = target  # type: ignore[index]
            if record[1] == self.source and record[2]:
                self.targets[(kind, record[2])] = target
            self._index(target)
        aliases = select(AuditEntry.entity_id, AuditEntry.changes).where(
            AuditEntry.action == "merge", AuditEntry.entity_type == kind, AuditEntry.channel == "import"
        )
        for entity_id, changes in self.session.execute(aliases):
            if changes.get("external_source") == self.source and entity_id in by_id:
                self.targets.setdefault((kind, str(changes.get("external_id"))), by_id[entity_id])

    @staticmethod
    def _label(kind: str, values: dict[str, Any]) -> str:
        if kind in ("contact", "lead"):
            return f"{values.get('first_name') or ''} {values.get('last_name') or ''}".strip()
        return str(values.get("name") or values.get("subject") or "")

    def _index(self, target: Target) -> None:
        values = target.values
        if target.kind == "account":
            self.companies.add(target, values.get("domain"), values.get("name"))
        elif target.kind in self.people:
            self.people[target.kind].add(
                target, values.get("email"), values.get("phone"), values.get("first_name"), values.get("last_name")
            )

    def _account_levels(self, rows: list[Row]) -> list[list[Row]]:
        """Parents before children, so a child's parent already has an id."""
        in_file = {row.external_id: row for row in rows if row.external_id}
        depth: dict[int, int] = {}

        def level(row: Row, seen: frozenset[int] = frozenset()) -> int:
            if id(row) in depth:
                return depth[id(row)]
            ref = row.refs.get("parent_id")
            parent = in_file.get(ref.external_id) if ref and ref.external_id else None
            value = 0 if parent is None or id(parent) in seen else level(parent, seen | {id(row)}) + 1
            depth[id(row)] = value
            return value

        levels: list[list[Row]] = []
        for row in rows:
            value = level(row)
            while len(levels) <= value:
                levels.append([])
            levels[value].append(row)
        return levels or [[]]

    # one row

    def _import_row(self, row: Row) -> None:
        try:
            if row.external_id:
                first_line = self._seen.setdefault((row.kind, row.external_id), row.line)
                if first_line != row.line:
                    raise Rejected(
                        [("Id", f"duplicate id {row.external_id} in the export (first at line {first_line})")]
                    )
            values, provided = self._values(row)
        except Rejected as rejected:
            for field, reason in rejected.problems:
                self.report.rejected.append(Problem(row.file, row.line, field, reason, row.kind))
            self.report.count(row.kind, "rejected")
            return
        target = self.targets.get((row.kind, row.external_id)) if row.external_id else None
        if target is not None:
            owned = target.external_source == self.source and target.external_id == row.external_id
            self._apply(row, target, self._diff(target, values, provided, overwrite=owned), "update")
            return
        found = self._duplicate(row.kind, values)
        if found is not None:
            target, how = found
            changes = self._diff(target, values, provided, overwrite=False)
            if row.external_id is None and not changes:
                self.report.count(row.kind, "unchanged")
                return
            self.writer.change(target, changes)
            audit = {"external_source": self.source, "external_id": row.external_id, "matched_on": how, **changes}
            self.writer.audit("merge", target, audit)
            if row.external_id:
                self.targets[(row.kind, row.external_id)] = target
            self._merges.append((row, target, how))
            self.report.count(row.kind, "merged")
            return
        self._create(row, values)

    def _apply(self, row: Row, target: Target, changes: dict[str, tuple[Any, Any]], action: str) -> None:
        if not changes:
            self.report.count(row.kind, "unchanged")
            return
        if row.kind == "deal" and "stage_id" in changes and target.id is not None:
            stage = self.session.get(Stage, changes["stage_id"][1])
            changes["closed_at"] = (
                target.values.get("closed_at"),
                self._closed_at(stage, target.values.get("close_date")),
            )  # type: ignore[arg-type]
            self.writer.stage_history(
                target,
                {"from_stage_id": changes["stage_id"][0], "to_stage_id": changes["stage_id"][1],
                 "changed_by_id": self.writer.actor_id, "changed_at": self.now},
            )  # fmt: skip
        self.writer.change(target, changes)
        self.writer.audit(action, target, changes)
        if row.kind == "activity":
            self.activity_ids.append(target)
        self.report.count(row.kind, "updated")

    def _create(self, row: Row, values: dict[str, Any]) -> None:
        record = {field: values.get(field) for field in FIELDS[row.kind]}
        stamp = row.on_create.get("created_at") or self.now
        record.update(external_source=self.source, external_id=row.external_id, created_at=stamp, updated_at=self.now)
        if row.kind == "activity" and record["occurred_at"] is None:
            record["occurred_at"] = self.now
        target = Target(row.kind, None, record, self.source, row.external_id, created_now=True)
        target.label = self._label(row.kind, record)
        self.writer.create(target)
        self._index(target)
        if row.external_id:
            self.targets[(row.kind, row.external_id)] = target
            if row.kind == "deal":
                self.created_deals[row.external_id] = target
        if row.kind == "activity":
            self.activity_ids.append(target)
        self.report.count(row.kind, "created")

    def _diff(
        self, target: Target, values: dict[str, Any], provided: set[str], overwrite: bool
    ) -> dict[str, tuple[Any, Any]]:
        changes: dict[str, tuple[Any, Any]] = {}
        for field in provided:
            old, new = target.values.get(field), values.get(field)
            if not overwrite and old not in (None, ""):
                continue
            if not _same(old, new):
                changes[field] = (old, new)
        return changes

    def _duplicate(self, kind: str, values: dict[str, Any]) -> tuple[Target, str] | None:
        if kind == "account":
            return self.companies.find(values.get("domain"), values.get("name"))
        if kind in self.people:
            return self.people[kind].find(
                values.get("email"), values.get("phone"), values.get("first_name"), values.get("last_name")
            )
        return None

    # validation: the API's schemas and the services' rules

    def _values(self, row: Row) -> tuple[dict[str, Any], set[str]]:
        problems = list(row.problems)
        values = {key: value for key, value in row.fields.items() if value not in (None, "")}
        values["owner_id"] = self.owners.user_id(row)
        self._linked = {}
        for field, ref in row.refs.items():
            self._link(row, field, ref, values, problems)
        extra_rules = getattr(self, f"_rules_{row.kind}", None)
        if extra_rules is not None:
            extra_rules(row, values, problems)
        schema = SCHEMAS[row.kind]
        if problems:
            raise Rejected(problems)
        if row.kind == "activity":
            values["author_id"] = values.pop("owner_id")
        provided = {field for field in FIELDS[row.kind] if values.get(field) not in (None, "")} - {"closed_at"}
        candidate = {k: v for k, v in values.items() if k in schema.model_fields}
        plain_email = plain_valid_email(candidate.pop("email", None))
        if plain_email is None and "email" in values:
            candidate["email"] = values["email"]
        try:
            checked = schema.model_validate(candidate)
        except ValidationError as error:
            raise Rejected(
                [(row.column(str(e["loc"][0]) if e["loc"] else ""), _message(e)) for e in error.errors()]
            ) from error
        values.update({k: v for k, v in checked.model_dump().items() if k in values or v is not None})
        if plain_email is not None:
            values["email"] = plain_email
        if "amount" in values:
            values["amount"] = Decimal(str(values["amount"])).quantize(Decimal("0.01"))
        return values, provided

    def _link(self, row: Row, field: str, ref: Ref, values: dict[str, Any], problems: list[tuple[str, str]]) -> None:
        found = self._resolve(ref)
        target_field = field if len(ref.kinds) == 1 else None
        if found is not None:
            kind, target = found
            values[target_field or f"{kind}_id"] = target.id
            self._linked[kind] = target
            return
        what = f"{'/'.join(ref.kinds)} {ref.external_id or repr(ref.name)}"
        if (row.kind, field) in REQUIRED_LINKS:
            problems.append((row.column(field), f"{what} not found in the export or the database (orphan)"))
        else:
            reason = f"{what} not found in the export or the database; imported without this link (orphan)"
            self.report.warnings.append(Problem(row.file, row.line, row.column(field), reason, row.kind))

    def _resolve(self, ref: Ref) -> tuple[str, Target] | None:
        if ref.external_id:
            for kind in ref.kinds:
                target = self.targets.get((kind, ref.external_id))
                if target is not None:
                    return kind, target
        if ref.name and "account" in ref.kinds:
            target = self.companies.find_by_name(ref.name)
            if target is not None:
                return "account", target
        return None

    def _rules_account(self, row: Row, values: dict[str, Any], problems: list[tuple[str, str]]) -> None:
        if values.get("domain"):
            values["domain"] = normal_domain(values["domain"]) or values["domain"]

    def _rules_deal(self, row: Row, values: dict[str, Any], problems: list[tuple[str, str]]) -> None:
        stage_name = values.pop("stage", None)
        values.pop("created_at", None)
        if not stage_name:
            problems.append((row.column("stage"), "missing stage"))
            return
        try:
            stage = self.stages.resolve(stage_name)
        except ValueError as error:
            problems.append((row.column("stage"), str(error)))
            return
        values.update(stage_id=stage.id, pipeline_id=stage.pipeline_id)
        values.setdefault("currency", "USD")
        if not stage.is_closed and values.get("close_date") is None:
            problems.append((row.column("close_date"), "an open deal needs a close date"))
        values["closed_at"] = self._closed_at(stage, values.get("close_date"))

    def _closed_at(self, stage: Stage, close_date: Any) -> datetime | None:
        if not stage.is_closed:
            return None
        return datetime.combine(close_date, time(0)) if close_date else self.now

    def _rules_lead(self, row: Row, values: dict[str, Any], problems: list[tuple[str, str]]) -> None:
        if values.get("status") == "converted" and values.get("converted_at") is None and self._lead_is_new(row):
            values["converted_at"] = self.now

    def _lead_is_new(self, row: Row) -> bool:
        return not row.external_id or (row.kind, row.external_id) not in self.targets

    def _rules_activity(self, row: Row, values: dict[str, Any], problems: list[tuple[str, str]]) -> None:
        links = ("account_id", "contact_id", "deal_id", "lead_id")
        if not any(values.get(link) for link in links):
            columns = ", ".join(dict.fromkeys(row.column(field) for field in row.refs)) or "links"
            problems.append((columns, "an activity must be linked to an account, contact, deal or lead"))
        for kind in ("deal", "contact"):
            linked = self._linked.get(kind)
            if values.get("account_id") is None and linked is not None and linked.values.get("account_id"):
                values["account_id"] = linked.values["account_id"]
        if values.get("type") == "task":
            values.setdefault("status", "open")
            if values.get("due_date") is None:
                problems.append((row.column("due_date"), "a task needs a due date"))
        else:
            values.pop("status", None)
            values.pop("due_date", None)

    # stage history (Salesforce OpportunityHistory): only for deals this import creates

    def _stage_history(self, rows: list[Row]) -> None:
        by_deal: dict[str, list[tuple[datetime, Row, Stage]]] = {}
        for row in rows:
            ref = row.refs.get("deal_id")
            deal_ref = ref.external_id if ref else None
            problem = None
            if not deal_ref or self._resolve(ref) is None:  # type: ignore[arg-type]
                problem = (
                    row.column("deal_id"),
                    f"opportunity {deal_ref} not found in the export or the database (orphan)",
                )
            elif deal_ref not in self.created_deals:
                self.report.count("stage_history", "unchanged")
                continue
            else:
                try:
                    stage = self.stages.resolve(row.fields.get("stage") or "")
                    when = row.fields.get("changed_at") or self.now
                    by_deal.setdefault(deal_ref, []).append((when, row, stage))
                except ValueError as error:
                    problem = (row.column("stage"), str(error))
            if problem:
                self.report.rejected.append(Problem(row.file, row.line, *problem, row.kind))
                self.report.count("stage_history", "rejected")
        for external_id, deal in self.created_deals.items():
            entries = sorted(by_deal.get(external_id, []), key=lambda entry: entry[0])
            previous: int | None = None
            for when, row, stage in entries:
                if stage.id == previous:
                    self.report.count("stage_history", "unchanged")
                    continue
                changed_by = self.owners.user_id(row) if row.owner else None
                self.writer.stage_history(
                    deal,
                    {
                        "from_stage_id": previous,
                        "to_stage_id": stage.id,
                        "changed_by_id": changed_by,
                        "changed_at": when,
                    },
                )
                previous = stage.id
                self.report.count("stage_history", "created")
            if previous != deal.values["stage_id"]:
                when = deal.values.get("created_at") if previous is None else self.now
                self.writer.stage_history(
                    deal,
                    {"from_stage_id": previous, "to_stage_id": deal.values["stage_id"],
                     "changed_by_id": self.writer.actor_id, "changed_at": when or self.now},
                )  # fmt: skip
        self.writer.flush()
