"""Salesforce data exports (weekly Data Export, Data Loader): Account, Contact, Lead, Opportunity,
OpportunityHistory, Task, Event and User CSV files in one directory, with their API column names.

Ids are read in their 15-character form; the empty reference `000000000000000AAA` is no reference. Deleted
rows (`IsDeleted` true) are skipped. Opportunity rows carry their stage's flags (IsClosed, IsWon,
Probability, ForecastCategory), from which the stage catalogue is built. Tasks link through WhoId
(contact or lead), WhatId (opportunity or account) and AccountId; a task logged as an email (TaskSubtype
Email, or a subject starting "Email:") becomes an email activity, an Event a meeting.
"""

import re
from collections import Counter
from pathlib import Path

from ingest.imports.fields import Formats, RowFiller, fill, formats_for, sf_id
from ingest.imports.mapping import ImportMapping
from ingest.imports.readers import CsvRow, CsvTable, parse_bool, read_csv
from ingest.imports.records import Export, Ref, SourceUser

SOURCE = "salesforce"
FILES = ("User", "Account", "Contact", "Lead", "Opportunity", "OpportunityHistory", "Task", "Event")
KEY_PREFIXES = {"001": "Account", "003": "Contact", "00Q": "Lead", "006": "Opportunity", "005": "User",
                "500": "Case", "701": "Campaign", "800": "Contract", "00T": "Task", "00U": "Event"}  # fmt: skip
WHO_KINDS = {"003": "contact", "00Q": "lead"}
WHAT_KINDS = {"006": "deal", "001": "account"}
EMAIL_SUBJECT = re.compile(r"^\s*(e-?mail|correo)\s*:", re.IGNORECASE)
DONE_STATUSES = ("completed", "complete", "done", "completada", "completado", "concluída")


def find_files(directory: Path) -> dict[str, Path]:
    by_name = {path.stem.lower(): path for path in directory.glob("*") if path.suffix.lower() == ".csv"}
    return {name: by_name[name.lower()] for name in FILES if name.lower() in by_name}


def read_export(directory: Path, mapping: ImportMapping) -> Export:
    files = find_files(directory)
    if not files:
        raise FileNotFoundError(f"no Salesforce export files ({', '.join(f + '.csv' for f in FILES)}) in {directory}")
    export = Export(source=mapping.source or SOURCE, mapping=mapping, default_pipeline="Salesforce")
    known = {path.name for path in files.values()}
    export.notes += [f"ignored {p.name}: not a Salesforce object Dealwise imports"
                     for p in sorted(directory.glob("*.csv")) if p.name not in known]  # fmt: skip
    reader = SalesforceReader(export)
    for name, path in files.items():
        reader.read(name, read_csv(path))
    reader.finish()
    return export


