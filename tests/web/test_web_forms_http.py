"""Web forms over HTTP (no browser): bad input is refused with a reason a person can read (a page for a
browser, JSON for an API client), and a refused upload stores nothing."""

import io
import re
import wave
from collections.abc import Callable, Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from assistant.crm.models import CallRecording, Deal, Stage, Thread, User
from assistant.crm.settings import Settings
from tests.support import ADMIN, ALICE, BOB, login_token_for, tokens_for

BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}


def signed_in(client: TestClient, settings: Settings, email: str) -> str:
    """Sign in with a one-click link; returns the session's CSRF token."""
    page = client.get(f"/login/token?t={login_token_for(settings, email)}")
    assert page.url.path == "/chat", page.text[:300]
    match = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert match
    return match.group(1)


@pytest.fixture
def web(settings: Settings, make_app: Callable[[Settings], FastAPI]) -> Iterator[TestClient]:
    with TestClient(make_app(settings), base_url="http://127.0.0.1") as client:
        yield client


def silence(seconds: float = 2.0) -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as clip:
        clip.setnchannels(1)
        clip.setsampwidth(2)
        clip.setframerate(16000)
        clip.writeframes(b"\0\0" * int(16000 * seconds))
    return buffer.getvalue()


def first_deal(db: Session, email: str, closed: bool) -> Deal:
    query = (
        select(Deal)
        .join(User, User.id == Deal.owner_id)
        .join(Stage, Stage.id == Deal.stage_id)
        .where(User.email == email, Stage.is_closed.is_(closed))
        .order_by(Deal.id)
    )
    return db.scalars(query).unique().first()  # type: ignore[return-value]


def counts(db: Session) -> tuple[int, int]:
    db.expire_all()
    return db.scalar(select(func.count(CallRecording.id))) or 0, db.scalar(select(func.count(Thread.id))) or 0


def test_an_upload_for_a_deal_the_person_cannot_choose_is_refused_and_stores_nothing(
    web: TestClient, settings: Settings, db: Session
) -> None:
    csrf = signed_in(web, settings, ALICE)
    before = counts(db)
    for deal in (first_deal(db, BOB, closed=False), first_deal(db, ALICE, closed=True)):
        refused = web.post(
            "/web/calls",
            files={"audio": ("note.wav", silence(), "audio/wav")},
            data={"deal_id": str(deal.id)},
            headers={"X-CSRF-Token": csrf, "Accept": "application/json"},
        )
        assert refused.status_code == 422 and "Choose one of your open deals" in refused.json()["detail"]
    assert counts(db) == before, "a refused upload left a recording or a conversation behind"


def test_an_upload_that_proposes_nothing_is_kept_as_a_conversation(
    web: TestClient, settings: Settings, db: Session
) -> None:
    csrf = signed_in(web, settings, ALICE)
    answer = web.post(
        "/web/calls",
        files={"audio": ("quiet.wav", silence(), "audio/wav")},
        headers={"X-CSRF-Token": csrf, "Accept": "application/json"},
    )
    assert answer.status_code == 200, answer.text
    response = answer.json()["response"]
    assert response["answer"].startswith("I could not process quiet.wav") and response["thread_id"]
    chat = web.get("/chat")
    assert f'href="/chat/{response["thread_id"]}"' in chat.text, "the upload's conversation is not listed"
    reopened = web.get(f"/chat/{response['thread_id']}")
    assert "(audio clip quiet.wav)" in reopened.text and "I could not process quiet.wav" in reopened.text


def test_a_bad_run_request_is_a_page_for_a_person_and_json_for_an_api_client(
    web: TestClient, settings: Settings
) -> None:
    csrf = signed_in(web, settings, ADMIN)
    page = web.post("/admin/evals/run", data={"csrf_token": csrf, "datasets": "no-such-set"}, headers=BROWSER)
    assert page.status_code == 422 and page.headers["content-type"].startswith("text/html")
    assert "dataset named no-such-set" in page.text and "Please check what you entered" in page.text
    assert 'id="sign-out"' in page.text

    token = tokens_for(settings)[ADMIN]
    api = web.post(
        "/admin/evals/run", data={"datasets": "no-such-set"}, headers={"Authorization": f"Bearer {token}", **BROWSER}
    )
    assert api.status_code == 422 and "no dataset named no-such-set" in api.json()["detail"]


def test_a_person_following_a_stale_link_gets_a_page_and_fetch_gets_json(web: TestClient, settings: Settings) -> None:
    signed_in(web, settings, ALICE)
    page = web.get("/admin/evals/20990101-000000-offline", headers=BROWSER)
    assert page.status_code == 403 and "You do not have access to this page" in page.text
    as_json = web.get("/admin/evals", headers={"Accept": "application/json"})
    assert as_json.status_code == 403 and as_json.json()["detail"] == "evaluation reports are for admins only"
    api = web.get("/api/deals/1", headers=BROWSER)
    assert api.status_code == 401 and api.headers["content-type"].startswith("application/json")


def test_the_prep_button_refuses_an_empty_request_and_keeps_the_person_on_a_page(
    web: TestClient, settings: Settings
) -> None:
    csrf = signed_in(web, settings, ALICE)
    refused = web.post("/web/chat/ask", data={"csrf_token": csrf, "message": "   "}, headers=BROWSER)
    assert refused.status_code == 422 and "The message is empty" in refused.text
    assert refused.headers["content-type"].startswith("text/html")
