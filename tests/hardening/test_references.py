"""Finding 3: a related record outside the reader's scope is shown by id only (REST) or not at all (tools).

The setup gives Alice records that point at Bob's: her contact at his account, her account under
his parent account, her deal whose primary contact is his, her note on his deal. She can open hers,
not his, and nothing she gets names his.
"""

from collections.abc import Callable
from dataclasses import dataclass

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from assistant.crm.db import session_factory
from assistant.crm.deps import Deps
from assistant.crm.models import Account, Activity, Contact, Deal
from assistant.crm.settings import Settings
from tests.support import ADMIN, ALICE, BOB, NOW, auth
from tests.support.hardening import make_records, user_id
from tools.registry import TOOLSET

BOBS_NAMES = ("Matrix account of erin", "Matrix deal of erin", "Secret Bobcontact")


@dataclass(frozen=True)
class Pointers:
    bobs_account: int
    bobs_deal: int
    bobs_contact: int
    alices_contact: int
    alices_account: int
    alices_deal: int
    alices_note: int


def _pointing_at_bob(settings: Settings) -> Pointers:
    bobs, alices = make_records(settings, BOB), make_records(settings, ALICE)
    with session_factory(settings)() as session:
        alice = user_id(session, ALICE)
        loose = Contact(first_name="Secret", last_name="Bobcontact", owner_id=user_id(session, BOB))
        hers = Contact(first_name="Her", last_name="Contact", account_id=bobs.account, owner_id=alice)
        note = Activity(
            type="note",
            subject="Her note",
            occurred_at=NOW,
            deal_id=bobs.deal,
            account_id=bobs.account,
            author_id=alice,
        )
        session.add_all([loose, hers, note])
        session.flush()
        session.get_one(Account, alices.account).parent_id = bobs.account
        session.get_one(Deal, alices.deal).primary_contact_id = loose.id
        session.commit()
        return Pointers(bobs.account, bobs.deal, loose.id, hers.id, alices.account, alices.deal, note.id)


def _names_none_of_bobs(text: str) -> None:
    for name in BOBS_NAMES:
        assert name not in text, name


def test_rest_shows_out_of_scope_records_by_id_only(
    both_client: TestClient, both_tokens: dict[str, str], both_settings: Settings
):
    refs = _pointing_at_bob(both_settings)
    headers = auth(both_tokens[ALICE])
    for path in (
        f"/api/accounts/{refs.bobs_account}",
        f"/api/deals/{refs.bobs_deal}",
        f"/api/contacts/{refs.bobs_contact}",
    ):
        assert both_client.get(path, headers=headers).status_code == 404
    views = {
        "contact": both_client.get(f"/api/contacts/{refs.alices_contact}", headers=headers),
        "account": both_client.get(f"/api/accounts/{refs.alices_account}", headers=headers),
        "deal": both_client.get(f"/api/deals/{refs.alices_deal}", headers=headers),
        "note": both_client.get(f"/api/activities/{refs.alices_note}", headers=headers),
        "contacts": both_client.get("/api/contacts", params={"q": "Her Contact"}, headers=headers),
        "accounts": both_client.get("/api/accounts", params={"q": "Matrix account of rita"}, headers=headers),
    }
    assert views["contact"].json()["account"] == {"id": refs.bobs_account}
    assert views["account"].json()["parent"] == {"id": refs.bobs_account}
    assert views["deal"].json()["primary_contact"] == {"id": refs.bobs_contact}
    assert views["note"].json()["deal"] == {"id": refs.bobs_deal}
    assert views["note"].json()["account"] == {"id": refs.bobs_account}
    assert views["contacts"].json()["items"][0]["account"] == {"id": refs.bobs_account}
    assert views["accounts"].json()["items"][0]["parent"] == {"id": refs.bobs_account}
    for response in views.values():
        assert response.status_code == 200
        _names_none_of_bobs(response.text)

    admin = both_client.get(f"/api/contacts/{refs.alices_contact}", headers=auth(both_tokens[ADMIN])).json()
    assert admin["account"] == {"id": refs.bobs_account, "name": "Matrix account of erin.chen@dealwise.demo"}


def test_tool_results_leave_out_of_scope_records_out(
    shared_settings: Settings, deps_as: Callable[[str], Deps], shared_db: Session
):
    refs = _pointing_at_bob(shared_settings)
    deps = deps_as(ALICE)
    deal = TOOLSET.get("get_deal").run(deps, {"deal_id": refs.alices_deal})
    assert deal.primary_contact is None  # type: ignore[attr-defined]
    assert ("contact", refs.bobs_contact) not in {(r.type, r.id) for r in deal.records}  # type: ignore[attr-defined]
    notes = TOOLSET.get("list_activities").run(deps, {"deal_id": None, "account_id": None, "limit": 100})
    mine = [a for a in notes.activities if a.id == refs.alices_note]  # type: ignore[attr-defined]
    assert mine and mine[0].deal is None and mine[0].account is None
    contacts = TOOLSET.get("find_contacts").run(deps, {"q": "Her Contact"})
    assert contacts.contacts[0].account is None  # type: ignore[attr-defined]
    for result in (deal, notes, contacts):
        _names_none_of_bobs(result.model_dump_json())

    admin = TOOLSET.get("get_deal").run(deps_as(ADMIN), {"deal_id": refs.alices_deal})
    assert admin.primary_contact.name == "Secret Bobcontact"  # type: ignore[attr-defined]
