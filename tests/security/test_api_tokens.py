"""API tokens have a name and an expiry, and their owner or an admin can list and revoke them (issue 14, finding 5)."""

from collections.abc import Iterator
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, update
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from adapters.cli.main import app as cli
from assistant.crm.models import ApiToken, AuditEntry, User
from assistant.crm.security import token_row, utcnow
from assistant.crm.settings import Settings, get_settings
from tests.support import ADMIN, ALICE, BOB


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def user_id(db: Session, email: str) -> int:
    return db.scalars(select(User.id).where(User.email == email)).one()


def test_a_named_token_expires_and_is_then_refused(client: TestClient, api_tokens: dict[str, str], db: Session):
    alice = user_id(db, ALICE)
    created = client.post(
        f"/api/users/{alice}/tokens", json={"name": "zapier", "days": 30}, headers=bearer(api_tokens[ADMIN])
    )
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["token"].startswith("dw_") and body["name"] == "zapier" and body["user"]["email"] == ALICE
    row = db.get(ApiToken, body["id"])
    assert row is not None and row.expires_at is not None and row.token_hash != body["token"]
    assert timedelta(days=29, hours=23) < row.expires_at - row.created_at <= timedelta(days=30)
    assert client.get("/api/me", headers=bearer(body["token"])).json()["email"] == ALICE

    db.execute(update(ApiToken).where(ApiToken.id == body["id"]).values(expires_at=utcnow() - timedelta(seconds=1)))
    db.commit()
    refused = client.get("/api/me", headers=bearer(body["token"]))
    assert refused.status_code == 401 and "expired" in refused.json()["detail"]


def test_default_lifetime_comes_from_the_settings(client: TestClient, api_tokens: dict[str, str], settings: Settings):
    made = client.post("/api/me/tokens", headers=bearer(api_tokens[BOB])).json()
    expires = made["expires_at"]
    assert expires is not None and expires.startswith(str((utcnow() + timedelta(days=settings.api_token_days)).date()))


def test_owner_and_admin_list_and_revoke_others_cannot(client: TestClient, api_tokens: dict[str, str], db: Session):
    mine = client.post("/api/me/tokens", json={"name": "laptop"}, headers=bearer(api_tokens[ALICE])).json()
    listed = client.get("/api/me/tokens", headers=bearer(api_tokens[ALICE]))
    assert listed.status_code == 200 and "laptop" in [t["name"] for t in listed.json()]
    assert mine["token"] not in listed.text and "token_hash" not in listed.text

    alice = user_id(db, ALICE)
    assert client.get(f"/api/users/{alice}/tokens", headers=bearer(api_tokens[BOB])).status_code == 404
    assert client.delete(f"/api/tokens/{mine['id']}", headers=bearer(api_tokens[BOB])).status_code == 404
    other = client.post(f"/api/users/{user_id(db, BOB)}/tokens", headers=bearer(api_tokens[ALICE]))
    assert other.status_code in (403, 404)
    assert client.get("/api/me", headers=bearer(mine["token"])).status_code == 200

    assert client.delete(f"/api/tokens/{mine['id']}", headers=bearer(api_tokens[ALICE])).status_code == 204
    assert client.get("/api/me", headers=bearer(mine["token"])).status_code == 401
    revoked = next(
        t for t in client.get("/api/me/tokens", headers=bearer(api_tokens[ALICE])).json() if t["id"] == mine["id"]
    )
    assert revoked["revoked_at"] is not None

    spare = client.post("/api/me/tokens", json={"name": "spare"}, headers=bearer(api_tokens[ALICE])).json()
    admin_view = client.get(f"/api/users/{alice}/tokens", headers=bearer(api_tokens[ADMIN])).json()
    assert {"laptop", "spare"} <= {t["name"] for t in admin_view}
    assert client.delete(f"/api/tokens/{spare['id']}", headers=bearer(api_tokens[ADMIN])).status_code == 204
    assert client.get("/api/me", headers=bearer(spare["token"])).status_code == 401
    actions = db.scalars(select(AuditEntry.action).where(AuditEntry.entity_type == "api_token")).all()
    assert actions.count("revoke") == 2 and actions.count("create") >= 2


@pytest.fixture
def cli_env(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Iterator[CliRunner]:
    monkeypatch.setenv("DEALWISE_DATABASE_URL", settings.resolved_database_url)
    monkeypatch.setenv("DEALWISE_DATA_DIR", str(settings.data_dir))
    get_settings.cache_clear()
    yield CliRunner()
    get_settings.cache_clear()


def test_cli_mints_lists_and_revokes(cli_env: CliRunner, db: Session):
    minted = cli_env.invoke(cli, ["users", "token", ALICE, "--name", "ci", "--days", "7"])
    assert minted.exit_code == 0, minted.output
    token = minted.output.strip()
    assert token_row(db, token) is not None
    listed = cli_env.invoke(cli, ["users", "tokens", ALICE])
    line = next(row for row in listed.output.splitlines() if "\tci\t" in row)
    assert "expires " in line and token not in listed.output
    token_id = line.split("\t")[0]

    revoked = cli_env.invoke(cli, ["users", "revoke", token_id])
    assert revoked.exit_code == 0 and f"revoked token {token_id} (ci) of {ALICE}" in revoked.output, revoked.output
    db.expire_all()
    assert token_row(db, token) is None
    assert "revoked " in next(
        r for r in cli_env.invoke(cli, ["users", "tokens", ALICE]).output.splitlines() if "\tci\t" in r
    )
    missing = cli_env.invoke(cli, ["users", "revoke", "999999"])
    assert missing.exit_code == 2 and "not found" in missing.output
