"""HubSpot CRM exports: companies, contacts, deals and activities (engagements) CSV files in one directory.

Files are recognised by name ("hubspot-crm-exports-all-companies-2026-01-05.csv", "contacts.csv", ...);
columns by their export labels, matched case-insensitively, with older labels as fallbacks.
"""

import hashlib
from pathlib import Path

from ingest.imports.fields import dates_for, fill
from ingest.imports.readers import CsvTable, read_csv
from ingest.imports.records import Export

SOURCE = "hubspot"
FILE_KINDS = (
    ("compan", "account"),
    ("contact", "contact"),
    ("deal", "deal"),
    ("activit", "activity"),
    ("engagement", "activity"),
    ("note", "activity"),
    ("call", "activity"),
    ("meeting", "activity"),
    ("email", "activity"),
    ("task", "activity"),
)
ID_COLUMNS = ("Record ID", "Company ID", "Contact ID", "Deal ID", "Activity ID", "Engagement ID", "ID")
COMPANY_IDS = ("Associated Company IDs", "Associated Company ID", "Associated Company IDs (Primary)", "Company ID")
ACTIVITY_TYPES = {"call": "call", "email": "email", "incoming_email": "email", "forwarded_email": "email",
                  "meeting": "meeting", "note": "note", "task": "task"}  # fmt: skip


def kind_of(path: Path) -> str | None:
    name = path.stem.lower()
    return next((kind for word, kind in FILE_KINDS if word in name), None)


def read_export(directory: Path) -> Export:
    export = Export(source=SOURCE)
    readers = {"account": _companies, "contact": _contacts, "deal": _deals, "activity": _activities}
    found = False
    for path in sorted(p for p in directory.glob("*") if p.suffix.lower() == ".csv"):
        kind = kind_of(path)
        if kind is None:
            export.notes.append(f"ignored {path.name}: not a HubSpot companies/contacts/deals/activities export")
            continue
        found = True
        readers[kind](read_csv(path), export)
    if not found:
        raise FileNotFoundError(f"no HubSpot export files (companies, contacts, deals, activities CSV) in {directory}")
    return export


def _record_id(table: CsvTable, cells: dict[str, str]) -> str | None:
    for column in ID_COLUMNS:
        value = cells.get(column.lower())
        if value:
            return value
    return None


def _companies(table: CsvTable, export: Export) -> None:
    dates = dates_for(table, "Create Date")
    for record in table.rows:
        cells = fill(table, record, "account", _record_id(table, record.cells), dates)
        cells.text("name", "Company name", "Name")
        cells.text("domain", "Company Domain Name", "Website URL", "Domain")
        cells.text("industry", "Industry")
        cells.text("region", "Country/Region", "Country", "State/Region")
        cells.integer("employees", "Number of Employees")
        cells.ref("parent_id", ("account",), "Parent Company ID", "Parent Company")
        cells.owner("Company owner", "HubSpot Owner", "Owner")
        cells.datetime("created_at", "Create Date", on_create=True)
        export.add(cells.row)


def _contacts(table: CsvTable, export: Export) -> None:
    dates = dates_for(table, "Create Date")
    for record in table.rows:
        cells = fill(table, record, "contact", _record_id(table, record.cells), dates)
        cells.text("first_name", "First Name")
        cells.text("last_name", "Last Name")
        cells.text("email", "Email")
        cells.text("phone", "Phone Number", "Mobile Phone Number")
        cells.text("title", "Job Title")
        cells.ref("account_id", ("account",), *COMPANY_IDS, name=record.get("Company Name", "Associated Company"))
        cells.owner("Contact owner", "HubSpot Owner", "Owner")
        cells.datetime("created_at", "Create Date", on_create=True)
        export.add(cells.row)


def _deals(table: CsvTable, export: Export) -> None:
    dates = dates_for(table, "Close Date", "Create Date")
    for record in table.rows:
        cells = fill(table, record, "deal", _record_id(table, record.cells), dates)
        cells.text("name", "Deal Name")
        cells.text("stage", "Deal Stage")
        _, symbol_currency = cells.money("amount", "Amount")
        cells.row.columns["currency"] = table.column("Currency", "Deal currency code")
        currency = record.get("Currency", "Deal currency code") or symbol_currency or ""
        cells.row.fields["currency"] = currency.upper() or None
        cells.date("close_date", "Close Date")
        cells.text("next_step", "Next step", "Next Step")
        cells.text("lead_source", "Original Source", "Original Source Type")
        cells.ref("account_id", ("account",), *COMPANY_IDS, name=record.get("Associated Company", "Company Name"))
        cells.ref("primary_contact_id", ("contact",), "Associated Contact IDs", "Associated Contact ID")
        cells.owner("Deal owner", "HubSpot Owner", "Owner")
        cells.datetime("created_at", "Create Date", on_create=True)
        export.add(cells.row)


def _activities(table: CsvTable, export: Export) -> None:
    dates = dates_for(table, "Activity date", "Create Date", "Timestamp", "Due date")
    default_type = {"note": "note", "call": "call", "meeting": "meeting", "email": "email", "task": "task"}
    file_type = next((value for word, value in default_type.items() if word in table.path.stem.lower()), "note")
    for record in table.rows:
        external_id = _record_id(table, record.cells) or _content_id(record.cells)
        cells = fill(table, record, "activity", external_id, dates)
        raw_type = record.get("Activity type", "Activity Type", "Engagement Type", "Type").lower().replace(" ", "_")
        kind = ACTIVITY_TYPES.get(raw_type, file_type if not raw_type else "")
        cells.row.columns["type"] = table.column("Activity type", "Engagement Type", "Type")
        cells.row.fields["type"] = kind or raw_type
        body = cells.text("body", "Body", "Notes", "Note body", "Call notes", "Meeting description", "Email body")
        subject = cells.text("subject", "Subject", "Title", "Call title", "Meeting name", "Task title", "Email subject")
        if not subject and body:
            cells.row.fields["subject"] = body.strip().splitlines()[0][:120]
        cells.datetime("occurred_at", "Activity date", "Timestamp", "Create Date")
        if kind == "task":
            cells.date("due_date", "Due date", "Activity date")
            status = record.get("Task status", "Status").lower()
            cells.row.fields["status"] = "done" if status in ("completed", "complete", "done") else "open"
        cells.ref("contact_id", ("contact",), "Associated Contact IDs", "Associated Contact ID", "Associated Contact")
        cells.ref("account_id", ("account",), *COMPANY_IDS)
        cells.ref("deal_id", ("deal",), "Associated Deal IDs", "Associated Deal ID", "Associated Deal")
        cells.owner("Activity assigned to", "Activity owner", "HubSpot Owner", "Owner", "Created by")
        export.add(cells.row)


def _content_id(cells: dict[str, str]) -> str:
    """A stable id for activity rows without one, so re-imports of the same row match."""
    digest = hashlib.sha1("\x1f".join(f"{k}={v}" for k, v in sorted(cells.items())).encode()).hexdigest()
    return f"sha1:{digest[:20]}"
