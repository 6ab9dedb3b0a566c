"""Entry points: read an export, import it as a user, commit or roll back, hand new text to the search index."""

import logging
from collections.abc import Callable
from pathlib import Path
from time import perf_counter

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from assistant.crm.clock import Clock
from assistant.crm.db import refresh_statistics
from assistant.crm.errors import ValidationFailed
from assistant.crm.models import Role, User
from assistant.crm.settings import Settings
from ingest.imports import generic, hubspot, salesforce
from ingest.imports.engine import Importer, Progress
from ingest.imports.mapping import load_mapping
from ingest.imports.records import Export
from ingest.imports.report import ImportReport

SOURCES = ("salesforce", "hubspot", "csv")
log = logging.getLogger(__name__)


def read_export(source: str, path: Path, object_kind: str | None = None, mapping: Path | None = None) -> Export:
    """The rows of a Salesforce or HubSpot export directory, or of CSV files described by a mapping file;
    every source takes the mapping file (ingest/imports/mapping.py)."""
    if source not in SOURCES:
        raise ValueError(f"unknown source {source!r}: use one of {', '.join(SOURCES)}")
    settings = load_mapping(mapping)
    if source == "salesforce":
        return salesforce.read_export(path, settings)
    if source == "hubspot":
        return hubspot.read_export(path, settings)
    if mapping is None:
        raise ValueError("a generic CSV import needs --map (and --object for a single file)")
    return generic.read_export(path, object_kind, settings)


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
    index_progress: Callable[[int, int], None] | None = None,
) -> ImportReport:
    """Import everything in export; a dry run rolls the transaction back, a real one commits it and, with
    settings, indexes the new and changed activities for search."""
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
        refresh_statistics(session)
        session.commit()
        created = sorted({t.id for t in importer.activities if t.id is not None and t.created_now})
        updated = sorted({t.id for t in importer.activities if t.id is not None and not t.created_now})
        if (created or updated) and settings is not None:
            _index(settings, created, updated, report, index_progress)
    report.seconds = perf_counter() - started
    return report


def _index(
    settings: Settings,
    created: list[int],
    updated: list[int],
    report: ImportReport,
    progress: Callable[[int, int], None] | None,
) -> None:
    """Make the imported activities searchable now, in batches; a failure leaves the import committed."""
    from ingest.indexing import index_imported  # heavy (Chroma, onnxruntime: seconds): only when there is text

    try:
        chunks = index_imported(settings, created, updated, progress=progress)
    except Exception:
        log.exception("indexing imported activities failed; the import itself is committed")
        report.notes.append("the search index could not be updated; run `dealwise index rebuild`")
        return
    report.notes.append(f"{len(created) + len(updated)} activities indexed for search ({chunks} text chunks)")
