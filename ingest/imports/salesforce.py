"""Salesforce data exports (Data Export / Data Loader): Account, Contact, Lead, Opportunity,
OpportunityHistory, Task, Event and User CSV files in one directory."""

from pathlib import Path

from ingest.imports.fields import dates_for, fill, sf_id
from ingest.imports.readers import CsvTable, parse_bool, read_csv
from ingest.imports.records import Export

SOURCE = "salesforce"
FILES = ("Account", "Contact", "Lead", "Opportunity", "OpportunityHistory", "Task", "Event", "User")
PERSON_OR_LEAD = ("contact", "lead")
ACCOUNT_OR_DEAL = ("deal", "account")


def find_files(directory: Path) -> dict[str, Path]:
    by_name = {path.stem.lower(): path for path in directory.glob("*") if path.suffix.lower() == ".csv"}
    return {name: by_name[name.lower()] for name in FILES if name.lower() in by_name}


def read_export(directory: Path) -> Export:
    export = Export(source=SOURCE)
    files = find_files(directory)
    known = {path.name for path in files.values()}
    export.notes += [
        f"ignored {p.name}: not a Salesforce object file"
        for p in sorted(directory.glob("*.csv"))
        if p.name not in known
    ]
    if not files:
        raise FileNotFoundError(f"no Salesforce export files ({', '.join(f + '.csv' for f in FILES)}) in {directory}")
    readers = {
        "User": _users,
        "Account": _accounts,
        "Contact": _contacts,
        "Lead": _leads,
        "Opportunity": _opportunities,
        "OpportunityHistory": _history,
        "Task": _activities,
        "Event": _activities,
    }
    for name, path in files.items():
        readers[name](read_csv(path), export)
    return export


def _users(table: CsvTable, export: Export) -> None:
    for record in table.rows:
        user_id, email = sf_id(record.get("Id")), record.get("Email", "Username")
        if user_id and email:
            export.user_emails[user_id] = email.lower()


def _accounts(table: CsvTable, export: Export) -> None:
    dates = dates_for(table, "CreatedDate")
    for record in table.rows:
        cells = fill(table, record, "account", sf_id(record.get("Id")), dates)
        cells.text("name", "Name")
        cells.text("domain", "Website")
        cells.text("industry", "Industry")
        cells.text("region", "BillingCountry", "BillingState", "ShippingCountry")
        cells.integer("employees", "NumberOfEmployees")
        cells.ref("parent_id", ("account",), "ParentId", salesforce=True)
        cells.owner("OwnerId")
        cells.datetime("created_at", "CreatedDate", on_create=True)
        export.add(cells.row)


def _contacts(table: CsvTable, export: Export) -> None:
    dates = dates_for(table, "CreatedDate")
    for record in table.rows:
        cells = fill(table, record, "contact", sf_id(record.get("Id")), dates)
        cells.text("first_name", "FirstName")
        cells.text("last_name", "LastName")
        cells.text("title", "Title")
        cells.text("email", "Email")
        cells.text("phone", "Phone", "MobilePhone")
        cells.ref("account_id", ("account",), "AccountId", salesforce=True)
        cells.owner("OwnerId")
        cells.datetime("created_at", "CreatedDate", on_create=True)
        export.add(cells.row)


LEAD_STATUS_WORDS = (
    ("not converted", "unqualified"),
    ("not contacted", "new"),
    ("unqualified", "unqualified"),
    ("converted", "converted"),
    ("qualified", "qualified"),
    ("working", "working"),
    ("contacted", "working"),
    ("nurtur", "working"),
    ("open", "new"),
    ("new", "new"),
)


def lead_status(status: str, converted: bool) -> str:
    """Salesforce lead status ('Open - Not Contacted', 'Closed - Converted', ...) -> a Dealwise lead status."""
    if converted:
        return "converted"
    lowered = status.lower()
    for word, mapped in LEAD_STATUS_WORDS:
        if word in lowered:
            return mapped
    return status


