"""HubSpot exports: companies, contacts, deals, engagements (calls, emails, meetings, notes, tasks), owners and
association files in one directory, each recognised by its header row (ingest.imports.hubspot_files), so
"hubspot-crm-exports-customers-2026-01-05.csv" is read like "companies.csv". Columns are matched by their
export labels or internal names, case-insensitively.

Deals keep their pipeline and stage. HubSpot's own stage ids and labels (appointmentscheduled ...
closedlost) carry their usual probability and closed/won flags; other stages take "Is Closed Won" /
"Deal probability" where the export has them. HubSpot's default pipeline ("Sales Pipeline") is Dealwise's
default pipeline unless the mapping sends it elsewhere.
"""

import hashlib
from pathlib import Path

from ingest.imports.fields import RowFiller, fill, formats_for
from ingest.imports.hubspot_files import TYPE_COLUMNS, Association, engagement_type, file_kind, read_associations
from ingest.imports.mapping import ImportMapping, stage_key
from ingest.imports.readers import CsvRow, CsvTable, read_csv
from ingest.imports.records import Export, Ref, Row, SourceUser

SOURCE = "hubspot"
DEFAULT_PIPELINE = "Sales Pipeline"
ID_COLUMNS = ("Record ID", "hs_object_id", "Company ID", "Contact ID", "Deal ID", "Activity ID", "Engagement ID",
              "ID", "Id")  # fmt: skip
COMPANY_IDS = ("Associated Company IDs", "Associated Company ID", "Associated Company IDs (Primary)",
               "associatedcompanyid", "Company ID")  # fmt: skip
CONTACT_IDS = ("Associated Contact IDs", "Associated Contact ID", "Associated Contact")
DEAL_IDS = ("Associated Deal IDs", "Associated Deal ID", "Associated Deal")
OWNER = ("HubSpot Owner", "Owner", "hubspot_owner_id")
KNOWN_STAGES = {
    "appointmentscheduled": ("Appointment Scheduled", 20, False, False),
    "qualifiedtobuy": ("Qualified To Buy", 40, False, False),
    "presentationscheduled": ("Presentation Scheduled", 60, False, False),
    "decisionmakerboughtin": ("Decision Maker Bought-In", 80, False, False),
    "contractsent": ("Contract Sent", 90, False, False),
    "closedwon": ("Closed Won", 100, True, True),
    "closedlost": ("Closed Lost", 0, True, False),
}
ACTIVITY_TYPES = {"call": "call", "calls": "call", "email": "email", "incoming_email": "email",
                  "forwarded_email": "email", "emails": "email", "meeting": "meeting", "meetings": "meeting",
                  "note": "note", "notes": "note", "task": "task", "tasks": "task"}  # fmt: skip
SUBJECTS = ("Subject", "Title", *(c for columns in TYPE_COLUMNS.values() for c in columns if "title" in c.lower()
            or "subject" in c.lower() or "name" in c.lower()))  # fmt: skip
BODIES = ("Body", "Notes", "Note body", "Call notes", "Meeting description", "Email body", "Email text", "Task notes",
          "hs_note_body", "hs_call_body", "hs_meeting_body", "hs_email_text", "hs_task_body")  # fmt: skip
WHEN = ("Activity date", "Timestamp", "hs_timestamp", "Meeting start time", "hs_meeting_start_time", "Create Date",
        "hs_createdate", "Created at")  # fmt: skip


def read_export(directory: Path, mapping: ImportMapping) -> Export:
    export = Export(source=mapping.source or SOURCE, mapping=mapping, default_pipeline=DEFAULT_PIPELINE)
    tables: dict[str, list[CsvTable]] = {}
    for path in sorted(p for p in directory.glob("*") if p.suffix.lower() == ".csv"):
        table = read_csv(path)
        kind = file_kind(table)
        if kind is None:
            export.notes.append(f"ignored {path.name}: its columns are not those of a HubSpot export")
            continue
        tables.setdefault(kind, []).append(table)
    if not set(tables) - {"owner", "association"}:
        raise FileNotFoundError(f"no HubSpot companies, contacts, deals or activities export in {directory}")
    readers = {"owner": _owners, "account": _companies, "contact": _contacts, "deal": _deals, "activity": _activities}
    for kind, reader in readers.items():
        for table in tables.get(kind, []):
            reader(table, export)
    associations = [pair for table in tables.get("association", []) for pair in read_associations(table)]
    _associate(export, associations)
    return export


