"""Import benchmark: a generated Salesforce Data Export into an empty SQLite Dealwise (no demo data, no pipeline),
then the imported activities indexed for search, as `dealwise import salesforce` does.

    .venv/bin/python benchmarks/bench_import.py                      # 10,000 activities, the defaults below
    .venv/bin/python benchmarks/bench_import.py --activities 2000 --no-index

Prints rows/s per object (reading + checking + linking + de-duplicating + writing + auditing), the import time,
the import-plus-index time for the activities, a search over them, and peak RSS.
"""

import argparse
import csv
import os
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import select  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from assistant.crm.clock import Clock  # noqa: E402
from assistant.crm.db import make_engine, session_factory  # noqa: E402
from assistant.crm.migrate import upgrade  # noqa: E402
from assistant.crm.models import Activity, Role, User  # noqa: E402
from assistant.crm.settings import Settings  # noqa: E402
from ingest.imports import read_export, run_import  # noqa: E402

FIRST = ["Ana", "Beto", "Carla", "Diego", "Elena", "Fabio", "Gabriela", "Hugo", "Inés", "Jorge", "Karla", "Luis"]
LAST = ["Rojas", "Quispe", "Gómez", "Silva", "Torres", "Vargas", "Castro", "Ríos", "Mendoza", "Flores", "Ramos"]
WORDS = ["Andina", "Pacífico", "Sol", "Cóndor", "Inca", "Norte", "Sur", "Volcán", "Río", "Selva", "Costa", "Sierra"]
KINDS = ["Retail", "Logística", "Minería", "Salud", "Energía", "Textiles", "Agro", "Seguros", "Telecom", "Banca"]
STAGES = [("Prospección", 10, "0", "0", "Pipeline"), ("Calificación", 25, "0", "0", "Pipeline"),
          ("Presentación Propuesta", 50, "0", "0", "BestCase"), ("Negociación", 75, "0", "0", "Forecast"),
          ("Cerrada ganada", 100, "1", "1", "Closed"), ("Cerrada perdida", 0, "1", "0", "Omitted")]  # fmt: skip
CURRENCIES = [("PEN", "{:.3f}"), ("COP", "{:.0f}"), ("MXN", "{:.2f}"), ("USD", "{:.2f}")]
SHORT_NOTES = [
    "Left voicemail about the renewal",
    "Sent the pricing sheet",
    "Llamada: pidió la propuesta",
    "Demo agendada para el jueves",
    "Contract out for signature",
    "Cliente pide descuento por volumen",
]
NOTES = [
    "Hablamos del despliegue en {n} tiendas; el precio por tienda preocupa al gerente de compras.",
    "Call with procurement about the renewal: they want a {n}% discount and a longer payment term.",
    "El cliente pidió una demo para el equipo de operaciones y una propuesta antes de fin de mes.",
    "Competitor came in {n}% cheaper; we agreed to send references from two similar customers.",
    "Reunión con finanzas: el presupuesto para el próximo año está aprobado, falta la firma del director.",
]


def _sfid(prefix: str, n: int) -> str:
    return f"{prefix}5e0{n:09d}AAQ"


