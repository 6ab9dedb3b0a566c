"""A Salesforce export with dirty rows, imported into the demo database."""

import csv
import json
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from assistant.crm.models import Account, Activity, AuditEntry, Contact, Deal, DealStageHistory, Lead, Stage, User
from tests.imports.conftest import table_counts
from tests.support import ADMIN, ALICE


def _reasons(report, kind: str) -> dict[tuple[str, int], str]:  # type: ignore[no-untyped-def]
    return {(p.file, p.line): f"{p.field}: {p.reason}" for p in report.rejected if p.kind == kind}


def test_import_keeps_valid_rows_rejects_bad_ones_and_merges_duplicates(export_dir, do_import, db: Session) -> None:  # type: ignore[no-untyped-def]
    report = do_import("salesforce", export_dir("salesforce"))

    assert report.counts["account"] == {"created": 3, "updated": 0, "unchanged": 0, "merged": 4, "rejected": 2}
    assert report.counts["contact"] == {"created": 3, "updated": 0, "unchanged": 0, "merged": 3, "rejected": 2}
    assert report.counts["deal"]["created"] == 3 and report.counts["deal"]["rejected"] == 4
    assert report.counts["lead"] == {"created": 2, "updated": 0, "unchanged": 0, "merged": 1, "rejected": 2}
    assert report.counts["activity"]["created"] == 3 and report.counts["activity"]["rejected"] == 2

    accounts = _reasons(report, "account")
    assert accounts[("Account.csv", 7)].startswith("Name: required")
    assert accounts[("Account.csv", 8)] == "NumberOfEmployees: 'lots' is not a whole number"
    contacts = _reasons(report, "contact")
    assert contacts[("Contact.csv", 5)].startswith("Email: value is not a valid email address")
    assert contacts[("Contact.csv", 6)].startswith("LastName: required")
    deals = _reasons(report, "deal")
    assert deals[("Opportunity.csv", 5)].startswith("StageName: unknown stage 'Negotiating Hard'")
    assert "orphan" in deals[("Opportunity.csv", 6)] and deals[("Opportunity.csv", 6)].startswith("AccountId")
    assert deals[("Opportunity.csv", 7)] == "CloseDate: an open deal needs a close date"
    assert deals[("Opportunity.csv", 8)].startswith("Amount: Input should be greater than or equal to 0")
    leads = _reasons(report, "lead")
    assert leads[("Lead.csv", 5)].startswith("Phone: must be a phone number")
    assert leads[("Lead.csv", 6)].startswith("Status:")
    activities = _reasons(report, "activity")
    assert activities[("Task.csv", 4)] == "ActivityDate: a task needs a due date"
    assert "must be linked" in activities[("Task.csv", 6)]

    # Latin-1 accents survive; duplicates with other casing and phone formats became one contact
    jose = db.scalars(select(Contact).where(Contact.external_id == "003000000000AAA")).one()
    assert (jose.first_name, jose.last_name, jose.title) == ("José", "Müller", "Head of Buying")
    assert db.scalars(select(Contact).where(Contact.last_name.in_(["Müller", "MULLER"]))).all() == [jose]
    # the orphan contact is kept, without its account, and reported
    olga = db.scalars(select(Contact).where(Contact.last_name == "Orphan")).one()
    assert olga.account_id is None
    assert any(w.line == 7 and "orphan" in w.reason for w in report.warnings if w.file == "Contact.csv")
    # unknown owner -> the importing admin, reported once
    francois = db.scalars(select(Contact).where(Contact.last_name == "Dupré")).one()
    assert francois.owner.email == ADMIN
    assert any("ghost.rep@oldcrm.example" in w.reason for w in report.warnings)
    # known owners by User.csv email
    northwind = db.scalars(select(Account).where(Account.external_id == "001000000000AAA")).one()
    assert northwind.owner.email == ALICE and northwind.domain == "northwind.example"
    # parent later in the file resolved; fuzzy "Contoso Holding" merged into "Contoso Holdings"
    contoso = db.scalars(select(Account).where(Account.name == "Contoso Ltd")).one()
    assert contoso.parent is not None and contoso.parent.name == "Contoso Holdings"
    assert db.scalars(select(Account).where(Account.name.like("Contoso Holding%"))).all() == [contoso.parent]
    # deduplicated against the demo data: no second Acme or Globex, no second Lucas Cohen
    assert len(db.scalars(select(Account).where(Account.name.like("Acme%"))).all()) == 1
    assert len(db.scalars(select(Account).where(Account.name.like("Globex%"))).all()) == 1
    assert len(db.scalars(select(Contact).where(Contact.email.ilike("lucas.cohen@globex.example"))).all()) == 1


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
    assert (
        db.scalars(select(DealStageHistory).where(DealStageHistory.deal_id == platform.id)).one().to_stage.name
        == "Qualification"
    )

    call = db.scalars(select(Activity).where(Activity.external_id == "00T000000000AAA")).one()
    assert call.type == "call" and call.deal_id == pos.id and call.account_id == pos.account_id
    assert call.body == "Talked through the rollout.\nThey want 40 stores, starting in March."
    email = db.scalars(select(Activity).where(Activity.external_id == "00T000000000CCC")).one()
    assert email.type == "email" and email.lead is not None and email.lead.last_name == "Silva"
    meeting = db.scalars(select(Activity).where(Activity.external_id == "00U000000000AAA")).one()
    assert meeting.type == "meeting" and meeting.occurred_at.isoformat() == "2026-11-05T15:00:00"

    converted = db.scalars(select(Lead).where(Lead.external_id == "00Q000000000BBB")).one()
    assert converted.status == "converted" and converted.converted_deal_id == pos.id
    ana = db.scalars(select(Lead).where(Lead.last_name == "Silva")).all()
    assert len(ana) == 1 and ana[0].status == "new"


