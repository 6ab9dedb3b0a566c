"""A generated Salesforce Data Export imported into a Dealwise with no demo data and no pipeline, on SQLite and
PostgreSQL: every valid row kept, every link resolved, no amount changed, each currency kept, the stage
catalogue built from the export, look-alikes with distinct ids kept apart, and a re-import changes nothing."""

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from assistant.crm.db import session_factory
from assistant.crm.models import (
    Activity,
    AuditEntry,
    DealStageHistory,
    Pipeline,
    PossibleDuplicate,
    Stage,
    User,
)
from assistant.crm.settings import Settings
from ingest.imports import ImportReport
from tests.imports.export_files import Truth
from tests.imports.export_salesforce import ACC, ADMIN_EMAIL, CON, OPP, TASKS, write_salesforce
from tests.support.imports import by_source, table_counts

Importer = Callable[..., ImportReport]


@pytest.fixture
def salesforce(tmp_path: Path) -> tuple[Path, Truth]:
    path = tmp_path / "salesforce-export"
    return path, write_salesforce(path)


def _session(settings: Settings) -> Session:
    return session_factory(settings)()


def test_first_import_into_an_empty_dealwise_keeps_every_valid_row_and_link(
    import_into: Importer, empty_settings: Settings, salesforce: tuple[Path, Truth]
) -> None:
    path, truth = salesforce
    report = import_into("salesforce", path)

    with _session(empty_settings) as db:
        for kind, expected in (("account", truth.accounts), ("contact", truth.contacts), ("deal", truth.deals),
                               ("activity", truth.activities), ("lead", dict.fromkeys(truth.leads))):  # fmt: skip
            stored = by_source(db, kind, "salesforce")
            assert set(stored) >= {sfid[:15] for sfid in expected}, kind
        accounts = by_source(db, "account", "salesforce")
        assert {accounts[key[:15]].name for key in truth.accounts} == set(truth.accounts.values())
        assert accounts[ACC["nandu"][:15]].name == "Café Ñandú Ltda."  # Windows-1252, semicolons
        assert accounts[ACC["grupo_andino"][:15]].employees == 2500
        for kind, source_id, field, target_kind, target_id in truth.links:
            record = by_source(db, kind, "salesforce")[source_id[:15]]
            target = by_source(db, target_kind, "salesforce")[target_id[:15]]
            assert getattr(record, field) == target.id, (kind, source_id, field)
        activities = by_source(db, "activity", "salesforce")
        assert {activities[key[:15]].type for key in truth.activities} == set(truth.activities.values())
        assert activities[TASKS["email"][:15]].type == "email"
        no_due = activities[TASKS["no_due"][:15]]
        assert (no_due.type, no_due.status, no_due.due_date) == ("task", "open", None)
        contacts = by_source(db, "contact", "salesforce")
        ana = contacts[CON["ana"][:15]]
        assert (ana.first_name, ana.phone, ana.email) == ("Ana", None, "ana.pena@andino.co")
        assert contacts[CON["maria"][:15]].account_id is None

    rejected = {(p.file, p.line): f"{p.field}: {p.reason}" for p in report.rejected}
    assert set(rejected) == set(truth.rejected)
    for where, word in truth.rejected.items():
        assert word in rejected[where], (where, rejected[where])
    phone = next(w for w in report.warnings if w.file == "Contact.csv" and w.field == "Phone")
    assert phone.line == 3 and "'1234'" in phone.reason and "imported without it" in phone.reason
    assert not [w for w in report.warnings if "not found" in w.reason]


def test_amounts_and_currencies_are_kept_exactly(
    import_into: Importer, empty_settings: Settings, salesforce: tuple[Path, Truth]
) -> None:
    path, truth = salesforce
    report = import_into("salesforce", path)
    with _session(empty_settings) as db:
        deals = by_source(db, "deal", "salesforce")
        for source_id, (name, amount, currency) in truth.deals.items():
            deal = deals[source_id[:15]]
            assert (deal.name, Decimal(deal.amount), deal.currency) == (name, Decimal(amount), currency)
        assert Decimal(deals[OPP["renovacion"][:15]].amount) == Decimal("9225.225")
        assert {deal.currency for deal in deals.values()} == {"PEN", "COP", "USD", "MXN"}
    unknown = next(w for w in report.warnings if w.field == "Amount")
    assert unknown.line == 7 and "unknown" in unknown.reason


def test_the_stage_catalogue_and_history_come_from_the_export(
    import_into: Importer, empty_settings: Settings, salesforce: tuple[Path, Truth]
) -> None:
    path, truth = salesforce
    import_into("salesforce", path)
    with _session(empty_settings) as db:
        (pipeline,) = db.scalars(select(Pipeline)).all()
        assert pipeline.is_default
        stages = {stage.name: stage for stage in db.scalars(select(Stage))}
        assert {name: (s.probability, s.is_closed, s.is_won, s.forecast_category) for name, s in stages.items()} == (
            truth.stages
        )
        open_positions = [s.position for s in sorted(stages.values(), key=lambda s: s.position) if not s.is_closed]
        assert open_positions == sorted(open_positions) and max(open_positions) < stages["Closed Won"].position
        renovacion = by_source(db, "deal", "salesforce")[OPP["renovacion"][:15]]
        assert renovacion.stage.name == "Negociación" and renovacion.closed_at is None
        history = db.scalars(
            select(DealStageHistory).where(DealStageHistory.deal_id == renovacion.id).order_by(DealStageHistory.id)
        ).all()
        assert [h.to_stage.name for h in history] == ["Discovery", "Presentación Propuesta", "Negociación"]
        won = by_source(db, "deal", "salesforce")[OPP["licencias_2025"][:15]]
        assert won.stage.is_won and won.closed_at is not None and won.closed_at.date().isoformat() == "2025-03-10"


