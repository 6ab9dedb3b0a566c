"""Admins list, read and start evaluation runs on the web; `dealwise eval run` does the same from a shell."""

import json
import time
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from assistant.crm.settings import Settings
from tests.support import ADMIN, ALICE, WEST_MANAGER
from tests.support.web import csrf_from

ONE_CASE = """
cases:
  - id: tiny-pipeline
    category: analytics
    user: rita.lopez@dealwise.demo
    ask: What does my pipeline look like?
    expect:
      tools: [query]
      facts: [{sum: deals.amount, where: {owner: me, status: open}}]
"""


def test_admin_starts_a_run_and_reads_the_report(
    client: TestClient, api_tokens: dict[str, str], settings: Settings, tmp_path: Path
) -> None:
    dataset = tmp_path / "tiny.yaml"
    dataset.write_text(ONE_CASE, encoding="utf-8")
    admin = {"Authorization": f"Bearer {api_tokens[ADMIN]}"}
    started = client.post("/admin/evals/run", data={"datasets": str(dataset)}, headers=admin)
    assert started.status_code == 202, started.text
    name = started.json()["name"]
    deadline = time.time() + 120
    status = "running"
    while status == "running" and time.time() < deadline:
        time.sleep(0.5)
        status = client.get(f"/admin/evals/{name}/status", headers=admin).json()["status"]
    assert status == "done"
    report = json.loads((settings.data_dir / "reports" / name / "report.json").read_text())
    assert report["summary"]["cases"] == 1
    listing = client.get("/admin/evals", headers=admin)
    assert listing.status_code == 200 and f'href="/admin/evals/{name}"' in listing.text
    page = client.get(f"/admin/evals/{name}", headers=admin)
    assert page.status_code == 200 and "Dealwise evaluation report" in page.text


def test_reports_are_for_admins_only(client: TestClient, api_tokens: dict[str, str]) -> None:
    for email in (ALICE, WEST_MANAGER):
        headers = {"Authorization": f"Bearer {api_tokens[email]}"}
        assert client.get("/admin/evals", headers=headers).status_code == 403
        assert client.post("/admin/evals/run", headers=headers).status_code == 403
    assert client.post("/admin/evals/run").status_code == 401
    assert client.get("/admin/evals", follow_redirects=False).status_code == 303
    admin = {"Authorization": f"Bearer {api_tokens[ADMIN]}"}
    assert client.get("/admin/evals/..%2Fsecrets", headers=admin).status_code == 404
    assert client.get("/admin/evals/nope", headers=admin).status_code == 404


def test_cli_run_writes_reports_and_compares_with_a_baseline(
    settings: Settings, tmp_path: Path, monkeypatch: object
) -> None:
    from adapters.cli.main import app

    dataset = tmp_path / "tiny.yaml"
    dataset.write_text(ONE_CASE, encoding="utf-8")
    broken = tmp_path / "broken.yaml"
    broken.write_text("cases:\n  - {id: b, category: nope, user: a@b.c, ask: hi}\n", encoding="utf-8")
    monkeypatch.setenv("DEALWISE_DATA_DIR", str(tmp_path / "data"))  # type: ignore[attr-defined]
    from assistant.crm.settings import get_settings

    get_settings.cache_clear()
    runner = CliRunner()
    first = runner.invoke(app, ["eval", "run", str(dataset), str(broken), "--report", str(tmp_path / "r1")])
    assert first.exit_code == 0, first.output
    assert "1/1 cases passed" in first.output
    assert f"{broken}, case 'b', field category" in first.output
    second = runner.invoke(
        app,
        [
            "eval",
            "run",
            str(dataset),
            "--report",
            str(tmp_path / "r2"),
            "--baseline",
            str(tmp_path / "r1" / "report.json"),
        ],
    )
    assert second.exit_code == 0, second.output
    assert "vs baseline" in second.output
    assert json.loads((tmp_path / "r2" / "report.json").read_text())["baseline"]["delta"] == 0.0
    bad = runner.invoke(app, ["eval", "run", str(dataset), "--baseline", str(dataset)])
    assert bad.exit_code == 2 and "cannot read a report" in bad.output
    get_settings.cache_clear()


def test_eval_page_shows_the_risk_backtest(client: TestClient, api_tokens: dict[str, str], db) -> None:  # type: ignore[no-untyped-def]
    from assistant.crm.services.catalog import competitor_names
    from assistant.risk.backtest import run_backtest
    from tests.support import NOW

    expected = run_backtest(db, NOW, competitors=competitor_names(db))
    page = client.get("/admin/evals", headers={"Authorization": f"Bearer {api_tokens[ADMIN]}"})
    assert page.status_code == 200
    assert "Deal-risk model backtest" in page.text
    assert f"AUC {expected.auc:.3f}" in page.text
    assert f"{expected.scored_deals} of\n{expected.closed_deals} closed deals" in page.text
    assert page.text.count("<td>10</td>") >= 1


def test_redirects_percent_encode_any_run_name_or_path(
    client: TestClient, settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for path in ("/admin/evals/ñame&x=1", "/admin/evals/✓/status"):
        sent = client.get(path, follow_redirects=False)
        location = sent.headers["location"]
        assert sent.status_code == 303 and location.isascii(), location
        assert parse_qs(urlsplit(location).query) == {"next": [path]}, location

    monkeypatch.setattr("adapters.web.pages.eval_runs.new_report_name", lambda brain: f"20261120-090000-ü-{brain}")
    dataset = tmp_path / "tiny.yaml"
    dataset.write_text(ONE_CASE, encoding="utf-8")
    form = client.get("/login")
    client.post("/login", data={"email": ADMIN, "password": "dealwise-demo", "csrf_token": csrf_from(form.text)})
    token = csrf_from(client.get("/admin/evals").text)
    started = client.post(
        "/admin/evals/run",
        data={"datasets": str(dataset), "csrf_token": token},
        headers={"Accept": "text/html"},
        follow_redirects=False,
    )
    assert started.status_code == 303, started.text
    assert started.headers["location"] == "/admin/evals/20261120-090000-%C3%BC-offline"
    status = client.get("/admin/evals/20261120-090000-%C3%BC-offline/status", headers={"Accept": "application/json"})
    deadline = time.time() + 120
    while status.json()["status"] == "running" and time.time() < deadline:
        time.sleep(0.5)
        status = client.get("/admin/evals/20261120-090000-%C3%BC-offline/status")
    assert status.json()["status"] == "done", status.text
