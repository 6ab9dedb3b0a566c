"""Shared CLI plumbing: settings, a session, the database made ready."""

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.orm import Session

from assistant.crm.db import engine_for, session_factory, session_scope
from assistant.crm.migrate import upgrade
from assistant.crm.settings import Settings, get_settings


def settings() -> Settings:
    return get_settings()


def upgrade_database(config: Settings) -> None:
    if config.resolved_database_url.startswith("sqlite:///"):
        config.ensure_data_dir()
    upgrade(engine_for(config.resolved_database_url))


@contextmanager
def cli_session(config: Settings | None = None) -> Iterator[Session]:
    with session_scope(session_factory(config or settings())) as session:
        yield session
