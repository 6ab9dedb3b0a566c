"""As rep A, B's records are 404 and absent from lists, counts and totals; managers see their team."""

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from assistant.crm.db import session_factory
from assistant.crm.models import Account, AccountMember, Activity, Contact, Deal, Lead, Team, User
from assistant.crm.settings import Settings
from tests.support import ADMIN, ALICE, BOB, EAST_MANAGER, WEST_MANAGER, auth

LISTS = ["deals", "accounts", "contacts", "leads", "activities"]


def _user(session: Session, email: str) -> User:
    return session.scalars(select(User).where(User.email == email)).one()


def _all_ids(client: TestClient, token: str, resource: str) -> tuple[set[int], int]:
    ids: set[int] = set()
    page, total = 1, 0
    while True:
        body = client.get(f"/api/{resource}", params={"page": page, "page_size": 200}, headers=auth(token)).json()
        ids |= {item["id"] for item in body["items"]}
        total = body["total"]
        if page * 200 >= total:
            return ids, total
        page += 1


def _expected_deal_ids(session: Session, owner_ids: set[int]) -> set[int]:
    return set(session.scalars(select(Deal.id).where(Deal.owner_id.in_(owner_ids))))


def _team_ids(session: Session, manager_email: str) -> set[int]:
    manager = _user(session, manager_email)
    team = session.scalars(select(Team).where(Team.manager_id == manager.id)).one()
    return {manager.id, *session.scalars(select(User.id).where(User.team_id == team.id))}


def test_rep_deal_list_is_exactly_their_deals(both_client: TestClient, both_tokens: dict, both_settings: Settings):
    with session_factory(both_settings)() as session:
        alice = _user(session, ALICE)
        expected = _expected_deal_ids(session, {alice.id})
    ids, total = _all_ids(both_client, both_tokens[ALICE], "deals")
    assert ids == expected and total == len(expected) > 0


def test_rep_cannot_open_other_reps_records(both_client: TestClient, both_tokens: dict, both_settings: Settings):
    with session_factory(both_settings)() as session:
        bob = _user(session, BOB)
        alice = _user(session, ALICE)
        bob_deal = session.scalars(select(Deal).where(Deal.owner_id == bob.id)).first()
        alice_accounts = select(Account.id).where(
            or_(Account.owner_id == alice.id, Account.id.in_(select(Deal.account_id).where(Deal.owner_id == alice.id)))
        )
        bob_account = session.scalars(
            select(Account).where(Account.owner_id == bob.id, Account.id.not_in(alice_accounts))
        ).first()
        bob_contact = session.scalars(select(Contact).where(Contact.account_id == bob_account.id)).first()
        bob_lead = session.scalars(select(Lead).where(Lead.owner_id == bob.id)).first()
        bob_activity = session.scalars(select(Activity).where(Activity.deal_id == bob_deal.id)).first()
    token = both_tokens[ALICE]
    for path in (
        f"/api/deals/{bob_deal.id}",
        f"/api/deals/{bob_deal.id}/history",
        f"/api/accounts/{bob_account.id}",
        f"/api/contacts/{bob_contact.id}",
        f"/api/leads/{bob_lead.id}",
        f"/api/activities/{bob_activity.id}",
    ):
        response = both_client.get(path, headers=auth(token))
        assert response.status_code == 404, path
        assert "not found" in response.json()["detail"]
    patch = both_client.patch(f"/api/deals/{bob_deal.id}", json={"amount": 1}, headers=auth(token))
    assert patch.status_code == 404
    for resource, record in [("deals", bob_deal), ("accounts", bob_account), ("leads", bob_lead)]:
        ids, _ = _all_ids(both_client, token, resource)
        assert record.id not in ids
    filtered = both_client.get("/api/deals", params={"owner_id": bob.id}, headers=auth(token)).json()
    assert filtered["total"] == 0 and filtered["items"] == []
    by_account = both_client.get("/api/deals", params={"account_id": bob_account.id}, headers=auth(token)).json()
    assert by_account["total"] == 0


