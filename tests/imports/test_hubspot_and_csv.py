"""HubSpot exports and generic CSV files with a mapping, imported into the demo database."""

from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from assistant.crm.models import Account, Activity, Contact, Deal
from tests.support import ADMIN, BOB

OUTCOMES = ("created", "updated", "unchanged", "merged", "kept_with_warnings", "rejected")


def _counts(report, kind: str) -> tuple[int, ...]:  # type: ignore[no-untyped-def]
    return tuple(report.counts[kind][outcome] for outcome in OUTCOMES)


def test_hubspot_export(export_dir, do_import, db: Session) -> None:  # type: ignore[no-untyped-def]
    path = export_dir("hubspot")
    report = do_import("hubspot", path)

    assert _counts(report, "account") == (1, 0, 0, 3, 0, 0)
    assert _counts(report, "contact") == (5, 0, 0, 0, 2, 0)
    assert _counts(report, "deal") == (4, 0, 0, 0, 0, 0)
    assert _counts(report, "activity") == (3, 0, 0, 0, 0, 1)
    (rejected,) = report.rejected
    assert (rejected.field, rejected.line) == ("Activity type", 6) and "'smoke_signal' is not a call" in rejected.reason
    warnings = {(p.field, p.line): p.reason for p in report.warnings}
    assert warnings[("Email", 5)].startswith("value is not a valid email address") and "broken@@mail" in warnings[
        ("Email", 5)
    ]  # fmt: skip
    assert "account 999 not found" in warnings[("Associated Company IDs", 4)]
    assert [(d["external_id"], d["other_external_id"]) for d in report.possible_duplicates] == [("202", "201")]

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
    broken = db.scalars(select(Contact).where(Contact.last_name == "Mail")).one()
    assert broken.email is None and broken.account_id == art.account_id
    deals = {d.name: d for d in db.scalars(select(Deal).where(Deal.external_source == "hubspot"))}
    assert deals["Vandelay - Latex"].close_date.isoformat() == "2026-12-25"
    assert deals["Umbrella - Vaccines"].close_date.isoformat() == "2027-01-03"
    assert deals["Umbrella - Vaccines"].stage.name == "Negotiation"
    assert deals["Vandelay - Latex"].stage.name == "Prospecting" and float(deals["Vandelay - Latex"].amount) == 5000
    assert deals["Umbrella - Odd"].stage.name == "verbalyes" and not deals["Umbrella - Odd"].stage.is_closed
    assert deals["Umbrella - Old"].stage.is_won
    note = db.scalars(select(Activity).where(Activity.external_source == "hubspot", Activity.type == "note")).one()
    assert note.subject == "Art asked for a latex sample." and note.body.endswith("budget ~$5k.")
    assert note.deal_id == deals["Vandelay - Latex"].id and note.contact_id == art.id

    again = do_import("hubspot", path)
    assert again.total("created") == again.total("updated") == again.total("merged") == 0


def test_generic_csv_with_mapping(do_import, db: Session) -> None:  # type: ignore[no-untyped-def]
    data = Path(__file__).parent / "data" / "generic"
    options = {"object_kind": "deals", "mapping": data / "mapping.yaml"}
    report = do_import("csv", data / "deals.csv", **options)
    assert _counts(report, "deal") == (2, 0, 0, 0, 0, 1)
    (problem,) = report.rejected
    assert (problem.line, problem.field) == (4, "Organization") and "No Such Company" in problem.reason
    expansion = db.scalars(
        select(Deal).where(Deal.external_source == "pipedrive", Deal.name == "Globex - Expansion")
    ).one()
    assert expansion.account.name == "Globex" and expansion.stage.name == "Proposal"
    assert (float(expansion.amount), expansion.currency) == (2500.0, "EUR")
    assert expansion.owner.email == "maya.patel@dealwise.demo"
    pilot = db.scalars(select(Deal).where(Deal.external_source == "pipedrive", Deal.external_id == "P-2")).one()
    assert pilot.account.name == "Initech" and pilot.currency == "USD"
    assert (
        "1 deal(s) name no currency; taken as USD (set `currency:` in the --map file if they are not)" in report.notes
    )
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
    bad.write_text("columns:\n  name: Title\nlocale: xx_NOWHERE\n")
    with pytest.raises(ValueError, match="locale: unknown locale 'xx_NOWHERE'"):
        do_import("csv", data / "deals.csv", object_kind="deals", mapping=bad)
    bad.write_text("columns:\n  name: Title\nstages:\n  Demo: {won: maybe}\n")
    with pytest.raises(ValueError, match=r"bad.yaml: stages\.Demo"):
        do_import("csv", data / "deals.csv", object_kind="deals", mapping=bad)


def test_a_mapping_renames_and_merges_stages_and_maps_owners(
    export_dir, do_import, db: Session, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    mapping = tmp_path / "map.yaml"
    mapping.write_text(
        "stages:\n  verbalyes: Negotiation\n  appointmentscheduled: {name: Qualification}\n"
        f"owners:\n  Erin Chen: {ADMIN}\n  '*': {BOB}\n",
        encoding="utf-8",
    )
    report = do_import("hubspot", export_dir("hubspot"), mapping=mapping)
    assert "stage" not in report.counts
    deals = {d.name: d for d in db.scalars(select(Deal).where(Deal.external_source == "hubspot"))}
    assert deals["Umbrella - Odd"].stage.name == "Negotiation"
    assert deals["Vandelay - Latex"].stage.name == "Qualification"
    assert deals["Umbrella - Vaccines"].owner.email == ADMIN
    initech_owner_warning = next(w for w in report.warnings if "nobody@oldcrm.example" in w.reason)
    assert BOB in initech_owner_warning.reason


def test_a_mapping_that_names_an_unknown_user_stops_before_writing(export_dir, do_import, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    mapping = tmp_path / "map.yaml"
    mapping.write_text("owners:\n  Erin Chen: nobody@nowhere.example\n", encoding="utf-8")
    with pytest.raises(Exception, match="nobody@nowhere.example, who is not a Dealwise user"):
        do_import("hubspot", export_dir("hubspot"), mapping=mapping)