def _record_id(record: CsvRow) -> str | None:
    return record.get(*ID_COLUMNS) or None


def _rows(table: CsvTable, export: Export, kind: str, *dates: str) -> list[tuple[CsvRow, RowFiller]]:
    formats = formats_for(table, export.mapping, dates, default_mark=".")
    rows = []
    for record in table.rows:
        external_id = _record_id(record) or (_content_id(record.cells) if kind == "activity" else None)
        rows.append((record, fill(record, kind, external_id, formats, export.mapping)))
    return rows


def _owners(table: CsvTable, export: Export) -> None:
    for record in table.rows:
        owner_id = record.get("Owner ID", "owner_id", "ownerId", "User ID", "id")
        email = record.get("Email", "email").lower() or None
        name = f"{record.get('First Name', 'firstname')} {record.get('Last Name', 'lastname')}".strip()
        archived = record.get("Archived", "archived").lower() == "true"
        for key in filter(None, (owner_id, name)):
            export.users[key] = SourceUser(owner_id or key, email, name or email or key, not archived)


def _companies(table: CsvTable, export: Export) -> None:
    for _, cells in _rows(table, export, "account", "Create Date", "createdate"):
        cells.text("name", "Company name", "Name", "name")
        cells.text("domain", "Company Domain Name", "Website URL", "Domain", "domain", "website")
        cells.text("industry", "Industry", "industry")
        cells.text("region", "Country/Region", "Country", "country", "State/Region")
        cells.integer("employees", "Number of Employees", "numberofemployees")
        cells.ref("parent_id", ("account",), "Parent Company ID", "hs_parent_company_id")
        cells.owner("Company owner", *OWNER)
        cells.datetime("created_at", "Create Date", "createdate", on_create=True)
        export.add(cells.row)


def _contacts(table: CsvTable, export: Export) -> None:
    for record, cells in _rows(table, export, "contact", "Create Date", "createdate"):
        cells.text("first_name", "First Name", "firstname")
        cells.text("last_name", "Last Name", "lastname")
        cells.text("email", "Email", "email")
        cells.text("phone", "Phone Number", "phone", "Mobile Phone Number", "mobilephone")
        cells.text("title", "Job Title", "jobtitle")
        company = record.get("Company Name", "Associated Company", "company")
        cells.ref("account_id", ("account",), *COMPANY_IDS, name=company)
        cells.owner("Contact owner", *OWNER)
        cells.datetime("created_at", "Create Date", "createdate", on_create=True)
        export.add(cells.row)


def _deals(table: CsvTable, export: Export) -> None:
    for record, cells in _rows(table, export, "deal", "Close Date", "closedate", "Create Date", "createdate"):
        cells.text("name", "Deal Name", "dealname")
        _stage(cells, record, export.mapping)
        _, cell_currency = cells.money("amount", "Amount", "amount")
        cells.row.fields["amount_currency"] = cell_currency
        cells.text("currency", "Currency", "Deal currency code", "deal_currency_code")
        cells.date("close_date", "Close Date", "closedate")
        cells.text("next_step", "Next step", "Next Step", "hs_next_step")
        cells.text("lead_source", "Original Source", "Original Source Type", "hs_analytics_source")
        company = record.get("Associated Company", "Company Name")
        cells.ref("account_id", ("account",), *COMPANY_IDS, name=company)
        cells.ref("primary_contact_id", ("contact",), *CONTACT_IDS)
        cells.owner("Deal owner", *OWNER)
        cells.datetime("created_at", "Create Date", "createdate", on_create=True)
        export.add(cells.row)


