"""Fixtures for the import tests: the export files under data/ (copied so a test may edit them), generated exports,
and a database with nothing in it but the schema and one admin: no demo data, no pipeline."""

import shutil
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from assistant.crm.clock import Clock
from assistant.crm.db import engine_for, session_factory
from assistant.crm.migrate import upgrade
from assistant.crm.models import Role, User
from assistant.crm.settings import Settings
from ingest.imports import ImportReport, importing_user, read_export, run_import
from tests import support
from tests.imports.export_salesforce import ADMIN_EMAIL
from tests.support import NOW
from tests.support.imports import DATA


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


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def empty_settings(
    request: pytest.FixtureRequest, tmp_path: Path, settings_for: Callable[..., Settings]
) -> Iterator[Settings]:
    """A fresh database with the schema and one admin, on SQLite and on PostgreSQL."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'empty.db'}"
    else:
        if not support.postgres_available():
            pytest.skip("PostgreSQL is not reachable on 127.0.0.1:5432")
        name = f"dealwise_empty_{uuid.uuid4().hex[:10]}"
        support._pg_admin(f"CREATE DATABASE {name}")
        url = support._pg_url(name)
    upgrade(engine_for(url))
    config = settings_for(url)
    with session_factory(config)() as session:
        session.add(User(email=ADMIN_EMAIL, name="Admin Andina", role=Role.admin.value))
        session.commit()
    yield config
    engine_for(url).dispose()
    if request.param == "postgres":
        support.drop_pg(url)


@pytest.fixture
def import_into(empty_settings: Settings) -> Callable[..., ImportReport]:
    """import_into(source, path, mapping=None, dry_run=False, index=False): an import into the empty database."""

    def run(source: str, path: Path, mapping: Path | None = None, dry_run: bool = False, index: bool = False,
            object_kind: str | None = None) -> ImportReport:  # fmt: skip
        with session_factory(empty_settings)() as session:
            export = read_export(source, path, object_kind, mapping)
            actor = importing_user(session, None)
            config = empty_settings if index else None
            return run_import(session, export, actor, Clock.fixed(NOW), dry_run=dry_run, settings=config)

    return run
