"""Channel helpers: a Slack client that signs like Slack, an SMTP relay that keeps replies, mails to send,
and facts computed straight from the database to check the channels' answers against.

The fixtures that start the app, the Slack stand-in and the SMTP servers live in tests/channels/conftest.py.
"""

import hashlib
import hmac
import json
import re
import smtplib
import threading
import time
from dataclasses import dataclass, field
from decimal import Decimal
from email import message_from_bytes, policy
from email.message import EmailMessage
from email.utils import make_msgid
from typing import Any
from urllib.parse import urlencode

import httpx
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from adapters.web.context import AppContext
from assistant.crm.access import scoped_select
from assistant.crm.models import Activity, Channel, Deal, ProcessedEvent, Stage
from tests import support
from tests.fakes.slack_api import SlackApiStandIn, SlackCall, event_callback
from tests.support import ALICE

SIGNING_SECRET = "test-signing-secret"
BOT_TOKEN = "xoxb-test-token"
RITA_SLACK = "URITA0001"
ERIN_SLACK = "UERIN0001"
STRANGER_SLACK = "USTRANGER1"
ASSISTANT_ADDRESS = "dealwise@dealwise.test"
BASE_URL = "http://dealwise.test"
QUESTION = "how many open deals do I have?"


# Slack


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


def slack_blocks(call: SlackCall) -> list[dict]:
    blocks = call.params.get("blocks") or []
    return json.loads(blocks) if isinstance(blocks, str) else blocks


def slack_text_of(call: SlackCall) -> str:
    parts = [str(call.params.get("text") or "")]
    for block in slack_blocks(call):
        if block.get("type") == "section":
            parts.append(block["text"]["text"])
        for element in block.get("elements") or []:
            if element.get("type") == "mrkdwn":
                parts.append(element["text"])
    return "\n".join(parts)


# Email


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


def mail(
    subject: str, body: str | None, sender: str = ALICE, to: str = ASSISTANT_ADDRESS, cc: str | None = None,
    reply_to: EmailMessage | None = None, html: str | None = None,
) -> EmailMessage:  # fmt: skip
    """A mail from `sender`; as a reply to `reply_to` it goes where a mail client sends it (its Reply-To)."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = str(reply_to.get("Reply-To", to)) if reply_to is not None else to
    if cc:
        message["Cc"] = cc
    message["Subject"] = subject
    message["Message-ID"] = make_msgid(domain="client.example")
    if reply_to is not None:
        message["In-Reply-To"] = reply_to["Message-ID"]
        message["References"] = f"{reply_to.get('References', '')} {reply_to['Message-ID']}".strip()
    if body is not None:
        message.set_content(body)
    if html is not None:
        if body is None:
            message.set_content(html, subtype="html")
        else:
            message.add_alternative(html, subtype="html")
    return message


def send(port: int, message: EmailMessage, recipients: list[str] | None = None) -> None:
    """Deliver over SMTP; the envelope goes to the message's To addresses unless `recipients` says otherwise."""
    with smtplib.SMTP("127.0.0.1", port, timeout=30) as smtp:
        smtp.send_message(message, to_addrs=recipients or [address.addr_spec for address in message["To"].addresses])


def text_of(message: EmailMessage) -> str:
    return str(message.get_body(preferencelist=("plain",)).get_content())  # type: ignore[union-attr]


def wait_for_event(context: AppContext, event_id: str, timeout: float = 30.0) -> ProcessedEvent | None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with context.sessions() as session:
            event = session.get(ProcessedEvent, ("email", event_id))
            if event is not None and event.outcome != "accepted":
                return event
        time.sleep(0.05)
    return None


# Facts


def open_deals(session: Session, email: str) -> tuple[int, Decimal]:
    """How many open deals the person can see, and their total amount."""
    principal = support.principal(session, email, Channel.slack)
    deals = scoped_select(principal, Deal).join(Stage, Stage.id == Deal.stage_id).where(Stage.is_closed.is_(False))
    rows = session.scalars(deals).unique().all()
    return len(rows), sum((deal.amount for deal in rows), Decimal(0))


def counts_open_deals(text: str, count: int) -> bool:
    """Whether the answer states this many (open) deals, e.g. '14 open deals of yours'."""
    return re.search(rf"(?<![\d,]){count} (?:open )?deals\b", text) is not None


def money(amount: Decimal) -> str:
    return f"${amount:,.0f}"


def open_deal_owned_by(session: Session, email: str) -> Deal:
    principal = support.principal(session, email)
    query = (
        scoped_select(principal, Deal)
        .join(Stage, Stage.id == Deal.stage_id)
        .where(Stage.is_closed.is_(False), Deal.owner_id == principal.user_id, Deal.primary_contact_id.is_not(None))
        .order_by(Deal.close_date, Deal.id)
    )
    return session.scalars(query).unique().first()  # type: ignore[return-value]


def activity_count(session: Session, **where: object) -> int:
    query = select(func.count(Activity.id))
    for column, value in where.items():
        query = query.where(getattr(Activity, column) == value)
    return session.scalar(query) or 0
