"""Entry points: read an export, import it as a user, commit or roll back, hand new text to the search index."""

import importlib
import importlib.util
import logging
from pathlib import Path
from time import perf_counter

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from assistant.crm.clock import Clock
from assistant.crm.errors import ValidationFailed
from assistant.crm.models import Role, User
from assistant.crm.settings import Settings
from ingest.imports import generic, hubspot, salesforce
from ingest.imports.engine import Importer, Progress
from ingest.imports.records import Export
from ingest.imports.report import ImportReport

SOURCES = ("salesforce", "hubspot", "csv")
log = logging.getLogger(__name__)


def read_export(source: str, path: Path, object_kind: str | None = None, mapping: Path | None = None) -> Export:
    """The rows of a Salesforce or HubSpot export directory, or of one CSV file with a mapping file."""
    if source == "salesforce":
        return salesforce.read_export(path)
    if source == "hubspot":
        return hubspot.read_export(path)
    if source == "csv":
        if object_kind is None or mapping is None:
            raise ValueError("a generic CSV import needs --object and --map")
        return generic.read_file(path, object_kind, generic.load_mapping(mapping))
    raise ValueError(f"unknown source {source!r}: use one of {', '.join(SOURCES)}")


def importing_user(session: Session, email: str | None) -> User:
    """The user an import runs as: EMAIL, or the first admin."""
    if email:
        user = session.scalars(select(User).where(func.lower(User.email) == email.strip().lower())).first()
        if user is None:
            raise ValidationFailed("as", f"no user with email {email}")
        return user
    admin = session.scalars(select(User).where(User.role == Role.admin.value).order_by(User.id)).first()
    if admin is None:
        raise ValidationFailed("as", "no admin user exists; create one or name a user with --as")
    return admin


def run_import(
    session: Session,
    export: Export,
    actor: User,
    clock: Clock | None = None,
    *,
    dry_run: bool = False,
    settings: Settings | None = None,
    progress: Progress | None = None,
) -> ImportReport:
    """Import everything in export; a dry run rolls the transaction back, a real one commits it."""
    started = perf_counter()
    importer = Importer(session, export, actor, (clock or Clock()).now(), progress)
    try:
        report = importer.run()
    except BaseException:
        session.rollback()
        raise
    report.dry_run = dry_run
    if dry_run:
        session.rollback()
    else:
        session.commit()
        activity_ids = sorted({target.id for target in importer.activity_ids if target.id is not None})
        if activity_ids and settings is not None and index_records(settings, activity_ids):
            report.notes.append(f"{len(activity_ids)} activities sent to the search index")
    report.seconds = perf_counter() - started
    return report


def index_records(settings: Settings, activity_ids: list[int]) -> bool:
    """Call ingest.indexing.index_records(settings, record_ids) when that module provides it."""
    try:
        spec = importlib.util.find_spec("ingest.indexing")
    except (ImportError, ValueError):
        return False
    if spec is None:
        return False
    hook = getattr(importlib.import_module("ingest.indexing"), "index_records", None)
    if not callable(hook):
        return False
    try:
        hook(settings, activity_ids)
    except Exception:
        log.exception("indexing imported activities failed; the import itself is committed")
        return False
    return True
