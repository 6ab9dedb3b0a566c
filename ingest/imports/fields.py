"""Filling a Row from one CSV record: each cell read by type. An unreadable cell rejects the row only when its
field is required; otherwise the field is dropped and the row kept with a warning naming the column and value."""

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from ingest.imports.dates import DateReader
from ingest.imports.mapping import ImportMapping
from ingest.imports.numbers import NumberFormat, ParseError, parse_int, parse_money
from ingest.imports.readers import CsvRow, CsvTable
from ingest.imports.records import OwnerRef, Ref, Row

EMPTY_SALESFORCE_IDS = frozenset({"000000000000000", "000000000000000AAA"})
"""How Salesforce writes 'no record' in a reference column."""


def sf_id(value: str) -> str | None:
    """Salesforce ids in their 15-character form, so 15- and 18-character exports match; the empty id is None."""
    value = value.strip()
    if not value or value in EMPTY_SALESFORCE_IDS or value[:15] == "000000000000000":
        return None
    return value[:15]


@dataclass(frozen=True)
class Formats:
    """How one file writes dates and numbers; numbers are learnt per column."""

    dates: DateReader
    locale: str | None
    default_mark: str | None
    table: CsvTable
    _numbers: dict[tuple[str, ...], NumberFormat] = field(default_factory=dict, repr=False)

    def number(self, *columns: str) -> NumberFormat:
        cached = self._numbers.get(columns)
        if cached is None:
            cached = NumberFormat.for_values(self.table.values(*columns), self.locale, self.default_mark)
            self._numbers[columns] = cached
        return cached


def formats_for(
    table: CsvTable, mapping: ImportMapping, date_columns: tuple[str, ...], default_mark: str | None = None
) -> Formats:
    """The formats of a file: date order from its date columns and the mapping, numbers per column."""
    values = (value for column in date_columns for value in table.values(column))
    dates = DateReader.for_values(values, mapping.locale, mapping.dates)
    return Formats(dates, mapping.locale, default_mark, table)


class RowFiller:
    def __init__(self, record: CsvRow, row: Row, formats: Formats, mapping: ImportMapping) -> None:
        self.table, self.record, self.row, self.formats = formats.table, record, row, formats
        self.mapping = mapping

    def columns(self, name: str, columns: tuple[str, ...]) -> tuple[str, ...]:
        return self.mapping.columns_for(self.row.kind, name) or columns

    def cell(self, name: str, *columns: str) -> str:
        chosen = self.columns(name, columns)
        self.row.columns.setdefault(name, self.table.column(*chosen))
        return self.record.get(*chosen)

    def _fail(self, name: str, error: ParseError) -> None:
        self.row.fail(name, str(error))

    def text(self, field: str, *columns: str) -> str | None:
        value = self.cell(field, *columns)
        self.row.fields[field] = value or None
        return value or None

    def datetime(self, field: str, *columns: str, on_create: bool = False) -> datetime | None:
        try:
            value = self.formats.dates.datetime(self.cell(field, *columns))
        except ParseError as error:
            self._fail(field, error)
            return None
        (self.row.on_create if on_create else self.row.fields)[field] = value
        return value

    def date(self, field: str, *columns: str) -> date | None:
        moment = self.datetime(field, *columns)
        value = moment.date() if moment else None
        if field in self.row.fields or moment is not None:
            self.row.fields[field] = value
        return value

    def integer(self, field: str, *columns: str) -> int | None:
        try:
            value = parse_int(self.cell(field, *columns), self.formats.number(*self.columns(field, columns)))
        except ParseError as error:
            self._fail(field, error)
            return None
        self.row.fields[field] = value
        return value

    def money(self, field: str, *columns: str) -> tuple[Decimal | None, str | None]:
        raw = self.cell(field, *columns)
        try:
            amount, currency = parse_money(raw, self.formats.number(*self.columns(field, columns)))
        except ParseError as error:
            self._fail(field, error)
            return None, None
        self.row.fields[field] = amount
        return amount, currency

    def ref(
        self, field: str, kinds: tuple[str, ...], *columns: str, name: str | None = None, salesforce: bool = False
    ) -> None:
        """A link to another record by id (the first of a ';'- or ','-separated list) or by name."""
        raw = self.cell(field, *columns) if columns else ""
        first = raw.replace(",", ";").split(";")[0].strip() if raw else ""
        external_id = sf_id(first) if salesforce else (first or None)
        if external_id or name:
            self.row.refs[field] = Ref(kinds, external_id, name or None)

    def owner(self, *columns: str) -> None:
        value = self.cell("owner_id", *columns)
        if value:
            self.row.owner = OwnerRef(value, self.row.column("owner_id"))


def fill(record: CsvRow, kind: str, external_id: str | None, formats: Formats, mapping: ImportMapping) -> RowFiller:
    row = Row(kind=kind, file=formats.table.name, line=record.line, external_id=external_id)
    return RowFiller(record, row, formats, mapping)
