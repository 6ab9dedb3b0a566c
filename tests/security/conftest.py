"""Security tests' browser fixture: Debian's Chromium through Playwright against a live app (like tests/web)."""

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from assistant.crm.db import engine_for
from assistant.crm.settings import Settings
from tests import support

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]  # fmt: skip


@pytest.fixture(scope="module")
def live_settings(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Settings]:
    directory = tmp_path_factory.mktemp("live")
    settings = Settings(database_url=support.copy_sqlite(sqlite_template, directory), data_dir=directory / "data")
    yield settings
    engine_for(settings.resolved_database_url).dispose()


@pytest.fixture(scope="module")
def live_url(live_settings: Settings) -> Iterator[str]:
    from adapters.web.app import create_app

    app = create_app(live_settings, clock=support.CLOCK)
    assert app.state.context.assistant is not None
    with support.live_server(app) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.skip(f"browser tests need Chromium at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()
