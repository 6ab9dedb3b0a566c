"""Exchange rates an admin sets (`dealwise rates`, /api/rates), audited, and conversions that say which rate."""

from collections.abc import Iterator
from decimal import Decimal

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from adapters.cli.main import app as cli
from assistant.crm.errors import ValidationFailed
from assistant.crm.models import AuditEntry, ExchangeRate
from assistant.crm.services.rates import convert, set_rate
from assistant.crm.settings import Settings, get_settings
from tests.support import ADMIN, ALICE, NOW, principal


@pytest.fixture
def cli_env(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("DEALWISE_DATABASE_URL", settings.resolved_database_url)
    monkeypatch.setenv("DEALWISE_DATA_DIR", str(settings.data_dir))
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def test_cli_sets_lists_and_removes_rates(cli_env: None, db: Session) -> None:
    runner = CliRunner()
    result = runner.invoke(cli, ["rates", "set", "eur", "1.08"])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "1 EUR = 1.08 USD"
    assert runner.invoke(cli, ["rates", "set", "COP", "0.00025"]).exit_code == 0
    listed = runner.invoke(cli, ["rates", "list"]).output.splitlines()
    assert [line.split("\t")[0] for line in listed] == ["1 COP = 0.00025 USD", "1 EUR = 1.08 USD"]
    assert listed[0].endswith("the command line")

    bad = runner.invoke(cli, ["rates", "set", "EURO", "1.08"])
    assert bad.exit_code != 0 and "not an ISO 4217 currency code" in bad.output
    assert runner.invoke(cli, ["rates", "set", "EUR", "1,08"]).exit_code == 2
    assert runner.invoke(cli, ["rates", "remove", "COP"]).exit_code == 0
    rows = db.scalars(select(ExchangeRate)).all()
    assert [(row.currency, row.base_currency, row.rate) for row in rows] == [("EUR", "USD", Decimal("1.08"))]
    audits = db.scalars(select(AuditEntry).where(AuditEntry.entity_type == "exchange_rate")).all()
    assert [(a.action, a.channel) for a in audits] == [("create", "cli"), ("create", "cli"), ("delete", "cli")]


def test_admins_set_rates_over_rest_and_everyone_reads_them(client: TestClient, api_tokens: dict[str, str]) -> None:
    admin = {"Authorization": f"Bearer {api_tokens[ADMIN]}"}
    rep = {"Authorization": f"Bearer {api_tokens[ALICE]}"}
    response = client.put("/api/rates/MXN", json={"rate": "0.055", "base_currency": "USD"}, headers=admin)
    assert response.status_code == 200, response.text
    assert response.json()["set_by"]["email"] == ADMIN and Decimal(response.json()["rate"]) == Decimal("0.055")
    assert client.put("/api/rates/MXN", json={"rate": "0.06"}, headers=rep).status_code == 403
    assert client.put("/api/rates/MXN", json={"rate": "-1"}, headers=admin).status_code == 422
    listed = client.get("/api/rates", headers=rep).json()
    assert [(row["currency"], Decimal(row["rate"])) for row in listed] == [("MXN", Decimal("0.055"))]
    assert client.delete("/api/rates/MXN", headers=rep).status_code == 403
    assert client.delete("/api/rates/MXN", headers=admin).status_code == 204
    assert client.get("/api/rates", headers=rep).json() == []
    assert client.delete("/api/rates/MXN", headers=admin).status_code == 404


def test_conversions_say_which_rate_they_used(db: Session) -> None:
    admin = principal(db, ADMIN)
    set_rate(db, admin, "EUR", Decimal("1.08"), "USD", NOW)
    converted = convert(db, Decimal("1000"), "EUR", "USD")
    assert converted is not None and converted.converted == Decimal("1080.00")
    assert converted.note == "converted from EUR at 1 EUR = 1.08 USD (rate of 2026-11-20, set by Alex Admin)"
    back = convert(db, Decimal("1080"), "USD", "EUR")
    assert back is not None and back.converted == Decimal("1000.00")
    assert convert(db, Decimal("5"), "COP", "USD") is None
    with pytest.raises(ValidationFailed, match="base currency itself"):
        set_rate(db, admin, "USD", Decimal("1"), "USD", NOW)
