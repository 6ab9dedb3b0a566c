"""Fixtures for the import tests: the export files under data/, copied so a test may edit them."""

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from assistant.crm.clock import Clock
from assistant.crm.db import session_factory
from assistant.crm.settings import Settings
from ingest.imports import ImportReport, importing_user, read_export, run_import
from tests.support import NOW

DATA = Path(__file__).parent / "data"


@pytest.fixture
def export_dir(tmp_path: Path) -> Callable[[str], Path]:
    """A writable copy of data/<name>."""

    def copy(name: str) -> Path:
        target = tmp_path / "exports" / name
        shutil.copytree(DATA / name, target)
        return target

    return copy


@pytest.fixture
def sessions(settings: Settings) -> Iterator[Callable[[], Session]]:
    factory = session_factory(settings)
    yield factory


@pytest.fixture
def do_import(sessions: Callable[[], Session], settings: Settings) -> Callable[..., ImportReport]:
    """Import source from path as the first admin (or as_email); returns the report."""

    def run(
        source: str, path: Path, dry_run: bool = False, as_email: str | None = None, **options: object
    ) -> ImportReport:
        with sessions() as session:
            export = read_export(source, path, **options)  # type: ignore[arg-type]
            actor = importing_user(session, as_email)
            return run_import(session, export, actor, Clock.fixed(NOW), dry_run=dry_run)

    return run


def table_counts(session: Session) -> dict[str, int]:
    from assistant.crm.models import Account, Activity, AuditEntry, Contact, Deal, DealStageHistory, Lead

    models = (Account, Contact, Lead, Deal, DealStageHistory, Activity, AuditEntry)
    return {model.__tablename__: session.scalar(select(func.count()).select_from(model)) or 0 for model in models}
