"""Channel fixtures: the real app over real HTTP with a Slack Web API stand-in, and real SMTP servers for email.

Slack: the app runs under uvicorn (support.live_server) with Slack settings pointing at a local
stand-in of Slack's Web API; tests post signed Events API payloads and read what reached "Slack".
Email: the aiosmtpd listener on a free port, and a second aiosmtpd server as the outbound relay
that captures the assistant's replies.
"""

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from adapters.email.handling import EmailProcessor
from adapters.email.listener import EmailListener
from adapters.web.context import AppContext
from assistant.crm.db import engine_for, session_factory
from assistant.crm.settings import Settings
from tests import support
from tests.fakes.slack_api import SlackApiStandIn
from tests.support import ALICE, BOB
from tests.support.channels import (
    ASSISTANT_ADDRESS,
    BASE_URL,
    BOT_TOKEN,
    ERIN_SLACK,
    RITA_SLACK,
    SIGNING_SECRET,
    STRANGER_SLACK,
    Relay,
    SlackClient,
)


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
