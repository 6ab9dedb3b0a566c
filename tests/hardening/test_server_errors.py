"""Finding 8: every request schemathesis turned into an HTTP 500, replayed; each now gets a clear 4xx or an answer."""

import hashlib
import hmac
import io
import json
import time
import zipfile
from collections.abc import Callable, Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from adapters.web.app import create_app
from assistant.crm.db import session_factory
from assistant.crm.models import ImportRun, Lead
from assistant.crm.settings import Settings
from tests import support
from tests.fakes.slack_api import SlackApiStandIn
from tests.support import ADMIN, ALICE, auth
from tests.support.hardening import Records

JSON = {"Content-Type": "application/json"}
SIGNING_SECRET = "hardening-signing-secret"


def _problem(response) -> str:  # noqa: ANN001
    """The answer's text, after checking it is a 4xx with a JSON body that says what was wrong."""
    assert 400 <= response.status_code < 500, (response.status_code, response.text)
    return json.dumps(response.json()["detail"])


@pytest.mark.parametrize("number", ["NaN", "Infinity", "-Infinity", "1e999999", "1e309"])
def test_a_non_finite_number_in_a_body_is_a_422_that_can_be_read(
    number: str, shared_client: TestClient, shared_tokens: dict[str, str], records_of: Callable[[str], Records]
):
    deal = records_of(ALICE).deal
    headers = {**auth(shared_tokens[ALICE]), **JSON}
    response = shared_client.patch(f"/api/deals/{deal}", content=f'{{"amount": {number}}}', headers=headers)
    assert response.status_code == 422 and "amount" in _problem(response) and "finite" in response.text
    assert shared_client.get(f"/api/deals/{deal}", headers=headers).json()["amount"] == 1000


@pytest.mark.parametrize(
    ("kind", "field"),
    [
        ("accounts", "name"),
        ("contacts", "last_name"),
        ("leads", "status"),
        ("deals", "stage_id"),
        ("activities", "subject"),
    ],
)
def test_an_explicit_null_for_a_required_field_is_a_422(
    kind: str,
    field: str,
    shared_client: TestClient,
    shared_tokens: dict[str, str],
    records_of: Callable[[str], Records],
):
    records = records_of(ALICE)
    record_id = getattr(records, "activity" if kind == "activities" else kind.removesuffix("s"))
    headers = auth(shared_tokens[ALICE])
    before = shared_client.get(f"/api/{kind}/{record_id}", headers=headers).json()
    response = shared_client.patch(f"/api/{kind}/{record_id}", json={field: None}, headers=headers)
    assert response.status_code == 422 and field in _problem(response)
    assert shared_client.get(f"/api/{kind}/{record_id}", headers=headers).json() == before


@pytest.mark.parametrize("text", ['"x\\ud800"', '"\\udfff tail"', '"nul \\u0000 inside"'])
def test_text_no_database_can_store_is_a_422(
    text: str, shared_client: TestClient, shared_tokens: dict[str, str], records_of: Callable[[str], Records]
):
    records = records_of(ALICE)
    headers = {**auth(shared_tokens[ALICE]), **JSON}
    patched = shared_client.patch(f"/api/deals/{records.deal}", content=f'{{"next_step": {text}}}', headers=headers)
    created = shared_client.post("/api/accounts", content=f'{{"name": {text}}}', headers=headers)
    for response in (patched, created):
        assert response.status_code == 422 and "not valid Unicode" in _problem(response)
    assert shared_client.get(f"/api/deals/{records.deal}", headers=headers).json()["next_step"] is None


def test_converting_a_lead_with_a_date_that_is_not_a_date_is_a_422(
    shared_client: TestClient, shared_tokens: dict[str, str], shared_settings: Settings, records_of: Callable
):
    lead = records_of(ALICE).lead
    response = shared_client.post(
        f"/api/leads/{lead}/convert",
        json={"deal_name": "D", "close_date": "not-a-date"},
        headers=auth(shared_tokens[ALICE]),
    )
    assert response.status_code == 422 and "close_date" in _problem(response)
    with session_factory(shared_settings)() as session:
        assert session.get_one(Lead, lead).status == "new"


