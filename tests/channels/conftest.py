"""Channel fixtures: the real app over real HTTP with a Slack Web API stand-in, and real SMTP servers for email.

Slack: the app runs under uvicorn (support.live_server) with Slack settings pointing at a local
stand-in of Slack's Web API; tests post signed Events API payloads and read what reached "Slack".
Email: the aiosmtpd listener on a free port, and a second aiosmtpd server as the outbound relay
that captures the assistant's replies.
"""

import hashlib
import hmac
import json
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any
from urllib.parse import urlencode

import httpx
import pytest
from aiosmtpd.controller import Controller

from adapters.email.handling import EmailProcessor
from adapters.email.listener import EmailListener
from adapters.web.context import AppContext
from assistant.crm.db import engine_for, session_factory
from assistant.crm.settings import Settings
from tests import support
from tests.fakes.slack_api import SlackApiStandIn, event_callback
from tests.support import ALICE, BOB

SIGNING_SECRET = "test-signing-secret"
BOT_TOKEN = "xoxb-test-token"
RITA_SLACK = "URITA0001"
ERIN_SLACK = "UERIN0001"
STRANGER_SLACK = "USTRANGER1"
ASSISTANT_ADDRESS = "dealwise@dealwise.test"
BASE_URL = "http://dealwise.test"


def sign(body: bytes, timestamp: int, secret: str = SIGNING_SECRET) -> str:
    base = f"v0:{timestamp}:".encode() + body
    return "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()


@dataclass
class SlackClient:
    """Posts to the app's Slack endpoints the way Slack does: signed, form- or JSON-encoded."""

    url: str
    api: SlackApiStandIn
    counter: int = 0

    def post(
        self,
        path: str,
        body: bytes,
        content_type: str,
        timestamp: int | None = None,
        secret: str = SIGNING_SECRET,
        headers: dict[str, str] | None = None,
    ) -> httpx.Response:
        stamp = int(time.time()) if timestamp is None else timestamp
        sent = {
            "Content-Type": content_type,
            "X-Slack-Request-Timestamp": str(stamp),
            "X-Slack-Signature": sign(body, stamp, secret),
            **(headers or {}),
        }
        return httpx.post(f"{self.url}{path}", content=body, headers=sent, timeout=30)

    def event(self, event: dict[str, Any], event_id: str | None = None, **kwargs: Any) -> tuple[httpx.Response, str]:
        self.counter += 1
        event_id = event_id or f"Ev{int(time.time() * 1000)}{self.counter}"
        payload = event_callback(event, event_id)
        return self.post("/slack/events", json.dumps(payload).encode(), "application/json", **kwargs), event_id

    def mention(self, user: str, text: str, ts: str | None = None, **kwargs: Any) -> tuple[httpx.Response, str, str]:
        ts = ts or f"{time.time():.6f}"
        event = {
            "type": "app_mention",
            "user": user,
            "text": f"<@UDEALWISEBOT> {text}",
            "ts": ts,
            "channel": "CSALES",
            "event_ts": ts,
        }
        response, event_id = self.event(event, **kwargs)
        return response, event_id, ts

    def dm(self, user: str, text: str, **extra: Any) -> tuple[httpx.Response, str]:
        ts = f"{time.time():.6f}"
        event = {
            "type": "message",
            "channel_type": "im",
            "user": user,
            "text": text,
            "ts": ts,
            "channel": f"D{user}",
            "event_ts": ts,
            **extra,
        }
        return self.event(event)

    def command(self, user: str, text: str, key: str = "cmd") -> httpx.Response:
        self.counter += 1
        form = {
            "token": "legacy",
            "team_id": "T0DEMO",
            "channel_id": "CSALES",
            "user_id": user,
            "command": "/dealwise",
            "text": text,
            "response_url": self.api.response_url(key),
            "trigger_id": f"trig.{time.time()}.{self.counter}",
        }
        return self.post("/slack/events", urlencode(form).encode(), "application/x-www-form-urlencoded")

    def click(self, user: str, message_call: Any, action_id: str) -> httpx.Response:
        """Click a button of a message the app posted (as recorded by the stand-in)."""
        blocks = message_call.params["blocks"]
        if isinstance(blocks, str):
            blocks = json.loads(blocks)
        button = next(e for b in blocks if b["type"] == "actions" for e in b["elements"] if e["action_id"] == action_id)
        self.counter += 1
        payload = {
            "type": "block_actions",
            "user": {"id": user},
            "team": {"id": "T0DEMO"},
            "api_app_id": "A0DEALWISE",
            "container": {
                "type": "message",
                "message_ts": "1700000000.000100",
                "channel_id": message_call.params["channel"],
                "is_ephemeral": False,
            },
            "channel": {"id": message_call.params["channel"]},
            "trigger_id": f"trig.{self.counter}",
            "response_url": self.api.response_url(f"action{self.counter}"),
            "message": {"ts": "1700000000.000100", "text": message_call.params.get("text"), "blocks": blocks},
            "actions": [
                {
                    "action_id": action_id,
                    "block_id": "b",
                    "value": button["value"],
                    "type": "button",
                    "action_ts": f"{time.time():.6f}",
                }
            ],
        }
        body = urlencode({"payload": json.dumps(payload)}).encode()
        return self.post("/slack/interactions", body, "application/x-www-form-urlencoded")


