"""A Salesforce export with dirty rows, imported into the demo database: records merge into what Dealwise already
holds, optional fields that cannot be read are dropped with a warning, only unusable rows are rejected."""

import csv
import json
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from assistant.crm.models import (
    Account,
    Activity,
    AuditEntry,
    Contact,
    Deal,
    DealStageHistory,
    Lead,
    PossibleDuplicate,
    Stage,
    User,
)
from tests.support import ADMIN, ALICE
from tests.support.imports import table_counts

OUTCOMES = ("created", "updated", "unchanged", "merged", "kept_with_warnings", "rejected")


def _counts(report, kind: str) -> tuple[int, ...]:  # type: ignore[no-untyped-def]
    return tuple(report.counts[kind][outcome] for outcome in OUTCOMES)


def _reasons(problems, kind: str) -> dict[tuple[str, int], str]:  # type: ignore[no-untyped-def]
    return {(p.file, p.line): f"{p.field}: {p.reason}" for p in problems if p.kind == kind}


def test_import_keeps_valid_rows_drops_bad_fields_and_rejects_unusable_rows(export_dir, do_import, db: Session) -> None:  # type: ignore[no-untyped-def]
    report = do_import("salesforce", export_dir("salesforce"))

    assert _counts(report, "account") == (6, 0, 0, 2, 1, 1)
    assert _counts(report, "contact") == (5, 0, 0, 2, 2, 1)
    assert _counts(report, "deal") == (6, 0, 0, 0, 3, 1)
    assert _counts(report, "lead") == (4, 0, 0, 1, 2, 0)
    assert _counts(report, "activity") == (4, 0, 0, 0, 0, 1)

    assert _reasons(report.rejected, "account") == {("Account.csv", 7): "Name: required, but empty in the export"}
    assert _reasons(report.rejected, "contact") == {("Contact.csv", 6): "LastName: required, but empty in the export"}
    assert _reasons(report.rejected, "deal")[("Opportunity.csv", 6)].startswith("AccountId: account 001000000000ZZZ")
    activity = _reasons(report.rejected, "activity")[("Task.csv", 6)]
    assert "must be linked" in activity and "contact 003000000000ZZZ not found" in activity
    warnings = {**_reasons(report.warnings, "account"), **_reasons(report.warnings, "contact"),
                **_reasons(report.warnings, "deal"), **_reasons(report.warnings, "lead")}  # fmt: skip
    assert warnings[("Account.csv", 8)] == "NumberOfEmployees: 'lots' is not a number; imported without it"
    assert warnings[("Contact.csv", 5)].startswith("Email: value is not a valid email address")
    assert warnings[("Opportunity.csv", 7)] == "CloseDate: an open deal without a close date; imported without one"
    assert warnings[("Opportunity.csv", 8)].startswith("Amount: Input should be greater than or equal to 0")
    assert warnings[("Lead.csv", 5)].startswith("Phone: must be a phone number") and "call me maybe" in warnings[
        ("Lead.csv", 5)
    ]  # fmt: skip

    bad_email = db.scalars(select(Contact).where(Contact.external_id == "003000000000DDD")).one()
    assert (bad_email.last_name, bad_email.email) == ("Email", None)
    fabrikam = db.scalars(select(Account).where(Account.name == "Fabrikam GmbH")).one()
    assert fabrikam.employees is None and fabrikam.domain == "fabrikam.example"
    no_date = db.scalars(select(Deal).where(Deal.external_id == "006000000000FFF")).one()
    assert no_date.close_date is None and no_date.stage.name == "Qualification"
    refund = db.scalars(select(Deal).where(Deal.external_id == "006000000000GGG")).one()
    assert float(refund.amount) == 0
    mystery = db.scalars(select(Deal).where(Deal.external_id == "006000000000DDD")).one()
    assert mystery.stage.name == "Negotiating Hard" and mystery.stage.pipeline_id == mystery.pipeline_id
    dora = db.scalars(select(Lead).where(Lead.last_name == "Status")).one()
    assert dora.status == "new"

    jose = db.scalars(select(Contact).where(Contact.external_id == "003000000000AAA")).one()
    assert (jose.first_name, jose.last_name, jose.title) == ("José", "Müller", "Head of Buying")
    olga = db.scalars(select(Contact).where(Contact.last_name == "Orphan")).one()
    assert olga.account_id is None
    assert any(w.line == 7 and "orphan" in w.reason for w in report.warnings if w.file == "Contact.csv")
    francois = db.scalars(select(Contact).where(Contact.last_name == "Dupré")).one()
    assert francois.owner.email == ADMIN
    assert any("ghost.rep@oldcrm.example" in w.reason for w in report.warnings)
    northwind = db.scalars(select(Account).where(Account.external_id == "001000000000AAA")).one()
    assert northwind.owner.email == ALICE and northwind.domain == "northwind.example"
    contoso = db.scalars(select(Account).where(Account.name == "Contoso Ltd")).one()
    assert contoso.parent is not None and contoso.parent.name == "Contoso Holdings"
    assert len(db.scalars(select(Account).where(Account.name.like("Acme%"))).all()) == 1
    assert len(db.scalars(select(Account).where(Account.name.like("Globex%"))).all()) == 1
    assert len(db.scalars(select(Contact).where(Contact.email.ilike("lucas.cohen@globex.example"))).all()) == 1


