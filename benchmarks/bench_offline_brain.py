"""Latency of the offline brain on the medium demo set: ~200 mixed messages through Assistant.ask.

    .venv/bin/python benchmarks/bench_offline_brain.py [--messages 200]

Builds the medium demo database once under .dealwise/bench/ (reused afterwards; today fixed at
2026-11-20) and prints p50 / p95 / max latency per message, per person asking.
"""

import argparse
import statistics
import sys
import time
from datetime import date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import Engine, inspect, select  # noqa: E402

from assistant.agent.brains.factory import build_assistant  # noqa: E402
from assistant.crm.clock import Clock  # noqa: E402
from assistant.crm.db import make_engine, session_factory  # noqa: E402
from assistant.crm.models import Account, Channel, User  # noqa: E402
from assistant.crm.models.base import Base  # noqa: E402
from assistant.crm.principal import principal_for  # noqa: E402
from assistant.crm.settings import Settings  # noqa: E402
from ingest.demo import load_demo_database  # noqa: E402

TODAY = date(2026, 11, 20)
BENCH_DIR = ROOT / ".dealwise" / "bench"
PEOPLE = ["rita.lopez@dealwise.demo", "erin.chen@dealwise.demo", "maya.patel@dealwise.demo", "alex.admin@dealwise.demo"]
TEMPLATES = [
    "show my open deals",
    "deals over 50k in negotiation",
    "what's closing this month",
    "and the ones closing next month?",
    "tell me about the {account} deal",
    "give me an overview of {account}",
    "who are the contacts at {account}",
    "what happened with {account} lately",
    "summarize my pipeline by stage",
    "what's our win rate this quarter",
    "how long is our sales cycle",
    "lead conversion rate this year",
    "top performers this year",
    "which deals have gone quiet",
    "what's my forecast for this quarter",
    "which tasks are overdue",
    "show my leads",
    "search notes for pricing",
    "move the {account} deal to negotiation",
    "tell me a joke",
]


def sync_indexes(engine: Engine) -> list[str]:
    """Create the models' indexes a database built by an older migration lacks (or has with other columns)."""
    changed = []
    inspector = inspect(engine)
    for table in Base.metadata.sorted_tables:
        if not inspector.has_table(table.name):
            continue
        present = {i["name"]: list(i["column_names"]) for i in inspector.get_indexes(table.name)}
        for index in table.indexes:
            wanted = [c.name for c in index.columns]
            if present.get(index.name) == wanted:
                continue
            if index.name in present:
                index.drop(engine)
            index.create(engine)
            changed.append(str(index.name))
    return changed


def database() -> str:
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    path = BENCH_DIR / "medium.db"
    url = f"sqlite:///{path}"
    if path.exists():
        engine = make_engine(url)
        if changed := sync_indexes(engine):
            print(f"added indexes the models define: {', '.join(changed)}")
        engine.dispose()
    else:
        started = time.perf_counter()
        load_demo_database(url, size="medium", seed=7, today=TODAY)
        print(f"built the medium demo set in {time.perf_counter() - started:.0f} s: {path}")
    return url


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=200)
    options = parser.parse_args()
    settings = Settings(database_url=database(), data_dir=BENCH_DIR / "data")
    sessions = session_factory(settings)
    started = time.perf_counter()
    assistant = build_assistant(settings, sessions, Clock.fixed(datetime(2026, 11, 20, 9, 0)))
    print(f"assistant ready (name catalog loaded) in {time.perf_counter() - started:.2f} s")
    tool_ms: list[float] = []
    original_run = assistant.runner.run

    def timed_run(*args, **kwargs):  # type: ignore[no-untyped-def]
        began = time.perf_counter()
        try:
            return original_run(*args, **kwargs)
        finally:
            tool_ms.append((time.perf_counter() - began) * 1000)

    assistant.runner.run = timed_run
    with sessions() as session:
        principals = [
            principal_for(session, session.scalars(select(User).where(User.email == e)).one(), Channel.cli)
            for e in PEOPLE
        ]
        accounts = {
            p.email: [a for a in session.scalars(select(Account.name).where(Account.owner_id == p.user_id).limit(30))]
            or ["Acme Corporation"]
            for p in principals
        }
    timings: dict[str, list[float]] = {p.email: [] for p in principals}
    everything: list[float] = []
    overhead: list[float] = []
    slowest: list[tuple[float, str, str]] = []
    threads: dict[str, str | None] = {p.email: None for p in principals}
    for index in range(options.messages):
        principal = principals[index % len(principals)]
        names = accounts[principal.email]
        message = TEMPLATES[index % len(TEMPLATES)].format(account=names[index % len(names)])
        tool_ms.clear()
        began = time.perf_counter()
        response = assistant.ask(principal, message, threads[principal.email])
        elapsed = (time.perf_counter() - began) * 1000
        overhead.append(elapsed - sum(tool_ms))
        threads[principal.email] = response.thread_id
        timings[principal.email].append(elapsed)
        everything.append(elapsed)
        slowest.append((elapsed, principal.email, message))
    print(f"{len(everything)} messages: p50 {statistics.median(everything):.0f} ms, "
          f"p95 {percentile(everything, 0.95):.0f} ms, max {max(everything):.0f} ms")  # fmt: skip
    print(f"  without tool execution (brain, threads, grounding): p50 {statistics.median(overhead):.0f} ms, "
          f"p95 {percentile(overhead, 0.95):.0f} ms")  # fmt: skip
    for email, values in timings.items():
        print(f"  {email}: p50 {statistics.median(values):.0f} ms, p95 {percentile(values, 0.95):.0f} ms")
    print("slowest:")
    for elapsed, email, message in sorted(slowest, reverse=True)[:8]:
        print(f"  {elapsed:.0f} ms  {email}  {message}")


if __name__ == "__main__":
    main()
