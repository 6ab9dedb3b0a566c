"""p50/p95 of the answer tools (follow-up draft, meeting prep, weekly brief) and of building the structured answer
and its HTML, Slack and email renderings, on a demo set.

    .venv/bin/python benchmarks/bench_answers.py [--size small|medium] [--calls 30]

The demo database is built once under .dealwise/bench/answers-<size>.db and reused on later runs; the clock is
the demo's fixed one (2026-11-20 09:00). Each tool runs as the rep (drafts, prep) or manager (brief) who owns
the records, on their deals in turn.
"""

import argparse
import statistics
import time
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from adapters.email.rich import rich_html, rich_text
from adapters.slack.rendering import rich_blocks
from adapters.web.pages.rendering import answer_html
from assistant.agent.answers import rich_answer
from assistant.agent.brains.base import ToolRun
from assistant.crm.clock import Clock
from assistant.crm.db import make_engine
from assistant.crm.deps import Deps
from assistant.crm.models import Channel, Deal, Stage, User
from assistant.crm.principal import principal_for
from assistant.crm.settings import Settings
from ingest.demo import load_demo_database
from tools.registry import get_tool

NOW = datetime(2026, 11, 20, 9, 0)
REP = "rita.lopez@dealwise.demo"
MANAGER = "maya.patel@dealwise.demo"


def percentiles(samples: list[float]) -> str:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return f"p50 {statistics.median(ordered) * 1000:7.1f} ms   p95 {p95 * 1000:7.1f} ms   (n={len(ordered)})"


def timed(call: Callable[[], object], times: int) -> tuple[list[float], object]:
    samples, last = [], None
    for _ in range(times):
        started = time.perf_counter()
        last = call()
        samples.append(time.perf_counter() - started)
    return samples, last


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", default="small", choices=["small", "medium"])
    parser.add_argument("--calls", type=int, default=30)
    args = parser.parse_args()
    path = Path(".dealwise/bench") / f"answers-{args.size}.db"
    path.parent.mkdir(parents=True, exist_ok=True)
    url = f"sqlite:///{path}"
    started = time.perf_counter()
    if load_demo_database(url, size=args.size, today=date(2026, 11, 20)):
        print(f"built the {args.size} demo set in {time.perf_counter() - started:.0f} s")
    settings = Settings(_env_file=None, database_url=url, data_dir=path.parent / "data")
    engine = make_engine(url)
    with Session(engine) as session:
        rep = principal_for(session, session.scalars(select(User).where(User.email == REP)).one(), Channel.web)
        manager = principal_for(session, session.scalars(select(User).where(User.email == MANAGER)).one(), Channel.web)
        open_deals = (
            select(Deal.id, Deal.account_id)
            .join(Stage, Stage.id == Deal.stage_id)
            .where(Deal.owner_id == rep.user_id, Stage.is_closed.is_(False))
            .order_by(Deal.id)
        )
        deals = list(session.execute(open_deals))
        clock = Clock.fixed(NOW)
        rep_deps = Deps(rep, session, clock, settings)
        manager_deps = Deps(manager, session, clock, settings)
        print(f"{args.size} demo set, {len(deals)} open deals of {REP}, {args.calls} calls each")
        cases = [
            ("draft_followup_email", rep_deps, lambda i: {"deal_id": deals[i % len(deals)][0]}),
            ("meeting_prep", rep_deps, lambda i: {"account_id": deals[i % len(deals)][1]}),
            ("weekly_brief", manager_deps, lambda i: {}),
        ]
        for name, deps, arguments in cases:
            spec = get_tool(name)
            counter = iter(range(10**6))
            samples, result = timed(lambda: spec.run(deps, arguments(next(counter))), args.calls)  # noqa: B023
            print(f"{name:<22} {percentiles(samples)}")
            run = ToolRun(name=name, args={}, result=result)  # type: ignore[arg-type]
            built, rich = timed(lambda: rich_answer("Headline.", [run], deps.principal), args.calls)  # noqa: B023
            rendered, _ = timed(
                lambda: (
                    answer_html(rich),  # noqa: B023
                    rich_blocks(rich, "https://dealwise.example"),  # type: ignore[arg-type]  # noqa: B023
                    rich_text(rich),  # type: ignore[arg-type]  # noqa: B023
                    rich_html(rich, "https://dealwise.example"),  # type: ignore[arg-type]  # noqa: B023
                ),
                args.calls,
            )
            print(f"  rich answer          {percentiles(built)}")
            print(f"  web + slack + email  {percentiles(rendered)}")
    engine.dispose()


if __name__ == "__main__":
    main()
