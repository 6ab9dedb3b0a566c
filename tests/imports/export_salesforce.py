"""A Salesforce weekly Data Export of a Latin-American org (API column names, 18-character ids), generated with
the traits that broke imports before: Account.csv and Opportunity.csv re-saved by Excel (Windows-1252,
semicolons), Contact.csv UTF-8 with a BOM; a three-decimal amount (9225.225 PEN) and COP, MXN, PEN and USD
deals; custom and Spanish stage names; the empty reference 000000000000000AAA; a contact whose only fault is
the phone "1234"; a task linked only by AccountId, one without a due date, a logged email, a WhatId pointing
at a Case; parents before and after their children; three stores named "N/E" and two countries' "Movistar";
a deleted row; and rows that must be rejected."""

from pathlib import Path

from tests.imports.export_files import Truth, write_csv

NOW = "2026-11-20T09:00:00.000+0000"
EMPTY_REF = "000000000000000AAA"
ADMIN_EMAIL = "admin@andina.example"


def sfid(prefix: str, n: int) -> str:
    """An 18-character Salesforce id: key prefix, 12 characters, 3 checksum characters."""
    return f"{prefix}5e00000{n:05d}AAQ"


def _ids(prefix: str, names: str) -> dict[str, str]:
    return {name: sfid(prefix, n) for n, name in enumerate(names.split(), 1)}


USERS = _ids("005", "lucia mateo ghost admin")
ACC = _ids("001", "andino_peru grupo_andino andino_colombia movistar_pe movistar_co ne_lima ne_bogota ne_cdmx "
                  "nandu aguila deleted empleados sin_nombre northwind")  # fmt: skip
CON = _ids("003", "jose ana carlos maria jose_again pedro_lima pedro_bogota pedro_bad_email no_name")
OPP = _ids("006", "renovacion plataforma fibra erp expansion cafe licencias_2025 piloto_2025 renewal_2025 "
                  "tienda_2025 upsell_2025 old_2024 orphan deleted")  # fmt: skip
LEADS = _ids("00Q", "laura converted")
TASKS = _ids("00T", "call account_only bad_phone_contact no_due email case lead rejected_contact")
CASE = sfid("500", 1)

# fmt: off
ACCOUNT_COLUMNS = ["Id", "IsDeleted", "MasterRecordId", "Name", "Type", "RecordTypeId", "ParentId", "BillingStreet",
                   "BillingCity", "BillingState", "BillingPostalCode", "BillingCountry", "Phone", "Website",
                   "Industry", "AnnualRevenue", "NumberOfEmployees", "CurrencyIsoCode", "OwnerId", "CreatedDate",
                   "LastModifiedDate"]
CONTACT_COLUMNS = ["Id", "IsDeleted", "MasterRecordId", "AccountId", "LastName", "FirstName", "Salutation",
                   "MailingCountry", "Phone", "MobilePhone", "Email", "Title", "Department", "LeadSource", "OwnerId",
                   "CreatedDate", "LastModifiedDate"]
OPPORTUNITY_COLUMNS = ["Id", "IsDeleted", "AccountId", "RecordTypeId", "IsPrivate", "Name", "Description",
                       "StageName", "Amount", "Probability", "ExpectedRevenue", "TotalOpportunityQuantity",
                       "CloseDate", "Type", "NextStep", "LeadSource", "IsClosed", "IsWon", "ForecastCategory",
                       "ForecastCategoryName", "CurrencyIsoCode", "CampaignId", "HasOpportunityLineItem",
                       "Pricebook2Id", "OwnerId", "CreatedDate", "LastModifiedDate", "ContactId", "FiscalQuarter",
                       "FiscalYear"]
HISTORY_COLUMNS = ["Id", "OpportunityId", "CreatedById", "CreatedDate", "StageName", "Amount", "ExpectedRevenue",
                   "CloseDate", "Probability", "ForecastCategory", "SystemModstamp", "IsDeleted",
                   "CurrencyIsoCode"]
