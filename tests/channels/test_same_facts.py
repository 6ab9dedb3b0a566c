"""One question, one person, three channels (REST /api/chat, Slack, email): the same facts and records."""

import re
from collections.abc import Callable
from typing import Any

import httpx

from assistant.db import engine_for
from assistant.settings import Settings
from tests import support
from tests.channels.conftest import BASE_URL, RITA_SLACK, SlackClient, sign  # noqa: F401
from tests.channels.test_email import mail, send, text_of
from tests.channels.test_slack import _text_of
from tests.conftest import ALICE, tokens_for
from tests.fakes.slack_api import SlackApiStandIn

QUESTION = "which of my deals close this month?"
_LINK = re.compile(r"/records/(\w+)/(\d+)")


def _linked(text: str) -> set[tuple[str, int]]:
    return {(kind, int(record_id)) for kind, record_id in _LINK.findall(text)}


def test_rest_slack_and_email_give_the_same_answer(
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
    slack_text, email_text = _text_of(slack_reply), text_of(email_reply)
    assert headline in slack_text.replace("&amp;", "&") and headline in email_text
    assert _linked(slack_text) == records
    assert _linked(email_text) == records
    assert BASE_URL in email_text
