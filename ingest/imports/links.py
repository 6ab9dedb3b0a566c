"""Links between imported records, through every reference the export has, in any file order.

A reference is looked up by source id among the records of this source (the database's and this
import's), or by name among companies when the export only has a name (a name shared by several
companies links nothing and says so). A reference to a kind imported later, or to the same kind (a
parent account further down the file), is resolved once every row is in. A reference that still
finds nothing is reported: as an orphan, or as pointing at a row that was rejected (with its line).
"""

from dataclasses import dataclass

from ingest.imports.dedupe import Target
from ingest.imports.records import KINDS, Ref, Row
from ingest.imports.report import ImportReport, Problem
from ingest.imports.targets import RecordIndex
from ingest.imports.writer import Writer

REQUIRED_LINKS = frozenset({("deal", "account_id"), ("stage_history", "deal_id")})


@dataclass
class Deferred:
    row: Row
    target: Target
    field: str
    ref: Ref


class Linker:
    def __init__(self, records: RecordIndex, report: ImportReport, writer: Writer) -> None:
        self.records, self.report, self.writer = records, report, writer
        self.deferred: list[Deferred] = []
        self.done_kinds: set[str] = set()

    def resolve(self, ref: Ref) -> tuple[str, Target] | str:
        """(kind, record), or why there is none."""
        if ref.external_id:
            for kind in ref.kinds:
                target = self.records.targets.get((kind, ref.external_id))
                if target is not None:
                    if target.id is None:
                        self.writer.flush_creates()
                    return kind, target
            for kind in ref.kinds:
                line = self.records.rejected.get((kind, ref.external_id))
                if line is not None:
                    return f"{ref.label()} was rejected (line {line}; see its reason)"
        if ref.name and "account" in ref.kinds:
            named = self.records.companies.named(ref.name)
            if len(named) == 1:
                if named[0].id is None:
                    self.writer.flush_creates()
                return "account", named[0]
            if len(named) > 1:
                return f"{len(named)} accounts are named {ref.name!r}, so none was linked"
        return f"{ref.label()} not found in the export or the database"

    def can_wait(self, row: Row, ref: Ref) -> bool:
        """Whether the record may still come: its kind is this row's or one not imported yet."""
        return any(kind == row.kind or kind not in self.done_kinds for kind in ref.kinds if kind in KINDS)

    def defer(self, row: Row, target: Target, field: str, ref: Ref) -> None:
        self.deferred.append(Deferred(row, target, field, ref))

    def warn(self, row: Row, field: str, reason: str) -> None:
        self.report.warnings.append(Problem(row.file, row.line, row.column(field), reason, row.kind))

    def resolve_deferred(self) -> None:
        """The links that could not be made while reading: made now, or reported as orphans."""
        for item in self.deferred:
            found = self.resolve(item.ref)
            if isinstance(found, str):
                self.warn(item.row, item.field, f"{found}; imported without this link (orphan)")
                continue
            kind, other = found
            name = item.field if len(item.ref.kinds) == 1 else f"{kind}_id"
            if other is item.target or item.target.values.get(name) == other.id:
                continue
            if not self.writer.created_here(item.target) and item.target.values.get(name) is not None:
                continue
            self.writer.change(item.target, {name: (item.target.values.get(name), other.id)})
            if not self.writer.created_here(item.target):
                self.writer.audit("update", item.target, {name: (None, other.id)})
        self.deferred = []
        self.writer.flush_updates()
