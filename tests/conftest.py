"""Fixtures shared by every test package.

`db_url` is a fresh copy of the small demo database (seed 7, today = 2026-11-20), on SQLite and,
when the `backend` parameter asks for it, on PostgreSQL. Tests that want both backends use
`any_db_url`. Apps built by `make_app` run on a fixed clock so answers are reproducible.
"""

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from assistant.agent.brains.factory import make_assistant
from assistant.agent.conversation import Assistant
from assistant.crm.db import engine_for, session_factory
from assistant.crm.settings import Settings
from ingest.embeddings import LocalEmbedder
from tests import support


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return support.build_sqlite_template(tmp_path_factory.mktemp("templates"))


@pytest.fixture(scope="session")
def pg_template() -> Iterator[str]:
    if not support.postgres_available():
        if os.environ.get("CI"):
            pytest.fail("PostgreSQL is not reachable on 127.0.0.1:5432 in CI")
        pytest.skip("PostgreSQL is not reachable on 127.0.0.1:5432")
    name = support.build_pg_template()
    yield name
    support._pg_admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture
def db_url(sqlite_template: Path, tmp_path: Path) -> str:
    return support.copy_sqlite(sqlite_template, tmp_path)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def any_db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield support.copy_sqlite(request.getfixturevalue("sqlite_template"), tmp_path)
        return
    url = support.copy_pg(request.getfixturevalue("pg_template"))
    yield url
    support.drop_pg(url)


@pytest.fixture
def settings_for(tmp_path: Path) -> Callable[[str], Settings]:
    def build(url: str, **overrides: object) -> Settings:
        return Settings(database_url=url, data_dir=tmp_path / "data", **overrides)  # type: ignore[arg-type]

    return build


@pytest.fixture
def settings(db_url: str, settings_for: Callable[..., Settings]) -> Settings:
    return settings_for(db_url)


@pytest.fixture
def db(settings: Settings) -> Iterator[Session]:
    session = session_factory(settings)()
    yield session
    session.close()


@pytest.fixture
def make_app() -> Callable[[Settings], FastAPI]:
    from adapters.web.app import create_app

    return lambda config: create_app(config, clock=support.CLOCK)


@pytest.fixture
def api_tokens(settings: Settings) -> dict[str, str]:
    """A fresh API token for every demo user, by email."""
    return support.tokens_for(settings)


@pytest.fixture
def client(settings: Settings, make_app: Callable[[Settings], FastAPI]) -> Iterator[TestClient]:
    with TestClient(make_app(settings)) as test_client:
        yield test_client
    engine_for(settings.resolved_database_url).dispose()


@pytest.fixture(scope="session")
def embedder() -> LocalEmbedder:
    """The real ONNX embedder, loaded once per test session."""
    return LocalEmbedder()


@pytest.fixture
def assistant(settings: Settings, embedder: LocalEmbedder) -> Iterator[Assistant]:
    """An offline Assistant on the small demo data."""
    yield make_assistant(settings, session_factory(settings), support.CLOCK, embedder=embedder)
    engine_for(settings.resolved_database_url).dispose()
