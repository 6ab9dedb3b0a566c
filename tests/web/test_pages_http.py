"""The web pages over HTTP (no browser): sign-in, cookies, CSRF, access checks on record pages."""

from collections.abc import Callable, Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from assistant.crm.access import can_see
from assistant.crm.models import Account, Activity, Contact, Deal, User, WebSession
from assistant.crm.settings import Settings
from tests.support import ALICE, BOB, NOW, login_token_for, principal
from tests.support.web import csrf_from

PASSWORD = "dealwise-demo"


def sign_in(client: TestClient, email: str, password: str = PASSWORD) -> str:
    """Sign in through the form; returns the session's CSRF token from the chat page."""
    form = client.get("/login")
    response = client.post(
        "/login", data={"email": email, "password": password, "csrf_token": csrf_from(form.text), "next": "/chat"}
    )
    assert response.status_code == 200 and response.url.path == "/chat", response.text[:300]
    return csrf_from(response.text)


@pytest.fixture
def web(settings: Settings, make_app: Callable[[Settings], FastAPI]) -> Iterator[TestClient]:
    with TestClient(make_app(settings), base_url="http://127.0.0.1") as client:
        yield client


def owned_deal(db: Session, email: str) -> Deal:
    owner = db.scalars(select(User).where(User.email == email)).one()
    return db.scalars(select(Deal).where(Deal.owner_id == owner.id).order_by(Deal.id)).first()  # type: ignore[return-value]


def test_root_and_chat_send_a_signed_out_visitor_to_login(web: TestClient) -> None:
    assert web.get("/", follow_redirects=False).headers["location"] == "/login"
    response = web.get("/chat/abc", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/login?next=%2Fchat%2Fabc")


def test_wrong_password_is_refused_with_a_message(web: TestClient) -> None:
    form = web.get("/login")
    response = web.post(
        "/login", data={"email": ALICE, "password": "not-it", "csrf_token": csrf_from(form.text), "next": "/chat"}
    )
    assert response.status_code == 401
    assert "do not match" in response.text
    assert "dw_session" not in web.cookies


def test_password_sign_in_sets_a_hardened_session_cookie_stored_hashed(web: TestClient, db: Session) -> None:
    form = web.get("/login")
    response = web.post(
        "/login",
        data={"email": ALICE.upper(), "password": PASSWORD, "csrf_token": csrf_from(form.text), "next": "/chat"},
        follow_redirects=False,
    )
    assert response.status_code == 303 and response.headers["location"] == "/chat"
    cookie = next(c for c in response.headers.get_list("set-cookie") if c.startswith("dw_session="))
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Secure" not in cookie
    session_id = cookie.split(";")[0].split("=", 1)[1]
    stored = db.scalars(select(WebSession)).all()
    assert len(stored) == 1 and session_id not in {row.id_hash for row in stored}
    assert web.get("/", follow_redirects=False).headers["location"] == "/chat"


def test_https_base_url_makes_the_cookie_secure(
    settings_for: Callable[..., Settings], db_url: str, make_app: Callable[[Settings], FastAPI]
) -> None:
    settings = settings_for(db_url, base_url="https://crm.example.com")
    app = make_app(settings)
    with TestClient(app, base_url="https://testserver") as client:
        response = client.get(f"/login/token?t={login_token_for(settings, ALICE)}", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/chat"
    assert "Secure" in response.headers["set-cookie"]


def test_login_without_the_form_token_is_refused(web: TestClient) -> None:
    response = web.post("/login", data={"email": ALICE, "password": PASSWORD, "next": "/chat"})
    assert response.status_code == 401 and "expired" in response.text
    assert "dw_session" not in web.cookies


def test_token_link_signs_in_and_a_bad_token_does_not(web: TestClient, settings: Settings) -> None:
    bad = web.get("/login/token?t=dwl_nope")
    assert bad.status_code == 401 and "invalid, expired or already used" in bad.text
    good = web.get(f"/login/token?t={login_token_for(settings, BOB)}")
    assert good.url.path == "/chat" and "Erin Chen" in good.text


def test_posts_without_the_csrf_token_are_rejected(web: TestClient) -> None:
    token = sign_in(web, ALICE)
    no_header = web.post("/web/chat/stream", json={"message": "hello"})
    assert no_header.status_code == 403 and "CSRF" in no_header.json()["detail"]
    wrong = web.post("/web/chat/stream", json={"message": "hello"}, headers={"X-CSRF-Token": token + "x"})
    assert wrong.status_code == 403
    logout = web.post("/logout", data={}, follow_redirects=False)
    assert logout.status_code == 403
    assert web.get("/chat").url.path == "/chat"


def test_sign_out_ends_the_session(web: TestClient) -> None:
    token = sign_in(web, ALICE)
    response = web.post("/logout", data={"csrf_token": token}, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/login"
    assert web.get("/chat", follow_redirects=False).status_code == 303
    assert web.post("/web/chat/stream", json={"message": "hi"}, headers={"X-CSRF-Token": token}).status_code == 401


def test_record_pages_follow_the_access_rules(web: TestClient, db: Session) -> None:
    own, other = owned_deal(db, ALICE), owned_deal(db, BOB)
    sign_in(web, ALICE)
    page = web.get(f"/records/deal/{own.id}")
    assert page.status_code == 200 and own.name in page.text and own.account.name in page.text
    hidden = web.get(f"/records/deal/{other.id}")
    assert hidden.status_code == 404 and other.name not in hidden.text
    assert web.get("/records/deal/999999").status_code == 404
    assert web.get(f"/records/nonsense/{own.id}").status_code == 404
    account = web.get(f"/records/account/{own.account_id}")
    assert account.status_code == 200 and f"/records/deal/{own.id}" in account.text


def test_another_users_thread_is_not_found(web: TestClient) -> None:
    sign_in(web, ALICE)
    assert web.get("/chat/00000000-0000-0000-0000-000000000000").status_code == 404


def test_record_pages_never_name_a_linked_record_the_viewer_cannot_open(web: TestClient, db: Session) -> None:
    alice = principal(db, ALICE)
    bob_deal, closed_contact = next(
        (deal, contact)
        for deal in db.scalars(select(Deal).where(Deal.owner_id == principal(db, BOB).user_id).order_by(Deal.id))
        if not can_see(db, alice, Account, deal.account_id)
        for contact in db.scalars(select(Contact).where(Contact.account_id == deal.account_id)).all()[:1]
    )
    closed_account = bob_deal.account
    note = Activity(
        type="note", subject="Heard about their renewal", occurred_at=NOW, author_id=alice.user_id,
        deal_id=bob_deal.id, account_id=closed_account.id, contact_id=closed_contact.id,
    )  # fmt: skip
    own_contact = Contact(first_name="Pat", last_name="Lindqvist", account_id=closed_account.id, owner_id=alice.user_id)
    db.add_all([note, own_contact])
    db.commit()
    sign_in(web, ALICE)

    for path in (f"/records/activity/{note.id}", f"/records/contact/{own_contact.id}"):
        page = web.get(path)
        assert page.status_code == 200, path
        assert "a record you can't open" in page.text
        for name in (bob_deal.name, closed_account.name, closed_contact.name):
            assert name not in page.text, (path, name)
        for target in (f"/records/deal/{bob_deal.id}", f"/records/account/{closed_account.id}"):
            assert f'href="{target}"' not in page.text, (path, target)

    own = owned_deal(db, ALICE)
    visible = web.get(f"/records/deal/{own.id}")
    assert f'href="/records/account/{own.account_id}"' in visible.text and "can't open" not in visible.text
