"""The attacks of finding 2 and the cases around it: seeing an account is not owning it."""

from collections.abc import Callable

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from assistant.crm.db import session_factory
from assistant.crm.models import Account, AccountMember, AuditEntry, Contact, Deal, User
from assistant.crm.settings import Settings
from tests.support import ADMIN, ALICE, BOB, WEST_MANAGER, auth
from tests.support.hardening import Records, later, make_records, user_id


def _deal_of_alice_on(settings: Settings, account_id: int) -> int:
    with session_factory(settings)() as session:
        template = session.scalars(select(Deal).where(Deal.account_id == account_id)).first()
        deal = Deal(
            name="Alice's way in",
            account_id=account_id,
            owner_id=user_id(session, ALICE),
            pipeline_id=template.pipeline_id,  # type: ignore[union-attr]
            stage_id=template.stage_id,  # type: ignore[union-attr]
            close_date=template.close_date,  # type: ignore[union-attr]
        )
        session.add(deal)
        session.commit()
        return deal.id


def _snapshot(settings: Settings, records: Records) -> tuple[object, ...]:
    with session_factory(settings)() as session:
        account = session.get_one(Account, records.account)
        contact = session.get_one(Contact, records.contact)
        audits = session.scalar(select(func.count()).select_from(AuditEntry))
        return account.name, account.owner_id, account.parent_id, contact.title, contact.owner_id, audits


def test_a_rep_who_sees_an_account_through_a_deal_cannot_change_or_take_it(
    both_client: TestClient, both_tokens: dict[str, str], both_settings: Settings
):
    bobs = make_records(both_settings, BOB)
    alices = make_records(both_settings, ALICE)
    _deal_of_alice_on(both_settings, bobs.account)
    headers = auth(both_tokens[ALICE])
    with session_factory(both_settings)() as session:
        alice = user_id(session, ALICE)
    assert both_client.get(f"/api/accounts/{bobs.account}", headers=headers).status_code == 200
    assert both_client.get(f"/api/contacts/{bobs.contact}", headers=headers).status_code == 200
    before = _snapshot(both_settings, bobs)
    refused = [
        both_client.patch(f"/api/accounts/{bobs.account}", json={"owner_id": alice}, headers=headers),
        both_client.patch(f"/api/accounts/{bobs.account}", json={"name": "Mine now"}, headers=headers),
        both_client.patch(f"/api/accounts/{bobs.account}", json={"parent_id": alices.account}, headers=headers),
        both_client.patch(f"/api/contacts/{bobs.contact}", json={"owner_id": alice}, headers=headers),
        both_client.patch(f"/api/contacts/{bobs.contact}", json={"title": "Mine now"}, headers=headers),
        both_client.patch(f"/api/accounts/{alices.account}", json={"parent_id": bobs.account}, headers=headers),
    ]
    for response in refused:
        assert response.status_code == 403, response.text
        assert "may change" in response.json()["detail"]
    assert _snapshot(both_settings, bobs) == before

    note = both_client.post(
        "/api/activities", json={"type": "note", "subject": "Met them", "account_id": bobs.account}, headers=headers
    )
    contact = both_client.post(
        "/api/contacts", json={"last_name": "Buyer", "account_id": bobs.account}, headers=headers
    )
    deal = both_client.post(
        "/api/deals",
        json={"name": "Second way in", "account_id": bobs.account, "close_date": later()},
        headers=headers,
    )
    assert (note.status_code, contact.status_code, deal.status_code) == (201, 201, 201)
    assert contact.json()["owner"]["email"] == ALICE


def test_the_account_team_may_edit_but_not_take_the_account(
    shared_client: TestClient, shared_tokens: dict[str, str], shared_settings: Settings
):
    bobs = make_records(shared_settings, BOB)
    with session_factory(shared_settings)() as session:
        session.add(AccountMember(account_id=bobs.account, user_id=user_id(session, ALICE)))
        session.commit()
        alice = user_id(session, ALICE)
    headers = auth(shared_tokens[ALICE])
    edited = shared_client.patch(f"/api/accounts/{bobs.account}", json={"industry": "Aerospace"}, headers=headers)
    assert edited.status_code == 200 and edited.json()["industry"] == "Aerospace"
    contact = shared_client.patch(f"/api/contacts/{bobs.contact}", json={"title": "VP Sales"}, headers=headers)
    assert contact.status_code == 200 and contact.json()["title"] == "VP Sales"
    taken = shared_client.patch(f"/api/accounts/{bobs.account}", json={"owner_id": alice}, headers=headers)
    assert taken.status_code == 403
    assert shared_client.get(f"/api/accounts/{bobs.account}", headers=headers).json()["owner"]["email"] == BOB


def test_a_manager_cannot_change_another_teams_account_seen_through_a_team_deal(
    shared_client: TestClient, shared_tokens: dict[str, str], shared_settings: Settings
):
    bobs = make_records(shared_settings, BOB)
    _deal_of_alice_on(shared_settings, bobs.account)
    headers = auth(shared_tokens[WEST_MANAGER])
    assert shared_client.get(f"/api/accounts/{bobs.account}", headers=headers).status_code == 200
    response = shared_client.patch(f"/api/accounts/{bobs.account}", json={"region": "West"}, headers=headers)
    assert response.status_code == 403


def test_records_go_only_to_active_users(
    shared_client: TestClient, shared_tokens: dict[str, str], shared_settings: Settings, records_of: Callable
):
    alices = records_of(ALICE)
    with session_factory(shared_settings)() as session:
        leaver = User(email="leaver@dealwise.demo", name="Lee Ver", role="rep", is_active=False)
        session.add(leaver)
        session.commit()
        leaver_id = leaver.id
    response = shared_client.patch(
        f"/api/deals/{alices.deal}", json={"owner_id": leaver_id}, headers=auth(shared_tokens[ADMIN])
    )
    assert response.status_code == 422 and "deactivated" in response.text
