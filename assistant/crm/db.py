"""Engine and session factory for SQLite (default) or PostgreSQL."""

from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.orm import Session, sessionmaker

from assistant.crm.changes import record_flush
from assistant.crm.settings import Settings

event.listen(Session, "after_flush", record_flush)
"""every ORM write to a named record is logged for the name indexes of every worker (assistant.crm.changes)"""


def _sqlite_pragmas(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20)


def refresh_statistics(session: Session) -> None:
    """ANALYZE after a bulk load (the demo set, an import): SQLite keeps no table statistics until asked, and
    PostgreSQL's autovacuum gets to new tables late, so until then the planner guesses which index to use."""
    session.execute(text("ANALYZE"))


@lru_cache(maxsize=8)
def engine_for(url: str) -> Engine:
    return make_engine(url)


def session_factory(settings: Settings) -> sessionmaker[Session]:
    if settings.resolved_database_url.startswith("sqlite:///"):
        settings.ensure_data_dir()
    return sessionmaker(engine_for(settings.resolved_database_url), expire_on_commit=False)


@contextmanager
def session_scope(factory: sessionmaker[Session]) -> Iterator[Session]:
    session = factory()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