TASK_COLUMNS = ["Id", "WhoId", "WhatId", "WhoCount", "WhatCount", "Subject", "ActivityDate", "Status", "Priority",
                "IsHighPriority", "OwnerId", "Description", "CurrencyIsoCode", "Type", "IsDeleted", "AccountId",
                "IsClosed", "CreatedDate", "CreatedById", "LastModifiedDate", "IsArchived", "CallDurationInSeconds",
                "CallType", "CallDisposition", "TaskSubtype", "CompletedDateTime"]
EVENT_COLUMNS = ["Id", "WhoId", "WhatId", "Subject", "Location", "IsAllDayEvent", "ActivityDateTime", "ActivityDate",
                 "DurationInMinutes", "StartDateTime", "EndDateTime", "Description", "AccountId", "OwnerId",
                 "CurrencyIsoCode", "Type", "IsPrivate", "ShowAs", "IsDeleted", "EventSubtype", "CreatedDate"]
LEAD_COLUMNS = ["Id", "IsDeleted", "LastName", "FirstName", "Title", "Company", "Country", "Phone", "Email",
                "LeadSource", "Status", "OwnerId", "IsConverted", "ConvertedDate", "ConvertedAccountId",
                "ConvertedContactId", "ConvertedOpportunityId", "CreatedDate"]
USER_COLUMNS = ["Id", "Username", "LastName", "FirstName", "Name", "CompanyName", "Email", "Alias", "IsActive",
                "TimeZoneSidKey", "UserRoleId", "LocaleSidKey", "ProfileId", "UserType", "LanguageLocaleKey"]

