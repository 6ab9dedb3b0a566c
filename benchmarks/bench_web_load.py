"""Load: N concurrent web chat sessions against a real uvicorn server with the offline brain.

    .venv/bin/python benchmarks/bench_web_load.py [--size medium] [--sessions 50] [--seconds 60]

Each session signs in through the token link (as one of the six demo reps or two managers,
round robin), reads its CSRF token from the chat page, then asks questions in a loop through
POST /web/chat/stream and reads the whole SSE stream, pausing between questions as a person
reading the answer would (--think seconds, uniformly 0.5x to 1.5x; 0 for a closed loop).
Sessions sign in at once but ask their first question at a random moment in the first --ramp
seconds (default: the think time), as fifty people would; --ramp 0 makes all fifty ask at the same
instant. The server runs as `uvicorn --workers N`. Prints requests/s, p50/p95/p99 and errors.
"""

import argparse
import asyncio
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import httpx
from sqlalchemy import select
from sqlalchemy.orm import Session

from assistant.crm.db import make_engine
from assistant.crm.models import User
from assistant.crm.security import issue_login_token
from ingest.demo import load_demo_database

QUESTIONS = [
    "what's my pipeline this quarter?",
    "which of my deals close next month?",
    "show my open deals over 20k",
    "what's our win rate this year?",
    "which deals have had no activity in 3 weeks?",
    "forecast for this quarter",
    "top performers this year",
    "average sales cycle this year",
    "lead conversion rate this quarter",
    "show my open tasks",
]
USERS = [
    "rita.lopez",
    "sam.taylor",
    "omar.haddad",
    "erin.chen",
    "jack.miller",
    "nina.rossi",
    "maya.patel",
    "david.kim",
]


def database(size: str, url: str | None) -> str:
    """The demo database to serve: the given URL, or a SQLite file under .dealwise/bench/."""
    if url is None:
        path = Path(".dealwise/bench") / f"web-{size}.db"
        path.parent.mkdir(parents=True, exist_ok=True)
        url = f"sqlite:///{path.resolve()}"
    load_demo_database(url, size=size)  # type: ignore[arg-type]
    return url


def tokens(url: str, count: int) -> list[str]:
    """One single-use sign-in token per simulated session, cycling through the demo users."""
    engine = make_engine(url)
    with Session(engine) as session:
        result = []
        for index in range(count):
            name = USERS[index % len(USERS)]
            user = session.scalars(select(User).where(User.email == f"{name}@dealwise.demo")).one()
            result.append(issue_login_token(session, user, timedelta(hours=2)))
        session.commit()
    engine.dispose()
    return result


async def session_loop(
    base: str,
    token: str,
    deadline: float,
    offset: int,
    pacing: tuple[float, float],
    latencies: list[float],
    errors: list[str],
) -> None:
    ramp, think = pacing
    async with httpx.AsyncClient(base_url=base, timeout=30, follow_redirects=True) as client:
        page = await client.get(f"/login/token?t={token}")
        csrf = re.search(r'data-csrf="([^"]+)"', page.text)
        header = re.search(r'data-csrf-header="([^"]+)"', page.text)
        if page.status_code != 200 or csrf is None or header is None:
            errors.append(f"sign-in failed: {page.status_code}")
            return
        headers = {header.group(1): csrf.group(1), "Accept": "text/event-stream"}
        turn = offset
        thread_id = None
        await asyncio.sleep(random.uniform(0, ramp))
        while time.perf_counter() < deadline:
            body = {"message": QUESTIONS[turn % len(QUESTIONS)], "thread_id": thread_id}
            started = time.perf_counter()
            try:
                response = await client.post("/web/chat/stream", json=body, headers=headers)
                if response.status_code != 200 or "event: done" not in response.text:
                    errors.append(f"{response.status_code}: {response.text[:120]}")
                else:
                    latencies.append(time.perf_counter() - started)
                    match = re.search(r'"thread_id":\s*"([^"]+)"', response.text)
                    thread_id = match.group(1) if match and turn % 5 else None
            except httpx.HTTPError as exc:
                errors.append(f"{type(exc).__name__}: {exc}")
            turn += 1
            if think:
                await asyncio.sleep(think * random.uniform(0.5, 1.5))


async def drive(base: str, all_tokens: list[str], sessions: int, seconds: float, pacing: tuple[float, float]) -> None:
    latencies: list[float] = []
    errors: list[str] = []
    deadline = time.perf_counter() + seconds
    started = time.perf_counter()
    await asyncio.gather(
        *(
            session_loop(base, all_tokens[i % len(all_tokens)], deadline, i, pacing, latencies, errors)
            for i in range(sessions)
        )
    )
    elapsed = time.perf_counter() - started
    latencies.sort()

    def pct(p: float) -> float:
        return latencies[min(len(latencies) - 1, int(len(latencies) * p))] * 1000

    print(f"{sessions} sessions for {elapsed:.0f} s: {len(latencies)} answers, {len(latencies) / elapsed:.1f} req/s")
    if latencies:
        print(
            f"latency p50 {statistics.median(latencies) * 1000:.0f} ms, p95 {pct(0.95):.0f} ms, p99 {pct(0.99):.0f} ms"
        )
    print(f"errors: {len(errors)}" + (f" (first: {errors[0]})" if errors else ""))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", default="medium", choices=["small", "medium", "large"])
    parser.add_argument("--sessions", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--think", type=float, default=3.0, help="mean seconds between a session's questions")
    parser.add_argument("--ramp", type=float, default=None, help="seconds over which first questions spread")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--database-url", default=None, help="serve this database (e.g. PostgreSQL) instead of SQLite")
    args = parser.parse_args()
    url = database(args.size, args.database_url)
    all_tokens = tokens(url, args.sessions)
    data_dir = Path(".dealwise/bench/web-data")
    shutil.rmtree(data_dir, ignore_errors=True)
    env = {
        **os.environ,
        "DEALWISE_DATABASE_URL": url,
        "DEALWISE_DATA_DIR": str(data_dir),
        "DEALWISE_RUN_WORKER": "false",
    }
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "adapters.web.main:app",
            "--host",
            "127.0.0.1",
            "--port",
            str(args.port),
            "--workers",
            str(args.workers),
            "--log-level",
            "warning",
        ],
        env=env,
    )
    base = f"http://127.0.0.1:{args.port}"
    try:
        for _ in range(300):
            try:
                if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        ramp = args.think if args.ramp is None else args.ramp
        print(f"{args.workers} uvicorn workers, think time {args.think} s, first questions over {ramp} s")
        asyncio.run(drive(base, all_tokens, args.sessions, args.seconds, (ramp, args.think)))
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