def test_merges_are_audited_with_channel_import(export_dir, do_import, db: Session) -> None:  # type: ignore[no-untyped-def]
    report = do_import("salesforce", export_dir("salesforce"))
    merges = db.scalars(select(AuditEntry).where(AuditEntry.action == "merge")).all()
    assert len(merges) == report.total("merged") == 8
    assert {m.channel for m in merges} == {"import"}
    admin = db.scalars(select(User).where(User.email == ADMIN)).one()
    assert {m.actor_id for m in merges} == {admin.id}
    by_id = {m.changes["external_id"]: m for m in merges}
    assert by_id["003000000000CCC"].changes["matched_on"] == "phone and name"
    assert by_id["001000000000III"].changes["matched_on"].startswith("similar name")
    acme = db.scalars(select(Account).where(Account.name == "Acme Corporation")).one()
    assert by_id["001000000000DDD"].entity_id == acme.id


def test_reimport_changes_nothing(export_dir, do_import, sessions) -> None:  # type: ignore[no-untyped-def]
    path = export_dir("salesforce")
    do_import("salesforce", path)
    with sessions() as session:
        before = table_counts(session)
    again = do_import("salesforce", path)
    assert again.total("created") == again.total("updated") == again.total("merged") == 0
    assert again.total("unchanged") > 0
    with sessions() as session:
        assert table_counts(session) == before


def test_updated_export_updates_only_changed_records(export_dir, do_import, db: Session) -> None:  # type: ignore[no-untyped-def]
    path = export_dir("salesforce")
    do_import("salesforce", path)
    contacts = (path / "Contact.csv").read_bytes().decode("latin-1")
    (path / "Contact.csv").write_bytes(contacts.replace("Head of Buying", "Chief Buyer").encode("latin-1"))
    deals = (path / "Opportunity.csv").read_text()
    (path / "Opportunity.csv").write_text(
        deals.replace('Proposal/Price Quote,"$1,200.50"', 'Negotiation/Review,"$1,500"')
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
    negotiation = db.scalars(
        select(Stage).where(Stage.name == "Negotiation", Stage.pipeline_id == deal.pipeline_id)
    ).one()
    assert db.scalars(
        select(DealStageHistory).where(
            DealStageHistory.to_stage_id == negotiation.id, DealStageHistory.deal_id == deal.id
        )
    ).one()


def test_dry_run_writes_nothing_but_reports_the_same(export_dir, do_import, sessions) -> None:  # type: ignore[no-untyped-def]
    path = export_dir("salesforce")
    with sessions() as session:
        before = table_counts(session)
    dry = do_import("salesforce", path, dry_run=True)
    with sessions() as session:
        assert table_counts(session) == before
    assert dry.dry_run and dry.counts["contact"]["created"] == 3 and dry.counts["contact"]["merged"] == 3
    real = do_import("salesforce", path)
    assert real.counts == dry.counts


def test_report_files(export_dir, do_import, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    report = do_import("salesforce", export_dir("salesforce"))
    report_path, rejected_path = report.write(tmp_path / "report")
    data = json.loads(report_path.read_text())
    assert data["totals"]["rejected"] == report.total("rejected") == 13
    assert data["counts"]["account"]["merged"] == 4
    with rejected_path.open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0]) == ["file", "line", "field", "reason"]
    assert {"file": "Contact.csv", "line": "6", "field": "LastName"}.items() <= rows[3].items()
