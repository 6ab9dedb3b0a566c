"""Socket Mode: with an app-level token, events arrive over a websocket the app opens; no public URL."""

import time
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from assistant.crm.db import engine_for, session_factory
from assistant.crm.settings import Settings
from tests import support
from tests.fakes.slack_api import SlackApiStandIn
from tests.fakes.slack_socket import SlackSocketStandIn
from tests.support import BOB
from tests.support.channels import BOT_TOKEN, ERIN_SLACK, counts_open_deals, open_deals

APP_TOKEN = "xapp-1-test-socket"
QUESTION = "how many open deals do I have?"


@pytest.fixture
def socket_stand_in(slack_api: SlackApiStandIn) -> Iterator[SlackSocketStandIn]:
    stand_in = SlackSocketStandIn(support.free_port()).start()
    slack_api.app_token = APP_TOKEN
    slack_api.socket_url = stand_in.url
    yield stand_in
    stand_in.stop()


def test_a_dm_over_socket_mode_is_acknowledged_and_answered(
    db_url: str,
    settings_for: Callable[..., Settings],
    make_app: Callable[[Settings], Any],
    slack_api: SlackApiStandIn,
    socket_stand_in: SlackSocketStandIn,
) -> None:
    settings = settings_for(
        db_url, slack_bot_token=BOT_TOKEN, slack_app_token=APP_TOKEN, slack_api_url=slack_api.api_url
    )
    with support.live_server(make_app(settings)) as url:
        opened = slack_api.wait_for("apps.connections.open")
        assert opened and opened[0].token == APP_TOKEN
        assert httpx.post(f"{url}/slack/events", content=b"{}").status_code == 404
        ts = f"{time.time():.6f}"
        event = {"type": "message", "channel_type": "im", "user": ERIN_SLACK, "text": QUESTION, "ts": ts,
                 "channel": f"D{ERIN_SLACK}", "event_ts": ts}  # fmt: skip
        socket_stand_in.send_event("env-1", event, "EvSocket1")
        assert socket_stand_in.wait_for_ack("env-1")
        [reply] = slack_api.wait_for("chat.postMessage")
    with session_factory(settings)() as session:
        count, _ = open_deals(session, BOB)
    assert reply.params["channel"] == f"D{ERIN_SLACK}"
    assert counts_open_deals(str(reply.params.get("text")) + str(reply.params.get("blocks")), count)
    engine_for(settings.resolved_database_url).dispose()
