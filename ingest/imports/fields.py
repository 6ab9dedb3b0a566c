"""Filling a Row from one CSV record: each cell read by type, unreadable cells recorded as problems."""

from datetime import date, datetime
from decimal import Decimal

from ingest.imports.readers import CsvRow, CsvTable, DateReader, ParseError, parse_int, parse_money
from ingest.imports.records import OwnerRef, Ref, Row


def sf_id(value: str) -> str | None:
    """Salesforce ids in their 15-character form, so 15- and 18-character exports match."""
    value = value.strip()
    return value[:15] if value else None


class RowFiller:
    def __init__(self, table: CsvTable, record: CsvRow, row: Row, dates: DateReader) -> None:
        self.table, self.record, self.row, self.dates = table, record, row, dates

    def _cell(self, field: str, columns: tuple[str, ...]) -> str:
        self.row.columns.setdefault(field, self.table.column(*columns))
        return self.record.get(*columns)

    def text(self, field: str, *columns: str) -> str | None:
        value = self._cell(field, columns)
        self.row.fields[field] = value or None
        return value or None

    def datetime(self, field: str, *columns: str, on_create: bool = False) -> datetime | None:
        try:
            value = self.dates.datetime(self._cell(field, columns))
        except ParseError as error:
            self.row.problems.append((self.row.column(field), str(error)))
            return None
        (self.row.on_create if on_create else self.row.fields)[field] = value
        return value

    def date(self, field: str, *columns: str) -> date | None:
        moment = self.datetime(field, *columns)
        value = moment.date() if moment else None
        self.row.fields[field] = value
        return value

    def integer(self, field: str, *columns: str) -> int | None:
        try:
            value = parse_int(self._cell(field, columns))
        except ParseError as error:
            self.row.problems.append((self.row.column(field), str(error)))
            return None
        self.row.fields[field] = value
        return value

    def money(self, field: str, *columns: str) -> tuple[Decimal | None, str | None]:
        try:
            amount, currency = parse_money(self._cell(field, columns))
        except ParseError as error:
            self.row.problems.append((self.row.column(field), str(error)))
            return None, None
        self.row.fields[field] = amount
        return amount, currency

    def ref(
        self, field: str, kinds: tuple[str, ...], *columns: str, name: str | None = None, salesforce: bool = False
    ) -> None:
        raw = self._cell(field, columns) if columns else ""
        first = raw.replace(",", ";").split(";")[0].strip() if raw else ""
        external_id = sf_id(first) if salesforce else (first or None)
        if external_id or name:
            self.row.refs[field] = Ref(kinds, external_id, name or None)

    def owner(self, *columns: str) -> None:
        value = self._cell("owner_id", columns)
        if value:
            self.row.owner = OwnerRef(value, self.row.column("owner_id"))


def fill(table: CsvTable, record: CsvRow, kind: str, external_id: str | None, dates: DateReader) -> RowFiller:
    row = Row(kind=kind, file=table.name, line=record.line, external_id=external_id)
    return RowFiller(table, record, row, dates)


def dates_for(table: CsvTable, *columns: str) -> DateReader:
    return DateReader.for_values(value for column in columns for value in table.values(column))
