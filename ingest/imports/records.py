"""What a source reader hands the importer: rows per record kind, already typed, with their references."""

from dataclasses import dataclass, field
from typing import Any

from ingest.imports.mapping import ImportMapping

KINDS = ("account", "contact", "deal", "stage_history", "lead", "activity")
"""Import order. A reference to a kind imported later, or to the same kind, is resolved once every row is in."""

REQUIRED: dict[str, frozenset[str]] = {
    "account": frozenset({"name"}),
    "contact": frozenset({"last_name"}),
    "lead": frozenset({"last_name"}),
    "deal": frozenset({"name", "stage", "account_id"}),
    "stage_history": frozenset({"deal_id", "stage"}),
    "activity": frozenset({"type"}),
}
"""Fields without which a row cannot be kept; any other unreadable field is dropped with a warning."""


@dataclass(frozen=True)
class Ref:
    """A link to another record: by its id in the source system, or by name where the export only has that."""

    kinds: tuple[str, ...]
    external_id: str | None = None
    name: str | None = None

    def label(self) -> str:
        return f"{'/'.join(self.kinds)} {self.external_id or repr(self.name)}"


@dataclass(frozen=True)
class OwnerRef:
    """Who owns a row in the source: an email, a display name or a source user id."""

    value: str
    column: str


@dataclass(frozen=True)
class SourceUser:
    """A user of the source system (Salesforce User.csv, a HubSpot owners file)."""

    id: str
    email: str | None
    name: str
    active: bool = True


@dataclass
class Row:
    kind: str
    file: str
    line: int
    external_id: str | None
    fields: dict[str, Any] = field(default_factory=dict)
    """values named like the *Create schema's fields (plus stage, pipeline and stage flags for deals);
    None or '' means the export leaves it empty"""
    refs: dict[str, Ref] = field(default_factory=dict)
    """schema field (account_id, deal_id, ...) -> the record it points to"""
    owner: OwnerRef | None = None
    on_create: dict[str, Any] = field(default_factory=dict)
    """values used only when the record is created (created_at from the export)"""
    columns: dict[str, str] = field(default_factory=dict)
    """schema field -> the export's column name, to name the column in a report"""
    problems: list[tuple[str, str]] = field(default_factory=list)
    """(column, reason) that reject the row: a required field is unusable"""
    warnings: list[tuple[str, str]] = field(default_factory=list)
    """(column, reason) for optional fields dropped or changed; the row is kept"""

    def column(self, name: str) -> str:
        return self.columns.get(name, name)

    def fail(self, field_name: str, reason: str) -> None:
        """An unusable value: rejects the row when the field is required, else drops the field with a warning."""
        self.fields.pop(field_name, None)
        if field_name in REQUIRED.get(self.kind, frozenset()):
            self.problems.append((self.column(field_name), reason))
        else:
            self.warnings.append((self.column(field_name), f"{reason}; imported without it"))


@dataclass
class Export:
    """One export read from disk: rows by kind, the source users (for owners), the mapping and what was skipped."""

    source: str
    mapping: ImportMapping = field(default_factory=ImportMapping)
    rows: dict[str, list[Row]] = field(default_factory=dict)
    users: dict[str, SourceUser] = field(default_factory=dict)
    """source user id -> the user (Salesforce User.csv, HubSpot owners)"""
    default_pipeline: str = ""
    """the name of the pipeline to create for deals that name none, when Dealwise has no pipeline yet"""
    notes: list[str] = field(default_factory=list)
    """files ignored and similar remarks for the report"""

    def add(self, row: Row) -> None:
        self.rows.setdefault(row.kind, []).append(row)

    @property
    def total_rows(self) -> int:
        return sum(len(rows) for rows in self.rows.values())
