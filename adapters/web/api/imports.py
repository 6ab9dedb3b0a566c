"""POST /api/imports (admin: a zip of Salesforce, HubSpot or mapped CSV files, and an optional mapping -> a job
id), GET /api/imports/{id}, GET /api/imports/duplicates (possible duplicates imports did not merge).

The exchange-rate routes (adapters.web.api.rates) are registered through ``rates_router``."""

import io
import logging
import shutil
import uuid
import zipfile
import zlib
from pathlib import Path, PurePosixPath
from typing import Annotated, Any, Literal

from fastapi import APIRouter, File, Form, HTTPException, UploadFile
from pydantic import BaseModel, ConfigDict
from sqlalchemy import select

from adapters.web.api.rates import router as rates_router
from adapters.web.context import Context, CurrentPrincipal, DbSession
from assistant.crm.errors import Forbidden, NotFound, ValidationFailed
from assistant.crm.models import Account, Contact, ImportRun, Lead, PossibleDuplicate
from assistant.crm.principal import Principal
from assistant.crm.schemas.common import Timestamp
from ingest.imports.mapping import load_mapping
from ingest.imports.queued import IMPORT_JOB, MAPPING_FILE, import_directory
from ingest.jobs import queue_for

router = APIRouter(prefix="/api/imports", tags=["imports"])
log = logging.getLogger(__name__)
MAX_UNZIPPED_FACTOR = 20
MAX_MAPPING_BYTES = 256 * 1024
__all__ = ["rates_router", "router"]


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
    created_at: Timestamp | None
    started_at: Timestamp | None
    finished_at: Timestamp | None


class PossibleDuplicatePublic(BaseModel):
    id: int
    entity_type: str
    record_id: int
    record_name: str
    other_id: int
    other_name: str
    matched_on: str
    source: str
    status: str
    found_at: Timestamp


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
        try:
            (target / name).write_bytes(archive.read(member))
        except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError) as error:
            raise ValidationFailed("file", f"{name} in the zip cannot be read: {error}") from error
        names.append(name)
    return names


@router.post("", status_code=202)
def start_import(
    file: Annotated[UploadFile, File(description="a .zip of the export's CSV files")],
    source: Annotated[Literal["salesforce", "hubspot", "csv"], Form()],
    db: DbSession,
    principal: CurrentPrincipal,
    context: Context,
    dry_run: Annotated[bool, Form()] = False,
    mapping: Annotated[UploadFile | None, File(description="a --map YAML file (required for csv)")] = None,
) -> ImportRunPublic:
    """Queue an import of a Salesforce or HubSpot export, or of CSV files a mapping describes (its `files:`);
    poll GET /api/imports/{id} for its report."""
    _require_admin(principal)
    limit = context.settings.max_upload_bytes
    data = file.file.read(limit + 1)
    if len(data) > limit:
        raise HTTPException(413, f"the upload is larger than {limit} bytes")
    mapping_text = mapping.file.read(MAX_MAPPING_BYTES + 1) if mapping is not None else None
    if mapping_text is not None and len(mapping_text) > MAX_MAPPING_BYTES:
        raise ValidationFailed("mapping", f"the mapping is larger than {MAX_MAPPING_BYTES} bytes")
    if source == "csv" and mapping_text is None:
        raise ValidationFailed("mapping", "a csv import needs a mapping file with a `files:` section")
    run_id = str(uuid.uuid4())
    directory = import_directory(context.settings, run_id)
    _extract(data, directory / "files", limit * MAX_UNZIPPED_FACTOR)
    if mapping_text is not None:
        _check_mapping(mapping_text, directory / MAPPING_FILE)
    run = ImportRun(id=run_id, source=source, dry_run=dry_run, created_by_id=principal.user_id)
    db.add(run)
    queue_for(context.settings, context.sessions, context.clock).create(
        db, IMPORT_JOB, {"run_id": run_id}, principal.user_id
    )
    db.commit()
    return ImportRunPublic.model_validate(run)


def _check_mapping(text: bytes, path: Path) -> None:
    path.write_bytes(text)
    try:
        load_mapping(path)
    except ValueError as error:
        shutil.rmtree(path.parent, ignore_errors=True)
        raise ValidationFailed("mapping", str(error)) from error


@router.get("/duplicates")
def possible_duplicates(
    db: DbSession, principal: CurrentPrincipal, status: Literal["open", "merged", "dismissed"] = "open"
) -> list[PossibleDuplicatePublic]:
    """Pairs of records imports kept apart although they look alike (their source ids differ): for an admin."""
    _require_admin(principal)
    rows = db.scalars(
        select(PossibleDuplicate).where(PossibleDuplicate.status == status).order_by(PossibleDuplicate.id)
    )
    models = {"account": Account, "contact": Contact, "lead": Lead}
    result = []
    for row in rows:
        model = models[row.entity_type]
        record, other = db.get(model, row.record_id), db.get(model, row.other_id)
        result.append(
            PossibleDuplicatePublic(
                id=row.id, entity_type=row.entity_type, record_id=row.record_id, other_id=row.other_id,
                record_name=record.name if record else "(deleted)", other_name=other.name if other else "(deleted)",
                matched_on=row.matched_on, source=row.source, status=row.status, found_at=row.found_at,
            )
        )  # fmt: skip
    return result


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
