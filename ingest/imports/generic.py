"""Any CSV file, one record kind, with a YAML mapping of Dealwise fields to the file's columns; or a directory
of such files (`files:`), imported together so their links resolve whatever the order.

    source: pipedrive            # external_source kept on the records (default "csv")
    id: Deal ID                  # the column with the record's id in that system (optional)
    columns:                     # Dealwise field: column in the file
      name: Title
      account: Organization ID   # link by the account's id in the same source
      account_name: Organization # or by the account's name
      stage: Stage
      amount: Value
      currency: Currency
      close_date: Expected close date
      owner: Owner email         # owner by email or display name
    stages:                      # optional: rename, merge or flag stages (see ingest/imports/mapping.py)
      Demo booked: Proposal

    files:                       # several files, for `dealwise import csv DIRECTORY --map ...`
      accounts.csv: {object: accounts, id: account, columns: {name: account, parent_name: subsidiary_of}}
      sales_pipeline.csv: {object: deals, id: opportunity_id, columns: {name: opportunity_id, ...}}

Rows without an id column get a stable id from their content, so re-importing the same file changes nothing.
The other settings of ingest/imports/mapping.py (pipeline, currency, locale, dates, owners) apply as well.
"""

import hashlib
from pathlib import Path

from ingest.imports.fields import RowFiller, fill, formats_for
from ingest.imports.mapping import FileMapping, ImportMapping
from ingest.imports.readers import CsvRow, read_csv
from ingest.imports.records import Export

OBJECTS = {"accounts": "account", "contacts": "contact", "leads": "lead", "deals": "deal", "activities": "activity"}
TEXT = {
    "account": ("name", "domain", "industry", "region"),
    "contact": ("first_name", "last_name", "title", "email", "phone"),
    "lead": ("first_name", "last_name", "company", "title", "email", "phone", "source", "status", "notes"),
    "deal": ("name", "stage", "pipeline", "currency", "next_step", "lead_source", "stage_probability",
             "stage_closed", "stage_won", "stage_forecast"),
    "activity": ("type", "subject", "body", "status"),
}  # fmt: skip
DATES = {"deal": ("close_date",), "activity": ("due_date",), "lead": ()}
DATETIMES = {"activity": ("occurred_at",), "lead": ("converted_at",)}
INTEGERS = {"account": ("employees",)}
MONEY = {"deal": ("amount",)}
LINKS = {
    "account": {"parent": ("parent_id", ("account",))},
    "contact": {"account": ("account_id", ("account",))},
    "deal": {"account": ("account_id", ("account",)), "contact": ("primary_contact_id", ("contact",))},
    "activity": {
        "account": ("account_id", ("account",)),
        "contact": ("contact_id", ("contact",)),
        "deal": ("deal_id", ("deal",)),
        "lead": ("lead_id", ("lead",)),
    },
    "lead": {},
}
NAME_LINKS = {"account_name": "account", "parent_name": "parent"}


def object_kind(name: str) -> str:
    kind = OBJECTS.get(name.lower()) or (name.lower() if name.lower() in OBJECTS.values() else None)
    if kind is None:
        raise ValueError(f"unknown object {name!r}: use one of {', '.join(OBJECTS)}")
    return kind


def allowed_fields(kind: str) -> set[str]:
    return (
        set(TEXT[kind]) | set(DATES.get(kind, ())) | set(DATETIMES.get(kind, ())) | set(INTEGERS.get(kind, ()))
        | set(MONEY.get(kind, ())) | set(LINKS[kind]) | {"owner", "created_at"}
        | {name for name, link in NAME_LINKS.items() if link in LINKS[kind]}
    )  # fmt: skip


def read_export(path: Path, object_name: str | None, mapping: ImportMapping) -> Export:
    """One file with --object and the mapping's `columns:`, or a directory with the mapping's `files:`."""
    name = mapping.source.title() if mapping.source else "Imported"
    export = Export(source=mapping.source or "csv", mapping=mapping, default_pipeline=name)
    if path.is_dir():
        if not mapping.files:
            raise ValueError(f"{path} is a directory: the mapping needs a `files:` section naming its CSV files")
        missing = sorted(name for name in mapping.files if not (path / name).is_file())
        if missing:
            raise ValueError(f"the mapping names file(s) {', '.join(missing)}, which {path} does not have")
        for name, spec in mapping.files.items():
            _read_file(path / name, spec, export)
        return export
    if object_name is None or not mapping.columns:
        raise ValueError("a CSV file import needs --object and a mapping with `columns:`")
    _read_file(path, FileMapping(object=object_name, id=mapping.id, columns=mapping.columns), export)
    return export


def _read_file(path: Path, spec: FileMapping, export: Export) -> None:
    kind = object_kind(spec.object)
    columns = dict(spec.columns)
    unknown = sorted(set(columns) - allowed_fields(kind))
    if unknown:
        raise ValueError(f"{path.name}: the mapping names fields {kind}s do not have: {', '.join(unknown)}; "
                         f"allowed: {', '.join(sorted(allowed_fields(kind)))}")  # fmt: skip
    table = read_csv(path)
    named = [*columns.values(), *([spec.id] if spec.id else [])]
    missing = sorted(column for column in named if not table.has(column))
    if missing:
        raise ValueError(f"{path.name} has no column(s) {', '.join(missing)} named in the mapping")
    date_fields = (*DATES.get(kind, ()), *DATETIMES.get(kind, ()), "created_at")
    formats = formats_for(table, export.mapping, tuple(columns[f] for f in date_fields if f in columns))
    for record in table.rows:
        external_id = record.get(spec.id) if spec.id else _content_id(record.cells)
        cells = fill(record, kind, external_id or None, formats, export.mapping)
        for field, column in columns.items():
            if field in TEXT[kind]:
                cells.text(field, column)
            elif field in DATES.get(kind, ()):
                cells.date(field, column)
            elif field in DATETIMES.get(kind, ()):
                cells.datetime(field, column)
            elif field == "created_at":
                cells.datetime(field, column, on_create=True)
            elif field in INTEGERS.get(kind, ()):
                cells.integer(field, column)
            elif field in MONEY.get(kind, ()):
                _, currency = cells.money(field, column)
                cells.row.fields["amount_currency"] = currency
            elif field == "owner":
                cells.owner(column)
        _links(cells, record, columns, kind)
        if kind == "activity" and cells.row.fields.get("type"):
            cells.row.fields["type"] = cells.row.fields["type"].lower()
        export.add(cells.row)


def _links(cells: RowFiller, record: CsvRow, columns: dict[str, str], kind: str) -> None:
    for link, (field, kinds) in LINKS[kind].items():
        name_field = next((n for n, target in NAME_LINKS.items() if target == link), None)
        name = record.get(columns[name_field]) if name_field in columns else None
        if name_field in columns and link not in columns:
            cells.row.columns.setdefault(field, columns[name_field])
        if link in columns or name:
            cells.ref(field, kinds, *([columns[link]] if link in columns else []), name=name)


def _content_id(cells: dict[str, str]) -> str:
    digest = hashlib.sha1("\x1f".join(f"{k}={v}" for k, v in sorted(cells.items())).encode()).hexdigest()
    return f"sha1:{digest[:20]}"
