"""How long a `dealwise` command takes to answer when it has little to do: wall and CPU seconds per run.

    .venv/bin/python benchmarks/bench_cli_startup.py [--runs 5]

Each command runs as a subprocess in a fresh directory of its own (so the first database command also
creates and migrates the database), with no DEALWISE_ settings from the environment. CPU time (user +
system, children included) is the figure to compare on a busy machine; wall time shows the wait.
"""

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
COMMANDS = [
    ["--help"],
    ["eval", "list"],
    ["users", "list"],
    ["db", "upgrade"],
    ["ask", "--as", "nobody@acme.test", "hello"],
]


def run_once(argv: list[str], directory: Path) -> tuple[float, float, int]:
    env = {name: value for name, value in os.environ.items() if not name.startswith("DEALWISE_")}
    env.update(PYTHONPATH=str(REPO), DEALWISE_DATA_DIR=str(directory / "data"))
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "adapters.cli.main", *argv], cwd=directory, env=env, capture_output=True
    )
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, result.returncode


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    load = os.getloadavg()[0]
    print(f"{runs} runs each, load average {load:.1f} on {os.cpu_count()} cores; medians")
    print(f"{'command':<45} {'wall s':>7} {'cpu s':>7}  exit")
    for argv in COMMANDS:
        walls, cpus, codes = [], [], set()
        for _ in range(runs):
            with tempfile.TemporaryDirectory() as directory:
                wall, cpu, code = run_once(argv, Path(directory))
            walls.append(wall)
            cpus.append(cpu)
            codes.add(code)
        label = "dealwise " + " ".join(argv)
        print(f"{label:<45} {statistics.median(walls):>7.2f} {statistics.median(cpus):>7.2f}  {sorted(codes)}")


if __name__ == "__main__":
    main()
