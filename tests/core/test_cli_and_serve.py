"""The CLI and the `make run` path: serve an empty database with demo data and answer a rep's curl."""

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import httpx

from tests.support import free_port

DEALWISE = [sys.executable, "-m", "adapters.cli.main"]


def _env(tmp_path: Path) -> dict[str, str]:
    env = {**os.environ, "DEALWISE_DATA_DIR": str(tmp_path / "data")}
    env.pop("DEALWISE_DATABASE_URL", None)
    return env


def _run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*DEALWISE, *args], env=env, capture_output=True, text=True, timeout=120)


def test_users_commands(tmp_path: Path):
    env = _env(tmp_path)
    assert _run(["db", "upgrade"], env).returncode == 0
    assert _run(["demo"], env).returncode == 0
    again = _run(["demo"], env)
    assert again.returncode == 1 and again.stderr.startswith("error: the database already has data; nothing loaded")
    listed = _run(["users", "list"], env).stdout.strip().splitlines()
    assert len(listed) == 9 and "rita.lopez@dealwise.demo\trep\tWest" in listed
    added = _run(["users", "add", "kim@dealwise.demo", "--name", "Kim", "--team", "East"], env)
    assert added.returncode == 0, added.stderr
    bad = _run(["users", "add", "nope", "--name", "X"], env)
    assert bad.returncode == 2 and "email" in bad.stderr
    unknown_team = _run(["users", "add", "z@dealwise.demo", "--name", "Z", "--team", "Mars"], env)
    assert unknown_team.returncode != 0 and "Mars" in unknown_team.stderr + unknown_team.stdout
    token = _run(["users", "token", "kim@dealwise.demo"], env).stdout.strip()
    assert token.startswith("dw_")
    missing = _run(["users", "token", "ghost@dealwise.demo"], env)
    assert missing.returncode == 2 and "no user" in missing.stderr


def test_serve_loads_demo_and_answers_a_reps_curl(tmp_path: Path):
    port = free_port()
    process = subprocess.Popen(
        [*DEALWISE, "serve", "--demo-if-empty", "--port", str(port)],
        env=_env(tmp_path),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    output = ""
    try:
        deadline = time.time() + 240
        while time.time() < deadline and process.poll() is None:
            line = process.stdout.readline()
            output += line
            if "Demo users sign in with their email" in line:
                break
        assert f"http://127.0.0.1:{port}/" in output
        rep_token = re.search(r"curl -H 'Authorization: Bearer (dw_\S+)'", output.split("rita.lopez")[1]).group(1)
        deals = httpx.get(
            f"http://127.0.0.1:{port}/api/deals?page_size=200", headers={"Authorization": f"Bearer {rep_token}"}
        ).json()
        assert deals["total"] > 0
        assert {d["owner"]["email"] for d in deals["items"]} == {"rita.lopez@dealwise.demo"}
        assert "/login/token?t=dwl_" in output
    finally:
        process.terminate()
        process.wait(timeout=120)
