"""Deal-risk latency on the medium demo set (5k accounts, 20k deals, 200k activities), SQLite.

    .venv/bin/python benchmarks/bench_risk.py [--deals 50] [--skip-backtest]

Builds the demo database once under .dealwise/bench/risk-medium.db (seed 7, today 2026-11-20) and
reuses it. Prints: the model fit (cold cache), deal_risk p50/p95 through the tool for a rep's deals,
team_risk for a manager (first call with a cold cache, then warm calls), and the backtest AUC.
"""

import argparse
import os
import statistics
import time
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from assistant.crm.clock import Clock
from assistant.crm.db import make_engine
from assistant.crm.deps import Deps
from assistant.crm.models import Channel, Deal, User
from assistant.crm.principal import principal_for
from assistant.crm.settings import Settings
from assistant.risk.backtest import run_backtest
from assistant.risk.cache import clear_risk_cache
from assistant.risk.engine import build_engine
from ingest.demo import load_demo_database
from tools.registry import TOOLSET

TODAY = date(2026, 11, 20)
NOW = datetime(2026, 11, 20, 9, 0)
DB_PATH = Path(".dealwise/bench/risk-medium.db")
REP = "rita.lopez@dealwise.demo"
MANAGER = "maya.patel@dealwise.demo"


def prepare(url: str) -> None:
    started = time.perf_counter()
    if load_demo_database(url, size="medium", seed=7, today=TODAY):
        engine = make_engine(url)
        with engine.begin() as connection:
            connection.execute(text("ANALYZE"))
        engine.dispose()
        print(f"built the medium demo set in {time.perf_counter() - started:.0f} s")


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms"


class Timer:
    """Wall-clock and this process's CPU time of a block (they differ when other processes share the cores)."""

    def __enter__(self) -> "Timer":
        self.wall, self.cpu = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc: object) -> None:
        self.wall, self.cpu = time.perf_counter() - self.wall, time.process_time() - self.cpu

    def __str__(self) -> str:
        return f"{self.wall:.2f} s wall, {self.cpu:.2f} s CPU"


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def _user(session: Session, email: str) -> User:
    return session.scalars(select(User).where(User.email == email)).one()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--deals", type=int, default=50, help="how many of the rep's deals deal_risk scores")
    parser.add_argument("--skip-backtest", action="store_true")
    options = parser.parse_args()
    DB_PATH.parent.mkdir(parents=True, exist_ok=True)
    url = f"sqlite:///{DB_PATH}"
    prepare(url)
    settings = Settings(database_url=url, data_dir=DB_PATH.parent)
    engine = make_engine(url)
    clock = Clock.fixed(NOW)
    import tools.risk  # noqa: F401

    with Session(engine) as session:
        counts = {
            table: session.scalar(text(f"SELECT count(*) FROM {table}"))
            for table in ("accounts", "deals", "activities")
        }
        print("data:", ", ".join(f"{count:,} {table}" for table, count in counts.items()))
        print(f"cores: {os.cpu_count()}, load average before the run: {os.getloadavg()[0]:.1f}")

        clear_risk_cache()
        with Timer() as fit:
            fitted = build_engine(session, NOW)
        print(f"model fit (cold cache): {fit} ({fitted.model.describe()})")
        with Timer() as warm:
            build_engine(session, NOW)
        print(f"build_engine (warm cache): {_ms(warm.wall)}")

        rep = principal_for(session, _user(session, REP), Channel.api)
        deal_ids = list(
            session.scalars(select(Deal.id).where(Deal.owner_id == rep.user_id).order_by(Deal.id).limit(options.deals))
        )
        deps = Deps(principal=rep, session=session, clock=clock, settings=settings)
        walls, cpus = [], []
        for deal_id in deal_ids:
            with Timer() as one:
                TOOLSET.tools["deal_risk"].run(deps, {"deal_id": deal_id})
            walls.append(one.wall)
            cpus.append(one.cpu)
        print(
            f"deal_risk tool over {len(walls)} of {REP}'s deals (warm model): "
            f"wall p50 {_ms(statistics.median(walls))}, "
            f"p95 {_ms(_percentile(walls, 0.95))}, max {_ms(max(walls))}; CPU p50 {_ms(statistics.median(cpus))}, "
            f"p95 {_ms(_percentile(cpus, 0.95))}"
        )

        manager = principal_for(session, _user(session, MANAGER), Channel.api)
        manager_deps = Deps(principal=manager, session=session, clock=clock, settings=settings)
        clear_risk_cache()
        for label in ("first call, cold cache (includes the fit)", "second call", "third call"):
            with Timer() as call:
                report = TOOLSET.tools["team_risk"].run(manager_deps, {"limit": 10})
            print(
                f"team_risk tool for {MANAGER}, {label}: {call} "
                f"({report.open_deals} open deals, {len(report.changes_since_last_week)} changes)"
            )

        if not options.skip_backtest:
            with Timer() as took:
                backtest = run_backtest(session, NOW)
            print(
                f"backtest ({backtest.method}, {backtest.folds} folds, {backtest.scored_deals} closed deals): "
                f"AUC {backtest.auc:.3f}, Brier {backtest.brier:.4f} (base rate {backtest.base_rate_brier:.4f}), {took}"
            )
    engine.dispose()


if __name__ == "__main__":
    main()
