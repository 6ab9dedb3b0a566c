"""What the app holds for its lifetime, and the FastAPI dependencies built on it."""

import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Annotated, Any

from fastapi import Depends, HTTPException, Request, Security
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session, sessionmaker

from assistant.agent.brains.factory import build_assistant
from assistant.crm.clock import Clock
from assistant.crm.db import session_scope
from assistant.crm.models import Channel
from assistant.crm.principal import Principal, principal_for
from assistant.crm.security import user_for_token
from assistant.crm.settings import Settings


@dataclass
class AppContext:
    settings: Settings
    sessions: sessionmaker[Session]
    clock: Clock
    _assistant: Any = None
    _assistant_lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def assistant(self) -> Any:
        """The Assistant (assistant.agent.conversation), built once, on first use or at start-up."""
        with self._assistant_lock:
            if self._assistant is None:
                self._assistant = build_assistant(self.settings, self.sessions, self.clock)
        return self._assistant


def app_context(request: Request) -> AppContext:
    return request.app.state.context


def db_session(context: Annotated[AppContext, Depends(app_context)]) -> Iterator[Session]:
    """One transaction per request: committed when the route returns, rolled back if it raises."""
    with session_scope(context.sessions) as session:
        yield session


DbSession = Annotated[Session, Depends(db_session, scope="function")]
"""Committed before the response is sent, so a client that writes and then reads sees its write."""


API_TOKEN = HTTPBearer(
    auto_error=False,
    scheme_name="bearerAuth",
    description="An API token: `dealwise users token EMAIL`, or a `curl` line that `make run` prints.",
)
"""The bearer scheme in the OpenAPI document, so /docs offers "Authorize" for every route that needs a token"""


def bearer_principal(
    db: DbSession,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Security(API_TOKEN)] = None,
) -> Principal:
    if credentials is None or not credentials.credentials.strip():
        raise HTTPException(
            401, "missing bearer token: send 'Authorization: Bearer <token>'", headers={"WWW-Authenticate": "Bearer"}
        )
    user = user_for_token(db, credentials.credentials.strip())
    if user is None:
        raise HTTPException(401, "invalid, expired or revoked API token", headers={"WWW-Authenticate": "Bearer"})
    return principal_for(db, user, Channel.api)


CurrentPrincipal = Annotated[Principal, Depends(bearer_principal)]
Context = Annotated[AppContext, Depends(app_context)]