PEOPLE = [  # key, first, last, email, active
    ("lucia", "Lucía", "Fernández", "lucia.fernandez@andina.example", "1"),
    ("mateo", "Mateo", "Rojas", "mateo.rojas@andina.example", "1"),
    ("ghost", "Gustavo", "Ortega", "old.rep@andina.example", "0"),
    ("admin", "Admin", "Andina", ADMIN_EMAIL, "1"),
]
ACCOUNTS = [  # key, name, other cells (the owner is Lucía unless named)
    ("andino_peru", "Andino Perú S.A.C.", {"ParentId": ACC["grupo_andino"], "BillingCountry": "Perú",
                                           "Website": "andino.pe", "Industry": "Retail", "NumberOfEmployees": "420"}),
    ("grupo_andino", "Grupo Andino S.A.", {"ParentId": EMPTY_REF, "BillingCountry": "Perú",
                                           "Website": "www.grupoandino.example", "NumberOfEmployees": "2.500"}),
    ("andino_colombia", "Andino Colombia S.A.S.", {"ParentId": ACC["grupo_andino"], "BillingCountry": "Colombia",
                                                   "CurrencyIsoCode": "COP", "OwnerId": USERS["mateo"]}),
    ("movistar_pe", "Movistar", {"BillingCountry": "Perú", "Website": "movistar.com.pe", "Industry": "Telecom"}),
    ("movistar_co", "Movistar", {"BillingCountry": "Colombia", "Industry": "Telecom", "OwnerId": USERS["mateo"]}),
    ("ne_lima", "N/E", {"BillingCity": "Lima", "BillingCountry": "Perú"}),
    ("ne_bogota", "N/E", {"BillingCity": "Bogotá", "BillingCountry": "Colombia", "OwnerId": USERS["mateo"]}),
    ("ne_cdmx", "N/E", {"BillingCity": "Ciudad de México", "BillingCountry": "México", "OwnerId": USERS["mateo"]}),
    ("nandu", "Café Ñandú Ltda.", {"ParentId": EMPTY_REF, "BillingCountry": "Perú", "OwnerId": USERS["ghost"]}),
    ("aguila", "Ferretería El Águila", {"BillingCountry": "México", "OwnerId": USERS["mateo"]}),
    ("deleted", "Borrada S.A.", {"IsDeleted": "1"}),
    ("empleados", "Distribuidora Señor de Sipán", {"NumberOfEmployees": "muchos"}),
    ("sin_nombre", "", {}),
    ("northwind", "Northwind Traders Inc.", {"BillingCountry": "United States", "Website": "northwind.example"}),
]
CONTACTS = [  # key, first, last, account, other cells
    ("jose", "José", "Müller", ACC["andino_peru"], {"Email": "jose.muller@andino.pe", "Phone": "+51 1 555 0101",
                                                    "Title": "Gerente de Compras"}),
    ("ana", "Ana", "Peña", ACC["andino_colombia"], {"Phone": "1234", "Email": "ana.pena@andino.co",
                                                    "OwnerId": USERS["mateo"]}),
    ("carlos", "Carlos", "Ñúñez", ACC["movistar_pe"], {"Email": "carlos.nunez@movistar.com.pe"}),
    ("maria", "María José", "Ríos", EMPTY_REF, {"Email": "mjrios@aguila.example"}),
    ("jose_again", "JOSE", "MULLER", ACC["andino_peru"], {"Email": "JOSE.MULLER@ANDINO.PE"}),
    ("pedro_lima", "Pedro", "Gómez", ACC["ne_lima"], {"Phone": "+57 1 555 0199"}),
    ("pedro_bogota", "Pedro", "Gomez", ACC["ne_bogota"], {"Phone": "+57 (1) 555-0199", "OwnerId": USERS["mateo"]}),
    ("pedro_bad_email", "Pedro", "Salas", ACC["aguila"], {"Email": "pedro@"}),
    ("no_name", "Sin", "", ACC["aguila"], {}),
]
OPPORTUNITIES = [  # key, name, stage, amount, currency, probability, closed, won, forecast, close, owner, account,
                   # contact
    ("renovacion", "Andino Perú - Renovación 2027", "Negociación", "9225.225", "PEN", "70", "0", "0", "Forecast",
     "2027-02-15", "lucia", "andino_peru", "jose"),
    ("plataforma", "Andino Colombia - Plataforma", "Presentación Propuesta", "125000000", "COP", "50", "0", "0",
     "BestCase", "2027-01-31", "mateo", "andino_colombia", "ana"),
    ("fibra", "Movistar Perú - Fibra", "Discovery", "48500.5", "USD", "10", "0", "0", "Pipeline", "2027-03-31",
     "lucia", "movistar_pe", ""),
    ("erp", "Ferretería El Águila - ERP", "Proposal/Quote", "350000.75", "MXN", "60", "0", "0", "BestCase",
     "2027-01-15", "mateo", "aguila", ""),
    ("expansion", "Northwind - Expansion LatAm", "Negociación", "180000", "USD", "70", "0", "0", "Forecast",
     "2026-12-20", "lucia", "northwind", ""),
    ("cafe", "Café Ñandú - Piloto", "Discovery", "", "PEN", "10", "0", "0", "Pipeline", "2027-03-01", "mateo",
     "nandu", ""),
    ("licencias_2025", "Andino Perú - Licencias 2025", "Cerrada ganada", "45000.5", "PEN", "100", "1", "1", "Closed",
     "2025-03-10", "lucia", "andino_peru", ""),
    ("piloto_2025", "Movistar Colombia - Piloto", "Cerrada perdida", "80000000", "COP", "0", "1", "0", "Omitted",
     "2025-06-20", "mateo", "movistar_co", ""),
    ("renewal_2025", "Northwind - Renewal 2025", "Closed Won", "60000", "USD", "100", "1", "1", "Closed",
     "2025-09-30", "lucia", "northwind", ""),
    ("tienda_2025", "N/E CDMX - Tienda", "Cerrada perdida", "12000", "MXN", "0", "1", "0", "Omitted", "2025-11-15",
     "mateo", "ne_cdmx", ""),
    ("upsell_2025", "Andino Colombia - Upsell", "Closed Won", "15000000", "COP", "100", "1", "1", "Closed",
     "2025-12-01", "mateo", "andino_colombia", ""),
    ("old_2024", "Northwind - Pilot 2024", "Closed Won", "1000", "USD", "100", "1", "1", "Closed", "2024-05-05",
     "lucia", "northwind", ""),
    ("orphan", "Sin Nombre - Proyecto", "Discovery", "100", "USD", "10", "0", "0", "Pipeline", "2027-01-01",
     "lucia", "sin_nombre", ""),
]
HISTORY = [  # n, deal, stage, date, probability, forecast
    (1, "renovacion", "Discovery", "2026-09-01", "10", "Pipeline"),
    (2, "renovacion", "Presentación Propuesta", "2026-10-01", "50", "BestCase"),
    (3, "renovacion", "Negociación", "2026-11-01", "70", "Forecast"),
    (4, "plataforma", "Qualification", "2026-08-01", "20", "Pipeline"),
    (5, "plataforma", "Presentación Propuesta", "2026-10-15", "50", "BestCase"),
    (6, "licencias_2025", "Discovery", "2025-01-10", "10", "Pipeline"),
    (7, "licencias_2025", "Cerrada ganada", "2025-03-10", "100", "Closed"),
]
TASK_ROWS = [  # key, subject, cells
    ("call", "Llamada de descubrimiento", {
        "WhoId": CON["jose"], "WhatId": OPP["renovacion"], "AccountId": ACC["andino_peru"],
        "ActivityDate": "2026-11-02", "TaskSubtype": "Call", "Type": "Call", "CallType": "Outbound",
        "Description": "Hablamos del despliegue.\nQuieren 40 tiendas desde marzo; el precio por tienda preocupa."}),
    ("account_only", "Visita técnica", {
        "WhoId": EMPTY_REF, "AccountId": ACC["movistar_pe"], "ActivityDate": "2026-11-03",
        "Description": "Revisamos la instalación de fibra en la sede central."}),
    ("bad_phone_contact", "Seguimiento propuesta", {
        "WhoId": CON["ana"], "WhatId": OPP["plataforma"], "AccountId": ACC["andino_colombia"],
        "ActivityDate": "2026-11-04", "Description": "Ana pidió la propuesta final."}),
    ("no_due", "Enviar contrato", {
        "WhatId": OPP["expansion"], "AccountId": ACC["northwind"], "Status": "Not Started", "IsClosed": "0"}),
    ("email", "Email: Propuesta enviada", {
        "WhoId": CON["jose"], "WhatId": OPP["renovacion"], "TaskSubtype": "Email", "ActivityDate": "2026-11-05",
        "Description": "Adjunto la propuesta revisada con descuento por volumen."}),
    ("case", "Reclamo de entrega", {
        "WhatId": CASE, "AccountId": ACC["aguila"], "ActivityDate": "2026-11-06",
        "Description": "El cliente reporta un retraso en la entrega de herramientas."}),
    ("lead", "Primer contacto", {
        "WhoId": LEADS["laura"], "ActivityDate": "2026-11-07", "TaskSubtype": "Call",
        "Description": "Laura quiere una demo para sus tres plantas."}),
    ("rejected_contact", "Llamada perdida", {"WhoId": CON["no_name"], "ActivityDate": "2026-11-08"}),
]
# fmt: on
TASK_TYPES = {
    "call": "call",
    "account_only": "task",
    "bad_phone_contact": "task",
    "no_due": "task",
    "email": "email",
    "case": "task",
    "lead": "call",
}  # fmt: skip
WIN_RATE_2025 = (3, 5)
"""won, closed: the deals with a close date in 2025"""
BIGGEST_OPEN_CONVERTED = "Northwind - Expansion LatAm"
"""the biggest open deal once amounts are converted with RATES (in raw numbers the COP deal is bigger)"""
RATES = {"COP": "0.00025", "PEN": "0.27", "MXN": "0.055"}


