"""Record text never becomes a link to another host in Slack or email answers (issue 14, finding 7).

A note on a rep's deal carries Markdown and Slack link syntax pointing at an outside host; the rep
then asks about that deal in Slack and by email. The answer shows the note, but as text.
"""

import json
import re
from datetime import datetime

from sqlalchemy import select

from adapters.web.context import AppContext
from assistant.crm.db import session_factory
from assistant.crm.models import Activity, Deal, User
from assistant.crm.settings import Settings
from tests.fakes.slack_api import SlackCall
from tests.support import ALICE
from tests.support.channels import BASE_URL, RITA_SLACK, SlackClient, mail, open_deal_owned_by, send, text_of

MARKDOWN_LINK = "[Open the signed quote](http://evil.example/x)"
SLACK_LINK = "<http://evil.example|click>"
NOTE = f"Signed quote: {MARKDOWN_LINK} or {SLACK_LINK} ![logo](https://evil.example/pixel.png)"


def plant_note(settings: Settings) -> Deal:
    """The attacker's note, the latest activity on one of ALICE's open deals; returns the deal."""
    with session_factory(settings)() as session:
        deal = open_deal_owned_by(session, ALICE)
        owner = session.scalars(select(User).where(User.email == ALICE)).one()
        session.add(
            Activity(
                type="note", subject=NOTE, body=NOTE, deal_id=deal.id, account_id=deal.account_id,
                author_id=owner.id, occurred_at=datetime(2026, 11, 19, 16, 0),
            )
        )  # fmt: skip
        session.commit()
        return deal


def question(deal: Deal) -> str:
    return f"tell me about the {deal.name} deal"


def _mrkdwn_texts(call: SlackCall) -> list[str]:
    blocks = call.params.get("blocks") or []
    blocks = json.loads(blocks) if isinstance(blocks, str) else blocks
    texts = [str(call.params.get("text") or "")]
    for block in blocks:
        parts = [block.get("text") or {}, *(block.get("fields") or []), *(block.get("elements") or [])]
        texts += [str(part.get("text")) for part in parts if isinstance(part, dict) and "text" in part]
    return texts


def links_in(mrkdwn: str) -> list[str]:
    """The URLs Slack would make clickable from <url|label> or <url> syntax."""
    return re.findall(r"<((?:https?|ftp)://[^|>]+)(?:\|[^>]*)?>", mrkdwn)


def test_slack_answer_shows_the_note_without_outside_links(slack: SlackClient, slack_settings: Settings):
    deal = plant_note(slack_settings)
    slack.mention(RITA_SLACK, question(deal))
    [reply] = slack.api.wait_for("chat.postMessage")
    texts = _mrkdwn_texts(reply)
    shown = "\n".join(texts)
    assert "Open the signed quote" in shown, shown
    assert reply.params["unfurl_links"] in (False, "false", "0") and reply.params["unfurl_media"] in (
        False,
        "false",
        "0",
    )
    for text in texts:
        assert all(link.startswith(f"{BASE_URL}/records/") for link in links_in(text)), text
        assert "http://evil.example" not in text and "https://evil.example" not in text
        assert "<http://evil" not in text
    assert "hxxp://evil[.]example/x" in shown and "&lt;hxxp://evil[.]example|click&gt;" in shown


def test_email_answer_shows_the_note_without_outside_links(
    mailbox: int, relay: tuple, email_context: AppContext
):  # fmt: skip
    deal = plant_note(email_context.settings)
    send(mailbox, mail("The deal", question(deal)))
    [reply] = relay[0].wait(1)
    plain = text_of(reply)
    html = str(reply.get_body(preferencelist=("html",)).get_content())  # type: ignore[union-attr]
    assert "Open the signed quote" in plain and "Open the signed quote" in html
    for part in (plain, html):
        assert "http://evil.example" not in part and "https://evil.example" not in part
        assert "hxxp://evil[.]example/x" in part
    hrefs = re.findall(r'href="([^"]+)"', html)
    assert hrefs and all(href.startswith(f"{BASE_URL}/records/") for href in hrefs)
    assert "<img" not in html and "<http://evil" not in html and "&lt;hxxp://evil[.]example|click&gt;" in html
