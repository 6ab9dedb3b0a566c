"""The chat page holds a long conversation: the message pane scrolls, the composer, header and sidebar
stay in view, a reopened conversation opens at its newest message, on a desktop and at 390 px.
Messages over the limit (from settings) are refused with a visible counter, never cut."""

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest
from sqlalchemy import select

from assistant.crm.db import engine_for, session_factory
from assistant.crm.models import Deal, Stage, User
from assistant.crm.settings import Settings
from tests import support
from tests.support import ALICE
from tests.support.web import DESKTOP, PHONE, screenshot, sign_in

pytestmark = pytest.mark.browser

LIMIT = 1000
"""max_message_chars for this module's server: the page must take the limit from settings"""
QUESTIONS = 10
"""ten questions and ten answers: a 20-message conversation"""

GEOMETRY = """() => {
    const box = (element) => element.getBoundingClientRect().toJSON();
    const pane = document.getElementById('messages');
    const shown = pane.querySelectorAll('.message');
    return {
        messages: shown.length,
        pageHeight: document.documentElement.scrollHeight,
        pageWidth: document.documentElement.scrollWidth,
        paneScrolls: pane.scrollHeight > pane.clientHeight + 100,
        pane: box(pane),
        newest: box(shown[shown.length - 1]),
        oldest: box(shown[0]),
        composer: box(document.getElementById('composer')),
        input: box(document.getElementById('message')),
        send: box(document.getElementById('send-button')),
        header: box(document.querySelector('.topbar')),
        sidebar: box(document.getElementById('sidebar')),
    };
}"""


@pytest.fixture(scope="module")
def module_settings(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Settings]:
    directory = tmp_path_factory.mktemp("web-layout")
    settings = Settings(
        database_url=support.copy_sqlite(sqlite_template, directory),
        data_dir=directory / "data",
        max_message_chars=LIMIT,
    )
    yield settings
    engine_for(settings.resolved_database_url).dispose()


def open_deals(settings: Settings, email: str) -> list[Deal]:
    with session_factory(settings)() as db:
        query = (
            select(Deal)
            .join(User, User.id == Deal.owner_id)
            .join(Stage, Stage.id == Deal.stage_id)
            .where(User.email == email, Stage.is_closed.is_(False))
            .order_by(Deal.id)
        )
        return list(db.scalars(query).unique())


def signed_in(new_page: Callable[..., Any], viewport: dict[str, int] = DESKTOP) -> Any:
    page = new_page(viewport=viewport)
    sign_in(page, ALICE)
    page.wait_for_url("**/chat")
    return page


def ask(page: Any, question: str) -> None:
    before = page.locator(".message.assistant:not(.streaming)").count()
    page.fill("#message", question)
    page.press("#message", "Enter")
    page.wait_for_function(
        "n => document.querySelectorAll('.message.assistant:not(.streaming)').length > n", arg=before
    )
    newest = page.locator(".message.assistant").last
    assert "failed" not in (newest.get_attribute("class") or ""), newest.inner_text()


def assert_holds_the_conversation(page: Any, viewport: dict[str, int], messages: int) -> dict[str, Any]:
    """One screen tall, the pane scrolls, the newest message and the composer are in view."""
    at = page.evaluate(GEOMETRY)
    height, width = viewport["height"], viewport["width"]
    assert at["messages"] >= messages
    assert at["pageHeight"] <= height, f"the page grew to {at['pageHeight']} px in a {height} px window"
    assert at["pageWidth"] <= width, "the page scrolls sideways"
    assert at["paneScrolls"], "the conversation is long enough to scroll, yet the message pane does not"
    assert at["header"]["top"] == 0
    for part in ("composer", "input", "send"):
        assert at[part]["top"] >= 0 and at[part]["bottom"] <= height, f"the {part} is out of view: {at[part]}"
    newest, pane = at["newest"], at["pane"]
    assert pane["top"] < newest["bottom"] <= pane["bottom"] + 1, (
        f"the end of the newest message ({newest}) is not inside the visible pane ({pane})"
    )
    return at


def assert_only_the_pane_scrolls(page: Any, viewport: dict[str, int]) -> None:
    """Scrolled back to the first message: header, sidebar and composer have not moved."""
    before = page.evaluate(GEOMETRY)
    page.evaluate("document.getElementById('messages').scrollTop = 0")
    after = page.evaluate(GEOMETRY)
    assert after["oldest"]["top"] >= after["pane"]["top"] - 1, "the first message cannot be scrolled to"
    assert after["newest"]["top"] > after["pane"]["bottom"], "the pane did not scroll"
    for part in ("header", "sidebar", "composer"):
        assert after[part] == before[part], f"the {part} moved when the conversation scrolled"
    assert after["composer"]["bottom"] <= viewport["height"]
    page.evaluate("document.getElementById('messages').scrollTop = 1e9")


