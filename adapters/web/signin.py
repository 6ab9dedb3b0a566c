"""One-click sign-in links: minted for the demo users at start-up, and kept out of the access log.

Each `serve` start prints a fresh single-use sign-in link per demo user, and a curl line with that
user's demo API token. The demo API token is minted once and kept in
`DEALWISE_DATA_DIR/demo-api-tokens.json` (readable by its owner only, like the SQLite database beside it), so
every start prints the same one until it expires or is revoked; then a new one is minted.
"""

import json
import logging
import os
import re
from datetime import timedelta
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from assistant.crm.models import User
from assistant.crm.security import issue_login_token, token_row
from assistant.crm.services.tokens import create_token, token_lifetime
from assistant.crm.settings import Settings
from ingest.demo_org import DEMO_DOMAIN

DEMO_TOKENS_FILE = "demo-api-tokens.json"
DEMO_TOKEN_NAME = "demo"
_SIGN_IN_SECRET = re.compile(r"(/login/token\?(?:[^\s\"]*&)?t=)[^&\s\"]+")


def sign_in_link(session: Session, settings: Settings, user: User, base_url: str) -> str:
    token = issue_login_token(session, user, timedelta(minutes=settings.login_link_minutes))
    return f"{base_url.rstrip('/')}/login/token?t={token}"


def _stored_tokens(path: Path) -> dict[str, str]:
    try:
        stored = json.loads(path.read_text())
    except (OSError, ValueError):
        return {}
    return {str(k): str(v) for k, v in stored.items()} if isinstance(stored, dict) else {}


def _store_tokens(path: Path, tokens: dict[str, str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w") as file:
        json.dump(tokens, file, indent=1)


def demo_api_token(session: Session, settings: Settings, user: User, stored: dict[str, str]) -> str:
    """The demo user's stored API token while it still works; otherwise a new one (and `stored` is updated)."""
    token = stored.get(user.email)
    row = token_row(session, token) if token else None
    if token and row is not None and row.user_id == user.id:
        return token
    _, token = create_token(session, None, user, DEMO_TOKEN_NAME, token_lifetime(None, settings.api_token_days))
    stored[user.email] = token
    return token


def demo_sign_in_lines(session: Session, settings: Settings, host: str, port: int) -> list[str]:
    users = session.scalars(select(User).where(User.email.like(f"%@{DEMO_DOMAIN}")).order_by(User.id)).all()
    path = settings.data_dir / DEMO_TOKENS_FILE
    stored = _stored_tokens(path)
    before = dict(stored)
    lines = []
    for user in users:
        link = sign_in_link(session, settings, user, f"http://{host}:{port}")
        token = demo_api_token(session, settings, user, stored)
        lines.append(f"  {user.role:<8} {user.email:<32} {link}")
        lines.append(f"  {'':<8} curl -H 'Authorization: Bearer {token}' http://{host}:{port}/api/deals")
    if stored != before:
        _store_tokens(path, stored)
    if users:
        minutes = settings.login_link_minutes
        lines.append(f"  (each link works once, for {minutes} minutes; `dealwise users link EMAIL` prints another)")
    return lines


def _redact(text: str) -> str:
    return _SIGN_IN_SECRET.sub(r"\1[redacted]", text)


class RedactSignInLinks(logging.Filter):
    """Replaces the token of a /login/token?t=… request line with [redacted] before it is logged."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(_redact(arg) if isinstance(arg, str) else arg for arg in record.args)
        elif isinstance(record.msg, str):
            record.msg = _redact(record.msg)
        return True


def redact_sign_in_links(logger_name: str = "uvicorn.access") -> None:
    """Install the filter on uvicorn's access log, once (uvicorn's logging setup keeps logger filters)."""
    logger = logging.getLogger(logger_name)
    if not any(isinstance(existing, RedactSignInLinks) for existing in logger.filters):
        logger.addFilter(RedactSignInLinks())
