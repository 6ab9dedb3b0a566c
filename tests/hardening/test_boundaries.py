"""Finding 4 and the rest of the boundary: numbers, ids, pages, text and bodies a column or a server can hold.

Each check runs on SQLite and PostgreSQL: what one accepts and the other refuses would be a 500.
"""

from collections.abc import Iterator

import httpx
from fastapi.testclient import TestClient

from adapters.web.app import create_app
from assistant.crm.settings import Settings
from tests import support
from tests.support import auth
from tests.support.hardening import later, make_records

INT64_MAX = 2**63 - 1
ID_MAX = 2**31 - 1


def test_amounts_are_finite_and_fit_the_column(
    both_client: TestClient, both_tokens: dict[str, str], both_settings: Settings
):
    records = make_records(both_settings, support.ALICE)
    headers = auth(both_tokens[support.ALICE])
    path = f"/api/deals/{records.deal}"
    for amount in (1e12, 1e15, 1e308, -1):
        response = both_client.patch(path, json={"amount": amount}, headers=headers)
        assert response.status_code == 422 and "amount" in response.text, amount
    created = both_client.post(
        "/api/deals",
        json={"name": "Huge", "account_id": records.account, "amount": 1e13, "close_date": later()},
        headers=headers,
    )
    assert created.status_code == 422
    largest = both_client.patch(path, json={"amount": 999_999_999_999.99}, headers=headers)
    assert largest.status_code == 200 and largest.json()["amount"] == 999_999_999_999.99
    assert both_client.get(path, headers=headers).json()["amount"] == 999_999_999_999.99
    for bound in ("nan", "inf", "1e400"):
        listed = both_client.get("/api/deals", params={"amount_min": bound}, headers=headers)
        assert listed.status_code == 422, bound


def test_ids_beyond_their_columns_and_pages_beyond_64_bits_are_4xx(
    both_client: TestClient, both_tokens: dict[str, str], both_settings: Settings
):
    records = make_records(both_settings, support.ALICE)
    headers = auth(both_tokens[support.ALICE])
    for too_big in (2**63, 2**64, 10**30):
        for path in (f"/api/deals/{too_big}", f"/api/accounts/{too_big}", f"/api/deals/{too_big}/history"):
            assert both_client.get(path, headers=headers).status_code == 422, path
        for params in ({"owner_id": too_big}, {"account_id": too_big}, {"page": too_big}, {"page_size": too_big}):
            assert both_client.get("/api/deals", params=params, headers=headers).status_code == 422, params
        body = {"name": "X", "account_id": too_big, "close_date": later()}
        assert both_client.post("/api/deals", json=body, headers=headers).status_code == 422
        patched = both_client.patch(f"/api/deals/{records.deal}", json={"stage_id": too_big}, headers=headers)
        assert patched.status_code == 422
    for beyond in (2**63, 2**64):
        assert both_client.get("/api/deals", params={"page": beyond}, headers=headers).status_code == 422
    assert both_client.get(f"/api/deals/{ID_MAX}", headers=headers).status_code == 404
    edge = both_client.get("/api/deals", params={"owner_id": ID_MAX, "page": INT64_MAX}, headers=headers)
    assert edge.status_code == 200 and edge.json()["items"] == []
    far = both_client.get("/api/deals", params={"page": INT64_MAX, "page_size": 200}, headers=headers)
    assert far.status_code == 200 and far.json()["items"] == [] and far.json()["total"] > 0
    missing = both_client.post(
        "/api/deals", json={"name": "X", "account_id": ID_MAX, "close_date": later()}, headers=headers
    )
    assert missing.status_code == 422 and "does not exist" in missing.text
    employees = both_client.patch(f"/api/accounts/{records.account}", json={"employees": 2**31}, headers=headers)
    assert employees.status_code == 422