def test_a_20_message_conversation_scrolls_in_its_pane_and_reopens_at_the_newest_message(
    new_page: Callable[..., Any], module_settings: Settings
) -> None:
    deals = open_deals(module_settings, ALICE)
    assert len(deals) >= 3
    page = signed_in(new_page)
    for turn in range(QUESTIONS):
        deal = deals[turn % len(deals)]
        question = (
            f"What's the status of the {deal.name} deal?"
            if turn % 2 == 0
            else f"Show me the recent activity on the {deal.name} deal"
        )
        ask(page, question)
    assert_holds_the_conversation(page, DESKTOP, 2 * QUESTIONS)
    screenshot(page, "chat-20-messages-desktop.png")
    assert_only_the_pane_scrolls(page, DESKTOP)
    thread_url = page.url

    page.goto(thread_url)
    at = assert_holds_the_conversation(page, DESKTOP, 2 * QUESTIONS)
    assert at["sidebar"]["top"] == at["header"]["bottom"]
    screenshot(page, "chat-20-messages-reopened-desktop.png")

    phone = signed_in(new_page, PHONE)
    phone.goto(thread_url)
    assert_holds_the_conversation(phone, PHONE, 2 * QUESTIONS)
    assert not phone.locator("#threads").is_visible(), "the conversation list takes the phone screen"
    screenshot(phone, "chat-20-messages-reopened-phone.png")
    assert_only_the_pane_scrolls(phone, PHONE)
    phone.click("#sidebar-toggle")
    assert phone.locator(f'#threads a[href="{urlparse(thread_url).path}"]').is_visible()
    phone.click("#sidebar-toggle")

    ask(phone, f"What's the amount on the {deals[0].name} deal?")
    assert_holds_the_conversation(phone, PHONE, 2 * QUESTIONS + 2)
    screenshot(phone, "chat-21st-question-phone.png")


def test_a_message_over_the_limit_is_refused_with_a_visible_counter_and_kept(
    new_page: Callable[..., Any],
) -> None:
    page = signed_in(new_page, PHONE)
    assert page.inner_text("#char-count") == f"0 / {LIMIT:,}"
    page.fill("#message", "What's my pipeline? " + "x" * LIMIT)
    too_long = len("What's my pipeline? " + "x" * LIMIT)
    assert page.inner_text("#char-count") == f"{too_long:,} / {LIMIT:,}"
    assert "over" in (page.get_attribute("#char-count", "class") or "")
    assert page.is_disabled("#send-button")
    assert f"the limit is {LIMIT:,}" in page.inner_text("#status")
    page.press("#message", "Enter")
    assert page.locator(".message").count() == 0, "an over-long message was sent"
    assert len(page.input_value("#message")) == too_long, "the message was cut"
    screenshot(page, "chat-message-too-long-phone.png")

    page.fill("#message", "What's my pipeline?")
    assert not page.is_disabled("#send-button") and page.inner_text("#status") == ""


def test_the_server_refuses_a_long_message_and_the_page_says_why(new_page: Callable[..., Any]) -> None:
    """A page that allows more than the server (opened before the limit was lowered) still loses nothing."""
    page = signed_in(new_page)
    page.evaluate(f"document.getElementById('chat').dataset.maxChars = '{LIMIT * 10}'")
    text = "y" * (LIMIT + 1)
    page.fill("#message", text)
    page.click("#send-button")
    failed = page.locator(".message.assistant.failed")
    failed.wait_for()
    assert f"{LIMIT + 1:,} characters long; the limit is {LIMIT:,}" in failed.inner_text()
    assert f"the limit is {LIMIT:,}" in page.inner_text("#status")
    assert page.input_value("#message") == text, "the refused message was not given back to edit"

    answer = page.evaluate(
        """async (message) => {
            const root = document.getElementById('chat');
            const response = await fetch('/web/chat/stream', {method: 'POST',
                headers: {'Content-Type': 'application/json', [root.dataset.csrfHeader]: root.dataset.csrf},
                body: JSON.stringify({message})});
            return {status: response.status, body: await response.json()};
        }""",
        text,
    )
    assert answer["status"] == 422 and f"the limit is {LIMIT:,}" in answer["body"]["detail"]
