"""Test plumbing: demo databases on SQLite and PostgreSQL, a fixed clock, principals, a live server."""

import json
import os
import shutil
import socket
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from sqlalchemy import create_engine, select, text
from sqlalchemy.orm import Session

from assistant.crm.clock import Clock
from assistant.crm.db import engine_for, session_factory
from assistant.crm.models import Channel, User
from assistant.crm.principal import Principal, principal_for
from assistant.crm.security import issue_login_token, issue_token
from assistant.crm.settings import Settings
from ingest.demo import load_demo_database

ALICE = "rita.lopez@dealwise.demo"
BOB = "erin.chen@dealwise.demo"
WEST_MANAGER = "maya.patel@dealwise.demo"
EAST_MANAGER = "david.kim@dealwise.demo"
ADMIN = "alex.admin@dealwise.demo"
TODAY = date(2026, 11, 20)
NOW = datetime(2026, 11, 20, 9, 0)
CLOCK = Clock.fixed(NOW)
SEED = 7
CHROMIUM = Path("/usr/bin/chromium")
PG_ADMIN_URL = os.environ.get("DEALWISE_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")


def postgres_available() -> bool:
    try:
        engine = create_engine(PG_ADMIN_URL, connect_args={"connect_timeout": 2})
        with engine.connect():
            pass
        engine.dispose()
        return True
    except Exception:
        return False


def build_sqlite_template(directory: Path, size: str = "small") -> Path:
    path = directory / f"template-{size}.db"
    load_demo_database(f"sqlite:///{path}", size=size, seed=SEED, today=TODAY)  # type: ignore[arg-type]
    return path


def copy_sqlite(template: Path, directory: Path) -> str:
    target = directory / f"db-{uuid.uuid4().hex[:8]}.db"
    shutil.copyfile(template, target)
    return f"sqlite:///{target}"


def _pg_url(database: str) -> str:
    return PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{database}"


def _pg_admin(statement: str) -> None:
    engine = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(statement))
    engine.dispose()


def build_pg_template(size: str = "small") -> str:
    name = f"dealwise_tpl_{size}_{os.getpid()}"
    _pg_admin(f"DROP DATABASE IF EXISTS {name}")
    _pg_admin(f"CREATE DATABASE {name}")
    load_demo_database(_pg_url(name), size=size, seed=SEED, today=TODAY)  # type: ignore[arg-type]
    return name


def copy_pg(template: str) -> str:
    name = f"dealwise_t_{uuid.uuid4().hex[:10]}"
    _pg_admin(f"CREATE DATABASE {name} TEMPLATE {template}")
    return _pg_url(name)


def drop_pg(url: str) -> None:
    from assistant.crm.db import engine_for

    engine_for.cache_clear()
    _pg_admin(f"DROP DATABASE IF EXISTS {url.rsplit('/', 1)[1]} WITH (FORCE)")


def principal(session: Session, email: str, channel: Channel = Channel.api) -> Principal:
    user = session.scalars(select(User).where(User.email == email)).one()
    return principal_for(session, user, channel)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def live_server(app: object) -> Iterator[str]:
    """Serve an ASGI app with uvicorn on a free loopback port for the duration of the block."""
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))  # type: ignore[arg-type]
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.time() + 20
    while not server.started:
        if time.time() > deadline:
            raise RuntimeError("the test server did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@contextmanager
def demo_copy(template: Path, directory: Path) -> Iterator[Settings]:
    """Settings on a fresh copy of the demo database in ``directory``; its engine is disposed afterwards."""
    settings = Settings(database_url=copy_sqlite(template, directory), data_dir=directory / "data")
    try:
        yield settings
    finally:
        engine_for(settings.resolved_database_url).dispose()


@contextmanager
def served_app(settings: Settings) -> Iterator[str]:
    """The app on a live server, its assistant built first (the first question does not wait on models)."""
    from adapters.web.app import create_app

    app = create_app(settings, clock=CLOCK)
    assert app.state.context.assistant is not None
    with live_server(app) as url:
        yield url


@contextmanager
def headless_chromium(args: list[str]) -> Iterator[Any]:
    """Debian's /usr/bin/chromium driven through Playwright's Python API; the test skips when it is missing."""
    if not CHROMIUM.exists():
        pytest.skip(f"browser tests need Chromium at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=args)
        try:
            yield launched
        finally:
            launched.close()


def wait_for(check: Callable[[], bool], timeout_s: float = 60.0) -> None:
    """Poll until ``check()`` holds; a generous bound only guards against a hang."""
    deadline = time.monotonic() + timeout_s
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        time.sleep(0.1)


def sse_events(body: str) -> list[tuple[str, Any]]:
    """The (event name, decoded JSON data) pairs of a text/event-stream body."""
    events = []
    for block in body.strip().split("\n\n"):
        name, data = block.split("\n", 1)
        events.append((name.removeprefix("event: "), json.loads(data.removeprefix("data: "))))
    return events


def auth(token: str) -> dict[str, str]:
    """Request headers carrying an API token."""
    return {"Authorization": f"Bearer {token}"}


def tokens_for(settings: Settings) -> dict[str, str]:
    with session_factory(settings)() as session:
        tokens = {user.email: issue_token(session, user) for user in session.scalars(select(User))}
        session.commit()
    return tokens


def login_token_for(settings: Settings, email: str) -> str:
    """A fresh single-use sign-in token for /login/token?t=… (API tokens are refused there)."""
    with session_factory(settings)() as session:
        user = session.scalars(select(User).where(User.email == email)).one()
        token = issue_login_token(session, user, timedelta(minutes=15))
        session.commit()
    return token
