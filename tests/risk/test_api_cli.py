"""GET /api/risk/* and `dealwise risk backtest|brief`."""

import json

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from adapters.cli import risk as risk_cli
from adapters.cli.main import app as cli
from assistant.crm.models import Deal, User
from assistant.crm.settings import Settings
from tests.support import ADMIN, ALICE, BOB, WEST_MANAGER


def _auth(tokens: dict[str, str], email: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {tokens[email]}"}


def _first_deal_of(db: Session, email: str) -> int:
    return db.scalars(select(Deal.id).join(User, User.id == Deal.owner_id).where(User.email == email)).first()  # type: ignore[return-value]


def test_risk_api(client: TestClient, api_tokens: dict[str, str], db: Session) -> None:
    mine, bobs = _first_deal_of(db, ALICE), _first_deal_of(db, BOB)
    deal = client.get(f"/api/risk/deals/{mine}", headers=_auth(api_tokens, ALICE))
    assert deal.status_code == 200 and deal.json()["deal_id"] == mine and 0 <= deal.json()["score"] <= 100
    assert client.get(f"/api/risk/deals/{bobs}", headers=_auth(api_tokens, ALICE)).status_code == 404
    assert client.get(f"/api/risk/deals/{bobs}", headers=_auth(api_tokens, WEST_MANAGER)).status_code == 404
    team = client.get("/api/risk/team?limit=5", headers=_auth(api_tokens, WEST_MANAGER))
    assert team.status_code == 200 and len(team.json()["deals"]) == 5
    bad = client.get("/api/risk/team?start=2026-12-01&end=2026-11-01", headers=_auth(api_tokens, WEST_MANAGER))
    assert bad.status_code == 422 and "start" in bad.text
    brief = client.get("/api/risk/brief", headers=_auth(api_tokens, WEST_MANAGER))
    assert brief.status_code == 200 and brief.json()["text"].startswith("# Weekly deal risk brief")
    assert client.get("/api/risk/backtest", headers=_auth(api_tokens, WEST_MANAGER)).status_code == 403
    backtest = client.get("/api/risk/backtest", headers=_auth(api_tokens, ADMIN))
    assert backtest.status_code == 200 and 0 <= backtest.json()["auc"] <= 1
    assert client.get("/api/risk/team").status_code == 401


def test_risk_cli(settings: Settings, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(risk_cli, "settings", lambda: settings)
    runner = CliRunner()
    result = runner.invoke(cli, ["risk", "backtest", "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert 0 <= report["auc"] <= 1 and len(report["calibration"]) == 10 and "brier" in report
    text = runner.invoke(cli, ["risk", "backtest"])
    assert text.exit_code == 0 and "AUC" in text.output and "decile" in text.output
    brief = runner.invoke(cli, ["risk", "brief", "--manager", WEST_MANAGER])
    assert brief.exit_code == 0 and "Weekly deal risk brief: Maya Patel's team" in brief.output
    missing = runner.invoke(cli, ["risk", "brief", "--manager", "ghost@dealwise.demo"])
    assert missing.exit_code == 2 and "no user" in missing.output
    bad = runner.invoke(cli, ["risk", "backtest", "--method", "random"])
    assert bad.exit_code == 2 and "method" in bad.output
