"""What a source reader hands the importer: rows per record kind, already typed, with their references."""

from dataclasses import dataclass, field
from typing import Any

KINDS = ("account", "contact", "deal", "lead", "stage_history", "activity")
"""Import order: every kind only refers to kinds before it (leads refer to converted deals)."""


@dataclass(frozen=True)
class Ref:
    """A link to another record: by its id in the source system, or by name where the export only has that."""

    kinds: tuple[str, ...]
    external_id: str | None = None
    name: str | None = None


@dataclass(frozen=True)
class OwnerRef:
    """Who owns a row in the source: an email, a display name or a source user id (resolved via User.csv)."""

    value: str
    column: str


@dataclass
class Row:
    kind: str
    file: str
    line: int
    external_id: str | None
    fields: dict[str, Any] = field(default_factory=dict)
    """values named like the *Create schema's fields; None or '' means the export leaves it empty"""
    refs: dict[str, Ref] = field(default_factory=dict)
    """schema field (account_id, deal_id, ...) -> the record it points to"""
    owner: OwnerRef | None = None
    on_create: dict[str, Any] = field(default_factory=dict)
    """values used only when the record is created (created_at from the export)"""
    columns: dict[str, str] = field(default_factory=dict)
    """schema field -> the export's column name, to name the column in a rejection"""
    problems: list[tuple[str, str]] = field(default_factory=list)
    """(column, reason) for cells that could not be read"""

    def column(self, name: str) -> str:
        return self.columns.get(name, name)


@dataclass
class Export:
    """One export read from disk: rows by kind, the source users (for owners) and what was skipped."""

    source: str
    rows: dict[str, list[Row]] = field(default_factory=dict)
    user_emails: dict[str, str] = field(default_factory=dict)
    """source user id -> email (Salesforce User.csv)"""
    stage_map: dict[str, str] = field(default_factory=dict)
    """extra source stage -> Dealwise stage names (the generic mapping file's `stages:`)"""
    notes: list[str] = field(default_factory=list)
    """files ignored and similar remarks for the report"""

    def add(self, row: Row) -> None:
        self.rows.setdefault(row.kind, []).append(row)

    @property
    def total_rows(self) -> int:
        return sum(len(rows) for rows in self.rows.values())
