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
from assistant.crm.models import AuditEntry, Contact, Deal, ImportRun, User
from assistant.crm.settings import Settings, get_settings
from ingest.jobs import forget_queue
from tests.imports.export_maven import write_maven
from tests.support import ADMIN, ALICE, wait_for
from tests.support.imports import DATA, table_counts


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
    assert body["counts"]["per_kind"]["contact"]["created"] == 5
    assert body["counts"]["totals"]["rejected"] == 5
    assert {"file": "Contact.csv", "line": 6, "field": "LastName"}.items() <= body["rejected"][1].items()
    assert db.scalar(select(func.count()).select_from(Contact).where(Contact.external_source == "salesforce")) == 5
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
    assert body["status"] == "done" and body["counts"]["per_kind"]["contact"]["created"] == 5
    assert db.scalar(select(func.count()).select_from(Contact).where(Contact.external_source == "salesforce")) == 5


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
    assert "dry run: nothing written" in dry.output and "contact: 5 would be created" in dry.output
    assert table_counts(db) == before

    result = runner.invoke(
        cli, ["import", "salesforce", str(DATA / "salesforce"), "--as", ALICE, "--report", str(tmp_path / "r")]
    )
    assert result.exit_code == 0, result.output
    assert "rejected Contact.csv:6 LastName" in result.output
    report = json.loads((tmp_path / "r" / "report.json").read_text())
    assert report["counts"]["contact"]["merged"] == 2
    assert (tmp_path / "r" / "rejected.csv").read_text().startswith("file,line,field,reason")
    db.expire_all()
    merges = db.scalars(select(AuditEntry).where(AuditEntry.action == "merge")).all()
    alice = db.scalars(select(User.id).where(User.email == ALICE)).one()
    assert len(merges) == 5 and {merge.actor_id for merge in merges} == {alice}


def test_cli_csv_needs_a_valid_mapping(cli_env: None, tmp_path: Path) -> None:
    bad = tmp_path / "map.yaml"
    bad.write_text("columns:\n  name: Nope\n")
    result = CliRunner().invoke(
        cli, ["import", "csv", str(DATA / "generic" / "deals.csv"), "--object", "deals", "--map", str(bad)]
    )
    assert result.exit_code == 2 and "Nope" in result.output


def test_admin_uploads_csv_files_with_a_mapping(
    client: TestClient, api_tokens: dict[str, str], db: Session, tmp_path: Path
) -> None:
    write_maven(tmp_path / "maven")
    mapping = (tmp_path / "maven" / "maven.yaml").read_text().replace("admin@andina.example", ADMIN)
    (tmp_path / "maven" / "maven.yaml").unlink()
    headers = {"Authorization": f"Bearer {api_tokens[ADMIN]}"}
    files = {
        "file": ("maven.zip", _zip(tmp_path / "maven"), "application/zip"),
        "mapping": ("maven.yaml", mapping.encode(), "application/yaml"),
    }
    response = client.post("/api/imports", files=files, data={"source": "csv"}, headers=headers)
    assert response.status_code == 202, response.text
    body = finished(client, response.json()["id"], headers)
    assert body["status"] == "done", body
    assert body["counts"]["per_kind"]["deal"]["created"] == 3 and body["counts"]["per_kind"]["deal"]["rejected"] == 1
    assert db.scalars(select(Deal).where(Deal.external_source == "maven", Deal.external_id == "1C1I7A6R")).one()


def test_a_bad_mapping_is_refused_before_anything_is_queued(
    client: TestClient, api_tokens: dict[str, str], db: Session
) -> None:
    headers = {"Authorization": f"Bearer {api_tokens[ADMIN]}"}
    before = db.scalar(select(func.count()).select_from(ImportRun))
    files = {
        "file": ("export.zip", _zip(DATA / "salesforce"), "application/zip"),
        "mapping": ("map.yaml", b"stages:\n  Demo: {won: maybe}\n", "application/yaml"),
    }
    response = client.post("/api/imports", files=files, data={"source": "salesforce"}, headers=headers)
    assert response.status_code == 422 and "stages.Demo" in response.text
    no_mapping = client.post("/api/imports", files={"file": files["file"]}, data={"source": "csv"}, headers=headers)
    assert no_mapping.status_code == 422 and "mapping" in no_mapping.text
    assert db.scalar(select(func.count()).select_from(ImportRun)) == before


def test_admins_list_the_possible_duplicates_an_import_kept_apart(
    client: TestClient, api_tokens: dict[str, str], do_import
) -> None:  # type: ignore[no-untyped-def]
    do_import("salesforce", DATA / "salesforce")
    response = client.get("/api/imports/duplicates", headers={"Authorization": f"Bearer {api_tokens[ADMIN]}"})
    assert response.status_code == 200
    pairs = {(row["record_name"], row["other_name"], row["matched_on"]) for row in response.json()}
    assert ("NORTHWIND TRADERS", "Northwind Traders Inc.", "name") in pairs and len(pairs) == 3
    rep = client.get("/api/imports/duplicates", headers={"Authorization": f"Bearer {api_tokens[ALICE]}"})
    assert rep.status_code == 403


def test_cli_imports_with_a_mapping_and_prints_the_summary(cli_env: None, tmp_path: Path) -> None:
    write_maven(tmp_path / "maven")
    mapping = tmp_path / "maven" / "maven.yaml"
    mapping.write_text(mapping.read_text().replace("admin@andina.example", ADMIN))
    result = CliRunner().invoke(cli, ["import", "csv", str(tmp_path / "maven"), "--map", str(mapping)])
    assert result.exit_code == 0, result.output
    assert "  deal: 3 created, 0 updated, 0 unchanged, 0 merged, 1 kept with warnings, 1 rejected" in result.output
    assert "      rejected: account: required, but empty in the export  (1 row)" in result.output
    assert "note: created 3 stage(s): Engaging (open, 40%, pipeline) in Sales;" in result.output
