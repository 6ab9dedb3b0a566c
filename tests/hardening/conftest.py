"""A demo database and app shared by a module's tests, fresh records per case, and requests as a demo user.

The write-rule matrix runs many cases against one app: each case builds its own records
(``records_of``) so no case sees another's changes.
"""

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from adapters.web.app import create_app
from assistant.crm.db import engine_for, session_factory
from assistant.crm.deps import Deps
from assistant.crm.models import Channel
from assistant.crm.settings import Settings
from tests import support
from tests.support.hardening import Records, make_records


@pytest.fixture(scope="module")
def shared_settings(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Settings]:
    directory = tmp_path_factory.mktemp("hardening")
    url = support.copy_sqlite(sqlite_template, directory)
    yield Settings(database_url=url, data_dir=directory / "data", run_worker=False)  # type: ignore[call-arg]
    engine_for(url).dispose()


@pytest.fixture(scope="module")
def shared_client(shared_settings: Settings) -> Iterator[TestClient]:
    app: FastAPI = create_app(shared_settings, clock=support.CLOCK)
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client


@pytest.fixture(scope="module")
def shared_tokens(shared_settings: Settings) -> dict[str, str]:
    return support.tokens_for(shared_settings)


@pytest.fixture
def records_of(shared_settings: Settings) -> Callable[[str], Records]:
    return lambda email: make_records(shared_settings, email)


@pytest.fixture
def shared_db(shared_settings: Settings) -> Iterator[Session]:
    session = session_factory(shared_settings)()
    yield session
    session.close()


@pytest.fixture
def deps_as(shared_db: Session, shared_settings: Settings) -> Callable[[str], Deps]:
    """Deps for a demo user, as a chat turn gets them (the proposal path of every channel)."""

    def build(email: str) -> Deps:
        principal = support.principal(shared_db, email, Channel.web)
        return Deps(principal=principal, session=shared_db, clock=support.CLOCK, settings=shared_settings)

    return build


@pytest.fixture
def both_settings(any_db_url: str, settings_for: Callable[..., Settings]) -> Settings:
    """A fresh demo database on SQLite and on PostgreSQL."""
    return settings_for(any_db_url, run_worker=False)


@pytest.fixture
def both_client(both_settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(both_settings, clock=support.CLOCK), raise_server_exceptions=False) as client:
        yield client
    engine_for(both_settings.resolved_database_url).dispose()


@pytest.fixture
def both_tokens(both_settings: Settings) -> dict[str, str]:
    return support.tokens_for(both_settings)
