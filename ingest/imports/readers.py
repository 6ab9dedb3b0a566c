"""Reading export files: encodings, delimiters, line numbers, dates, numbers and money."""

import csv
import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from pathlib import Path

csv.field_size_limit(16 * 1024 * 1024)

DELIMITERS = ",;\t|"
CURRENCY_SYMBOLS = {"$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY", "₹": "INR", "CHF": "CHF"}


class ParseError(ValueError):
    """A cell that cannot be read as the type its column holds."""


def decode(data: bytes) -> tuple[str, str]:
    """The text and the encoding used: UTF-8 (BOM or not) strictly first, then Windows-1252, then Latin-1."""
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1"), "latin-1"


def sniff_delimiter(text: str) -> str:
    sample = text[: 64 * 1024]
    header = sample.split("\n", 1)[0]
    try:
        return csv.Sniffer().sniff(sample, delimiters=DELIMITERS).delimiter
    except csv.Error:
        counts = {delimiter: header.count(delimiter) for delimiter in DELIMITERS}
        best = max(counts, key=lambda key: counts[key])
        return best if counts[best] else ","


@dataclass
class CsvRow:
    line: int
    """physical line in the file where the record starts (the header is line 1)"""
    cells: dict[str, str]

    def get(self, *names: str) -> str:
        """The first non-empty cell among the column names, matched case-insensitively; '' if none."""
        for name in names:
            value = self.cells.get(name.lower())
            if value:
                return value
        return ""


@dataclass
class CsvTable:
    path: Path
    encoding: str
    delimiter: str
    columns: list[str]
    rows: list[CsvRow] = field(default_factory=list)
    _spelling: dict[tuple[str, ...], str] = field(default_factory=dict, repr=False)

    @property
    def name(self) -> str:
        return self.path.name

    def has(self, *names: str) -> bool:
        lowered = {column.lower() for column in self.columns}
        return any(name.lower() in lowered for name in names)

    def column(self, *names: str) -> str:
        """The file's own spelling of the first of these columns it has (for reports)."""
        cached = self._spelling.get(names)
        if cached is None:
            by_lower = {column.lower(): column for column in self.columns}
            cached = next((by_lower[name.lower()] for name in names if name.lower() in by_lower), names[0])
            self._spelling[names] = cached
        return cached

    def values(self, *names: str) -> Iterator[str]:
        for row in self.rows:
            value = row.get(*names)
            if value:
                yield value


def read_csv(path: Path) -> CsvTable:
    text, encoding = decode(path.read_bytes())
    delimiter = sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = next(reader, [])
    columns = [column.strip().strip("\ufeff") for column in header]
    keys = [column.lower() for column in columns]
    table = CsvTable(path, encoding, delimiter, columns)
    start = reader.line_num + 1
    for cells in reader:
        if any(cell.strip() for cell in cells):
            values = {key: cell.strip() for key, cell in zip(keys, cells, strict=False)}
            table.rows.append(CsvRow(start, values))
        start = reader.line_num + 1
    return table


_ISO = re.compile(
    r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$"
)
_SLASHED = re.compile(
    r"^(\d{1,2})[/.](\d{1,2})[/.](\d{4}|\d{2})(?:,?\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([AaPp][Mm])?)?$"
)
_EPOCH_MS = re.compile(r"^\d{12,13}$")