def write_salesforce(directory: Path) -> Truth:
    """The export's CSV files in directory, and what importing them must give."""
    directory.mkdir(parents=True, exist_ok=True)
    truth = Truth()
    users = [{"Id": USERS[key], "Username": email, "FirstName": first, "LastName": last, "Name": f"{first} {last}",
              "Email": email, "IsActive": active, "CompanyName": "Andina"}
             for key, first, last, email, active in PEOPLE]  # fmt: skip
    write_csv(directory / "User.csv", USER_COLUMNS, users)
    _accounts(directory, truth)
    _contacts(directory, truth)
    _opportunities(directory, truth)
    _history(directory, truth)
    _leads(directory, truth)
    _activities(directory, truth)
    truth.stages = {
        "Discovery": (10, False, False, "pipeline"),
        "Proposal/Quote": (60, False, False, "best_case"),
        "Presentación Propuesta": (50, False, False, "best_case"),
        "Negociación": (70, False, False, "commit"),
        "Cerrada ganada": (100, True, True, "closed"),
        "Cerrada perdida": (0, True, False, "omitted"),
        "Closed Won": (100, True, True, "closed"),
        "Qualification": (20, False, False, "pipeline"),
    }
    return truth


def _accounts(directory: Path, truth: Truth) -> None:
    rows = [{"Id": ACC[key], "IsDeleted": "0", "Name": name, "OwnerId": USERS["lucia"], "CreatedDate": NOW,
             "LastModifiedDate": NOW, "CurrencyIsoCode": "PEN", **cells} for key, name, cells in ACCOUNTS]  # fmt: skip
    write_csv(directory / "Account.csv", ACCOUNT_COLUMNS, rows, encoding="cp1252", delimiter=";")
    truth.accounts = {row["Id"]: row["Name"] for row in rows if row["IsDeleted"] == "0" and row["Name"]}
    truth.rejected[("Account.csv", 14)] = "Name"
    truth.links += [
        ("account", ACC["andino_peru"], "parent_id", "account", ACC["grupo_andino"]),
        ("account", ACC["andino_colombia"], "parent_id", "account", ACC["grupo_andino"]),
    ]
    truth.possible_duplicates |= {
        ("account", ACC["movistar_co"], ACC["movistar_pe"]),
        ("account", ACC["ne_bogota"], ACC["ne_lima"]),
        ("account", ACC["ne_cdmx"], ACC["ne_lima"]),
    }


