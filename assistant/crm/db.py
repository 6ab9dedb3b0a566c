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
    if session.get_bind().dialect.name == "sqlite":
        _forget_null_statistics(session)


def _forget_null_statistics(session: Session) -> None:
    """SQLite counts NULLs as keys: an index on a column that is NULL on most rows (activities.lead_id) gets "each key
    holds thousands of rows", so the planner walks another index for each lead instead of looking the lead up. Such a
    statistic says nothing about looking up a real value; without it SQLite assumes an equality is selective."""
    single = [
        (table, index)
        for table, index, stat in session.execute(text("SELECT tbl, idx, stat FROM sqlite_stat1 WHERE idx IS NOT NULL"))
        if len(str(stat).split()) == 2
    ]
    useless = []
    for table, index in single:
        columns = [row[2] for row in session.execute(text(f'PRAGMA index_info("{index}")'))]
        if len(columns) != 1 or columns[0] is None:
            continue
        rows, filled = session.execute(text(f'SELECT count(*), count("{columns[0]}") FROM "{table}"')).one()
        if rows and filled * 2 < rows:
            useless.append(index)
    for index in useless:
        session.execute(text("DELETE FROM sqlite_stat1 WHERE idx = :i"), {"i": index})
    if useless:
        session.execute(text("ANALYZE sqlite_schema"))


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