def test_look_alikes_with_distinct_ids_are_possible_duplicates(export_dir, do_import, db: Session) -> None:  # type: ignore[no-untyped-def]
    report = do_import("salesforce", export_dir("salesforce"))
    pairs = {
        (d["external_id"], d["other_external_id"], d["matched_on"].split(" (")[0]) for d in report.possible_duplicates
    }
    assert pairs == {
        ("001000000000EEE", "001000000000AAA", "name"),
        ("001000000000III", "001000000000CCC", "similar name"),
        ("003000000000CCC", "003000000000AAA", "phone and name"),
    }
    stored = db.scalars(select(PossibleDuplicate)).all()
    assert len(stored) == 3 and {row.status for row in stored} == {"open"}
    assert len(db.scalars(select(Account).where(Account.name.ilike("northwind traders%"))).all()) == 2
    same_email = db.scalars(select(Contact).where(Contact.email.ilike("jose.muller@northwind.example"))).all()
    assert len(same_email) == 1


def test_deals_stages_amounts_history_and_activities(export_dir, do_import, db: Session) -> None:  # type: ignore[no-untyped-def]
    do_import("salesforce", export_dir("salesforce"))
    deals = {deal.external_id: deal for deal in db.scalars(select(Deal).where(Deal.external_source == "salesforce"))}
    pos, platform, renewal = deals["006000000000AAA"], deals["006000000000BBB"], deals["006000000000CCC"]
    assert (pos.stage.name, float(pos.amount), pos.currency, pos.close_date.isoformat()) == (
        "Proposal",
        1200.5,
        "USD",
        "2026-12-31",
    )
    assert (platform.stage.name, float(platform.amount), platform.currency) == ("Qualification", 1200.5, "EUR")
    assert renewal.stage.name == "Closed Won" and renewal.closed_at is not None
    history = db.scalars(
        select(DealStageHistory).where(DealStageHistory.deal_id == pos.id).order_by(DealStageHistory.changed_at)
    ).all()
    assert [h.to_stage.name for h in history] == ["Prospecting", "Qualification", "Proposal"]

    call = db.scalars(select(Activity).where(Activity.external_id == "00T000000000AAA")).one()
    assert call.type == "call" and call.deal_id == pos.id and call.account_id == pos.account_id
    assert call.body == "Talked through the rollout.\nThey want 40 stores, starting in March."
    no_due = db.scalars(select(Activity).where(Activity.external_id == "00T000000000BBB")).one()
    assert (no_due.type, no_due.status, no_due.due_date) == ("task", "open", None)
    email = db.scalars(select(Activity).where(Activity.external_id == "00T000000000CCC")).one()
    assert email.type == "email" and email.lead is not None and email.lead.last_name == "Silva"
    meeting = db.scalars(select(Activity).where(Activity.external_id == "00U000000000AAA")).one()
    assert meeting.type == "meeting" and meeting.occurred_at.isoformat() == "2026-11-05T15:00:00"

    converted = db.scalars(select(Lead).where(Lead.external_id == "00Q000000000BBB")).one()
    assert converted.status == "converted" and converted.converted_deal_id == pos.id
    assert len(db.scalars(select(Lead).where(Lead.last_name == "Silva")).all()) == 1


