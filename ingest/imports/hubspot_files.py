"""Which HubSpot file is which, by its header row (never its name): UI exports use property labels ("Deal
Name"), API and migration dumps internal names ("dealname"). Association files pair ids of two objects:
two id columns ("Deal ID,Contact ID") or HubSpot's v4 shape (fromObjectType, fromObjectId, toObjectType,
toObjectId)."""

import re
from dataclasses import dataclass

from ingest.imports.readers import CsvTable

DEAL_NAME = ("Deal Name", "dealname")
DEAL_STAGE = ("Deal Stage", "dealstage")
COMPANY_NAME = ("Company name", "Name", "name")
COMPANY_DOMAIN = ("Company Domain Name", "Website URL", "Domain", "domain", "website")
FIRST_NAME = ("First Name", "firstname")
LAST_NAME = ("Last Name", "lastname")
EMAIL = ("Email", "email")
ENGAGEMENT_TYPE = ("Activity type", "Activity Type", "Engagement Type", "Engagement type", "engagement_type",
                   "hs_engagement_type", "Type")  # fmt: skip
TYPE_COLUMNS = {
    "call": ("Call Title", "Call notes", "Call duration", "Call outcome", "hs_call_title", "hs_call_body"),
    "email": ("Email subject", "Email body", "Email text", "hs_email_subject", "hs_email_text", "hs_email_html"),
    "meeting": ("Meeting name", "Meeting title", "Meeting description", "Meeting start time", "hs_meeting_title",
                "hs_meeting_body", "hs_meeting_start_time"),
    "note": ("Note body", "hs_note_body"),
    "task": ("Task title", "Task notes", "Task status", "hs_task_subject", "hs_task_body", "hs_task_status"),
}  # fmt: skip
OWNER_ID = ("Owner ID", "owner_id", "ownerId", "User ID")
OBJECT_WORDS = (("deal", "deal"), ("compan", "account"), ("contact", "contact"), ("engagement", "activity"),
                ("activit", "activity"), ("call", "activity"), ("email", "activity"), ("meeting", "activity"),
                ("note", "activity"), ("task", "activity"))  # fmt: skip
V4_COLUMNS = ("fromobjecttype", "fromobjectid", "toobjecttype", "toobjectid")


@dataclass(frozen=True)
class Association:
    """Two records HubSpot links: (kind, id) on each side."""

    kind: str
    id: str
    other_kind: str
    other_id: str


def engagement_type(table: CsvTable) -> str | None:
    """The one engagement type a per-type export holds, from its type-specific columns."""
    found = [kind for kind, columns in TYPE_COLUMNS.items() if table.has(*columns)]
    return found[0] if len(found) == 1 else None


def object_of(column: str) -> str | None:
    lowered = column.lower()
    return next((kind for word, kind in OBJECT_WORDS if word in lowered), None)


def association_columns(table: CsvTable) -> tuple[str, str] | None:
    """The two id columns of a two-column association file ("Deal ID", "Associated Contact ID"), else None."""
    id_columns = [c for c in table.columns if re.search(r"(?i)(\bid\b|_id$|ids?$)", c) and object_of(c)]
    others = [
        c
        for c in table.columns
        if c not in id_columns and c.lower() not in ("association type", "type", "association label", "label")
    ]
    if len(id_columns) == 2 and not others and object_of(id_columns[0]) != object_of(id_columns[1]):
        return id_columns[0], id_columns[1]
    return None


def file_kind(table: CsvTable) -> str | None:
    """account, contact, deal, activity, owner, association, or None for a file that is none of them."""
    if table.has(*DEAL_NAME) and table.has(*DEAL_STAGE):
        return "deal"
    if all(column in table.keys for column in V4_COLUMNS) or association_columns(table):
        return "association"
    if (
        table.has(*ENGAGEMENT_TYPE[:-1])
        or engagement_type(table)
        or (table.has("Type") and table.has("Body", "Notes", "Subject"))
    ):
        return "activity"
    if table.has(*FIRST_NAME) and table.has(*LAST_NAME) and table.has(*EMAIL):
        return "owner" if table.has(*OWNER_ID) else "contact"
    if table.has(*COMPANY_NAME) and table.has(*COMPANY_DOMAIN, "Industry", "industry", "Company owner"):
        return "account"
    return None


def read_associations(table: CsvTable) -> list[Association]:
    pairs: list[Association] = []
    if all(column in table.keys for column in V4_COLUMNS):
        for record in table.rows:
            kind, other = object_of(record.get("fromObjectType")), object_of(record.get("toObjectType"))
            left, right = record.get("fromObjectId"), record.get("toObjectId")
            if kind and other and left and right:
                pairs.append(Association(kind, left, other, right))
        return pairs
    columns = association_columns(table)
    assert columns is not None
    kind, other = object_of(columns[0]), object_of(columns[1])
    assert kind is not None and other is not None
    for record in table.rows:
        for left in re.split(r"[;,]", record.get(columns[0])):
            for right in re.split(r"[;,]", record.get(columns[1])):
                if left.strip() and right.strip():
                    pairs.append(Association(kind, left.strip(), other, right.strip()))
    return pairs
