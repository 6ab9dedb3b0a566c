"""Writing generated export files the way the exporting tools do, and the truth an import of them must give."""

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path


def write_csv(
    path: Path,
    header: list[str],
    rows: list[dict[str, str]],
    encoding: str = "utf-8",
    delimiter: str = ",",
    bom: bool = False,
) -> None:
    """A CSV file with CRLF line ends (as Salesforce and Excel write them); cells a row does not name are empty."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        unknown = set(row) - set(header)
        assert not unknown, f"{path.name}: {unknown} not in the header"
        writer.writerow([row.get(column, "") for column in header])
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + buffer.getvalue().encode(encoding))


@dataclass
class Truth:
    """What an import of a generated export must give."""

    accounts: dict[str, str] = field(default_factory=dict)
    """kept account source id -> name"""
    contacts: dict[str, str] = field(default_factory=dict)
    """kept contact source id -> last name"""
    deals: dict[str, tuple[str, str, str]] = field(default_factory=dict)
    """kept deal source id -> (name, exact amount as written, currency)"""
    activities: dict[str, str] = field(default_factory=dict)
    """kept activity source id -> Dealwise activity type"""
    leads: set[str] = field(default_factory=set)
    links: list[tuple[str, str, str, str, str]] = field(default_factory=list)
    """(kind, source id, field, target kind, target source id) that must be set"""
    rejected: dict[tuple[str, int], str] = field(default_factory=dict)
    """(file, line) -> words its "field: reason" must contain"""
    possible_duplicates: set[tuple[str, str, str]] = field(default_factory=set)
    """(kind, source id, source id of the look-alike it was not merged into)"""
    merged: dict[str, str] = field(default_factory=dict)
    """source id of a merged row -> source id of the record it merged into"""
    stages: dict[str, tuple[int, bool, bool, str]] = field(default_factory=dict)
    """stage name -> (probability, closed, won, forecast category)"""
