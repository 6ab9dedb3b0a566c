"""`dealwise serve` (what `make run` runs) says "starting" at once and "ready", with the sign-in links,
only when the server accepts connections; a port that is taken is said so, not reported as ready."""

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx

from tests import support

DEALWISE = [sys.executable, "-m", "adapters.cli.main"]
START_SECONDS = 180
STOP_SECONDS = 20
"""the in-process worker waits at most ingest.jobs.STOP_WAIT_S for a job to reach a point where it can stop"""


def serve_env(database_url: str, data_dir: Path) -> dict[str, str]:
    return {**os.environ, "DEALWISE_DATABASE_URL": database_url, "DEALWISE_DATA_DIR": str(data_dir)}


def test_ready_is_printed_once_the_server_answers_and_its_links_work(sqlite_template: Path, tmp_path: Path) -> None:
    port = support.free_port()
    env = serve_env(support.copy_sqlite(sqlite_template, tmp_path), tmp_path / "data")
    process = subprocess.Popen(
        [*DEALWISE, "serve", "--port", str(port)], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    lines: list[str] = []
    assert process.stdout is not None
    reader = threading.Thread(target=lambda: lines.extend(process.stdout), daemon=True)  # type: ignore[arg-type]
    reader.start()
    try:
        deadline = time.time() + START_SECONDS
        while not any("Dealwise is ready" in line for line in list(lines)):
            assert process.poll() is None, "serve exited before it was ready:\n" + "".join(lines)
            assert time.time() < deadline, "serve was not ready in time:\n" + "".join(lines)
            time.sleep(0.05)
        health = httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=5)
        assert health.status_code == 200, "ready was printed before the server answered"
        while not any("password" in line for line in list(lines)):
            time.sleep(0.05)
        output = "".join(lines)
        assert lines[0].startswith("Dealwise is starting"), lines[0]
        assert output.index("Application startup complete") < output.index("Dealwise is ready")
        link = next(line.split()[-1] for line in lines if "/login/token?t=" in line and "rita.lopez" in line)
        signed_in = httpx.get(link, follow_redirects=False, timeout=30)
        assert signed_in.status_code == 303 and signed_in.headers["location"] == "/chat"
        process.terminate()  # the background index build is still running: shutdown stops it, never waits it out
        assert process.wait(timeout=STOP_SECONDS) in {0, -signal.SIGTERM}, "".join(lines)  # not -SIGABRT
        reader.join(timeout=5)
        assert "Application shutdown complete" in "".join(lines)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=20)


def test_a_taken_port_is_reported_and_never_called_ready(sqlite_template: Path, tmp_path: Path) -> None:
    env = serve_env(support.copy_sqlite(sqlite_template, tmp_path), tmp_path / "data")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            [*DEALWISE, "serve", "--port", str(port)], env=env, capture_output=True, text=True, timeout=120
        )
    assert result.returncode == 1
    assert f"port {port} on 127.0.0.1 is already in use" in result.stderr
    assert "ready" not in result.stdout
