"""Slack over real HTTP: signed Events API payloads in, replies read from the Web API stand-in."""

import time

from sqlalchemy import select

from adapters.slack.rendering import CANCEL_ACTION, CONFIRM_ACTION
from assistant.crm.db import session_factory
from assistant.crm.models import Activity, AuditEntry, ProcessedEvent, User
from assistant.crm.settings import Settings
from tests.support import ALICE, BOB
from tests.support.channels import (
    ERIN_SLACK,
    QUESTION,
    RITA_SLACK,
    STRANGER_SLACK,
    SlackClient,
    counts_open_deals,
    money,
    open_deal_owned_by,
    open_deals,
    slack_blocks,
    slack_text_of,
)


def test_mention_is_answered_in_its_thread_with_facts_from_the_database(slack: SlackClient, slack_settings: Settings):
    response, _, ts = slack.mention(RITA_SLACK, QUESTION)
    assert response.status_code == 200
    [reply] = slack.api.wait_for("chat.postMessage")
    assert reply.params["channel"] == "CSALES"
    assert reply.params["thread_ts"] == ts
    with session_factory(slack_settings)() as session:
        count, total = open_deals(session, ALICE)
        linked = session.scalars(select(User).where(User.email == ALICE)).one().slack_user_id
    text = slack_text_of(reply)
    assert counts_open_deals(text, count)
    assert money(total) in text
    assert "http://dealwise.test/records/deal/" in text
    assert linked == RITA_SLACK


def test_direct_message_and_slash_command_answer_for_the_person_asking(slack: SlackClient, slack_settings: Settings):
    slack.dm(ERIN_SLACK, QUESTION)
    assert slack.command(RITA_SLACK, QUESTION, key="rita").status_code == 200
    [dm_reply] = slack.api.wait_for("chat.postMessage")
    [command_reply] = slack.api.wait_for("response_url")
    with session_factory(slack_settings)() as session:
        erin_count, erin_total = open_deals(session, BOB)
        rita_count, rita_total = open_deals(session, ALICE)
    assert dm_reply.params["channel"] == f"D{ERIN_SLACK}"
    assert "thread_ts" not in dm_reply.params or dm_reply.params["thread_ts"] is None
    assert counts_open_deals(slack_text_of(dm_reply), erin_count) and money(erin_total) in slack_text_of(dm_reply)
    assert command_reply.params["key"] == "rita"
    rita_text = slack_text_of(command_reply)
    assert counts_open_deals(rita_text, rita_count) and money(rita_total) in rita_text


def test_confirm_button_applies_a_proposed_write_once(slack: SlackClient, slack_settings: Settings):
    sessions = session_factory(slack_settings)
    with sessions() as session:
        deal = open_deal_owned_by(session, ALICE)
        before = session.scalars(select(Activity).where(Activity.deal_id == deal.id)).all()
    slack.mention(RITA_SLACK, f"log a call on {deal.name}: they want pricing by Friday")
    [proposal] = slack.api.wait_for("chat.postMessage")
    actions = [e["action_id"] for b in slack_blocks(proposal) if b["type"] == "actions" for e in b["elements"]]
    assert actions == [CONFIRM_ACTION, CANCEL_ACTION]
    with sessions() as session:
        assert len(session.scalars(select(Activity).where(Activity.deal_id == deal.id)).all()) == len(before)

    assert slack.click(RITA_SLACK, proposal, CONFIRM_ACTION).status_code == 200
    assert slack.click(RITA_SLACK, proposal, CONFIRM_ACTION).status_code == 200
    updates = slack.api.wait_for("chat.update", count=2)
    assert len(updates) == 2
    assert all("Done" in str(update.params["text"]) for update in updates)
    assert not any(b["type"] == "actions" for b in slack_blocks(updates[0]))
    with sessions() as session:
        after = session.scalars(select(Activity).where(Activity.deal_id == deal.id)).all()
        new = [a for a in after if a.id not in {b.id for b in before}]
        assert len(new) == 1 and new[0].type == "call" and "pricing by Friday" in (new[0].body or "")
        audit = session.scalars(select(AuditEntry).where(AuditEntry.entity_id == new[0].id)).all()
        assert [entry.channel for entry in audit if entry.entity_type == "activity"] == ["slack"]


