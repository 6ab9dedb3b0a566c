"""HubSpot exports and generic CSV files with a mapping."""

from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from assistant.crm.models import Account, Activity, Contact, Deal
from tests.support import ADMIN, BOB


def test_hubspot_export(export_dir, do_import, db: Session) -> None:  # type: ignore[no-untyped-def]
    path = export_dir("hubspot")
    report = do_import("hubspot", path)

    assert report.counts["account"] == {"created": 1, "updated": 0, "unchanged": 0, "merged": 3, "rejected": 0}
    assert report.counts["contact"] == {"created": 3, "updated": 0, "unchanged": 0, "merged": 1, "rejected": 1}
    assert report.counts["deal"]["created"] == 3 and report.counts["deal"]["rejected"] == 1
    assert report.counts["activity"]["created"] == 3 and report.counts["activity"]["rejected"] == 1
    reasons = {(p.field, p.line): p.reason for p in report.rejected}
    assert "unknown stage 'verbalyes'" in reasons[("Deal Stage", 5)]
    assert reasons[("Email", 5)].startswith("value is not a valid email address")
    assert reasons[("Activity type", 6)].startswith("Input should be 'call'")

    umbrella = db.scalars(
        select(Account).where(Account.external_source == "hubspot", Account.external_id == "101")
    ).one()
    assert umbrella.owner.email == BOB and umbrella.created_at.isoformat() == "2026-01-01T00:00:00"
    initech = db.scalars(select(Account).where(Account.name == "Initech")).one()
    assert initech.external_source is None
    assert any("nobody@oldcrm.example" in w.reason and ADMIN in w.reason for w in report.warnings)

    art = db.scalars(select(Contact).where(Contact.email == "art@vandelay.example")).one()
    assert art.account is not None and art.account.name == "Vandelay Industries"
    by_name = db.scalars(select(Contact).where(Contact.email == "sam@vandelay.example")).one()
    assert by_name.account_id == art.account_id
    deals = {d.name: d for d in db.scalars(select(Deal).where(Deal.external_source == "hubspot"))}
    assert deals["Vandelay - Latex"].close_date.isoformat() == "2026-12-25"
    assert deals["Umbrella - Vaccines"].close_date.isoformat() == "2027-01-03"
    assert deals["Umbrella - Vaccines"].stage.name == "Negotiation"
    assert deals["Vandelay - Latex"].stage.name == "Prospecting" and float(deals["Vandelay - Latex"].amount) == 5000
    note = db.scalars(select(Activity).where(Activity.external_source == "hubspot", Activity.type == "note")).one()
    assert note.subject == "Art asked for a latex sample." and note.body.endswith("budget ~$5k.")
    assert note.deal_id == deals["Vandelay - Latex"].id and note.contact_id == art.id

    again = do_import("hubspot", path)
    assert again.total("created") == again.total("updated") == again.total("merged") == 0


def test_generic_csv_with_mapping(do_import, db: Session) -> None:  # type: ignore[no-untyped-def]
    data = Path(__file__).parent / "data" / "generic"
    options = {"object_kind": "deals", "mapping": data / "mapping.yaml"}
    report = do_import("csv", data / "deals.csv", **options)
    assert report.counts["deal"] == {"created": 2, "updated": 0, "unchanged": 0, "merged": 0, "rejected": 1}
    (problem,) = report.rejected
    assert (problem.line, problem.field) == (4, "Organization") and "No Such Company" in problem.reason
    expansion = db.scalars(
        select(Deal).where(Deal.external_source == "pipedrive", Deal.name == "Globex - Expansion")
    ).one()
    assert expansion.account.name == "Globex" and expansion.stage.name == "Proposal"
    assert (float(expansion.amount), expansion.currency) == (2500.0, "EUR")
    assert expansion.owner.email == "maya.patel@dealwise.demo"
    pilot = db.scalars(select(Deal).where(Deal.external_source == "pipedrive", Deal.external_id == "P-2")).one()
    assert pilot.account.name == "Initech"
    assert do_import("csv", data / "deals.csv", **options).total("created") == 0


def test_generic_mapping_errors_name_the_problem(tmp_path: Path, do_import) -> None:  # type: ignore[no-untyped-def]
    data = Path(__file__).parent / "data" / "generic"
    bad = tmp_path / "bad.yaml"
    bad.write_text("columns:\n  name: Title\n  colour: Stage\n")
    with pytest.raises(ValueError, match="colour"):
        do_import("csv", data / "deals.csv", object_kind="deals", mapping=bad)
    bad.write_text("columns:\n  name: Headline\n")
    with pytest.raises(ValueError, match="Headline"):
        do_import("csv", data / "deals.csv", object_kind="deals", mapping=bad)
