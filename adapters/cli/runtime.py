"""Shared CLI plumbing: settings, the database made ready (created and migrated when missing), a session."""

from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from sqlalchemy import inspect
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from adapters.cli.failures import CommandError
from assistant.crm.db import engine_for, session_factory, session_scope
from assistant.crm.migrate import upgrade
from assistant.crm.settings import Settings, get_settings

SQLITE_COMPANIONS = ("-wal", "-shm", "-journal")
"""files SQLite writes next to a database file"""


def settings() -> Settings:
    return get_settings()


def shown_url(config: Settings) -> str:
    """The database URL with any password hidden, for messages."""
    return make_url(config.resolved_database_url).render_as_string(hide_password=True)


def sqlite_file(config: Settings) -> Path | None:
    """The file of a file-backed SQLite database; None for other databases."""
    url = make_url(config.resolved_database_url)
    database = url.database or ""
    if url.get_backend_name() != "sqlite" or database in ("", ":memory:") or database.startswith("file:"):
        return None
    return Path(database)


def database_ready(config: Settings) -> bool:
    """Whether the database exists with Dealwise's schema; looking creates nothing."""
    path = sqlite_file(config)
    if path is not None and not path.is_file():
        return False
    with engine_for(config.resolved_database_url).connect() as connection:
        return inspect(connection).has_table("alembic_version")


def upgrade_database(config: Settings) -> None:
    """Create the database when it is missing and migrate it to the latest schema, as `dealwise serve` does.

    A SQLite file (and the directories) this call created are removed again when it fails, so a
    failure never leaves a half-made database behind for the next command to trip over.
    """
    path = sqlite_file(config)
    new_directories = [p for p in (path.parent, *path.parent.parents) if not p.exists()] if path else []
    new_file = path is not None and not path.exists()
    url = config.resolved_database_url
    try:
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
        upgrade(engine_for(url))
    except Exception as error:
        if new_file and path is not None:
            engine_for(url).dispose()
            for name in (path, *(path.with_name(path.name + suffix) for suffix in SQLITE_COMPANIONS)):
                with suppress(OSError):
                    name.unlink(missing_ok=True)
        for directory in new_directories:
            with suppress(OSError):
                directory.rmdir()
        reason = getattr(error, "orig", None) or error
        raise CommandError(
            f"could not create or migrate the database at {shown_url(config)}: {reason}; "
            "check DEALWISE_DATABASE_URL (or DEALWISE_DATA_DIR) and that the database is reachable and writable"
        ) from error


@contextmanager
def cli_session(config: Settings | None = None) -> Iterator[Session]:
    """A session on the database (created and migrated first when need be); commits when the block ends."""
    config = config or settings()
    upgrade_database(config)
    with session_scope(session_factory(config)) as session:
        yield session
