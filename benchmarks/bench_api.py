"""p50/p95 of the REST list endpoints with common filters, on the large demo set, SQLite and PostgreSQL.

    .venv/bin/python benchmarks/bench_api.py [--size large] [--backend sqlite|postgres|both] [--requests 200]

The demo database is built once per backend under .dealwise/bench/ (SQLite) or in a database
named dealwise_bench_<size> (PostgreSQL) and reused on later runs.
"""

import argparse
import statistics
import time
from datetime import date, timedelta
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import create_engine, select, text
from sqlalchemy.orm import Session

from adapters.web.app import create_app
from assistant.crm.db import make_engine
from assistant.crm.models import User
from assistant.crm.security import issue_token
from assistant.crm.settings import Settings
from ingest.demo import load_demo_database

PG_ADMIN = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


def database_url(backend: str, size: str) -> str:
    if backend == "sqlite":
        path = Path(".dealwise/bench") / f"api-{size}.db"
        path.parent.mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{path}"
    name = f"dealwise_bench_{size}"
    admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        if not connection.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}):
            connection.execute(text(f"CREATE DATABASE {name}"))
    admin.dispose()
    return PG_ADMIN.rsplit("/", 1)[0] + f"/{name}"


def prepare(url: str, size: str) -> None:
    started = time.perf_counter()
    if load_demo_database(url, size=size):  # type: ignore[arg-type]
        print(f"  built the {size} demo set in {time.perf_counter() - started:.0f} s")
    engine = make_engine(url)
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text("VACUUM ANALYZE" if engine.dialect.name == "postgresql" else "ANALYZE"))
    engine.dispose()


def measure(client: TestClient, token: str, path: str, params: dict, requests: int) -> tuple[float, float, int]:
    headers = {"Authorization": f"Bearer {token}"}
    client.get(path, params=params, headers=headers)
    timings = []
    total = 0
    for _ in range(requests):
        started = time.perf_counter()
        response = client.get(path, params=params, headers=headers)
        timings.append((time.perf_counter() - started) * 1000)
        total = response.json()["total"]
    timings.sort()
    return statistics.median(timings), timings[int(len(timings) * 0.95) - 1], total


def run(backend: str, size: str, requests: int) -> None:
    url = database_url(backend, size)
    print(f"{backend}: {url}")
    prepare(url, size)
    settings = Settings(database_url=url, data_dir=Path(".dealwise/bench"))
    with Session(make_engine(url)) as session:
        rep = session.scalars(select(User).where(User.email == "rita.lopez@dealwise.demo")).one()
        manager = session.scalars(select(User).where(User.email == "maya.patel@dealwise.demo")).one()
        tokens = {"rep": issue_token(session, rep, "bench"), "manager": issue_token(session, manager, "bench")}
        session.commit()
    today = date.today()
    scenarios = [
        (
            "rep",
            "/api/deals",
            {
                "status": "open",
                "close_from": today.isoformat(),
                "close_to": (today + timedelta(days=90)).isoformat(),
                "page_size": 50,
            },
        ),
        ("rep", "/api/deals", {"stage": "Proposal", "amount_min": 20000}),
        ("rep", "/api/deals", {"q": "platform"}),
        ("manager", "/api/deals", {"status": "open", "page_size": 50}),
        ("rep", "/api/accounts", {"industry": "Software"}),
        ("rep", "/api/contacts", {"q": "smith"}),
        ("rep", "/api/activities", {"type": "call"}),
        ("rep", "/api/leads", {"status": "new"}),
    ]
    with TestClient(create_app(settings)) as client:
        print(f"  {'who':<8} {'endpoint':<16} {'filters':<70} {'p50 ms':>8} {'p95 ms':>8} {'total':>7}")
        for who, path, params in scenarios:
            p50, p95, total = measure(client, tokens[who], path, params, requests)
            shown = ", ".join(f"{k}={v}" for k, v in params.items())
            print(f"  {who:<8} {path:<16} {shown:<70} {p50:8.1f} {p95:8.1f} {total:7d}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", default="large", choices=["small", "medium", "large"])
    parser.add_argument("--backend", default="both", choices=["sqlite", "postgres", "both"])
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()
    for backend in ("sqlite", "postgres") if args.backend == "both" else (args.backend,):
        run(backend, args.size, args.requests)


if __name__ == "__main__":
    main()
