"""Any CSV file, one record kind, with a YAML mapping of Dealwise fields to the file's columns.

    source: pipedrive            # external_source kept on the records (default "csv")
    id: Deal ID                  # the column with the record's id in that system (optional)
    columns:                     # Dealwise field: column in the file
      name: Title
      account: Organization ID   # link by the account's id in the same source
      account_name: Organization # or by the account's name
      stage: Stage
      amount: Value
      close_date: Expected close date
      owner: Owner email         # owner by email or display name
    stages:                      # optional, added to the default stage mapping
      Demo booked: Proposal

Rows without an id column get a stable id from their content, so re-importing the same file changes nothing.
"""

import hashlib
from pathlib import Path
from typing import Any

import yaml

from ingest.imports.fields import dates_for, fill
from ingest.imports.readers import read_csv
from ingest.imports.records import Export

OBJECTS = {"accounts": "account", "contacts": "contact", "leads": "lead", "deals": "deal", "activities": "activity"}
TEXT = {
    "account": ("name", "domain", "industry", "region"),
    "contact": ("first_name", "last_name", "title", "email", "phone"),
    "lead": ("first_name", "last_name", "company", "title", "email", "phone", "source", "status", "notes"),
    "deal": ("name", "stage", "currency", "next_step", "lead_source"),
    "activity": ("type", "subject", "body", "status"),
}
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


def load_mapping(path: Path) -> dict[str, Any]:
    mapping = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if not isinstance(mapping, dict) or not isinstance(mapping.get("columns"), dict):
        raise ValueError(f"{path}: the mapping needs a 'columns:' section of dealwise_field: CSV column")
    return mapping


def read_file(path: Path, object_name: str, mapping: dict[str, Any]) -> Export:
    kind = object_kind(object_name)
    columns: dict[str, str] = {str(k): str(v) for k, v in mapping["columns"].items()}
    unknown = sorted(set(columns) - allowed_fields(kind))
    if unknown:
        raise ValueError(f"mapping names fields {kind}s do not have: {', '.join(unknown)}; allowed: "
                         f"{', '.join(sorted(allowed_fields(kind)))}")  # fmt: skip
    table = read_csv(path)
    id_column = mapping.get("id")
    missing = sorted(c for c in [*columns.values(), *([id_column] if id_column else [])] if not table.has(c))
    if missing:
        raise ValueError(f"{path.name} has no column(s) {', '.join(missing)} named in the mapping")
    export = Export(source=str(mapping.get("source") or "csv"), stage_map=dict(mapping.get("stages") or {}))
    date_columns = [columns[f] for f in (*DATES.get(kind, ()), *DATETIMES.get(kind, ()), "created_at") if f in columns]
    dates = dates_for(table, *date_columns)
    for record in table.rows:
        external_id = record.get(id_column) if id_column else _content_id(record.cells)
        cells = fill(table, record, kind, external_id or None, dates)
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
                if currency and "currency" not in columns:
                    cells.row.fields["currency"] = currency
            elif field == "owner":
                cells.owner(column)
        for link, (field, kinds) in LINKS[kind].items():
            name_field = next((n for n, target in NAME_LINKS.items() if target == link), None)
            name = record.get(columns[name_field]) if name_field in columns else None
            if name_field in columns and link not in columns:
                cells.row.columns.setdefault(field, columns[name_field])
            if link in columns or name:
                cells.ref(field, kinds, *([columns[link]] if link in columns else []), name=name)
        if kind == "activity" and cells.row.fields.get("type"):
            cells.row.fields["type"] = cells.row.fields["type"].lower()
        export.add(cells.row)
    return export


def _content_id(cells: dict[str, str]) -> str:
    digest = hashlib.sha1("\x1f".join(f"{k}={v}" for k, v in sorted(cells.items())).encode()).hexdigest()
    return f"sha1:{digest[:20]}"