def _leads(table: CsvTable, export: Export) -> None:
    dates = dates_for(table, "CreatedDate", "ConvertedDate")
    for record in table.rows:
        cells = fill(table, record, "lead", sf_id(record.get("Id")), dates)
        for field, column in (("first_name", "FirstName"), ("last_name", "LastName"), ("company", "Company")):
            cells.text(field, column)
        cells.text("title", "Title")
        cells.text("email", "Email")
        cells.text("phone", "Phone", "MobilePhone")
        cells.text("source", "LeadSource")
        cells.text("notes", "Description")
        converted = parse_bool(record.get("IsConverted"))
        cells.row.columns["status"] = table.column("Status")
        cells.row.fields["status"] = lead_status(record.get("Status"), converted) or None
        if converted:
            cells.ref("converted_account_id", ("account",), "ConvertedAccountId", salesforce=True)
            cells.ref("converted_contact_id", ("contact",), "ConvertedContactId", salesforce=True)
            cells.ref("converted_deal_id", ("deal",), "ConvertedOpportunityId", salesforce=True)
            cells.datetime("converted_at", "ConvertedDate")
        cells.owner("OwnerId")
        cells.datetime("created_at", "CreatedDate", on_create=True)
        export.add(cells.row)


def _opportunities(table: CsvTable, export: Export) -> None:
    dates = dates_for(table, "CloseDate", "CreatedDate")
    for record in table.rows:
        cells = fill(table, record, "deal", sf_id(record.get("Id")), dates)
        cells.text("name", "Name")
        cells.ref("account_id", ("account",), "AccountId", salesforce=True)
        cells.text("stage", "StageName")
        _, symbol_currency = cells.money("amount", "Amount")
        cells.row.columns["currency"] = table.column("CurrencyIsoCode")
        cells.row.fields["currency"] = (record.get("CurrencyIsoCode") or symbol_currency or "").upper() or None
        cells.date("close_date", "CloseDate")
        cells.text("next_step", "NextStep")
        cells.text("lead_source", "LeadSource")
        cells.owner("OwnerId")
        cells.datetime("created_at", "CreatedDate", on_create=True)
        export.add(cells.row)


def _history(table: CsvTable, export: Export) -> None:
    dates = dates_for(table, "CreatedDate")
    for record in table.rows:
        cells = fill(table, record, "stage_history", sf_id(record.get("Id")), dates)
        cells.ref("deal_id", ("deal",), "OpportunityId", salesforce=True)
        cells.text("stage", "StageName")
        cells.datetime("changed_at", "CreatedDate")
        cells.owner("CreatedById")
        export.add(cells.row)


def activity_type(subtype: str, kind: str, is_event: bool) -> str:
    if is_event:
        return "meeting"
    for value in (subtype.lower(), kind.lower()):
        if "email" in value:
            return "email"
        if "call" in value:
            return "call"
        if "meeting" in value:
            return "meeting"
    return "task"


def _activities(table: CsvTable, export: Export) -> None:
    is_event = table.path.stem.lower() == "event"
    dates = dates_for(table, "ActivityDate", "StartDateTime", "CreatedDate", "ActivityDateTime")
    for record in table.rows:
        cells = fill(table, record, "activity", sf_id(record.get("Id")), dates)
        kind = activity_type(record.get("TaskSubtype"), record.get("Type"), is_event)
        cells.row.fields["type"] = kind
        cells.text("subject", "Subject")
        cells.text("body", "Description")
        cells.ref("contact_id", PERSON_OR_LEAD, "WhoId", salesforce=True)
        cells.ref("deal_id", ACCOUNT_OR_DEAL, "WhatId", salesforce=True)
        due = cells.date("due_date", "ActivityDate")
        cells.datetime("occurred_at", "StartDateTime", "ActivityDateTime", "CreatedDate")
        if cells.row.fields.get("occurred_at") is None and due is not None:
            cells.row.fields["occurred_at"] = dates.datetime(record.get("ActivityDate"))
        if kind == "task":
            status = record.get("Status").lower()
            cells.row.fields["status"] = "done" if status in ("completed", "complete", "done") else "open"
        else:
            cells.row.fields["due_date"] = None
        cells.owner("OwnerId")
        export.add(cells.row)
