"""Every command the README documents, run first thing on a fresh checkout (no database yet), as a real
subprocess: none shows a traceback; each works or says in one line what went wrong and what to do."""

import shutil
import signal
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.cli.readme_commands import PORT, README, Invocation, invocations, unfilled_placeholders
from tests.cli.running import dealwise, dealwise_process, read_until
from tests.support import free_port

IMPORT_DATA = Path(__file__).resolve().parents[1] / "imports" / "data"
TINY_DATASET = """\
cases:
  - id: fresh-checkout-hooli-amount
    category: questions
    user: rita.lopez@dealwise.demo
    ask: What's the amount on the Hooli deal?
    expect: {tools_any: [get_deal, find_deals]}
"""
EVAL_OPTIONS_WITH_VALUES = {"--brain", "--repeat", "--report", "--baseline"}
LONG_RUNNING = {("serve",): "Application startup complete", ("worker",): "worker running"}
STOPPED_BY_SIGTERM = {0, -signal.SIGTERM}
"""uvicorn shuts down gracefully, then lets SIGTERM end the process as it would have"""

DOCUMENTED = [
    invocation
    for invocation in invocations(README.read_text(encoding="utf-8"))
    if not (invocation.words == ("serve",) and PORT not in invocation.argv)  # would take port 8000 on a shared machine
]
SERVE_LEFT_OUT = {"--demo-if-empty"}
"""tests/core/test_cli_and_serve.py serves the demo; here the server starts and stops on the empty database"""


def _expected_exit_codes(invocation: Invocation) -> set[int]:
    """What a fresh install should answer: 0 where the command can do its work on an empty database,
    2 where it names a user that does not exist yet, 1 where there is nothing to work on."""
    words, argv = invocation.words, invocation.argv
    if words in {("db", "upgrade"), ("demo",), ("users", "list"), ("eval", "list"), ("index", "rebuild")}:
        return {0}
    if words == ("users", "add"):
        return {0} if "--team" not in argv else {2}
    if words == ("transcribe",):
        return {0} if "--as" not in argv else {2}
    if words in {("ask",), ("users", "token"), ("risk", "brief")}:
        return {2}
    if words == ("risk", "backtest"):
        return {1}
    if words == ("eval", "run"):
        return {2} if "--baseline" in argv or "llm" in argv else {0}
    return {0, 1, 2}


def _needs_no_database(invocation: Invocation) -> bool:
    if invocation.words == ("transcribe",):
        return not {"--deal", "--as", "--log"} & set(invocation.argv)
    return invocation.words in {("eval", "list"), ("eval", "run")}


def _eval_on_tiny_dataset(argv: tuple[str, ...]) -> list[str]:
    """`eval run [DATASET...] [options]` on the one-case dataset instead of the named ones."""
    options: list[str] = []
    rest = list(argv[2:])
    while rest:
        token = rest.pop(0)
        if token in EVAL_OPTIONS_WITH_VALUES:
            options += [token, rest.pop(0)]
        elif token.startswith("-"):
            options.append(token)
    return [*argv[:2], "tiny.yaml", *options]


@pytest.fixture
def workdir(tmp_path: Path, speech_m4a: Path | None) -> Iterator[Path]:
    """A fresh directory holding the files the README's commands name, and no database."""
    directory = tmp_path / "checkout"
    directory.mkdir()
    shutil.copytree(IMPORT_DATA / "salesforce", directory / "export")
    shutil.copytree(IMPORT_DATA / "hubspot", directory / "hubspot-export")
    shutil.copy(IMPORT_DATA / "generic" / "deals.csv", directory / "deals.csv")
    shutil.copy(IMPORT_DATA / "generic" / "mapping.yaml", directory / "mapping.yaml")
    (directory / "tiny.yaml").write_text(TINY_DATASET, encoding="utf-8")
    if speech_m4a is not None:
        shutil.copy(speech_m4a, directory / "call.m4a")
    yield directory


def _assert_one_line_reason(invocation: Invocation, returncode: int, stdout: str, stderr: str) -> None:
    shown = f"{invocation}\n--- exit {returncode}\n--- stdout\n{stdout[-3000:]}\n--- stderr\n{stderr[-3000:]}"
    assert "Traceback" not in stdout + stderr, shown
    assert returncode in _expected_exit_codes(invocation), shown
    if returncode != 0:
        said = [line for line in stderr.splitlines() if line.strip() and not line.startswith("warning: ")]
        assert len(said) == 1 and said[0].startswith("error: ") and len(said[0]) > len("error: ") + 10, shown


