"""Structured answers in Slack (Block Kit) and email (aligned text plus an HTML table), over the real channels:
tables with record links, flags, record text kept escaped, and a proposal preview shown once with its buttons."""

import json
import re
from datetime import datetime

from sqlalchemy import select

from adapters.slack.rendering import CANCEL_ACTION, CONFIRM_ACTION
from adapters.web.context import AppContext
from assistant.crm.db import session_factory
from assistant.crm.models import Account, Activity, User
from assistant.crm.settings import Settings
from tests.fakes.slack_api import SlackCall
from tests.support import ALICE
from tests.support.channels import BASE_URL, RITA_SLACK, Relay, SlackClient, mail, send, text_of

PREP = "prep me for my meeting with Los Pollos Hermanos"
MOVE = "move the Wernham Hogg deal close date to Dec 3"
HOSTILE = "Concern from procurement: <@UBOSS1> says pay at http://evil.example/pay or <http://evil.example|here>."
ISO = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")


def blocks_of(call: SlackCall) -> list[dict]:
    blocks = call.params.get("blocks") or []
    return json.loads(blocks) if isinstance(blocks, str) else blocks


def block_texts(call: SlackCall) -> list[str]:
    texts = []
    for block in blocks_of(call):
        if block.get("text"):
            texts.append(block["text"]["text"])
        texts += [field["text"] for field in block.get("fields") or []]
        texts += [e["text"] for e in block.get("elements") or [] if e.get("type") == "mrkdwn"]
    return texts


def plant_hostile_note(settings: Settings) -> None:
    """A logged call whose text tries to mention someone and carry links: record text the answer quotes."""
    with session_factory(settings)() as session:
        account = session.scalars(select(Account).where(Account.name == "Los Pollos Hermanos")).one()
        rita = session.scalars(select(User).where(User.email == ALICE)).one()
        session.add(
            Activity(
                type="call",
                subject="Call with procurement",
                body=HOSTILE,
                occurred_at=datetime(2026, 11, 19, 10, 0),
                account_id=account.id,
                deal_id=65,
                author_id=rita.id,
            )
        )
        session.commit()


def test_slack_shows_the_prep_brief_as_sections_with_links_and_flags(slack: SlackClient, slack_settings: Settings):
    plant_hostile_note(slack_settings)
    slack.mention(RITA_SLACK, PREP)
    [reply] = slack.api.wait_for("chat.postMessage")
    texts = block_texts(reply)
    joined = "\n".join(texts)
    assert texts[0] == "Meeting prep for Los Pollos Hermanos"
    assert any(block.get("fields") for block in blocks_of(reply))
    assert "*Open tasks*" in texts and "*Questions to ask*" in texts
    assert f"<{BASE_URL}/records/deal/65|Los Pollos Hermanos - Analytics Suite>" in joined
    assert ":warning: overdue" in joined
    assert "&lt;@UBOSS1&gt;" in joined and "<@UBOSS1>" not in joined
    assert "http://evil.example" not in joined and "<http://evil" not in joined


def test_slack_shows_a_proposal_once_in_plain_words_with_its_buttons(slack: SlackClient):
    slack.mention(RITA_SLACK, MOVE)
    [proposal] = slack.api.wait_for("chat.postMessage")
    joined = "\n".join(block_texts(proposal))
    assert joined.count("Wernham Hogg - Pilot|Wernham Hogg - Pilot") + joined.count("*Wernham Hogg - Pilot*") <= 1
    assert "Close date · 25 Nov 2026 · 3 Dec 2026" in joined
    assert joined.count("3 Dec 2026") == 2  # the headline and the row, nothing more
    assert not ISO.search(joined)
    actions = [e["action_id"] for b in blocks_of(proposal) if b["type"] == "actions" for e in b["elements"]]
    assert actions == [CONFIRM_ACTION, CANCEL_ACTION]


def test_email_answers_with_an_aligned_table_and_an_html_table(
    mailbox: int, relay: tuple[Relay, int], email_context: AppContext
):
    plant_hostile_note(email_context.settings)
    send(mailbox, mail("Meeting tomorrow", PREP))
    [reply] = relay[0].wait(1)
    text = text_of(reply).replace("\r\n", "\n")
    assert "Meeting prep for Los Pollos Hermanos" in text
    assert re.search(r"^Deal\s+Amount\s+Stage\s+Close", text, re.MULTILINE)
    assert "(overdue)" in text and "Questions to ask" in text
    html = reply.get_body(preferencelist=("html",)).get_content()
    assert "<table" in html and f'<a href="{BASE_URL}/records/deal/65">' in html
    assert "&lt;@UBOSS1&gt;" in html and "http://evil.example" not in html and "http://evil.example" not in text


def test_email_shows_a_proposal_once_with_readable_values(
    mailbox: int, relay: tuple[Relay, int], email_context: AppContext
):
    send(mailbox, mail("Wernham Hogg", MOVE))
    [reply] = relay[0].wait(1)
    text = text_of(reply).replace("\r\n", "\n")
    assert re.search(r"^Close date\s+25 Nov 2026\s+3 Dec 2026$", text, re.MULTILINE)
    assert "Proposed:" not in text and not ISO.search(text.split("Records:")[0])
    assert text.count('Reply "confirm"') == 1
    html = reply.get_body(preferencelist=("html",)).get_content()
    assert "<table" in html and "3 Dec 2026" in html and "Proposed:" not in html
