"""Security tests' browser fixture: Debian's Chromium through Playwright against a live app (like tests/web)."""

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from assistant.crm.settings import Settings
from tests import support

CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]  # fmt: skip


@pytest.fixture(scope="module")
def live_settings(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Settings]:
    with support.demo_copy(sqlite_template, tmp_path_factory.mktemp("live")) as settings:
        yield settings


@pytest.fixture(scope="module")
def live_url(live_settings: Settings) -> Iterator[str]:
    with support.served_app(live_settings) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with support.headless_chromium(CHROMIUM_ARGS) as launched:
        yield launched
