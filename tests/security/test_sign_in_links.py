"""Sign-in links use a single-use, short-lived login token, never an API token, and never reach the access log
in full; demo API tokens are minted once (issue 14, finding 5)."""

import logging
import os
import re
import threading
import time
from collections.abc import Callable
from datetime import timedelta

import httpx
import uvicorn
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from adapters.web.signin import DEMO_TOKENS_FILE, demo_sign_in_lines
from assistant.crm.models import ApiToken, LoginToken, User
from assistant.crm.security import issue_login_token, revoke_token, token_digest, token_row
from assistant.crm.settings import Settings
from tests.support import ALICE, BOB, free_port, login_token_for


def test_an_api_token_is_not_a_sign_in_link(client: TestClient, api_tokens: dict[str, str]):
    response = client.get(f"/login/token?t={api_tokens[ALICE]}", follow_redirects=False)
    assert response.status_code == 401 and "invalid, expired or already used" in response.text
    assert "dw_session" not in client.cookies


def test_a_sign_in_link_works_once(client: TestClient, settings: Settings, db: Session):
    token = login_token_for(settings, BOB)
    [stored] = db.scalars(select(LoginToken.token_hash)).all()
    assert stored == token_digest(token) != token, "only its hash is stored"
    first = client.get(f"/login/token?t={token}", follow_redirects=False)
    assert first.status_code == 303 and first.headers["location"] == "/chat" and "dw_session" in client.cookies
    client.cookies.clear()
    second = client.get(f"/login/token?t={token}", follow_redirects=False)
    assert second.status_code == 401 and "already used" in second.text and "dw_session" not in client.cookies


def test_an_expired_sign_in_link_is_refused(client: TestClient, db: Session):
    user = db.scalars(select(User).where(User.email == ALICE)).one()
    token = issue_login_token(db, user, timedelta(seconds=-1))
    db.commit()
    response = client.get(f"/login/token?t={token}", follow_redirects=False)
    assert response.status_code == 401 and "dw_session" not in client.cookies


class Captured(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())


def test_the_access_log_never_holds_the_sign_in_token(
    settings: Settings, make_app: Callable[[Settings], FastAPI]
):  # fmt: skip
    app = make_app(settings)
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="info", access_log=True))
    captured = Captured()
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        while not server.started:
            time.sleep(0.02)
        logging.getLogger("uvicorn.access").addHandler(captured)
        token = login_token_for(settings, ALICE)
        with httpx.Client(base_url=f"http://127.0.0.1:{port}") as web:
            assert web.get(f"/login/token?t={token}").status_code == 303
            assert web.get(f"/login/token?next=/chat&t={token}").status_code == 401
    finally:
        logging.getLogger("uvicorn.access").removeHandler(captured)
        server.should_exit = True
        thread.join(timeout=10)
    sign_ins = [line for line in captured.lines if "/login/token" in line]
    assert len(sign_ins) == 2, captured.lines
    assert all("t=[redacted]" in line and token not in line for line in sign_ins), sign_ins


def printed(lines: list[str]) -> dict[str, tuple[str, str]]:
    """{email: (sign-in token, API token)} from the lines `serve` prints."""
    found = {}
    for index, line in enumerate(lines):
        link = re.search(r"(\S+@\S+)\s+http://\S+/login/token\?t=(dwl_\S+)", line)
        if link:
            api = re.search(r"Bearer (dw_\S+)'", lines[index + 1])
            assert api, lines[index + 1]
            found[link.group(1)] = (link.group(2), api.group(1))
    return found


def test_demo_api_tokens_are_minted_once_and_links_afresh(settings: Settings, db: Session):
    first = printed(demo_sign_in_lines(db, settings, "127.0.0.1", 8000))
    db.commit()
    second = printed(demo_sign_in_lines(db, settings, "127.0.0.1", 8000))
    db.commit()
    assert len(first) == 9 and first.keys() == second.keys()
    assert all(first[email][1] == second[email][1] for email in first), "the same API token each start"
    assert all(first[email][0] != second[email][0] for email in first), "a fresh sign-in link each start"
    assert len(db.scalars(select(ApiToken).where(ApiToken.name == "demo")).all()) == 9
    assert os.stat(settings.data_dir / DEMO_TOKENS_FILE).st_mode & 0o777 == 0o600

    row = token_row(db, first[ALICE][1])
    assert row is not None and row.user.email == ALICE
    revoke_token(db, row)
    db.commit()
    third = printed(demo_sign_in_lines(db, settings, "127.0.0.1", 8000))
    db.commit()
    assert third[ALICE][1] != first[ALICE][1] and token_row(db, third[ALICE][1]) is not None
    assert third[BOB][1] == first[BOB][1]