def _write(path: Path, header: list[str], rows: list[list[str]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(header)
        writer.writerows(rows)


def generate(
    directory: Path, accounts: int, contacts: int, deals: int, activities: int, short: bool = False, seed: int = 13
) -> None:
    """A Salesforce export: User, Account, Contact, Opportunity, OpportunityHistory and Task CSV files; tasks
    carry one to three sentences of notes (about 100 tokens with the subject), or one short line with short."""
    rng = random.Random(seed)

    def note() -> str:
        if short:
            return rng.choice(SHORT_NOTES)
        return " ".join(rng.choice(NOTES).format(n=rng.randint(2, 40)) for _ in range(rng.randint(1, 3)))

    owners = [_sfid("005", n) for n in range(1, 9)]
    _write(directory / "User.csv", ["Id", "Email", "FirstName", "LastName", "IsActive"],
           [[owner, f"rep{n}@bench.example", "Rep", str(n), "true"] for n, owner in enumerate(owners)])  # fmt: skip
    _write(directory / "Account.csv", ["Id", "Name", "ParentId", "BillingCountry", "Website", "NumberOfEmployees",
                                       "OwnerId", "CreatedDate"],
           [[_sfid("001", i), f"{rng.choice(WORDS)} {rng.choice(KINDS)} {i}", _sfid("001", i // 10) if i % 10 else "",
             rng.choice(["Perú", "Colombia", "México"]), f"www.cuenta{i}.example", str(rng.randint(5, 5000)),
             rng.choice(owners), "2026-01-15T10:00:00.000+0000"] for i in range(accounts)])  # fmt: skip
    _write(directory / "Contact.csv", ["Id", "AccountId", "FirstName", "LastName", "Email", "Phone", "OwnerId"],
           [[_sfid("003", i), _sfid("001", rng.randrange(accounts)), rng.choice(FIRST), rng.choice(LAST),
             f"contacto{i}@cuenta.example", f"+51 1 {rng.randint(200, 999)} {i % 10_000:04d}", rng.choice(owners)]
            for i in range(contacts)])  # fmt: skip
    opportunity_rows, history_rows = [], []
    for i in range(deals):
        stage, probability, closed, won, forecast = rng.choice(STAGES)
        currency, style = rng.choice(CURRENCIES)
        amount = style.format(rng.uniform(1_000, 500_000) * (4_000 if currency == "COP" else 1))
        close = f"202{rng.choice([5, 6, 7])}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        opportunity_rows.append([_sfid("006", i), _sfid("001", rng.randrange(accounts)), f"Oportunidad {i}", stage,
                                 amount, str(probability), closed, won, forecast, currency, close,
                                 rng.choice(owners), "2025-06-01T14:00:00.000+0000"])  # fmt: skip
        history_rows.append([_sfid("008", i), _sfid("006", i), "Prospección", "2025-06-01T14:00:00.000+0000", "10"])
    _write(directory / "Opportunity.csv", ["Id", "AccountId", "Name", "StageName", "Amount", "Probability", "IsClosed",
                                           "IsWon", "ForecastCategory", "CurrencyIsoCode", "CloseDate", "OwnerId",
                                           "CreatedDate"], opportunity_rows)  # fmt: skip
    _write(directory / "OpportunityHistory.csv", ["Id", "OpportunityId", "StageName", "CreatedDate", "Probability"],
           history_rows)  # fmt: skip
    _write(directory / "Task.csv", ["Id", "WhoId", "WhatId", "AccountId", "Subject", "Description", "ActivityDate",
                                    "Status", "TaskSubtype", "OwnerId", "CreatedDate"],
           [[_sfid("00T", i), _sfid("003", rng.randrange(contacts)), _sfid("006", rng.randrange(deals)),
             _sfid("001", rng.randrange(accounts)), f"Seguimiento {i}",
             note(),
             "2026-11-02", "Completed", rng.choice(["Call", "Email", "Task"]), rng.choice(owners),
             "2026-11-02T15:00:00.000+0000"] for i in range(activities)])  # fmt: skip


def _index(settings: Settings, started: float) -> None:
    """What run_import does after its commit when it has settings: index the new activities, then search them."""
    from ingest.indexing import build_retriever, index_imported  # heavy (Chroma, onnxruntime): only to index

    with session_factory(settings)() as session:
        ids = list(session.scalars(select(Activity.id)))
        words = [
            len(f"{subject} {body}".split())
            for subject, body in session.execute(select(Activity.subject, Activity.body))
        ]
    print(f"activity text: {sum(words) / len(words):.0f} words on average (subject and body)")
    index_started, cpu_started = time.perf_counter(), time.process_time()
    chunks = index_imported(settings, ids)
    indexed, cpu = time.perf_counter(), time.process_time() - cpu_started
    hits = build_retriever(settings).query("descuento y plazo de pago en la renovación", owner_ids=None, n=3)
    print(f"indexing {len(ids):,} activities ({chunks:,} chunks): {indexed - index_started:.1f} s -> "
          f"{len(ids) / (indexed - index_started):,.0f} activities/s ({cpu:.1f} CPU-s, "
          f"{len(ids) / cpu:,.0f} activities per CPU-second)")  # fmt: skip
    print(f"import + index, the export read to the activities searchable: {indexed - started:.1f} s "
          f"(a search then returns {len(hits)} hits, the best {hits[0].text[:50]!r}...)")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--accounts", type=int, default=2_000)
    parser.add_argument("--contacts", type=int, default=10_000)
    parser.add_argument("--deals", type=int, default=5_000)
    parser.add_argument("--activities", type=int, default=10_000)
    parser.add_argument("--no-index", action="store_true", help="import only; do not index the activities")
    parser.add_argument("--short-notes", action="store_true", help="one short line per task instead of 1-3 sentences")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp)
        generate(directory, args.accounts, args.contacts, args.deals, args.activities, args.short_notes)
        url = f"sqlite:///{directory / 'bench.db'}"
        engine = make_engine(url)
        upgrade(engine)
        with Session(engine) as session:
            session.add(User(email="admin@bench.example", name="Admin", role=Role.admin.value))
            session.commit()
        settings = Settings(database_url=url, data_dir=directory / "data")
        started, cpu_started = time.perf_counter(), time.process_time()
        with session_factory(settings)() as session:
            export = read_export("salesforce", directory)
            read_seconds = time.perf_counter() - started
            actor = session.scalars(select(User)).one()
            report = run_import(session, export, actor, Clock())
        imported = time.perf_counter() - started
        print(f"rows: {export.total_rows:,}  (read and parsed in {read_seconds:.1f} s)")
        for kind, seconds in report.seconds_per_kind.items():
            rows = len(export.rows.get(kind, []))
            print(f"  {kind:<14} {rows:>7,} rows  {seconds:6.1f} s  {rows / seconds:>8,.0f} rows/s")
        print(f"import, all objects (read, check, link, write, audit, commit): {imported:.1f} s -> "
              f"{export.total_rows / imported:,.0f} rows/s")  # fmt: skip
        for line in report.summary_lines()[1:]:
            if not line.startswith("      ") and "note:" not in line:
                print(line)
        if not args.no_index:
            _index(settings, started)
        cpu = time.process_time() - cpu_started
        print(f"CPU time of this process: {cpu:.1f} s; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
        print(f"peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
        engine.dispose()


if __name__ == "__main__":
    main()