def _stage(cells: RowFiller, record: CsvRow, mapping: ImportMapping) -> None:
    pipeline = cells.text("pipeline", "Pipeline", "pipeline")
    mapped = any(stage_key(name) == stage_key(pipeline or "") for name in mapping.pipelines)
    if pipeline and stage_key(pipeline) in (stage_key(DEFAULT_PIPELINE), "default") and not mapped:
        cells.row.fields["pipeline"] = None
    stage = cells.text("stage", "Deal Stage", "dealstage")
    cells.text("stage_probability", "Deal probability", "hs_deal_stage_probability")
    cells.text("stage_closed", "Is Deal Closed?", "Is Closed", "hs_is_closed")
    cells.text("stage_won", "Is Closed Won", "hs_is_closed_won")
    known = KNOWN_STAGES.get(stage_key(stage or "")) or next(
        (value for value in KNOWN_STAGES.values() if stage_key(value[0]) == stage_key(stage or "")), None
    )
    if known is not None:
        label, probability, closed, won = known
        fields = cells.row.fields
        fields["stage"] = label
        fields["stage_probability"] = fields.get("stage_probability") or str(probability)
        fields["stage_closed"] = fields.get("stage_closed") or str(closed).lower()
        fields["stage_won"] = fields.get("stage_won") or str(won).lower()


def _activities(table: CsvTable, export: Export) -> None:
    file_type = engagement_type(table)
    for record, cells in _rows(table, export, "activity", *WHEN, "Due date"):
        raw_type = record.get("Activity type", "Activity Type", "Engagement Type", "engagement_type",
                              "hs_engagement_type", "Type").lower().replace(" ", "_")  # fmt: skip
        kind = ACTIVITY_TYPES.get(raw_type) or (file_type if not raw_type else None)
        cells.row.columns["type"] = table.column("Activity type", "Engagement Type", "engagement_type", "Type")
        if kind is None:
            cells.row.fail("type", f"{raw_type or '(empty)'!r} is not a call, email, meeting, note or task")
        else:
            cells.row.fields["type"] = kind
        cells.text("body", *BODIES)
        cells.text("subject", *SUBJECTS)
        cells.datetime("occurred_at", *WHEN)
        if kind == "task":
            cells.date("due_date", "Due date", "hs_timestamp", "Activity date")
            status = record.get("Task status", "Status", "hs_task_status").lower().replace("_", " ")
            cells.row.fields["status"] = "done" if status in ("completed", "complete", "done") else "open"
        cells.ref("contact_id", ("contact",), *CONTACT_IDS)
        cells.ref("account_id", ("account",), *COMPANY_IDS)
        cells.ref("deal_id", ("deal",), *DEAL_IDS)
        cells.owner("Activity assigned to", "Activity owner", "Assigned to", *OWNER, "Created by")
        export.add(cells.row)


ASSOCIATED_FIELD = {
    ("deal", "account"): "account_id",
    ("deal", "contact"): "primary_contact_id",
    ("contact", "account"): "account_id",
    ("activity", "account"): "account_id",
    ("activity", "contact"): "contact_id",
    ("activity", "deal"): "deal_id",
}


def _associate(export: Export, pairs: list[Association]) -> None:
    """Links from association files, on rows that do not already carry that link."""
    if not pairs:
        return
    rows: dict[tuple[str, str], Row] = {(row.kind, row.external_id): row for kind_rows in export.rows.values()
                                        for row in kind_rows if row.external_id}  # fmt: skip
    added = 0
    for pair in pairs:
        sides = ((pair.kind, pair.id, pair.other_kind, pair.other_id),
                 (pair.other_kind, pair.other_id, pair.kind, pair.id))  # fmt: skip
        for kind, record_id, other_kind, other_id in sides:
            field = ASSOCIATED_FIELD.get((kind, other_kind))
            row = rows.get((kind, record_id))
            if field and row is not None and field not in row.refs:
                row.refs[field] = Ref((other_kind,), other_id)
                row.columns.setdefault(field, f"association to {other_kind} {other_id}")
                added += 1
    export.notes.append(f"{added} link(s) from {len(pairs)} association row(s)")


def _content_id(cells: dict[str, str]) -> str:
    """A stable id for activity rows without one, so re-imports of the same row match."""
    digest = hashlib.sha1("\x1f".join(f"{k}={v}" for k, v in sorted(cells.items())).encode()).hexdigest()
    return f"sha1:{digest[:20]}"
