"""Writes: validation names the field and rule, nothing is half-written, every change is audited."""

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from assistant.crm.db import session_factory
from assistant.crm.models import AuditEntry, Deal, DealStageHistory, Pipeline, Stage, User
from assistant.crm.settings import Settings
from tests.support import ALICE, auth


def _counts(settings: Settings) -> tuple[int, int, int]:
    with session_factory(settings)() as session:
        return (
            session.scalar(select(func.count()).select_from(Deal)),
            session.scalar(select(func.count()).select_from(AuditEntry)),
            session.scalar(select(func.count()).select_from(DealStageHistory)),
        )


def _alice_deal(settings: Settings) -> Deal:
    with session_factory(settings)() as session:
        alice = session.scalars(select(User).where(User.email == ALICE)).one()
        open_deals = select(Deal).join(Stage).where(Deal.owner_id == alice.id, Stage.is_closed.is_(False))
        return session.scalars(open_deals.where(Stage.name != "Negotiation").order_by(Deal.id)).first()


def test_bad_requests_get_clear_4xx_and_write_nothing(both_client: TestClient, both_tokens, both_settings: Settings):
    token = both_tokens[ALICE]
    deal = _alice_deal(both_settings)
    before = _counts(both_settings)
    with session_factory(both_settings)() as session:
        other_pipeline = session.scalars(select(Pipeline).where(Pipeline.name == "Renewals")).one()
        foreign_stage = session.scalars(select(Stage).where(Stage.pipeline_id == other_pipeline.id)).first()
    cases = [
        (
            both_client.post(
                "/api/deals", content=b"{not json", headers={**auth(token), "Content-Type": "application/json"}
            ),
            422,
            "json",
        ),
        (
            both_client.post("/api/deals", json={"name": "X", "account_id": "abc"}, headers=auth(token)),
            422,
            "account_id",
        ),
        (
            both_client.post(
                "/api/deals", json={"name": "X", "account_id": 999999, "close_date": "2027-01-01"}, headers=auth(token)
            ),
            422,
            "account",
        ),
        (
            both_client.patch(f"/api/deals/{deal.id}", json={"stage_id": foreign_stage.id}, headers=auth(token)),
            422,
            "another pipeline",
        ),
        (both_client.patch(f"/api/deals/{deal.id}", json={"amount": -5}, headers=auth(token)), 422, "amount"),
        (
            both_client.post(
                "/api/deals", json={"name": "No close", "account_id": deal.account_id}, headers=auth(token)
            ),
            422,
            "close date",
        ),
        (
            both_client.post("/api/contacts", json={"last_name": "Doe", "email": "not-an-email"}, headers=auth(token)),
            422,
            "email",
        ),
        (
            both_client.post("/api/contacts", json={"last_name": "Doe", "phone": "call me"}, headers=auth(token)),
            422,
            "phone",
        ),
        (both_client.get("/api/deals/987654", headers=auth(token)), 404, "not found"),
        (both_client.get("/api/deals"), 401, "missing bearer token"),
        (both_client.get("/api/deals", headers=auth("dw_wrong")), 401, "invalid"),
    ]
    for response, status, reason in cases:
        assert response.status_code == status, (response.status_code, response.text)
        assert reason in response.text.lower(), response.text
    assert _counts(both_settings) == before


def test_stage_change_records_history_and_audit(both_client: TestClient, both_tokens, both_settings: Settings):
    deal = _alice_deal(both_settings)
    with session_factory(both_settings)() as session:
        negotiation = session.scalars(select(Stage).where(Stage.name == "Negotiation")).one()
    response = both_client.patch(
        f"/api/deals/{deal.id}", json={"stage_id": negotiation.id, "amount": 42000}, headers=auth(both_tokens[ALICE])
    )
    assert response.status_code == 200, response.text
    assert response.json()["stage"]["name"] == "Negotiation" and response.json()["amount"] == 42000
    history = both_client.get(f"/api/deals/{deal.id}/history", headers=auth(both_tokens[ALICE])).json()
    assert history[-1]["to_stage"]["name"] == "Negotiation" and history[-1]["changed_by"]["email"] == ALICE
    with session_factory(both_settings)() as session:
        entry = session.scalars(
            select(AuditEntry)
            .where(AuditEntry.entity_type == "deal", AuditEntry.entity_id == deal.id)
            .order_by(AuditEntry.id.desc())
        ).first()
        assert entry.channel == "api" and entry.action == "update"
        assert entry.changes["amount"] == [float(deal.amount), 42000.0]
        assert entry.changes["stage_id"] == [deal.stage_id, negotiation.id]


