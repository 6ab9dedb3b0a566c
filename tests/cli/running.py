"""Running `dealwise` as a user would: a real subprocess, in a directory of its own, with no DEALWISE_
settings from the developer's environment except those a test passes."""

import os
import queue
import subprocess
import sys
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
DEALWISE = [sys.executable, "-m", "adapters.cli.main"]


def fresh_env(workdir: Path, **settings: str) -> dict[str, str]:
    """The environment minus every DEALWISE_ variable, with the data directory inside `workdir`."""
    env = {name: value for name, value in os.environ.items() if not name.startswith("DEALWISE_")}
    env["PYTHONPATH"] = str(REPO)
    env["DEALWISE_DATA_DIR"] = str(workdir / "data")
    env.update(settings)
    return env


def dealwise(
    argv: list[str], workdir: Path, timeout_s: float = 300, **settings: str
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*DEALWISE, *argv],
        cwd=workdir,
        env=fresh_env(workdir, **settings),
        capture_output=True,
        text=True,
        timeout=timeout_s,
    )


def dealwise_process(argv: list[str], workdir: Path, **settings: str) -> subprocess.Popen[str]:
    """A long-running command (serve, worker) with stdout and stderr together on one pipe."""
    return subprocess.Popen(
        [*DEALWISE, *argv],
        cwd=workdir,
        env=fresh_env(workdir, **settings),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def read_until(process: subprocess.Popen[str], text: str, timeout_s: float) -> str:
    """What the process printed until a line containing `text`, until it exited, or until the timeout."""
    assert process.stdout is not None
    lines: queue.Queue[str] = queue.Queue()
    stream = process.stdout

    def pump() -> None:
        for line in iter(stream.readline, ""):
            lines.put(line)
            if text in line:
                return

    reader = threading.Thread(target=pump, daemon=True)
    reader.start()
    output = ""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            output += lines.get(timeout=0.5)
        except queue.Empty:
            if not reader.is_alive():
                break
            continue
        if text in output:
            break
    while not lines.empty():
        output += lines.get_nowait()
    return output