@dataclass(frozen=True)
class DateReader:
    """Reads the date formats of CRM exports; day-first slashed dates only when the file says so."""

    day_first: bool = False

    @classmethod
    def for_values(cls, values: Iterable[str]) -> "DateReader":
        """Day-first when some slashed date in the file can only be DD/MM and none can only be MM/DD."""
        day_first_seen = month_first_seen = False
        for value in values:
            match = _SLASHED.match(value.strip())
            if match:
                first, second = int(match.group(1)), int(match.group(2))
                day_first_seen |= first > 12
                month_first_seen |= second > 12
        return cls(day_first=day_first_seen and not month_first_seen)

    def datetime(self, value: str) -> datetime | None:
        value = value.strip()
        if not value:
            return None
        if _EPOCH_MS.match(value):
            return datetime.fromtimestamp(int(value) / 1000, UTC).replace(tzinfo=None)
        try:
            if match := _ISO.match(value):
                year, month, day, hour, minute, second, zone = match.groups()
                moment = datetime(int(year), int(month), int(day), int(hour or 0), int(minute or 0), int(second or 0))
                return moment - _offset(zone)
            if match := _SLASHED.match(value):
                first, second_part, year, hour, minute, second, meridiem = match.groups()
                month, day = (int(second_part), int(first)) if self.day_first else (int(first), int(second_part))
                full_year = int(year) + (2000 if len(year) == 2 else 0)
                hours = int(hour or 0) % 12 + (12 if meridiem and meridiem.lower() == "pm" else 0)
                if not meridiem:
                    hours = int(hour or 0)
                return datetime(full_year, month, day, hours, int(minute or 0), int(second or 0))
        except ValueError as error:
            raise ParseError(f"{value!r} is not a valid date ({error})") from error
        raise ParseError(f"{value!r} is not a date in a known format (YYYY-MM-DD, MM/DD/YYYY, ISO 8601, epoch ms)")

    def date(self, value: str) -> date | None:
        moment = self.datetime(value)
        return moment.date() if moment else None


def _offset(zone: str | None) -> timedelta:
    if not zone or zone == "Z":
        return timedelta(0)
    sign = -1 if zone[0] == "-" else 1
    digits = zone[1:].replace(":", "")
    return sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))


def parse_money(value: str) -> tuple[Decimal | None, str | None]:
    """'$1,200.50' -> (1200.50, 'USD'); '1.200,50 EUR' -> (1200.50, 'EUR'); '' -> (None, None)."""
    text = value.strip().replace("\u00a0", " ")
    if not text:
        return None, None
    currency = None
    code = re.search(r"\b([A-Za-z]{3})\b", text)
    if code:
        currency = code.group(1).upper()
        text = text.replace(code.group(0), "")
    for symbol, iso in CURRENCY_SYMBOLS.items():
        if symbol in text:
            currency = currency or iso
            text = text.replace(symbol, "")
    text = text.replace(" ", "").replace("'", "")
    negative = text.startswith("-") or (text.startswith("(") and text.endswith(")"))
    text = text.strip("-()")
    if not re.fullmatch(r"[0-9.,]+", text or "x"):
        raise ParseError(f"{value!r} is not an amount")
    return _decimal(text, value) * (-1 if negative else 1), currency


def _decimal(text: str, original: str) -> Decimal:
    last_dot, last_comma = text.rfind("."), text.rfind(",")
    if last_dot >= 0 and last_comma >= 0:
        decimal_mark = "." if last_dot > last_comma else ","
    elif last_comma >= 0 or last_dot >= 0:
        mark = "," if last_comma >= 0 else "."
        groups = text.split(mark)
        thousands = len(groups) > 2 or (len(groups[-1]) == 3 and groups[0] not in ("", "0"))
        decimal_mark = "" if thousands else mark
    else:
        decimal_mark = ""
    thousands_mark = {"": ",.", ".": ",", ",": "."}[decimal_mark]
    for mark in thousands_mark:
        text = text.replace(mark, "")
    try:
        return Decimal(text.replace(",", ".")).quantize(Decimal("0.01"))
    except InvalidOperation as error:
        raise ParseError(f"{original!r} is not an amount") from error


def parse_int(value: str) -> int | None:
    text = value.strip().replace(",", "").replace(" ", "")
    if not text:
        return None
    try:
        return int(Decimal(text))
    except InvalidOperation as error:
        raise ParseError(f"{value!r} is not a whole number") from error


def parse_bool(value: str) -> bool:
    return value.strip().lower() in ("1", "true", "yes", "y", "t")