def test_owners_become_users_and_look_alikes_are_reported_not_merged(
    import_into: Importer, empty_settings: Settings, salesforce: tuple[Path, Truth]
) -> None:
    path, truth = salesforce
    report = import_into("salesforce", path)
    with _session(empty_settings) as db:
        users = {user.email: user for user in db.scalars(select(User))}
        assert set(users) == {ADMIN_EMAIL, "lucia.fernandez@andina.example", "mateo.rojas@andina.example"}
        assert (
            users["mateo.rojas@andina.example"].role == "rep"
            and users["mateo.rojas@andina.example"].password_hash is None
        )
        accounts = by_source(db, "account", "salesforce")
        assert accounts[ACC["andino_colombia"][:15]].owner.email == "mateo.rojas@andina.example"
        assert accounts[ACC["nandu"][:15]].owner.email == ADMIN_EMAIL
        assert any("old.rep@andina.example" in w.reason for w in report.warnings)

        assert len({accounts[ACC[key][:15]].id for key in ("ne_lima", "ne_bogota", "ne_cdmx")}) == 3
        assert accounts[ACC["movistar_pe"][:15]].id != accounts[ACC["movistar_co"][:15]].id
        stored = {(row.entity_type, row.record_id, row.other_id) for row in db.scalars(select(PossibleDuplicate))}
        records = {kind: by_source(db, kind, "salesforce") for kind in ("account", "contact")}
        assert stored == {
            (kind, records[kind][one[:15]].id, records[kind][other[:15]].id)
            for kind, one, other in truth.possible_duplicates
        }
        contacts = records["contact"]
        assert contacts[CON["jose_again"][:15]].id == contacts[CON["jose"][:15]].id
    assert {(m["external_id"], m["matched_on"]) for m in report.merges} == {(CON["jose_again"][:15], "email")}


def test_reimporting_the_same_export_changes_nothing(
    import_into: Importer, empty_settings: Settings, salesforce: tuple[Path, Truth]
) -> None:
    path, _ = salesforce
    import_into("salesforce", path)
    with _session(empty_settings) as db:
        before = table_counts(db)
        audit = [(a.id, a.action, a.entity_type, a.entity_id) for a in db.scalars(select(AuditEntry))]
        stages = db.scalar(select(func.count()).select_from(Stage))
        duplicates = db.scalar(select(func.count()).select_from(PossibleDuplicate))

    again = import_into("salesforce", path)

    assert again.total("created") == again.total("updated") == again.total("merged") == 0
    with _session(empty_settings) as db:
        assert table_counts(db) == before
        assert [(a.id, a.action, a.entity_type, a.entity_id) for a in db.scalars(select(AuditEntry))] == audit
        assert db.scalar(select(func.count()).select_from(Stage)) == stages
        assert db.scalar(select(func.count()).select_from(PossibleDuplicate)) == duplicates


def test_a_dry_run_into_an_empty_dealwise_writes_nothing(
    import_into: Importer, empty_settings: Settings, salesforce: tuple[Path, Truth]
) -> None:
    path, _ = salesforce
    dry = import_into("salesforce", path, dry_run=True)
    assert dry.counts["deal"]["created"] == 12 and dry.counts["stage"]["created"] == 8
    with _session(empty_settings) as db:
        assert db.scalar(select(func.count()).select_from(Pipeline)) == 0
        assert db.scalar(select(func.count()).select_from(User)) == 1
        assert sum(table_counts(db).values()) == 0
    assert import_into("salesforce", path).counts == dry.counts


def test_the_report_summarises_each_object_with_top_reasons(
    import_into: Importer, salesforce: tuple[Path, Truth], tmp_path: Path
) -> None:
    path, _ = salesforce
    report = import_into("salesforce", path)
    lines = report.summary_lines()
    contact_line = next(line for line in lines if line.startswith("  contact:"))
    assert contact_line == "  contact: 7 created, 0 updated, 0 unchanged, 1 merged, 2 kept with warnings, 1 rejected"
    assert "      rejected: LastName: required, but empty in the export  (1 row)" in lines
    assert any(line.startswith("      warning: Phone: must be a phone number") for line in lines)
    report_path, rejected_path = report.write(tmp_path / "report")
    assert report_path.read_text().count('"possible_duplicates"') == 1
    assert rejected_path.read_text().splitlines()[0] == "file,line,field,reason"


def test_events_become_meetings_at_their_start_time(
    import_into: Importer, empty_settings: Settings, salesforce: tuple[Path, Truth]
) -> None:
    path, _ = salesforce
    import_into("salesforce", path)
    with _session(empty_settings) as db:
        meeting = db.scalars(select(Activity).where(Activity.type == "meeting")).one()
        assert meeting.occurred_at.isoformat() == "2026-11-05T15:00:00"
        assert meeting.author.email == "lucia.fernandez@andina.example"
        assert meeting.deal is not None and meeting.deal.name == "Northwind - Expansion LatAm"