def test_another_user_cannot_confirm_and_cancel_drops_the_proposal(slack: SlackClient, slack_settings: Settings):
    sessions = session_factory(slack_settings)
    with sessions() as session:
        deal = open_deal_owned_by(session, ALICE)
        before = len(session.scalars(select(Activity).where(Activity.deal_id == deal.id)).all())
    slack.mention(RITA_SLACK, f"log a call on {deal.name}: they want a discount")
    [proposal] = slack.api.wait_for("chat.postMessage")
    slack.click(ERIN_SLACK, proposal, CONFIRM_ACTION)
    [refused] = slack.api.wait_for("response_url")
    assert "only the person who asked" in refused.params["text"]
    slack.click(RITA_SLACK, proposal, CANCEL_ACTION)
    [cancelled] = slack.api.wait_for("chat.update")
    assert "nothing was changed" in cancelled.params["text"].lower()
    with sessions() as session:
        assert len(session.scalars(select(Activity).where(Activity.deal_id == deal.id)).all()) == before


def test_bad_signature_and_stale_timestamp_get_401_and_no_reply(slack: SlackClient):
    stale = slack.mention(RITA_SLACK, QUESTION, timestamp=int(time.time()) - 6 * 60)[0]
    forged = slack.mention(RITA_SLACK, QUESTION, secret="not-the-secret")[0]
    forged_command = slack.post("/slack/events", b"command=%2Fdealwise&text=hi", "application/x-www-form-urlencoded",
                                secret="wrong")  # fmt: skip
    assert (stale.status_code, forged.status_code, forged_command.status_code) == (401, 401, 401)
    _, _, genuine_ts = slack.mention(RITA_SLACK, QUESTION)
    replies = slack.api.wait_for("chat.postMessage")
    assert [reply.params["thread_ts"] for reply in replies] == [genuine_ts]
    assert slack.api.calls_to("response_url") == []


def test_a_retried_event_is_answered_once(slack: SlackClient, slack_settings: Settings):
    first, event_id, ts = slack.mention(RITA_SLACK, QUESTION)
    retry = slack.mention(RITA_SLACK, QUESTION, ts=ts, event_id=event_id, headers={"X-Slack-Retry-Num": "1",
                          "X-Slack-Retry-Reason": "http_timeout"})[0]  # fmt: skip
    assert first.status_code == 200 and retry.status_code == 200
    slack.api.wait_for("chat.postMessage")
    slack.mention(RITA_SLACK, "show my open tasks")
    replies = slack.api.wait_for("chat.postMessage", count=2)
    assert len(replies) == 2
    assert [reply.params["thread_ts"] for reply in replies].count(ts) == 1
    with session_factory(slack_settings)() as session:
        event = session.get(ProcessedEvent, ("slack", event_id))
        assert event is not None and event.outcome == "answered"


def test_unknown_slack_user_gets_only_a_polite_refusal(slack: SlackClient, slack_settings: Settings):
    _, event_id, _ = slack.mention(STRANGER_SLACK, QUESTION)
    [refusal] = slack.api.wait_for("chat.postEphemeral")
    assert refusal.params["user"] == STRANGER_SLACK
    assert "Dealwise account" in refusal.params["text"]
    assert "$" not in refusal.params["text"]
    slack.command(STRANGER_SLACK, QUESTION)
    [command_refusal] = slack.api.wait_for("response_url")
    assert "Dealwise account" in command_refusal.params["text"]
    assert slack.api.calls_to("chat.postMessage") == []
    with session_factory(slack_settings)() as session:
        event = session.get(ProcessedEvent, ("slack", event_id))
        assert event is not None and event.outcome == "rejected" and STRANGER_SLACK in (event.detail or "")


def test_slack_endpoints_exist_only_when_configured_and_match_the_manifest(
    settings: Settings, slack_settings: Settings, make_app
):
    from pathlib import Path
    from urllib.parse import urlsplit

    import yaml
    from fastapi.testclient import TestClient

    manifest = yaml.safe_load(Path("adapters/slack/manifest.yaml").read_text())
    subscriptions = manifest["settings"]["event_subscriptions"]
    paths = {
        urlsplit(subscriptions["request_url"]).path,
        urlsplit(manifest["settings"]["interactivity"]["request_url"]).path,
        *(urlsplit(command["url"]).path for command in manifest["features"]["slash_commands"]),
    }
    assert set(subscriptions["bot_events"]) == {"app_mention", "message.im", "file_shared"}
    unconfigured, configured = TestClient(make_app(settings)), TestClient(make_app(slack_settings))
    for path in paths:
        assert unconfigured.post(path, content=b"{}").status_code == 404
        assert configured.post(path, content=b"{}").status_code == 401
