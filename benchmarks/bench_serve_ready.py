"""How honest `dealwise serve` (what `make run` runs) is about being ready.

    .venv/bin/python benchmarks/bench_serve_ready.py [--runs 3] [--demo-if-empty]

Starts `dealwise serve` on a fresh copy of the small demo database (or, with --demo-if-empty, on an
empty data directory, as the first `make run` does), polls the port every 20 ms, and prints for each
run when "starting" was printed, when the port first accepted a connection, when /healthz first
answered, and when "ready" was printed. "ready" before the port accepts would be a lie; the gap
after it is how long a person waits for a prompt that could already have come.
"""

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

from ingest.demo import load_demo_database

POLL_SECONDS = 0.02


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def one_run(env: dict[str, str], demo_if_empty: bool) -> dict[str, float]:
    port = free_port()
    command = [sys.executable, "-m", "adapters.cli.main", "serve", "--port", str(port)]
    if demo_if_empty:
        command.append("--demo-if-empty")
    started = time.perf_counter()
    seen: dict[str, float] = {}
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)

    def read() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            now = time.perf_counter() - started
            if line.startswith("Dealwise is starting"):
                seen.setdefault("starting", now)
            if line.startswith("Dealwise is ready"):
                seen.setdefault("ready", now)

    threading.Thread(target=read, daemon=True).start()
    try:
        while "ready" not in seen or "answers" not in seen:
            if process.poll() is not None:
                raise SystemExit(f"serve exited with {process.returncode}")
            now = time.perf_counter() - started
            if "accepts" not in seen:
                with socket.socket() as probe:
                    if probe.connect_ex(("127.0.0.1", port)) == 0:
                        seen["accepts"] = now
            if "accepts" in seen and "answers" not in seen:
                try:
                    if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                        seen["answers"] = time.perf_counter() - started
                except httpx.HTTPError:
                    pass
            time.sleep(POLL_SECONDS)
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    return seen


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--demo-if-empty", action="store_true", help="start on an empty data directory")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        template = Path(scratch) / "template.db"
        if not args.demo_if_empty:
            load_demo_database(f"sqlite:///{template}", size="small", seed=7)
        rows = []
        for run in range(args.runs):
            directory = Path(scratch) / f"run{run}"
            directory.mkdir()
            env = {**os.environ, "DEALWISE_DATA_DIR": str(directory / "data")}
            if args.demo_if_empty:
                env.pop("DEALWISE_DATABASE_URL", None)
            else:
                database = directory / "dealwise.db"
                database.write_bytes(template.read_bytes())
                env["DEALWISE_DATABASE_URL"] = f"sqlite:///{database}"
            seen = one_run(env, args.demo_if_empty)
            rows.append(seen)
            print(
                f"run {run + 1}: 'starting' at {seen['starting']:.2f} s, port accepts at {seen['accepts']:.2f} s, "
                f"/healthz answers at {seen['answers']:.2f} s, 'ready' at {seen['ready']:.2f} s "
                f"({seen['ready'] - seen['accepts']:+.2f} s after the port accepted)"
            )
    early = sum(1 for seen in rows if seen["ready"] < seen["accepts"])
    lags = [seen["ready"] - seen["accepts"] for seen in rows]
    print(
        f"{len(rows)} runs: 'ready' before the port accepted in {early}; 'ready' came "
        f"{statistics.median(lags):.2f} s (median) / {max(lags):.2f} s (max) after; "
        f"time to ready {statistics.median(seen['ready'] for seen in rows):.1f} s (median)"
    )


if __name__ == "__main__":
    main()
