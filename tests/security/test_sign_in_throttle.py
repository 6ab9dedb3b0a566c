"""Password sign-in is throttled per account and per client address (issue 14, finding 6)."""

import re
import time
from collections.abc import Callable, Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from assistant.crm.db import engine_for
from assistant.crm.settings import Settings
from tests.support import ALICE, BOB, EAST_MANAGER, WEST_MANAGER

PASSWORD = "dealwise-demo"


@pytest.fixture
def throttled(
    db_url: str, settings_for: Callable[..., Settings], make_app: Callable[[Settings], FastAPI]
) -> Iterator[Callable[..., TestClient]]:
    """A client for an app with the given sign-in limits (a short window, so a test can wait it out)."""
    clients: list[TestClient] = []

    def build(**limits: int) -> TestClient:
        settings = settings_for(db_url, **limits)
        client = TestClient(make_app(settings)).__enter__()
        clients.append(client)
        return client

    yield build
    for client in clients:
        client.__exit__(None, None, None)
    engine_for(db_url).dispose()


def attempt(client: TestClient, email: str, password: str):
    form = client.get("/login")
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', form.text)
    assert csrf, form.text[:500]
    return client.post(
        "/login",
        data={"email": email, "password": password, "csrf_token": csrf.group(1), "next": "/chat"},
        follow_redirects=False,
    )


def test_forty_wrong_passwords_then_the_right_one_waits_for_the_window(throttled: Callable[..., TestClient]):
    client = throttled(signin_failures_per_account=10, signin_window_s=6)
    statuses = [attempt(client, ALICE, f"wrong-{n}").status_code for n in range(40)]
    assert statuses[:10] == [401] * 10 and set(statuses[10:]) == {429}

    refused = attempt(client, ALICE, PASSWORD)
    assert refused.status_code == 429 and "dw_session" not in client.cookies
    wait = int(refused.headers["Retry-After"])
    assert 1 <= wait <= 6 and "Too many failed sign-ins" in refused.text
    assert attempt(client, BOB, PASSWORD).status_code == 303, "another account from the same address still signs in"
    client.cookies.clear()

    time.sleep(wait + 0.5)
    assert attempt(client, ALICE, PASSWORD).status_code == 303


def test_failures_across_accounts_from_one_address_are_limited(throttled: Callable[..., TestClient]):
    client = throttled(signin_failures_per_address=4, signin_failures_per_account=100, signin_window_s=60)
    for email in (ALICE, BOB, WEST_MANAGER, EAST_MANAGER):
        assert attempt(client, email, "guess").status_code == 401
    refused = attempt(client, ALICE, PASSWORD)
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0


def test_a_right_password_clears_the_accounts_failures(throttled: Callable[..., TestClient]):
    client = throttled(signin_failures_per_account=3, signin_window_s=60)
    assert [attempt(client, ALICE, "typo").status_code for _ in range(2)] == [401, 401]
    assert attempt(client, ALICE, PASSWORD).status_code == 303
    client.cookies.clear()
    assert [attempt(client, ALICE, "typo").status_code for _ in range(2)] == [401, 401]
    assert attempt(client, ALICE, PASSWORD).status_code == 303
