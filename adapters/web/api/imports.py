"""POST /api/imports (admin: a zip of Salesforce or HubSpot CSV files -> a job id), GET /api/imports/{id}."""

import io
import logging
import uuid
import zipfile
from datetime import datetime
from pathlib import Path, PurePosixPath
from typing import Annotated, Any, Literal

from fastapi import APIRouter, File, Form, HTTPException, UploadFile
from pydantic import BaseModel, ConfigDict
from sqlalchemy import select

from adapters.web.context import Context, CurrentPrincipal, DbSession
from assistant.crm.errors import Forbidden, NotFound, ValidationFailed
from assistant.crm.models import ImportRun
from assistant.crm.principal import Principal
from ingest.imports.queued import IMPORT_JOB, import_directory
from ingest.jobs import queue_for

router = APIRouter(prefix="/api/imports", tags=["imports"])
log = logging.getLogger(__name__)
MAX_UNZIPPED_FACTOR = 20


class ImportRunPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    source: str
    status: str
    """queued, running, done or failed"""
    dry_run: bool
    counts: dict[str, Any]
    rejected: list[dict[str, Any]]
    warnings: list[dict[str, Any]]
    error: str | None
    created_by_id: int
    created_at: datetime | None
    started_at: datetime | None
    finished_at: datetime | None


def _require_admin(principal: Principal) -> None:
    if not principal.is_admin:
        raise Forbidden("only admins import data")


def _extract(data: bytes, target: Path, limit: int) -> list[str]:
    """The CSV files of the zip, flattened into target; anything else in it is ignored."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as error:
        raise ValidationFailed("file", "not a zip file: upload a .zip of the export's CSV files") from error
    members = [m for m in archive.infolist() if not m.is_dir() and PurePosixPath(m.filename).suffix.lower() == ".csv"]
    if not members:
        raise ValidationFailed("file", "the zip holds no .csv files")
    if sum(member.file_size for member in members) > limit:
        raise ValidationFailed("file", f"the zip unpacks to more than {limit} bytes")
    target.mkdir(parents=True, exist_ok=True)
    names = []
    for member in members:
        name = PurePosixPath(member.filename).name
        if name.startswith("."):
            continue
        (target / name).write_bytes(archive.read(member))
        names.append(name)
    return names


@router.post("", status_code=202)
def start_import(
    file: Annotated[UploadFile, File(description="a .zip of the export's CSV files")],
    source: Annotated[Literal["salesforce", "hubspot"], Form()],
    db: DbSession,
    principal: CurrentPrincipal,
    context: Context,
    dry_run: Annotated[bool, Form()] = False,
) -> ImportRunPublic:
    """Queue an import of a Salesforce or HubSpot export; poll GET /api/imports/{id} for its report."""
    _require_admin(principal)
    limit = context.settings.max_upload_bytes
    data = file.file.read(limit + 1)
    if len(data) > limit:
        raise HTTPException(413, f"the upload is larger than {limit} bytes")
    run_id = str(uuid.uuid4())
    _extract(data, import_directory(context.settings, run_id) / "files", limit * MAX_UNZIPPED_FACTOR)
    run = ImportRun(id=run_id, source=source, dry_run=dry_run, created_by_id=principal.user_id)
    db.add(run)
    queue_for(context.settings, context.sessions, context.clock).create(
        db, IMPORT_JOB, {"run_id": run_id}, principal.user_id
    )
    db.commit()
    return ImportRunPublic.model_validate(run)


@router.get("")
def list_imports(db: DbSession, principal: CurrentPrincipal) -> list[ImportRunPublic]:
    _require_admin(principal)
    runs = db.scalars(select(ImportRun).order_by(ImportRun.created_at.desc()).limit(50)).all()
    return [ImportRunPublic.model_validate(run) for run in runs]


@router.get("/{run_id}")
def get_import(run_id: str, db: DbSession, principal: CurrentPrincipal) -> ImportRunPublic:
    _require_admin(principal)
    run = db.get(ImportRun, run_id)
    if run is None:
        raise NotFound("import", run_id)
    return ImportRunPublic.model_validate(run)
