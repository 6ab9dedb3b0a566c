"""A HubSpot export generated with files whose names say nothing ("export (3).csv", "m.csv", a companies file
called "customers"), so only their header rows tell what they hold: UI exports with property labels, a
deals dump with internal names (dealname, dealstage, pipeline, deal_currency_code), month-first dates like
01-14-2027, epoch-millisecond create dates and an empty amount; an owners file; calls, emails, meetings,
notes and tasks; a two-column and a v4 association file."""

from pathlib import Path

from tests.imports.export_files import Truth, write_csv

# fmt: off
FILES: dict[str, tuple[list[str], list[list[str]], str]] = {  # name: (header, rows, delimiter)
    "owners.csv": (["Owner ID", "First Name", "Last Name", "Email", "Archived"], [
        ["9001", "Lucía", "Fernández", "lucia.fernandez@andina.example", "false"],
        ["9002", "Rosa", "Quispe", "rosa.quispe@andina.example", "false"],
    ], ","),
    "hubspot-crm-exports-customers-2026-01-05.csv": (
        ["Record ID", "Company name", "Company Domain Name", "Industry", "Country/Region", "Number of Employees",
         "Company owner", "Create Date"], [
        ["101", "Umbrella Labs", "umbrella.example", "Biotech", "Chile", "300", "Lucía Fernández", "2026-01-02 10:00"],
        ["102", "Umbrella Labs, Inc.", "www.umbrella.example", "", "", "", "Lucía Fernández", "2026-01-03 10:00"],
        ["103", "Vandelay Industries", "", "Import/Export", "", "", "Lucía Fernández", "2026-01-04 10:00"],
    ], ","),
    "export (3).csv": (
        ["Record ID", "First Name", "Last Name", "Email", "Phone Number", "Job Title", "Associated Company IDs",
         "Contact owner"], [
        ["201", "Art", "Vandelay", "art@vandelay.example", "(212) 555-0199", "Importer", "103", "Lucía Fernández"],
        ["202", "Grace", "Lee", "grace@umbrella.example", "12", "CTO", "101;102", "Rosa Quispe"],
    ], "\t"),
    "pipeline-dump.csv": (
        ["hs_object_id", "dealname", "dealstage", "pipeline", "amount", "deal_currency_code", "closedate",
         "hubspot_owner_id", "createdate"], [
        ["301", "Vandelay - Latex", "appointmentscheduled", "default", "5000", "USD", "01-14-2027", "9001",
         "1767225600000"],
        ["302", "Umbrella - Vacunas", "Demo realizada", "Partners", "12000.5", "CLP", "01-31-2027", "9002",
         "1767225600000"],
        ["303", "Umbrella - 2025", "closedwon", "default", "", "USD", "06-30-2025", "9001", "1735689600000"],
    ], ","),
    "deal_contact.csv": (["Deal ID", "Contact ID"], [["301", "201"]], ","),
    "assoc-v4.csv": (["fromObjectType", "fromObjectId", "toObjectType", "toObjectId", "associationType"], [
        ["deals", "301", "companies", "103", "deal_to_company"],
        ["deals", "302", "companies", "101", "deal_to_company"],
        ["deals", "303", "companies", "102", "deal_to_company"],
    ], ","),
    "calls.csv": (
        ["Activity ID", "Call Title", "Call notes", "Activity date", "Call duration", "Associated Contact IDs",
         "Associated Deal IDs", "Activity assigned to"], [
        ["401", "Pricing call", "Art asked about volume pricing for latex.", "2026-11-10 14:30", "00:12:00", "201",
         "301", "Lucía Fernández"],
    ], ","),
    "notas.csv": (["hs_object_id", "hs_note_body", "hs_timestamp", "hubspot_owner_id"], [
        ["402", "Grace confirmed the trial budget.", "1767225600000", "9002"],
    ], ","),
    "note-links.csv": (["Note ID", "Contact ID"], [["402", "202"]], ","),
    "m.csv": (["Record ID", "Meeting name", "Meeting description", "Meeting start time", "Associated Company IDs",
               "Activity assigned to"], [
        ["403", "Onsite visit", "Toured the Santiago lab.", "2026-11-12 09:00", "101", "Rosa Quispe"],
    ], ","),
    "sent.csv": (["Record ID", "Email subject", "Email body", "Activity date", "Associated Contact IDs"], [
        ["404", "Re: samples", "Samples ship Monday.", "2026-11-13 08:00", "201"],
    ], ","),
    "todo.csv": (["Record ID", "Task title", "Task notes", "Due date", "Task status", "Associated Deal IDs"], [
        ["405", "Send contract", "", "2026-12-01 00:00", "NOT_STARTED", "302"],
    ], ","),
}
# fmt: on


def write_hubspot(directory: Path) -> Truth:
    """The export's CSV files in directory, and what importing them must give."""
    directory.mkdir(parents=True, exist_ok=True)
    for name, (header, rows, delimiter) in FILES.items():
        write_csv(directory / name, header, [dict(zip(header, row, strict=True)) for row in rows], delimiter=delimiter)
    truth = Truth(
        accounts={"101": "Umbrella Labs", "103": "Vandelay Industries"},
        contacts={"201": "Vandelay", "202": "Lee"},
        deals={
            "301": ("Vandelay - Latex", "5000", "USD"),
            "302": ("Umbrella - Vacunas", "12000.5", "CLP"),
            "303": ("Umbrella - 2025", "0", "USD"),
        },
        activities={"401": "call", "402": "note", "403": "meeting", "404": "email", "405": "task"},
        merged={"102": "101"},
        stages={
            "Appointment Scheduled": (20, False, False, "pipeline"),
            "Closed Won": (100, True, True, "closed"),
            "Demo realizada": (0, False, False, "pipeline"),
        },
    )
    truth.links = [
        ("contact", "201", "account_id", "account", "103"),
        ("contact", "202", "account_id", "account", "101"),
        ("deal", "301", "account_id", "account", "103"),
        ("deal", "301", "primary_contact_id", "contact", "201"),
        ("deal", "302", "account_id", "account", "101"),
        ("deal", "303", "account_id", "account", "101"),
        ("activity", "401", "deal_id", "deal", "301"),
        ("activity", "401", "contact_id", "contact", "201"),
        ("activity", "402", "contact_id", "contact", "202"),
        ("activity", "403", "account_id", "account", "101"),
        ("activity", "404", "contact_id", "contact", "201"),
        ("activity", "405", "deal_id", "deal", "302"),
    ]
    return truth
