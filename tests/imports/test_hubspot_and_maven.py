"""HubSpot files known by their header rows, and the Maven "CRM sales opportunities" CSV files with a mapping,
each imported into an empty Dealwise: pipelines and stages from the export, every link resolved (association
files included), amounts and currencies kept, parents by name in any order, a re-import changes nothing.
The code paths do not differ between databases, so these run on SQLite."""

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from assistant.crm.db import session_factory
from assistant.crm.models import AuditEntry, Pipeline, Stage, User
from assistant.crm.settings import Settings
from ingest.imports import ImportReport
from tests.imports.export_files import Truth
from tests.imports.export_hubspot import write_hubspot
from tests.imports.export_maven import write_maven
from tests.support.imports import by_source, table_counts

pytestmark = pytest.mark.parametrize("empty_settings", ["sqlite"], indirect=True)
Importer = Callable[..., ImportReport]


def _check(db: Session, source: str, truth: Truth) -> None:
    for kind, expected in (("account", truth.accounts), ("contact", truth.contacts), ("deal", truth.deals),
                           ("activity", truth.activities)):  # fmt: skip
        assert set(by_source(db, kind, source)) >= set(expected), kind
    for source_id, (name, amount, currency) in truth.deals.items():
        deal = by_source(db, "deal", source)[source_id]
        assert (deal.name, Decimal(deal.amount), deal.currency) == (name, Decimal(amount), currency)
    for kind, source_id, field, target_kind, target_id in truth.links:
        record = by_source(db, kind, source)[source_id]
        assert getattr(record, field) == by_source(db, target_kind, source)[target_id].id, (kind, source_id, field)
    for source_id, into in truth.merged.items():
        accounts = by_source(db, "account", source)
        assert accounts[source_id].id == accounts[into].id
    stages = {s.name: (s.probability, s.is_closed, s.is_won, s.forecast_category) for s in db.scalars(select(Stage))}
    assert {name: stages[name] for name in truth.stages} == truth.stages


def _audit(db: Session) -> list[tuple[int, str, int]]:
    return [(a.id, a.entity_type, a.entity_id) for a in db.scalars(select(AuditEntry).order_by(AuditEntry.id))]


def test_hubspot_files_are_known_by_their_headers(
    import_into: Importer, empty_settings: Settings, tmp_path: Path
) -> None:
    path = tmp_path / "hubspot"
    truth = write_hubspot(path)
    report = import_into("hubspot", path)

    assert not report.rejected, report.rejected
    with session_factory(empty_settings)() as db:
        _check(db, "hubspot", truth)
        activities = by_source(db, "activity", "hubspot")
        assert {key: activities[key].type for key in truth.activities} == truth.activities
        assert activities["402"].subject == "Grace confirmed the trial budget."
        assert activities["405"].due_date.isoformat() == "2026-12-01" and activities["405"].status == "open"
        deals = by_source(db, "deal", "hubspot")
        assert deals["301"].close_date.isoformat() == "2027-01-14"
        assert deals["303"].stage.is_won and deals["303"].closed_at.date().isoformat() == "2025-06-30"
        pipelines = {p.name: p for p in db.scalars(select(Pipeline))}
        assert set(pipelines) == {"Sales Pipeline", "Partners"} and pipelines["Sales Pipeline"].is_default
        assert deals["302"].pipeline.name == "Partners" and deals["302"].stage.name == "Demo realizada"
        owners = {user.email for user in db.scalars(select(User))}
        assert {"lucia.fernandez@andina.example", "rosa.quispe@andina.example"} <= owners
        assert deals["302"].owner.email == "rosa.quispe@andina.example"
        grace = by_source(db, "contact", "hubspot")["202"]
        assert grace.phone is None
        before, audit = table_counts(db), _audit(db)
    assert any(w.field == "Phone Number" and "'12'" in w.reason for w in report.warnings)
    assert any(w.field == "amount" and w.line == 4 for w in report.warnings)

    again = import_into("hubspot", path)
    assert again.total("created") == again.total("updated") == again.total("merged") == 0
    with session_factory(empty_settings)() as db:
        assert table_counts(db) == before and _audit(db) == audit


def test_a_file_that_is_no_export_is_named_and_skipped(
    import_into: Importer, empty_settings: Settings, tmp_path: Path
) -> None:
    path = tmp_path / "hubspot"
    write_hubspot(path)
    (path / "readme.csv").write_text("Column A,Column B\n1,2\n")
    report = import_into("hubspot", path)
    assert "ignored readme.csv: its columns are not those of a HubSpot export" in report.notes


def test_maven_sales_opportunities_with_a_mapping(
    import_into: Importer, empty_settings: Settings, tmp_path: Path
) -> None:
    path = tmp_path / "maven"
    truth = write_maven(path)
    report = import_into("csv", path, mapping=path / "maven.yaml")

    rejected = {(p.file, p.line): f"{p.field}: {p.reason}" for p in report.rejected}
    assert set(rejected) == set(truth.rejected)
    assert "account" in rejected[("sales_pipeline.csv", 5)]
    with session_factory(empty_settings)() as db:
        _check(db, "maven", truth)
        (pipeline,) = db.scalars(select(Pipeline)).all()
        assert pipeline.name == "Maven" and pipeline.is_default
        engaging = by_source(db, "deal", "maven")["EC4QE1BX"]
        assert engaging.close_date is None and not engaging.stage.is_closed
        before, audit = table_counts(db), _audit(db)
    warned = {(w.line, w.field) for w in report.warnings if w.file == "sales_pipeline.csv"}
    assert {(4, "close_value"), (4, "close_date")} <= warned
    assert any("Moses Frase" in w.reason and "admin@andina.example" in w.reason for w in report.warnings)

    again = import_into("csv", path, mapping=path / "maven.yaml")
    assert again.total("created") == again.total("updated") == 0
    with session_factory(empty_settings)() as db:
        assert table_counts(db) == before and _audit(db) == audit
