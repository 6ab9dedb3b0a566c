"""Which URLs in an answer stay links: only Dealwise's own record and chat pages (Slack mrkdwn and email)."""

import pytest

from adapters.outbound_links import neutralise_urls
from adapters.slack.rendering import to_mrkdwn

BASE = "https://crm.example.com"


@pytest.mark.parametrize(
    "url",
    [
        "http://evil.example/x",
        "https://crm.example.com.evil.example/records/deal/1",
        "https://crm.example.com@evil.example/records/deal/1",
        "http://crm.example.com/records/deal/1",
        "https://crm.example.com/login/token?t=dwl_planted",
        "https://crm.example.com/logout",
        "ftp://files.example/quote.pdf",
        "www.evil.example/quote",
    ],
)
def test_outside_urls_and_other_dealwise_paths_are_defanged(url: str):
    text = neutralise_urls(f"see {url}.", BASE)
    assert url not in text and text.endswith(".") and "[.]" in text
    slack = to_mrkdwn(f"[Open the signed quote]({url})", BASE)
    assert "<" not in slack.replace("&lt;", "") and url not in slack


def test_own_record_links_stay_links():
    link = f"{BASE}/records/deal/7"
    assert neutralise_urls(f"see {link}", BASE) == f"see {link}"
    assert to_mrkdwn(f"[Hooli - Renewal]({link})", BASE) == f"<{link}|Hooli - Renewal>"


def test_slack_control_syntax_from_records_stays_text():
    shown = to_mrkdwn("<!channel> <@U123> <http://evil.example|click> *fine*", BASE)
    assert shown.startswith("&lt;!channel&gt; &lt;@U123&gt; &lt;hxxp://evil[.]example|click&gt;")