@pytest.fixture
def slack_api() -> Iterator[SlackApiStandIn]:
    stand_in = SlackApiStandIn(bot_token=BOT_TOKEN).start()
    stand_in.add_user(RITA_SLACK, ALICE, "Rita Lopez")
    stand_in.add_user(ERIN_SLACK, BOB, "Erin Chen")
    stand_in.add_user(STRANGER_SLACK, "stranger@elsewhere.example", "Stranger")
    yield stand_in
    stand_in.stop()


@pytest.fixture
def slack_settings(db_url: str, settings_for: Callable[..., Settings], slack_api: SlackApiStandIn) -> Settings:
    return settings_for(
        db_url,
        slack_bot_token=BOT_TOKEN,
        slack_signing_secret=SIGNING_SECRET,
        slack_api_url=slack_api.api_url,
        base_url=BASE_URL,
    )


@pytest.fixture
def slack(
    slack_settings: Settings, make_app: Callable[[Settings], Any], slack_api: SlackApiStandIn
) -> Iterator[SlackClient]:
    with support.live_server(make_app(slack_settings)) as url:
        yield SlackClient(url, slack_api)
    engine_for(slack_settings.resolved_database_url).dispose()


@dataclass
class Relay:
    """An SMTP server standing in for the outbound relay: it keeps every reply the assistant sends."""

    messages: list[EmailMessage] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = message_from_bytes(envelope.original_content or envelope.content, policy=policy.default)
        with self.lock:
            self.messages.append(message)  # type: ignore[arg-type]
        return "250 OK"

    def wait(self, count: int = 1, timeout: float = 30.0) -> list[EmailMessage]:
        deadline = time.monotonic() + timeout
        while True:
            with self.lock:
                found = list(self.messages)
            if len(found) >= count or time.monotonic() > deadline:
                return found
            time.sleep(0.05)


@pytest.fixture
def relay() -> Iterator[tuple[Relay, int]]:
    captured = Relay()
    port = support.free_port()
    controller = Controller(captured, hostname="127.0.0.1", port=port)
    controller.start()
    yield captured, port
    controller.stop()


@pytest.fixture
def email_settings(db_url: str, settings_for: Callable[..., Settings], relay: tuple[Relay, int]) -> Settings:
    return settings_for(
        db_url,
        smtp_host="127.0.0.1",
        smtp_port=relay[1],
        smtp_listen_host="127.0.0.1",
        smtp_listen_port=support.free_port(),
        email_address=ASSISTANT_ADDRESS,
        base_url=BASE_URL,
    )


@pytest.fixture
def email_context(email_settings: Settings) -> Iterator[AppContext]:
    yield AppContext(settings=email_settings, sessions=session_factory(email_settings), clock=support.CLOCK)
    engine_for(email_settings.resolved_database_url).dispose()


@pytest.fixture
def mailbox(email_context: AppContext) -> Iterator[int]:
    """The inbound listener, started; yields its port."""
    settings = email_context.settings
    assert settings.smtp_listen_port is not None
    listener = EmailListener(EmailProcessor(email_context), "127.0.0.1", settings.smtp_listen_port, 10_000_000)
    listener.start()
    yield settings.smtp_listen_port
    listener.stop()
