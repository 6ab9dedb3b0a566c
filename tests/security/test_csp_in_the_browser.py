"""The web chat and the API docs work under the Content-Security-Policy: no violation reported in Chromium."""

from collections.abc import Iterator
from typing import Any

import pytest

from assistant.crm.db import session_factory
from assistant.crm.settings import Settings
from tests.support import ALICE
from tests.support.channels import open_deal_owned_by

pytestmark = pytest.mark.browser

WATCH_VIOLATIONS = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => {
    window.__csp.push(`${e.violatedDirective} ${e.blockedURI}`);
});
"""


@pytest.fixture
def page(browser: Any, live_url: str) -> Iterator[Any]:
    context = browser.new_context(base_url=live_url)
    context.set_default_timeout(60_000)
    context.add_init_script(WATCH_VIOLATIONS)
    opened = context.new_page()
    opened.console_messages = []
    opened.on("console", lambda message: opened.console_messages.append(message.text))
    yield opened
    context.close()


def violations(page: Any) -> list[str]:
    reported = page.evaluate("window.__csp")
    console = [text for text in page.console_messages if "Content Security Policy" in text]
    return [*reported, *console]


def test_sign_in_ask_and_decide_with_no_policy_violation(page: Any, live_settings: Settings) -> None:
    with session_factory(live_settings)() as db:
        deal = open_deal_owned_by(db, ALICE)
    page.goto("/login")
    page.fill("input[name=email]", ALICE)
    page.fill("input[name=password]", "dealwise-demo")
    page.click("button[type=submit]")
    page.wait_for_url("**/chat")
    assert "script-src 'self'" in page.evaluate(
        "() => fetch('/chat').then(r => r.headers.get('content-security-policy'))"
    )

    answers = page.locator(".message.assistant:not(.streaming)")
    before = answers.count()
    page.fill("#message", f"Log a call on the {deal.name} deal: they asked for a security review")
    page.press("#message", "Enter")
    answer = answers.nth(before)
    answer.wait_for()
    assert "failed" not in (answer.get_attribute("class") or ""), answer.inner_text()
    assert answer.locator(".pending").count() == 1, answer.inner_text()
    answer.locator(".pending button", has_text="Cancel").click()
    page.locator(".message.assistant", has_text="Cancelled").wait_for()
    page.reload()
    page.wait_for_load_state("networkidle")
    assert violations(page) == []


def test_api_docs_render_with_no_policy_violation(page: Any) -> None:
    page.goto("/docs")
    page.locator(".swagger-ui .info").wait_for()
    page.wait_for_load_state("networkidle")
    assert violations(page) == []