def test_the_largest_page_comes_from_settings(both_settings: Settings, both_tokens: dict[str, str]):
    settings = both_settings.model_copy(update={"api_page_size_max": 5})
    headers = auth(both_tokens[support.ADMIN])
    with TestClient(create_app(settings, clock=support.CLOCK)) as client:
        assert len(client.get("/api/deals", params={"page_size": 5}, headers=headers).json()["items"]) == 5
        refused = client.get("/api/deals", params={"page_size": 6}, headers=headers)
        assert refused.status_code == 422 and "less than or equal to 5" in refused.text


def test_text_is_bounded_per_field(both_client: TestClient, both_tokens: dict[str, str], both_settings: Settings):
    records = make_records(both_settings, support.ALICE)
    headers = auth(both_tokens[support.ALICE])
    too_long = [
        ("/api/accounts", {"name": "n" * 201}),
        ("/api/accounts", {"name": "ok", "industry": "i" * 101}),
        ("/api/contacts", {"last_name": "l" * 101}),
        ("/api/leads", {"last_name": "Lee", "notes": "n" * 20_001}),
        ("/api/deals", {"name": "D", "account_id": records.account, "close_date": later(), "next_step": "s" * 2001}),
        ("/api/activities", {"type": "note", "subject": "s" * 301, "account_id": records.account}),
    ]
    for path, body in too_long:
        response = both_client.post(path, json=body, headers=headers)
        assert response.status_code == 422 and "at most" in response.text, (path, response.text)
    unknown = both_client.patch(f"/api/deals/{records.deal}", json={"amount": 5, "owner": "me"}, headers=headers)
    assert unknown.status_code == 422 and "owner" in unknown.text
    long_search = both_client.get("/api/accounts", params={"q": "q" * 201}, headers=headers)
    assert long_search.status_code == 422
    nul_query = both_client.get("/api/accounts", params={"q": "a\x00b"}, headers=headers)
    assert nul_query.status_code == 400 and "NUL" in nul_query.text


def test_timestamps_carry_their_offset_and_offsets_are_honoured(
    both_client: TestClient, both_tokens: dict[str, str], both_settings: Settings
):
    records = make_records(both_settings, support.ALICE)
    headers = auth(both_tokens[support.ALICE])
    call = {"type": "call", "subject": "Berlin", "deal_id": records.deal, "occurred_at": "2026-11-19T15:30:00+01:00"}
    created = both_client.post("/api/activities", json=call, headers=headers).json()
    assert created["occurred_at"] == "2026-11-19T14:30:00+00:00"
    assert created["created_at"].endswith("+00:00") and created["updated_at"].endswith("+00:00")
    since = both_client.get(
        "/api/activities", params={"deal_id": records.deal, "since": "2026-11-19T15:00:00+01:00"}, headers=headers
    ).json()
    assert created["id"] in [a["id"] for a in since["items"]]
    history = both_client.get(f"/api/deals/{records.deal}/history", headers=headers)
    assert all(row["changed_at"].endswith("+00:00") for row in history.json())


def test_large_bodies_are_refused_before_they_are_read(shared_settings: Settings, shared_tokens: dict[str, str]):
    headers = {**auth(shared_tokens[support.ALICE]), "Content-Type": "application/json"}
    ten_mb = b'{"name": "' + b"x" * (10 * 1024 * 1024) + b'"}'
    app = create_app(shared_settings, clock=support.CLOCK)
    with support.live_server(app) as base, httpx.Client(base_url=base, timeout=60) as client:
        declared = client.post("/api/accounts", content=ten_mb, headers=headers)
        assert declared.status_code == 413 and "larger than" in declared.json()["detail"]

        def chunks() -> Iterator[bytes]:
            for start in range(0, len(ten_mb), 256 * 1024):
                yield ten_mb[start : start + 256 * 1024]

        streamed = client.post("/api/accounts", content=chunks(), headers=headers)
        assert streamed.status_code == 413
        small = client.post("/api/accounts", json={"name": "Still fine"}, headers=headers)
        assert small.status_code == 201
