from collections.abc import Callable, Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from assistant.crm.db import engine_for
from assistant.crm.settings import Settings
from tests.support import tokens_for


@pytest.fixture
def both_settings(any_db_url: str, settings_for: Callable[..., Settings]) -> Settings:
    return settings_for(any_db_url)


@pytest.fixture
def both_client(both_settings: Settings, make_app: Callable[[Settings], FastAPI]) -> Iterator[TestClient]:
    with TestClient(make_app(both_settings)) as test_client:
        yield test_client
    engine_for(both_settings.resolved_database_url).dispose()


@pytest.fixture
def both_tokens(both_settings: Settings) -> dict[str, str]:
    return tokens_for(both_settings)
