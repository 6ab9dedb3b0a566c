"""Every CLI failure is one line on stderr (what went wrong, what to do) with exit code 2 for a wrong
command line or setting and 1 for work that failed; --debug or DEALWISE_DEBUG=1 shows the traceback."""

import logging
from pathlib import Path

import pytest

from adapters.web.app import create_app
from assistant.crm.settings import Settings
from tests.cli.running import dealwise


def _said(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.strip() and not line.startswith("warning: ")]


def _one_error_line(result_stderr: str) -> str:
    said = _said(result_stderr)
    assert len(said) == 1 and said[0].startswith("error: "), result_stderr
    return said[0]


@pytest.mark.parametrize(
    ("argv", "settings", "mentions"),
    [
        (["users", "add"], {}, ["Missing argument", "dealwise users add --help"]),
        (["nosuch"], {}, ["No such command 'nosuch'", "dealwise --help"]),
        (["risk", "backtest", "--method", "random"], {}, ["--method", "kfold", "dealwise risk backtest --help"]),
        (["users", "list"], {"DEALWISE_SMTP_PORT": "twenty-five"}, ["DEALWISE_SMTP_PORT", "integer"]),
        (["users", "list"], {"DEALWISE_DATABASE_URL": "not a url"}, ["DEALWISE_DATABASE_URL"]),
        (["users", "add", "not-an-email", "--name", "Pat"], {}, ["email", "not a valid email address"]),
        (["users", "add", "pat@example.com", "--name", "Pat", "--password", "short"], {}, ["password", "8 characters"]),
    ],
    ids=[
        "missing argument",
        "unknown command",
        "bad option value",
        "invalid setting",
        "unparsable database url",
        "bad email",
        "short password",
    ],
)
def test_usage_errors_are_one_line_with_exit_code_2(
    tmp_path: Path, argv: list[str], settings: dict[str, str], mentions: list[str]
) -> None:
    result = dealwise(argv, tmp_path, **settings)
    assert result.returncode == 2, result.stderr
    line = _one_error_line(result.stderr)
    for words in mentions:
        assert words in line
    assert "Traceback" not in result.stdout + result.stderr


def test_a_database_that_cannot_be_created_is_one_line_and_debug_shows_the_traceback(tmp_path: Path) -> None:
    (tmp_path / "not-a-directory").write_text("")
    unusable = {"DEALWISE_DATA_DIR": str(tmp_path / "not-a-directory" / "data")}
    plain = dealwise(["users", "list"], tmp_path, **unusable)
    assert plain.returncode == 1
    line = _one_error_line(plain.stderr)
    assert "could not create or migrate the database" in line and "DEALWISE_DATA_DIR" in line
    assert "Traceback" not in plain.stderr

    for argv, switch in ((["--debug", "users", "list"], {}), (["users", "list"], {"DEALWISE_DEBUG": "1"})):
        debugged = dealwise(argv, tmp_path, **unusable, **switch)
        assert debugged.returncode == 1
        assert "Traceback (most recent call last)" in debugged.stderr
        assert "NotADirectoryError" in debugged.stderr


def test_a_failed_migration_leaves_no_half_made_database_behind(tmp_path: Path) -> None:
    data = tmp_path / "data"
    blocker = data / "dealwise.db-wal"
    blocker.mkdir(parents=True)
    failed = dealwise(["users", "list"], tmp_path)
    assert failed.returncode == 1
    assert "could not create or migrate the database" in _one_error_line(failed.stderr)
    assert sorted(path.name for path in data.iterdir()) == ["dealwise.db-wal"]

    blocker.rmdir()
    fixed = dealwise(["users", "list"], tmp_path)
    assert fixed.returncode == 0 and fixed.stdout == "", fixed.stderr
    assert (data / "dealwise.db").stat().st_size > 0


def test_a_failure_of_the_work_itself_is_exit_code_1(tmp_path: Path) -> None:
    result = dealwise(["risk", "backtest"], tmp_path)
    assert result.returncode == 1
    line = _one_error_line(result.stderr)
    assert "too few to backtest" in line and "dealwise demo" in line


def test_unknown_dealwise_variables_are_reported_and_the_command_still_runs(tmp_path: Path) -> None:
    result = dealwise(["users", "list"], tmp_path, DEALWISE_DATABSE_URL="sqlite:///typo.db", DEALWISE_DEBUG="0")
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines() == [
        "warning: ignoring DEALWISE_DATABSE_URL: no Dealwise setting has that name (see Configuration in README.md)"
    ]
    assert (tmp_path / "data" / "dealwise.db").exists() and not (tmp_path / "typo.db").exists()


def test_the_web_app_logs_unknown_variables_at_start_up(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv("DEALWISE_SLACK_BOT_TOKN", "xoxb-typo")
    with caplog.at_level(logging.WARNING, logger="adapters.web.app"):
        create_app(Settings(data_dir=tmp_path / "data"))
    warned = [record.getMessage() for record in caplog.records if record.name == "adapters.web.app"]
    assert any("DEALWISE_SLACK_BOT_TOKN" in message and "no Dealwise setting" in message for message in warned)
