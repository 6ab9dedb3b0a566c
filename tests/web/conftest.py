"""Browser fixtures: one headless Chromium and one live server on one demo database per test module.

Debian's /usr/bin/chromium is driven through Playwright's Python API (Playwright's own browser
download is not used). Screenshots go to tests/artifacts/.
"""

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from assistant.crm.settings import Settings
from tests import support
from tests.support.web import DESKTOP

CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    "--use-fake-ui-for-media-stream",
    "--use-fake-device-for-media-stream",
]


@pytest.fixture(scope="module")
def module_settings(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Settings]:
    with support.demo_copy(sqlite_template, tmp_path_factory.mktemp("web")) as settings:
        yield settings


@pytest.fixture(scope="module")
def live_url(module_settings: Settings) -> Iterator[str]:
    with support.served_app(module_settings) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with support.headless_chromium(CHROMIUM_ARGS) as launched:
        yield launched


@pytest.fixture
def new_page(browser: Any, live_url: str) -> Iterator[Callable[..., Any]]:
    """Opens a fresh browser context (no cookies) per call; all are closed after the test."""
    contexts: list[Any] = []

    def open_page(viewport: dict[str, int] = DESKTOP) -> Any:
        context = browser.new_context(viewport=viewport, base_url=live_url)
        context.set_default_timeout(60_000)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()