class SalesforceReader:
    def __init__(self, export: Export) -> None:
        self.export, self.mapping = export, export.mapping
        self.deleted: Counter[str] = Counter()
        self.foreign_links: Counter[str] = Counter()

    def read(self, name: str, table: CsvTable) -> None:
        readers = {"User": self._users, "Account": self._accounts, "Contact": self._contacts, "Lead": self._leads,
                   "Opportunity": self._opportunities, "OpportunityHistory": self._history,
                   "Task": self._activities, "Event": self._activities}  # fmt: skip
        readers[name](table)

    def finish(self) -> None:
        for name, count in sorted(self.deleted.items()):
            self.export.notes.append(f"skipped {count} deleted row(s) (IsDeleted) in {name}")
        for name, count in sorted(self.foreign_links.items()):
            self.export.notes.append(
                f"{count} activity link(s) point at Salesforce {name} records, which Dealwise does not import; "
                "those activities are linked through their other references"
            )

    def _rows(self, table: CsvTable, kind: str, *date_columns: str) -> list[tuple[CsvRow, RowFiller]]:
        formats: Formats = formats_for(table, self.mapping, date_columns, default_mark=".")
        rows = []
        for record in table.rows:
            if parse_bool(record.get("IsDeleted")):
                self.deleted[table.name] += 1
                continue
            rows.append((record, fill(record, kind, sf_id(record.get("Id")), formats, self.mapping)))
        return rows

    def _users(self, table: CsvTable) -> None:
        for record in table.rows:
            user_id = sf_id(record.get("Id"))
            if not user_id:
                continue
            name = record.get("Name") or f"{record.get('FirstName')} {record.get('LastName')}".strip()
            email = (record.get("Email") or record.get("Username")).strip().lower() or None
            active = parse_bool(record.get("IsActive"))
            self.export.users[user_id] = SourceUser(user_id, email, name or email or user_id, active is not False)

    def _accounts(self, table: CsvTable) -> None:
        for _, cells in self._rows(table, "account", "CreatedDate"):
            cells.text("name", "Name")
            cells.text("domain", "Website")
            cells.text("industry", "Industry")
            cells.text("region", "BillingCountry", "BillingState", "ShippingCountry")
            cells.integer("employees", "NumberOfEmployees")
            cells.ref("parent_id", ("account",), "ParentId", salesforce=True)
            cells.owner("OwnerId")
            cells.datetime("created_at", "CreatedDate", on_create=True)
            self.export.add(cells.row)

    def _contacts(self, table: CsvTable) -> None:
        for _, cells in self._rows(table, "contact", "CreatedDate"):
            cells.text("first_name", "FirstName")
            cells.text("last_name", "LastName")
            cells.text("title", "Title")
            cells.text("email", "Email")
            cells.text("phone", "Phone", "MobilePhone")
            cells.ref("account_id", ("account",), "AccountId", salesforce=True)
            cells.owner("OwnerId")
            cells.datetime("created_at", "CreatedDate", on_create=True)
            self.export.add(cells.row)

    def _leads(self, table: CsvTable) -> None:
        for record, cells in self._rows(table, "lead", "CreatedDate", "ConvertedDate"):
            for field, column in (("first_name", "FirstName"), ("last_name", "LastName"), ("company", "Company")):
                cells.text(field, column)
            cells.text("title", "Title")
            cells.text("email", "Email")
            cells.text("phone", "Phone", "MobilePhone")
            cells.text("source", "LeadSource")
            cells.text("notes", "Description")
            converted = bool(parse_bool(record.get("IsConverted")))
            cells.row.columns["status"] = table.column("Status")
            cells.row.fields["status"] = lead_status(record.get("Status"), converted) or None
            if converted:
                cells.ref("converted_account_id", ("account",), "ConvertedAccountId", salesforce=True)
                cells.ref("converted_contact_id", ("contact",), "ConvertedContactId", salesforce=True)
                cells.ref("converted_deal_id", ("deal",), "ConvertedOpportunityId", salesforce=True)
                cells.datetime("converted_at", "ConvertedDate")
            cells.owner("OwnerId")
            cells.datetime("created_at", "CreatedDate", on_create=True)
            self.export.add(cells.row)

    def _opportunities(self, table: CsvTable) -> None:
        for record, cells in self._rows(table, "deal", "CloseDate", "CreatedDate"):
            cells.text("name", "Name")
            cells.ref("account_id", ("account",), "AccountId", salesforce=True)
            cells.ref("primary_contact_id", ("contact",), "ContactId", salesforce=True)
            _stage(cells, record)
            cells.text("stage_closed", "IsClosed")
            cells.text("stage_won", "IsWon")
            _, cell_currency = cells.money("amount", "Amount")
            cells.row.fields["amount_currency"] = cell_currency
            cells.text("currency", "CurrencyIsoCode")
            cells.date("close_date", "CloseDate")
            cells.text("next_step", "NextStep")
            cells.text("lead_source", "LeadSource")
            cells.owner("OwnerId")
            cells.datetime("created_at", "CreatedDate", on_create=True)
            self.export.add(cells.row)

    def _history(self, table: CsvTable) -> None:
        for record, cells in self._rows(table, "stage_history", "CreatedDate"):
            cells.ref("deal_id", ("deal",), "OpportunityId", salesforce=True)
            _stage(cells, record)
            cells.datetime("changed_at", "CreatedDate")
            cells.owner("CreatedById")
            self.export.add(cells.row)

    def _activities(self, table: CsvTable) -> None:
        is_event = table.path.stem.lower() == "event"
        dates = ("ActivityDate", "StartDateTime", "ActivityDateTime", "CompletedDateTime", "CreatedDate")
        for record, cells in self._rows(table, "activity", *dates):
            kind = activity_type(record.get("TaskSubtype", "EventSubtype"), record.get("Type"),
                                 record.get("Subject"), is_event)  # fmt: skip
            cells.row.fields["type"] = kind
            cells.text("subject", "Subject")
            cells.text("body", "Description")
            cells.ref("account_id", ("account",), "AccountId", salesforce=True)
            self._link(cells, record, "WhoId", WHO_KINDS)
            self._link(cells, record, "WhatId", WHAT_KINDS)
            if kind == "task":
                cells.date("due_date", "ActivityDate")
                status, closed = record.get("Status").lower(), parse_bool(record.get("IsClosed"))
                cells.row.fields["status"] = "done" if closed or status in DONE_STATUSES else "open"
                cells.datetime("occurred_at", "CompletedDateTime", "ActivityDate", "CreatedDate")
            else:
                cells.datetime("occurred_at", "StartDateTime", "ActivityDateTime", "CompletedDateTime",
                               "ActivityDate", "CreatedDate")  # fmt: skip
            cells.owner("OwnerId")
            self.export.add(cells.row)

    def _link(self, cells: RowFiller, record: CsvRow, column: str, kinds: dict[str, str]) -> None:
        """WhoId / WhatId: the kind of record is in the id's key prefix; links to objects not imported are counted."""
        target = sf_id(record.get(column))
        if target is None:
            return
        kind = kinds.get(target[:3])
        if kind is None:
            self.foreign_links[KEY_PREFIXES.get(target[:3], f"'{target[:3]}'")] += 1
            return
        if f"{kind}_id" not in cells.row.refs:
            cells.row.columns[f"{kind}_id"] = cells.table.column(column)
            cells.row.refs[f"{kind}_id"] = Ref((kind,), target)


def _stage(cells: RowFiller, record: CsvRow) -> None:
    cells.text("stage", "StageName")
    cells.text("stage_probability", "Probability")
    cells.text("stage_forecast", "ForecastCategory", "ForecastCategoryName")


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


def activity_type(subtype: str, kind: str, subject: str, is_event: bool) -> str:
    if is_event:
        return "meeting"
    for value in (subtype.lower(), kind.lower()):
        if "email" in value:
            return "email"
        if "call" in value:
            return "call"
        if "meeting" in value:
            return "meeting"
    return "email" if EMAIL_SUBJECT.match(subject) else "task"