def _assert_database_whole_or_absent(data_dir: Path) -> None:
    database = data_dir / "dealwise.db"
    if not database.exists():
        return
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as connection:
        (revision,) = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    assert revision, "the database was left without a schema version"


def _run_until_ready(invocation: Invocation, argv: list[str], workdir: Path) -> tuple[int, str, str]:
    ready_text = LONG_RUNNING[invocation.words]
    process = dealwise_process(argv, workdir)
    try:
        output = read_until(process, ready_text, timeout_s=240)
        assert ready_text in output, f"{invocation} never said {ready_text!r}:\n{output[-3000:]}"
        process.send_signal(signal.SIGTERM)
        rest, _ = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    return process.returncode, output + rest, ""


@pytest.mark.parametrize("invocation", DOCUMENTED, ids=lambda invocation: f"{invocation.form}: {invocation}")
def test_documented_command_on_a_fresh_checkout(invocation: Invocation, workdir: Path) -> None:
    assert not unfilled_placeholders(invocation), f"no value for a placeholder in {invocation.documented!r}"
    if invocation.words == ("transcribe",) and not (workdir / "call.m4a").exists():
        pytest.skip("espeak-ng is not installed, so there is no speech to transcribe")
    argv = [token.replace(PORT, str(free_port())) for token in invocation.argv]
    if invocation.words == ("eval", "run"):
        argv = _eval_on_tiny_dataset(invocation.argv)
    if invocation.words == ("serve",):
        argv = [token for token in argv if token not in SERVE_LEFT_OUT]
    if invocation.words in LONG_RUNNING:
        returncode, stdout, stderr = _run_until_ready(invocation, argv, workdir)
        assert returncode in STOPPED_BY_SIGTERM, f"{invocation} did not stop cleanly on SIGTERM:\n{stdout[-3000:]}"
        returncode = 0
    else:
        result = dealwise(argv, workdir)
        returncode, stdout, stderr = result.returncode, result.stdout, result.stderr
    _assert_one_line_reason(invocation, returncode, stdout, stderr)
    _assert_database_whole_or_absent(workdir / "data")
    if _needs_no_database(invocation):
        assert not (workdir / "data" / "dealwise.db").exists(), f"{invocation} created a database it does not need"
    if invocation.words == ("transcribe",) and returncode == 0 and "--json" not in argv:
        assert "proposal" in stdout.lower() and "Not linked to the CRM" in stdout, stdout
    if invocation.words == ("eval", "list"):
        assert "heldout/" in stdout and "questions\tlearned" in stdout, stdout


def test_the_readme_documents_the_commands_this_test_runs() -> None:
    named = {invocation.words[:1] for invocation in DOCUMENTED}
    assert {("demo",), ("serve",), ("worker",), ("users",), ("db",), ("ask",), ("transcribe",)} <= named
    assert {("index",), ("import",), ("risk",), ("eval",)} <= named


def test_help_needs_no_database(workdir: Path) -> None:
    for argv in (["--help"], ["users", "add", "--help"], ["transcribe", "--help"]):
        result = dealwise(argv, workdir)
        assert result.returncode == 0 and "Usage" in result.stdout and not result.stderr, result.stderr
    assert not (workdir / "data").exists() and not (workdir / ".dealwise").exists()


def test_the_first_command_that_needs_the_database_creates_it_for_the_next(workdir: Path) -> None:
    added = dealwise(["users", "add", "admin@acme.test", "--name", "Test Admin", "--role", "admin"], workdir)
    assert added.returncode == 0, added.stderr
    assert "created admin@acme.test (admin)" in added.stdout
    assert "warning: admin@acme.test is on the reserved test domain .test" in added.stderr
    listed = dealwise(["users", "list"], workdir)
    assert listed.stdout.strip() == "admin@acme.test\tadmin\t-"
    token = dealwise(["users", "token", "admin@acme.test"], workdir)
    assert token.returncode == 0 and token.stdout.strip().startswith("dw_"), token.stderr
    _assert_database_whole_or_absent(workdir / "data")
