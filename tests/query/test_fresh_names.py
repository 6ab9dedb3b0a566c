"""A record created or renamed through one server process is found by name in the next chat message sent
to another process on the same database: no process serves stale names."""

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from assistant.crm.db import session_factory
from assistant.crm.models import Account, User
from assistant.crm.settings import Settings
from tests.support import ALICE, free_port, tokens_for

pytestmark = pytest.mark.slow


@contextmanager
def server_process(db_url: str, data_dir: Path) -> Iterator[str]:
    """One `uvicorn adapters.web.main:app` process (its own assistant and name index) on a free port."""
    port = free_port()
    env = {**os.environ, "DEALWISE_DATABASE_URL": db_url, "DEALWISE_DATA_DIR": str(data_dir),
           "DEALWISE_RUN_WORKER": "false"}  # fmt: skip
    command = [sys.executable, "-m", "uvicorn", "adapters.web.main:app", "--host", "127.0.0.1", "--port", str(port)]
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 120
        while time.time() < deadline:
            try:
                httpx.get(f"{base}/api/me", timeout=2)
                break
            except httpx.TransportError:
                time.sleep(0.3)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=20)


def _ask(base: str, token: str, message: str) -> dict:
    response = httpx.post(
        f"{base}/api/chat", json={"message": message}, headers={"Authorization": f"Bearer {token}"}, timeout=60
    )
    assert response.status_code == 200, response.text
    return response.json()


def test_a_deal_created_and_renamed_in_one_process_is_found_by_name_in_another(db_url: str, tmp_path: Path) -> None:
    settings = Settings(database_url=db_url, data_dir=tmp_path / "data")
    token = tokens_for(settings)[ALICE]
    with session_factory(settings)() as session:
        rita = session.scalars(select(User).where(User.email == ALICE)).one()
        account = session.scalars(select(Account).where(Account.owner_id == rita.id).order_by(Account.id)).first()
        assert account is not None
        account_id, account_name = account.id, account.name
    auth = {"Authorization": f"Bearer {token}"}
    with server_process(db_url, tmp_path / "a") as first, server_process(db_url, tmp_path / "b") as second:
        for base in (first, second):
            assert _ask(base, token, "what's my pipeline worth?")["records"]
        name = f"{account_name} - Quokka Fleet Pilot"
        created = httpx.post(
            f"{first}/api/deals",
            json={"name": name, "account_id": account_id, "amount": 12345, "close_date": "2027-01-15"},
            headers=auth,
        )
        assert created.status_code in (200, 201), created.text
        deal_id = created.json()["id"]
        answer = _ask(second, token, f"what's the amount on the {name} deal?")
        assert "12,345" in answer["answer"], answer["answer"]
        assert {"type": "deal", "id": deal_id} in [{"type": r["type"], "id": r["id"]} for r in answer["records"]]
        renamed = httpx.patch(f"{second}/api/deals/{deal_id}", json={"name": f"{account_name} - Wombat Rollout"},
                              headers=auth)  # fmt: skip
        assert renamed.status_code == 200, renamed.text
        again = _ask(first, token, f"how is the {account_name} - Wombat Rollout deal doing?")
        assert "Wombat Rollout" in again["answer"] and deal_id in [r["id"] for r in again["records"]]
        gone = _ask(first, token, f"what's the amount on the {name} deal?")
        assert deal_id not in [r["id"] for r in gone["records"] if r["type"] == "deal"]
