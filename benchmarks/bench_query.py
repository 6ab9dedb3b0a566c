"""p50/p95 of the query tool for a manager's group-bys (and a rep's lists) on the large demo set, SQLite and
PostgreSQL; and the cost of keeping names fresh (the change-log read every message makes, and a patch).

    .venv/bin/python benchmarks/bench_query.py [--size large] [--backend sqlite|postgres|both] [--repeat 20]

The demo database is the one bench_api.py builds (reused when present).
"""

import argparse
import statistics
import sys
import time
from datetime import datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_api import database_url, prepare  # noqa: E402

from assistant.agent.brains.offline.names import NameIndex  # noqa: E402
from assistant.crm.changes import latest_change  # noqa: E402
from assistant.crm.clock import Clock  # noqa: E402
from assistant.crm.db import make_engine  # noqa: E402
from assistant.crm.deps import Deps  # noqa: E402
from assistant.crm.models import Account, Channel, Role, User  # noqa: E402
from assistant.crm.principal import principal_for  # noqa: E402
from assistant.crm.settings import Settings  # noqa: E402
from tools.query import QueryInput, query  # noqa: E402

MANAGER_QUERIES = [
    {"measure": "sum", "filters": {"status": "open"}, "group_by": "stage"},
    {"measure": "sum", "filters": {"status": "open"}, "group_by": "owner", "sort": "value"},
    {"measure": "count", "group_by": "industry"},
    {"measure": "win_rate", "group_by": "owner", "filters": {"period": {"start": "2026-01-01", "end": "2026-12-31"}}},
    {"measure": "avg", "field": "days_to_close", "group_by": "owner", "filters": {"status": "won"}},
    {"measure": "sum", "filters": {"status": "won"}, "group_by": "quarter"},
    {"measure": "median", "filters": {"status": "won"}, "group_by": "region"},
    {"measure": "sum", "filters": {"status": "open"}, "group_by": "account", "sort": "value", "limit": 10},
    {"measure": "sum", "filters": {"status": "won"}, "compare": {"by": "period", "periods": [
        {"start": "2026-10-01", "end": "2026-12-31"}, {"start": "2026-07-01", "end": "2026-09-30"}]}},
]  # fmt: skip
REP_QUERIES = [
    {"measure": "list", "filters": {"status": "open", "missing": ["next_step"]}},
    {"measure": "list", "filters": {"inactive_days": 30}},
    {"measure": "list", "object": "tasks", "filters": {"overdue": True}},
    {"measure": "count", "object": "leads", "group_by": "status"},
]


def _timed(deps: Deps, spec: dict, repeat: int) -> list[float]:
    args = QueryInput.model_validate(spec)
    query(deps, args)
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        query(deps, args)
        timings.append((time.perf_counter() - started) * 1000)
    return timings


def _p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[18] if len(values) >= 20 else max(values)


def run(backend: str, size: str, repeat: int) -> None:
    url = database_url(backend, size)
    prepare(url, size)
    engine = make_engine(url)
    settings = Settings(database_url=url)
    clock = Clock.fixed(datetime.now())
    with Session(engine) as session:
        manager = session.scalars(select(User).where(User.role == Role.manager).order_by(User.id)).first()
        rep = session.scalars(select(User).where(User.role == Role.rep).order_by(User.id)).first()
        assert manager is not None and rep is not None
        print(f"{backend}, {size} set:")
        for who, user, specs in (("manager", manager, MANAGER_QUERIES), ("rep", rep, REP_QUERIES)):
            deps = Deps(principal_for(session, user, Channel.api), session, clock, settings)
            everything: list[float] = []
            for spec in specs:
                timings = _timed(deps, spec, repeat)
                everything.extend(timings)
                label = f"{spec.get('measure')} {spec.get('object', 'deals')} by {spec.get('group_by') or '-'}"
                print(f"  {who:8} {label:34} p50 {statistics.median(timings):7.1f} ms  p95 {_p95(timings):7.1f} ms")
            print(f"  {who:8} {'all of the above':34} p50 {statistics.median(everything):7.1f} ms  "
                  f"p95 {_p95(everything):7.1f} ms")  # fmt: skip
        names = NameIndex()
        started = time.perf_counter()
        names.visible(session, principal_for(session, rep, Channel.api))
        print(f"  name index: first load {(time.perf_counter() - started) * 1000:.0f} ms")
        reads = []
        for _ in range(repeat * 5):
            started = time.perf_counter()
            latest_change(session)
            reads.append((time.perf_counter() - started) * 1000)
        median = statistics.median(reads)
        print(f"  name index: change-log read per message p50 {median:.2f} ms  p95 {_p95(reads):.2f} ms")
        account = session.scalars(select(Account).where(Account.owner_id == rep.id).limit(1)).one()
        account.name = account.name + " (renamed)"
        session.flush()
        started = time.perf_counter()
        visible = names.visible(session, principal_for(session, rep, Channel.api))
        patched = (time.perf_counter() - started) * 1000
        assert visible.lookup(" ".join(account.name.lower().replace("(", "").replace(")", "").split()))
        print(f"  name index: a rename seen on the next message after a {patched:.1f} ms patch")
        session.rollback()
    engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", default="large", choices=["small", "medium", "large"])
    parser.add_argument("--backend", default="both", choices=["sqlite", "postgres", "both"])
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    for backend in ("sqlite", "postgres") if args.backend == "both" else (args.backend,):
        run(backend, args.size, args.repeat)


if __name__ == "__main__":
    main()