def test_create_and_update_records(both_client: TestClient, both_tokens, both_settings: Settings):
    headers = auth(both_tokens[ALICE])
    account = both_client.post("/api/accounts", json={"name": "Zephyr Labs", "industry": "Software"}, headers=headers)
    assert account.status_code == 201 and account.json()["owner"]["email"] == ALICE
    account_id = account.json()["id"]
    contact = both_client.post(
        "/api/contacts",
        json={
            "first_name": "Ada",
            "last_name": "Byron",
            "account_id": account_id,
            "email": "ada@zephyr.example",
            "phone": "+44 20 7946 0958",
        },
        headers=headers,
    )
    assert contact.status_code == 201 and contact.json()["account"]["name"] == "Zephyr Labs"
    deal = both_client.post(
        "/api/deals",
        json={
            "name": "Zephyr pilot",
            "account_id": account_id,
            "amount": 12000,
            "close_date": "2027-01-15",
            "primary_contact_id": contact.json()["id"],
        },
        headers=headers,
    )
    assert deal.status_code == 201, deal.text
    assert deal.json()["stage"]["name"] == "Prospecting" and deal.json()["primary_contact"]["name"] == "Ada Byron"
    activity = both_client.post(
        "/api/activities",
        json={"type": "call", "subject": "Intro call", "body": "Went well", "deal_id": deal.json()["id"]},
        headers=headers,
    )
    assert activity.status_code == 201 and activity.json()["account"]["id"] == account_id
    task = both_client.post(
        "/api/activities", json={"type": "task", "subject": "Send deck", "deal_id": deal.json()["id"]}, headers=headers
    )
    assert task.status_code == 422 and "due date" in task.text
    lead = both_client.post(
        "/api/leads", json={"last_name": "Lovelace", "company": "Analytical Engines"}, headers=headers
    )
    converted = both_client.post(
        f"/api/leads/{lead.json()['id']}/convert",
        json={"deal_name": "Engines", "amount": 5000, "close_date": "2027-02-01"},
        headers=headers,
    )
    assert converted.status_code == 200 and converted.json()["status"] == "converted"
    assert converted.json()["converted_deal_id"] is not None
    again = both_client.post(f"/api/leads/{lead.json()['id']}/convert", json={}, headers=headers)
    assert again.status_code == 422 and "already converted" in again.text
    with session_factory(both_settings)() as session:
        actions = session.scalars(
            select(AuditEntry.action).where(
                AuditEntry.entity_type.in_(["account", "contact", "deal", "activity", "lead"]),
                AuditEntry.channel == "api",
            )
        ).all()
        assert actions.count("create") >= 5 and "convert" in actions


def test_admin_creates_users_and_tokens(client: TestClient, api_tokens):
    admin = auth(api_tokens["alex.admin@dealwise.demo"])
    created = client.post(
        "/api/users",
        json={"email": "new.rep@dealwise.demo", "name": "New Rep", "role": "rep", "team_id": 1},
        headers=admin,
    )
    assert created.status_code == 201, created.text
    token = client.post(f"/api/users/{created.json()['id']}/tokens", headers=admin).json()["token"]
    me = client.get("/api/me", headers=auth(token)).json()
    assert me["email"] == "new.rep@dealwise.demo"
    assert client.get("/api/deals", headers=auth(token)).json()["total"] == 0
    refused = client.post("/api/users", json={"email": "x@y.example", "name": "X"}, headers=auth(api_tokens[ALICE]))
    assert refused.status_code == 403
    duplicate = client.post("/api/users", json={"email": "new.rep@dealwise.demo", "name": "Again"}, headers=admin)
    assert duplicate.status_code == 422 and "already exists" in duplicate.text
