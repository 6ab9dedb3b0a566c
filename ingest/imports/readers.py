"""Reading export files: encodings, delimiters, quoted multi-line cells and line numbers."""

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

csv.field_size_limit(16 * 1024 * 1024)

DELIMITERS = ",;\t|"


def decode(data: bytes) -> tuple[str, str]:
    """The text and the encoding used: UTF-8 (BOM or not) strictly first, then Windows-1252, then Latin-1."""
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1"), "latin-1"


def sniff_delimiter(text: str) -> str:
    """The delimiter of the header line: the candidate it holds most of (a header has no quoted delimiters
    in practice), with csv.Sniffer over a sample only to break a tie."""
    header = text.split("\n", 1)[0]
    counts = {delimiter: header.count(delimiter) for delimiter in DELIMITERS}
    best = max(counts, key=lambda key: counts[key])
    if not counts[best]:
        return ","
    if list(counts.values()).count(counts[best]) > 1:
        try:
            return csv.Sniffer().sniff(text[: 64 * 1024], delimiters=DELIMITERS).delimiter
        except csv.Error:
            return best
    return best


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

    @property
    def keys(self) -> frozenset[str]:
        """The column names in lower case."""
        return frozenset(column.lower() for column in self.columns)

    def has(self, *names: str) -> bool:
        return any(name.lower() in self.keys for name in names)

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


def read_header(path: Path) -> list[str]:
    """Only the column names, for recognising a file by its header row."""
    with path.open("rb") as handle:
        head = handle.read(64 * 1024)
    text, _ = decode(head)
    first = next(csv.reader(io.StringIO(text, newline=""), delimiter=sniff_delimiter(text)), [])
    return [column.strip().strip("\ufeff") for column in first]


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


def parse_bool(value: str) -> bool | None:
    """'true'/'1'/'yes' -> True, 'false'/'0'/'no' -> False, anything else (or empty) -> None."""
    text = value.strip().lower()
    if text in ("1", "true", "yes", "y", "t", "sí", "si", "verdadero"):
        return True
    if text in ("0", "false", "no", "n", "f", "falso"):
        return False
    return None
