"""Import benchmark: a generated Salesforce export (100k contacts, ~5% duplicates) into a fresh SQLite database.

    .venv/bin/python benchmarks/bench_import.py --contacts 100000 --accounts 10000

Prints rows/s (reading + validating + deduplicating + writing + auditing, all rows of all files) and peak RSS.
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

from sqlalchemy import func, select  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from assistant.crm.db import make_engine  # noqa: E402
from assistant.crm.migrate import upgrade  # noqa: E402
from assistant.crm.models import AuditEntry, Contact, User  # noqa: E402
from ingest.imports import read_export, run_import  # noqa: E402

FIRST = ["Ann", "Ben", "Cara", "Dan", "Eva", "Finn", "Gia", "Hugo", "Ines", "Jon", "Kai", "Lea", "Max", "Nia", "Olaf"]
LAST = ["Lee", "Kim", "Silva", "Novak", "Weber", "Rossi", "Khan", "Berg", "Costa", "Dubois", "Evans", "Jansen"]
WORDS = ["Blue", "North", "Iron", "Bright", "Silver", "Green", "Rapid", "Quantum", "Delta", "Atlas", "Summit", "Vertex"]
KINDS = ["Labs", "Systems", "Logistics", "Foods", "Energy", "Health", "Media", "Capital", "Robotics", "Retail"]


def _phone(rng: random.Random, style: int, digits: str) -> str:
    return [f"+1 {digits[:3]} {digits[3:6]} {digits[6:]}", f"({digits[:3]}) {digits[3:6]}-{digits[6:]}",
            f"{digits[:3]}.{digits[3:6]}.{digits[6:]}", f"001{digits}"][style]  # fmt: skip


def generate(directory: Path, contacts: int, accounts: int, duplicate_rate: float, seed: int = 11) -> int:
    rng = random.Random(seed)
    with (directory / "User.csv").open("w", newline="") as out:
        csv.writer(out).writerows([["Id", "Email", "FirstName", "LastName", "IsActive"],
                                   ["005000000000001", "admin@bench.example", "Ad", "Min", "true"]])  # fmt: skip
    with (directory / "Account.csv").open("w", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["Id", "Name", "Industry", "BillingCountry", "Website", "NumberOfEmployees", "OwnerId"])
        for i in range(accounts):
            name = f"{rng.choice(WORDS)} {rng.choice(KINDS)} {i}"
            writer.writerow([f"001{i:012d}", name, "Software", "US", f"www.acct{i}.example", rng.randint(5, 5000),
                             "005000000000001"])  # fmt: skip
    written: list[tuple[str, str, str, str, str]] = []
    with (directory / "Contact.csv").open("w", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["Id", "AccountId", "FirstName", "LastName", "Title", "Email", "Phone", "OwnerId"])
        for i in range(contacts):
            if written and rng.random() < duplicate_rate:
                first, last, email, digits, account = rng.choice(written)
                if rng.random() < 0.5:
                    row_email, phone = email.upper(), ""
                else:
                    row_email, phone = "", _phone(rng, rng.randrange(4), digits)
                first, last = (first.upper(), last.lower()) if rng.random() < 0.5 else (first, last)
            else:
                first, last = rng.choice(FIRST), rng.choice(LAST)
                account = f"001{rng.randrange(accounts):012d}"
                email, digits = (
                    f"{first}.{last}.{i}@acct.example".lower(),
                    f"{rng.randint(200, 999)}555{i % 10_000:04d}",
                )
                written.append((first, last, email, digits, account))
                row_email, phone = email, _phone(rng, rng.randrange(4), digits)
            writer.writerow([f"003{i:012d}", account, first, last, "Buyer", row_email, phone, "005000000000001"])
    return len(written)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--contacts", type=int, default=100_000)
    parser.add_argument("--accounts", type=int, default=10_000)
    parser.add_argument("--duplicates", type=float, default=0.05)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp)
        unique = generate(directory, args.contacts, args.accounts, args.duplicates)
        engine = make_engine(f"sqlite:///{directory / 'bench.db'}")
        upgrade(engine)
        with Session(engine) as session:
            session.add(User(email="admin@bench.example", name="Ad Min", role="admin"))
            session.commit()
        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        started, cpu_started = time.perf_counter(), time.process_time()
        with Session(engine) as session:
            export = read_export("salesforce", directory)
            actor = session.scalars(select(User)).one()
            report = run_import(session, export, actor)
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
        with Session(engine) as session:
            stored = session.scalar(select(func.count()).select_from(Contact))
            audits = session.scalar(select(func.count()).select_from(AuditEntry))
        rows = export.total_rows
        print(f"rows: {rows} ({args.contacts} contacts, {args.accounts} accounts); unique people generated: {unique}")
        for line in report.summary_lines()[1:]:
            print(line)
        print(f"contacts stored: {stored}; audit rows: {audits}")
        print(f"wall time: {elapsed:.1f} s  ->  {rows / elapsed:,.0f} rows/s")
        print(
            f"CPU time of this process: {cpu:.1f} s  ->  {rows / cpu:,.0f} rows per CPU-second"
            f" (wall and CPU differ when other work shares the cores; load average {os.getloadavg()[0]:.1f})"
        )
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"peak RSS: {peak:.0f} MB (before the import: {rss_before:.0f} MB)")
        engine.dispose()


if __name__ == "__main__":
    main()
