"""POST /api/imports (admins only) and the `dealwise import` commands."""

import io
import json
import time
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from adapters.cli.main import app as cli
from assistant.crm.models import AuditEntry, Contact, ImportRun, User
from assistant.crm.settings import Settings, get_settings
from ingest.jobs import forget_queue
from tests.imports.conftest import DATA, table_counts
from tests.support import ADMIN, ALICE, wait_for


def _zip(directory: Path) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in directory.iterdir():
            archive.write(path, f"export/{path.name}")
    return buffer.getvalue()


def finished(client: TestClient, run_id: str, headers: dict[str, str]) -> dict[str, Any]:
    """Poll GET /api/imports/{id} until the queued import is done or failed."""
    seen: dict[str, Any] = {}

    def ended() -> bool:
        response = client.get(f"/api/imports/{run_id}", headers=headers)
        assert response.status_code == 200, response.text
        seen.update(response.json())
        return seen["status"] in ("done", "failed")

    wait_for(ended)
    return seen


def test_admin_uploads_a_zip_and_polls_the_job(client: TestClient, api_tokens: dict[str, str], db: Session) -> None:
    headers = {"Authorization": f"Bearer {api_tokens[ADMIN]}"}
    files = {"file": ("export.zip", _zip(DATA / "salesforce"), "application/zip")}
    response = client.post("/api/imports", files=files, data={"source": "salesforce"}, headers=headers)
    assert response.status_code == 202, response.text
    job_id = response.json()["id"]
    assert response.json()["status"] == "queued"

    body = finished(client, job_id, headers)
    assert body["status"] == "done" and body["source"] == "salesforce"
    assert body["counts"]["per_kind"]["contact"]["created"] == 3
    assert body["counts"]["totals"]["rejected"] == 13
    assert {"file": "Contact.csv", "line": 6, "field": "LastName"}.items() <= body["rejected"][3].items()
    assert db.scalar(select(func.count()).select_from(Contact).where(Contact.external_source == "salesforce")) == 3
    run = db.get(ImportRun, job_id)
    assert run is not None and run.created_by_id == db.scalars(select(User.id).where(User.email == ADMIN)).one()


def test_an_import_accepted_while_no_worker_runs_is_done_by_the_next_worker(
    settings: Settings, make_app: Callable[[Settings], FastAPI], api_tokens: dict[str, str], db: Session
) -> None:
    headers = {"Authorization": f"Bearer {api_tokens[ADMIN]}"}
    files = {"file": ("export.zip", _zip(DATA / "salesforce"), "application/zip")}
    web_only = settings.model_copy(update={"run_worker": False})
    with TestClient(make_app(web_only)) as web:
        run_id = web.post("/api/imports", files=files, data={"source": "salesforce"}, headers=headers).json()["id"]
        time.sleep(1)
        assert web.get(f"/api/imports/{run_id}", headers=headers).json()["status"] == "queued"
    forget_queue(settings)
    with TestClient(make_app(settings)) as restarted:
        body = finished(restarted, run_id, headers)
    assert body["status"] == "done" and body["counts"]["per_kind"]["contact"]["created"] == 3
    assert db.scalar(select(func.count()).select_from(Contact).where(Contact.external_source == "salesforce")) == 3


def test_reps_may_not_import(client: TestClient, api_tokens: dict[str, str], db: Session) -> None:
    before = table_counts(db)
    files = {"file": ("export.zip", _zip(DATA / "salesforce"), "application/zip")}
    headers = {"Authorization": f"Bearer {api_tokens[ALICE]}"}
    response = client.post("/api/imports", files=files, data={"source": "salesforce"}, headers=headers)
    assert response.status_code == 403 and "admin" in response.json()["detail"]
    assert table_counts(db) == before
    admin_job = client.get("/api/imports/whatever", headers=headers)
    assert admin_job.status_code == 403


def test_upload_that_is_not_a_zip_is_refused(client: TestClient, api_tokens: dict[str, str]) -> None:
    headers = {"Authorization": f"Bearer {api_tokens[ADMIN]}"}
    files = {"file": ("Contact.csv", b"Id,LastName\n1,Lee\n", "text/csv")}
    response = client.post("/api/imports", files=files, data={"source": "salesforce"}, headers=headers)
    assert response.status_code == 422 and "zip" in response.json()["detail"][0]["msg"]


@pytest.fixture
def cli_env(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("DEALWISE_DATABASE_URL", settings.resolved_database_url)
    monkeypatch.setenv("DEALWISE_DATA_DIR", str(settings.data_dir))
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def test_cli_dry_run_then_import_with_report(cli_env: None, tmp_path: Path, db: Session) -> None:
    runner = CliRunner()
    before = table_counts(db)
    dry = runner.invoke(cli, ["import", "salesforce", str(DATA / "salesforce"), "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "dry run: nothing written" in dry.output and "3 would be created" in dry.output
    assert table_counts(db) == before

    result = runner.invoke(
        cli, ["import", "salesforce", str(DATA / "salesforce"), "--as", ALICE, "--report", str(tmp_path / "r")]
    )
    assert result.exit_code == 0, result.output
    assert "rejected Contact.csv:6 LastName" in result.output
    report = json.loads((tmp_path / "r" / "report.json").read_text())
    assert report["counts"]["contact"]["merged"] == 3
    assert (tmp_path / "r" / "rejected.csv").read_text().startswith("file,line,field,reason")
    db.expire_all()
    merges = db.scalars(select(AuditEntry).where(AuditEntry.action == "merge")).all()
    alice = db.scalars(select(User.id).where(User.email == ALICE)).one()
    assert len(merges) == 8 and {merge.actor_id for merge in merges} == {alice}


def test_cli_csv_needs_a_valid_mapping(cli_env: None, tmp_path: Path) -> None:
    bad = tmp_path / "map.yaml"
    bad.write_text("columns:\n  name: Nope\n")
    result = CliRunner().invoke(
        cli, ["import", "csv", str(DATA / "generic" / "deals.csv"), "--object", "deals", "--map", str(bad)]
    )
    assert result.exit_code == 2 and "Nope" in result.output