@pytest.mark.parametrize("resource", LISTS)
def test_every_list_respects_scope(resource: str, both_client: TestClient, both_tokens: dict, both_settings: Settings):
    with session_factory(both_settings)() as session:
        alice = _user(session, ALICE)
        west = _team_ids(session, WEST_MANAGER)
        east = _team_ids(session, EAST_MANAGER)
        member_of = select(AccountMember.account_id).where(AccountMember.user_id == alice.id)
        alice_accounts = set(
            session.scalars(
                select(Account.id).where(
                    or_(
                        Account.owner_id == alice.id,
                        Account.id.in_(member_of),
                        Account.id.in_(select(Deal.account_id).where(Deal.owner_id == alice.id)),
                    )
                )
            )
        )
        expected_for_alice = {
            "deals": _expected_deal_ids(session, {alice.id}),
            "accounts": alice_accounts,
            "contacts": set(
                session.scalars(
                    select(Contact.id).where(or_(Contact.owner_id == alice.id, Contact.account_id.in_(alice_accounts)))
                )
            ),
            "leads": set(session.scalars(select(Lead.id).where(Lead.owner_id == alice.id))),
        }
        everything = {
            "deals": session.scalar(select(func.count()).select_from(Deal)),
            "accounts": session.scalar(select(func.count()).select_from(Account)),
            "contacts": session.scalar(select(func.count()).select_from(Contact)),
            "leads": session.scalar(select(func.count()).select_from(Lead)),
            "activities": session.scalar(select(func.count()).select_from(Activity)),
        }
        east_deals = _expected_deal_ids(session, east)
        east_activity_ids = set(session.scalars(select(Activity.id).where(Activity.deal_id.in_(east_deals))))
    alice_ids, alice_total = _all_ids(both_client, both_tokens[ALICE], resource)
    if resource in expected_for_alice:
        assert alice_ids == expected_for_alice[resource]
    else:
        assert not alice_ids & east_activity_ids
    assert alice_total == len(alice_ids)
    west_ids, west_total = _all_ids(both_client, both_tokens[WEST_MANAGER], resource)
    assert alice_ids <= west_ids
    if resource == "deals":
        with session_factory(both_settings)() as session:
            assert west_ids == _expected_deal_ids(session, west)
    if resource in ("deals", "activities"):
        assert not west_ids & (east_deals if resource == "deals" else east_activity_ids)
    _, admin_total = _all_ids(both_client, both_tokens[ADMIN], resource)
    assert admin_total == everything[resource]
    assert alice_total < admin_total and west_total < admin_total


def test_users_endpoint_and_me(both_client: TestClient, both_tokens: dict):
    me = both_client.get("/api/me", headers=auth(both_tokens[ALICE])).json()
    assert me["email"] == ALICE and me["role"] == "rep" and me["team"]["name"] == "West"
    seen = {u["email"] for u in both_client.get("/api/users", headers=auth(both_tokens[ALICE])).json()["items"]}
    assert ALICE in seen and WEST_MANAGER in seen and BOB not in seen and EAST_MANAGER not in seen
    admin_seen = both_client.get("/api/users", headers=auth(both_tokens[ADMIN])).json()
    assert admin_seen["total"] == 9


def test_deal_shape_carries_related_names(both_client: TestClient, both_tokens: dict):
    deal = both_client.get("/api/deals", params={"page_size": 1}, headers=auth(both_tokens[ALICE])).json()["items"][0]
    assert set(deal["account"]) == {"id", "name"}
    assert {"id", "email", "name"} <= set(deal["owner"])
    assert {"name", "is_closed", "is_won"} <= set(deal["stage"])
    for key in ("amount", "currency", "close_date", "next_step"):
        assert key in deal


def test_filters_narrow_the_list(both_client: TestClient, both_tokens: dict, both_settings: Settings):
    params = {"status": "open", "amount_min": 20000, "close_from": "2026-11-20", "close_to": "2027-03-31"}
    body = both_client.get("/api/deals", params=params, headers=auth(both_tokens[ALICE])).json()
    with session_factory(both_settings)() as session:
        from datetime import date

        from assistant.crm.models import Stage

        alice = _user(session, ALICE)
        expected = session.scalar(
            select(func.count())
            .select_from(Deal)
            .join(Stage, Stage.id == Deal.stage_id)
            .where(
                Deal.owner_id == alice.id,
                Stage.is_closed.is_(False),
                Deal.amount >= 20000,
                Deal.close_date >= date(2026, 11, 20),
                Deal.close_date <= date(2027, 3, 31),
            )
        )
    assert body["total"] == expected
    assert all(item["amount"] >= 20000 and not item["stage"]["is_closed"] for item in body["items"])