def test_merges_are_audited_with_channel_import(export_dir, do_import, db: Session) -> None:  # type: ignore[no-untyped-def]
    report = do_import("salesforce", export_dir("salesforce"))
    merges = db.scalars(select(AuditEntry).where(AuditEntry.action == "merge")).all()
    assert len(merges) == report.total("merged") == 5
    assert {m.channel for m in merges} == {"import"}
    admin = db.scalars(select(User).where(User.email == ADMIN)).one()
    assert {m.actor_id for m in merges} == {admin.id}
    by_id = {m.changes["external_id"]: m for m in merges}
    assert by_id["003000000000BBB"].changes["matched_on"] == "email"
    acme = db.scalars(select(Account).where(Account.name == "Acme Corporation")).one()
    assert by_id["001000000000DDD"].entity_id == acme.id
    jose = db.scalars(select(Contact).where(Contact.external_id == "003000000000AAA")).one()
    assert by_id["003000000000BBB"].entity_id == jose.id
    assert {m["into_id"] for m in report.merges} >= {acme.id, jose.id}


def test_reimport_changes_nothing(export_dir, do_import, sessions) -> None:  # type: ignore[no-untyped-def]
    path = export_dir("salesforce")
    do_import("salesforce", path)
    with sessions() as session:
        before = table_counts(session)
        stages = len(session.scalars(select(Stage)).all())
    again = do_import("salesforce", path)
    assert again.total("created") == again.total("updated") == again.total("merged") == 0
    assert again.total("unchanged") > 0
    with sessions() as session:
        assert table_counts(session) == before
        assert len(session.scalars(select(Stage)).all()) == stages


def test_updated_export_updates_only_changed_records(export_dir, do_import, db: Session) -> None:  # type: ignore[no-untyped-def]
    path = export_dir("salesforce")
    do_import("salesforce", path)
    contacts = (path / "Contact.csv").read_bytes().decode("latin-1")
    (path / "Contact.csv").write_bytes(contacts.replace("Head of Buying", "Chief Buyer").encode("latin-1"))
    deals = (path / "Opportunity.csv").read_text()
    (path / "Opportunity.csv").write_text(
        deals.replace('Proposal/Price Quote,"$1,200.50"', 'Negotiation/Review,"$1,500.00"')
    )

    report = do_import("salesforce", path)

    assert report.total("updated") == 2 and report.total("created") == 0
    assert report.counts["contact"]["updated"] == 1 and report.counts["deal"]["updated"] == 1
    jose = db.scalars(select(Contact).where(Contact.external_id == "003000000000AAA")).one()
    assert jose.title == "Chief Buyer"
    updates = db.scalars(select(AuditEntry).where(AuditEntry.action == "update", AuditEntry.channel == "import")).all()
    assert sorted(u.entity_type for u in updates) == ["contact", "deal"]
    contact_update = next(u for u in updates if u.entity_type == "contact")
    assert contact_update.entity_id == jose.id and contact_update.changes == {
        "title": ["Head of Buying", "Chief Buyer"]
    }
    deal = db.scalars(select(Deal).where(Deal.external_id == "006000000000AAA")).one()
    assert deal.stage.name == "Negotiation" and float(deal.amount) == 1500
    assert db.scalars(
        select(DealStageHistory).where(
            DealStageHistory.to_stage_id == deal.stage_id, DealStageHistory.deal_id == deal.id
        )
    ).one()


def test_dry_run_writes_nothing_but_reports_the_same(export_dir, do_import, sessions) -> None:  # type: ignore[no-untyped-def]
    path = export_dir("salesforce")
    with sessions() as session:
        before = table_counts(session)
    dry = do_import("salesforce", path, dry_run=True)
    with sessions() as session:
        assert table_counts(session) == before
    assert dry.dry_run and dry.counts["contact"]["created"] == 5 and dry.counts["contact"]["merged"] == 2
    real = do_import("salesforce", path)
    assert real.counts == dry.counts


def test_report_files(export_dir, do_import, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    report = do_import("salesforce", export_dir("salesforce"))
    report_path, rejected_path = report.write(tmp_path / "report")
    data = json.loads(report_path.read_text())
    assert data["totals"]["rejected"] == report.total("rejected") == 5
    assert data["counts"]["account"]["merged"] == 2 and len(data["possible_duplicates"]) == 3
    with rejected_path.open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0]) == ["file", "line", "field", "reason"]
    assert {"file": "Contact.csv", "line": "6", "field": "LastName"}.items() <= rows[1].items()
