"""One question, one person, every channel (REST /api/chat, the web chat's stream, Slack, email):
the same facts and records."""

import re
from collections.abc import Callable
from typing import Any

import httpx

from assistant.crm.db import engine_for
from assistant.crm.settings import Settings
from tests import support
from tests.fakes.slack_api import SlackApiStandIn
from tests.support import ALICE, login_token_for, tokens_for
from tests.support.channels import BASE_URL, RITA_SLACK, SlackClient, mail, send, slack_text_of, text_of

QUESTION = "which of my deals close this month?"
_LINK = re.compile(r"/records/(\w+)/(\d+)")


def _linked(text: str) -> set[tuple[str, int]]:
    return {(kind, int(record_id)) for kind, record_id in _LINK.findall(text)}


def web_chat_answer(url: str, token: str, question: str) -> dict[str, Any]:
    """Sign in through a one-click link (`token` is a login token), ask on the chat page's stream, return the final
    `done` event."""
    with httpx.Client(base_url=url, timeout=60, follow_redirects=True) as web:
        page = web.get(f"/login/token?t={token}")
        csrf = re.search(r'data-csrf="([^"]+)"', page.text)
        header = re.search(r'data-csrf-header="([^"]+)"', page.text)
        assert page.status_code == 200 and csrf and header, page.text[:300]
        stream = web.post("/web/chat/stream", json={"message": question}, headers={header.group(1): csrf.group(1)})
    assert stream.status_code == 200 and stream.headers["content-type"].startswith("text/event-stream")
    name, done = support.sse_events(stream.text)[-1]
    assert name == "done", stream.text[-300:]
    return done


def test_rest_web_chat_slack_and_email_give_the_same_answer(
    slack_settings: Settings, email_settings: Settings, make_app: Callable[[Settings], Any],
    slack_api: SlackApiStandIn, relay: Any,
):  # fmt: skip
    settings = slack_settings.model_copy(
        update={
            key: getattr(email_settings, key)
            for key in ("smtp_host", "smtp_port", "smtp_listen_host", "smtp_listen_port", "email_address")
        }  # fmt: skip
    )
    token = tokens_for(settings)[ALICE]
    with support.live_server(make_app(settings)) as url:
        rest = httpx.post(
            f"{url}/api/chat", json={"message": QUESTION}, headers={"Authorization": f"Bearer {token}"}, timeout=60
        )
        assert rest.status_code == 200, rest.text
        answer = rest.json()
        web_answer = web_chat_answer(url, login_token_for(settings, ALICE), QUESTION)
        SlackClient(url, slack_api).mention(RITA_SLACK, QUESTION)
        assert settings.smtp_listen_port is not None
        send(settings.smtp_listen_port, mail("This month", QUESTION))
        [slack_reply] = slack_api.wait_for("chat.postMessage")
        [email_reply] = relay[0].wait(1)
    engine_for(settings.resolved_database_url).dispose()

    headline = answer["answer"].splitlines()[0]
    assert re.search(r"\$\d", headline), headline
    records = {(ref["type"], ref["id"]) for ref in answer["records"]}
    assert records
    assert web_answer["answer"].splitlines()[0] == headline
    assert {(ref["type"], ref["id"]) for ref in web_answer["records"]} == records
    slack_text, email_text = slack_text_of(slack_reply), text_of(email_reply)
    assert headline in slack_text.replace("&amp;", "&") and headline in email_text
    assert _linked(slack_text) == records
    assert _linked(email_text) == records
    assert BASE_URL in email_text