def _contacts(directory: Path, truth: Truth) -> None:
    rows = [{"Id": CON[key], "IsDeleted": "0", "FirstName": first, "LastName": last, "AccountId": account,
             "OwnerId": USERS["lucia"], "CreatedDate": NOW, **cells}
            for key, first, last, account, cells in CONTACTS]  # fmt: skip
    write_csv(directory / "Contact.csv", CONTACT_COLUMNS, rows, bom=True)
    truth.contacts = {row["Id"]: row["LastName"] for row in rows if row["LastName"]}
    truth.merged[CON["jose_again"]] = CON["jose"]
    truth.rejected[("Contact.csv", 10)] = "LastName"
    truth.possible_duplicates.add(("contact", CON["pedro_bogota"], CON["pedro_lima"]))
    truth.links += [
        ("contact", CON["jose"], "account_id", "account", ACC["andino_peru"]),
        ("contact", CON["ana"], "account_id", "account", ACC["andino_colombia"]),
    ]


def _opportunities(directory: Path, truth: Truth) -> None:
    rows = []
    for (
        key,
        name,
        stage,
        amount,
        currency,
        probability,
        closed,
        won,
        forecast,
        close,
        owner,
        account,
        contact,
    ) in OPPORTUNITIES:
        rows.append({"Id": OPP[key], "IsDeleted": "0", "AccountId": ACC[account], "Name": name, "StageName": stage,
                     "Amount": amount, "Probability": probability, "CloseDate": close, "IsClosed": closed,
                     "IsWon": won, "ForecastCategory": forecast, "CurrencyIsoCode": currency, "IsPrivate": "0",
                     "OwnerId": USERS[owner], "CreatedDate": "2026-06-01T14:00:00.000+0000",
                     "ContactId": CON[contact] if contact else "", "FiscalYear": close[:4]})  # fmt: skip
        if key != "orphan":
            truth.deals[OPP[key]] = (name, amount or "0", currency)
            truth.links.append(("deal", OPP[key], "account_id", "account", ACC[account]))
    rows.append({**rows[0], "Id": OPP["deleted"], "IsDeleted": "1", "Name": "Borrada"})
    write_csv(directory / "Opportunity.csv", OPPORTUNITY_COLUMNS, rows, encoding="cp1252", delimiter=";")
    truth.rejected[("Opportunity.csv", 14)] = "rejected"
    truth.links += [
        ("deal", OPP["renovacion"], "primary_contact_id", "contact", CON["jose"]),
        ("deal", OPP["plataforma"], "primary_contact_id", "contact", CON["ana"]),
    ]


