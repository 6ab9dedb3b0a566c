"""Every risk test starts without fitted models from earlier tests."""

from collections.abc import Iterator

import pytest

from assistant.risk.cache import clear_risk_cache


@pytest.fixture(autouse=True)
def _fresh_risk_cache() -> Iterator[None]:
    clear_risk_cache()
    yield
    clear_risk_cache()