@pytest.mark.parametrize("message", ["which deals close on 2026-02-30?", "what did I log since 2026-13-01?"])
def test_an_impossible_date_typed_in_chat_gets_an_answer(
    message: str, shared_client: TestClient, shared_tokens: dict[str, str]
):
    response = shared_client.post("/api/chat", json={"message": message}, headers=auth(shared_tokens[ALICE]))
    assert response.status_code == 200, response.text
    assert "check its dates" in response.json()["answer"]


def test_a_50kb_search_is_a_422(shared_client: TestClient, shared_tokens: dict[str, str]):
    for kind in ("accounts", "contacts", "leads", "deals", "activities"):
        response = shared_client.get(f"/api/{kind}", params={"q": "x" * 50_000}, headers=auth(shared_tokens[ALICE]))
        assert response.status_code == 422 and "200 characters" in _problem(response)


@pytest.mark.parametrize("name", ["%C3%A9t%C3%A9", "%E2%82%AC100", "%F0%9F%93%88", "o%19", "tab%09bed"])
def test_a_non_ascii_admin_path_without_a_session_is_sent_to_sign_in(name: str, shared_client: TestClient):
    response = shared_client.get(f"/admin/evals/{name}", follow_redirects=False)
    assert response.status_code in (303, 401, 404), response.text
    location = response.headers.get("location", "")
    assert location.isascii() and location.isprintable()


def _slack_post(client: TestClient, body: bytes, timestamp: str) -> int:
    signature = (
        "v0=" + hmac.new(SIGNING_SECRET.encode(), f"v0:{timestamp}:".encode() + body, hashlib.sha256).hexdigest()
    )
    headers = {
        "X-Slack-Request-Timestamp": timestamp,
        "X-Slack-Signature": signature,
        "Content-Type": "application/json",
    }
    return client.post("/slack/events", content=body, headers=headers).status_code


@pytest.fixture
def slack_client(settings_for: Callable[..., Settings], db_url: str) -> Iterator[TestClient]:
    stand_in = SlackApiStandIn(bot_token="xoxb-hardening").start()
    settings = settings_for(
        db_url,
        run_worker=False,
        slack_bot_token="xoxb-hardening",
        slack_signing_secret=SIGNING_SECRET,
        slack_api_url=stand_in.api_url,
    )
    with TestClient(create_app(settings, clock=support.CLOCK), raise_server_exceptions=False) as client:
        yield client
    stand_in.stop()


def test_a_slack_timestamp_that_is_not_a_number_is_a_401(slack_client: TestClient):
    body = json.dumps({"type": "url_verification", "challenge": "c-1"}).encode()
    for timestamp in ("abc", "", "1e9", "-5", "12.5", "9" * 40):
        assert _slack_post(slack_client, body, timestamp) == 401, timestamp
    assert _slack_post(slack_client, body, str(int(time.time()))) == 200


def _zip_with_bad_crc() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as archive:
        archive.writestr("Account.csv", "Id,Name\n001,Initech\n")
    data = bytearray(buffer.getvalue())
    data[data.index(b"Initech")] ^= 0x20
    return bytes(data)


def test_a_zip_with_a_bad_crc_is_a_422_and_queues_nothing(
    shared_client: TestClient, shared_tokens: dict[str, str], shared_settings: Settings
):
    with session_factory(shared_settings)() as session:
        before = session.scalar(select(func.count()).select_from(ImportRun))
    files = {"file": ("export.zip", _zip_with_bad_crc(), "application/zip")}
    response = shared_client.post(
        "/api/imports", files=files, data={"source": "salesforce"}, headers=auth(shared_tokens[ADMIN])
    )
    assert response.status_code == 422 and "Account.csv" in _problem(response)
    with session_factory(shared_settings)() as session:
        assert session.scalar(select(func.count()).select_from(ImportRun)) == before