def _history(directory: Path, truth: Truth) -> None:
    rows = [{"Id": sfid("008", n), "OpportunityId": OPP[deal], "CreatedById": USERS["lucia"],
             "CreatedDate": f"{when}T12:00:00.000+0000", "StageName": stage, "Probability": probability,
             "ForecastCategory": forecast, "IsDeleted": "0"}
            for n, deal, stage, when, probability, forecast in HISTORY]  # fmt: skip
    rows.append({**rows[0], "Id": sfid("008", 8), "OpportunityId": sfid("006", 99)})
    write_csv(directory / "OpportunityHistory.csv", HISTORY_COLUMNS, rows)
    truth.rejected[("OpportunityHistory.csv", 9)] = "not found"


def _leads(directory: Path, truth: Truth) -> None:
    rows = [
        {"Id": LEADS["laura"], "IsDeleted": "0", "FirstName": "Laura", "LastName": "Vega", "Company": "Textiles Vega",
         "Email": "laura@textilesvega.example", "Status": "Open - Not Contacted", "OwnerId": USERS["lucia"],
         "IsConverted": "0", "CreatedDate": NOW},
        {"Id": LEADS["converted"], "IsDeleted": "0", "FirstName": "Carlos", "LastName": "Ñúñez", "Company": "Movistar",
         "Status": "Closed - Converted", "OwnerId": USERS["lucia"], "IsConverted": "1", "ConvertedDate": "2026-05-01",
         "ConvertedAccountId": ACC["movistar_pe"], "ConvertedContactId": CON["carlos"],
         "ConvertedOpportunityId": OPP["fibra"], "CreatedDate": NOW},
    ]  # fmt: skip
    write_csv(directory / "Lead.csv", LEAD_COLUMNS, rows)
    truth.leads = {LEADS["laura"], LEADS["converted"]}
    truth.links.append(("lead", LEADS["converted"], "converted_deal_id", "deal", OPP["fibra"]))


def _activities(directory: Path, truth: Truth) -> None:
    rows = [{"Id": TASKS[key], "Subject": subject, "Status": "Completed", "IsClosed": "1", "OwnerId": USERS["lucia"],
             "IsDeleted": "0", "CreatedDate": "2026-11-02T15:00:00.000+0000", "Priority": "Normal",
             "TaskSubtype": "Task", **cells} for key, subject, cells in TASK_ROWS]  # fmt: skip
    write_csv(directory / "Task.csv", TASK_COLUMNS, rows)
    truth.activities = {TASKS[key]: kind for key, kind in TASK_TYPES.items()}
    truth.rejected[("Task.csv", 10)] = "rejected"  # the first task's description spans two lines
    truth.links += [
        ("activity", TASKS["call"], "contact_id", "contact", CON["jose"]),
        ("activity", TASKS["call"], "deal_id", "deal", OPP["renovacion"]),
        ("activity", TASKS["account_only"], "account_id", "account", ACC["movistar_pe"]),
        ("activity", TASKS["bad_phone_contact"], "contact_id", "contact", CON["ana"]),
        ("activity", TASKS["bad_phone_contact"], "deal_id", "deal", OPP["plataforma"]),
        ("activity", TASKS["no_due"], "deal_id", "deal", OPP["expansion"]),
        ("activity", TASKS["case"], "account_id", "account", ACC["aguila"]),
        ("activity", TASKS["lead"], "lead_id", "lead", LEADS["laura"]),
        ("activity", TASKS["email"], "deal_id", "deal", OPP["renovacion"]),
    ]
    event = {"Id": sfid("00U", 1), "WhatId": OPP["expansion"], "AccountId": ACC["northwind"], "Subject": "Workshop",
             "StartDateTime": "2026-11-05T15:00:00.000+0000", "EndDateTime": "2026-11-05T16:00:00.000+0000",
             "ActivityDate": "2026-11-05", "Description": "Whiteboard session with the buying team.",
             "OwnerId": USERS["lucia"], "IsDeleted": "0", "Type": "Meeting", "DurationInMinutes": "60"}  # fmt: skip
    write_csv(directory / "Event.csv", EVENT_COLUMNS, [event])
    truth.activities[event["Id"]] = "meeting"
    truth.links.append(("activity", event["Id"], "deal_id", "deal", OPP["expansion"]))
