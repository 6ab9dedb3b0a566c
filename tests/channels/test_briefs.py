"""The weekly risk brief reaches each manager by Slack DM and by email, once a week."""

import html
from collections.abc import Callable
from datetime import datetime

from sqlalchemy import select

from adapters.briefs import deliver_due_briefs
from adapters.web.context import AppContext
from assistant.crm.clock import Clock
from assistant.crm.db import engine_for, session_factory
from assistant.crm.models import Deal, Team, User
from assistant.crm.settings import Settings
from tests.fakes.slack_api import SlackApiStandIn
from tests.support import EAST_MANAGER, WEST_MANAGER
from tests.support.channels import BOT_TOKEN

MONDAY_MORNING = datetime(2026, 11, 23, 9, 0)
MAYA_SLACK = "UMAYA"


def test_due_briefs_go_out_by_slack_and_email_once_a_week(
    db_url: str, settings_for: Callable[..., Settings], slack_api: SlackApiStandIn, relay
) -> None:  # type: ignore[no-untyped-def]
    captured, port = relay
    settings = settings_for(
        db_url, slack_bot_token=BOT_TOKEN, slack_api_url=slack_api.api_url, smtp_host="127.0.0.1", smtp_port=port
    )
    sessions = session_factory(settings)
    with sessions() as session:
        maya = session.scalars(select(User).where(User.email == WEST_MANAGER)).one()
        maya.slack_user_id = MAYA_SLACK
        session.commit()
        west = session.scalars(select(Team).where(Team.manager_id == maya.id)).one()
        west_deals = set(session.scalars(select(Deal.name).join(User).where(User.team_id == west.id)))
        east_deals = set(session.scalars(select(Deal.name).join(User).where(User.team_id != west.id)))
    context = AppContext(settings=settings, sessions=sessions, clock=Clock.fixed(MONDAY_MORNING))

    outcomes = deliver_due_briefs(context)

    assert {(o.email, o.delivered) for o in outcomes} == {(WEST_MANAGER, True), (EAST_MANAGER, True)}
    dms = [call for call in slack_api.calls_to("chat.postMessage") if call.params.get("channel") == MAYA_SLACK]
    assert len(dms) == 1 and "Deal risk brief" in dms[0].params["text"]
    shown = html.unescape(dms[0].params["text"])
    named = {name for name in west_deals if name in shown}
    assert named, "the brief names the team's risky deals"
    assert not {name for name in east_deals - west_deals if name in shown}
    mails = {message["To"]: message for message in captured.wait(2)}
    assert set(mails) == {WEST_MANAGER, EAST_MANAGER}
    assert mails[WEST_MANAGER].get_content().replace("\r\n", "\n").strip() in shown

    assert deliver_due_briefs(context) == []
    assert len(captured.messages) == 2
    engine_for(settings.resolved_database_url).dispose()
