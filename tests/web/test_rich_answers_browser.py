"""Structured answers in the web chat, in headless Chromium: an HTML table with linked record names, a proposal
preview shown once with its buttons, and the same answer after the conversation is reopened."""

import re
from collections.abc import Callable
from typing import Any

import pytest

from tests.support import ALICE
from tests.support.web import PHONE, screenshot, sign_in

pytestmark = pytest.mark.browser

ISO = re.compile(r"\b\d{4}-\d{2}-\d{2}")


def signed_in(new_page: Callable[..., Any], **viewport: Any) -> Any:
    page = new_page(**viewport)
    sign_in(page, ALICE)
    page.wait_for_url("**/chat")
    return page


def ask(page: Any, question: str) -> Any:
    before = page.locator(".message.assistant").count()
    page.fill("#message", question)
    page.click("#send-button")
    page.wait_for_function(
        "n => document.querySelectorAll('.message.assistant').length > n"
        " && !document.querySelector('.message.assistant.streaming')",
        arg=before,
    )
    return page.locator(".message.assistant").last


def test_a_prep_answer_is_a_table_with_linked_records(new_page: Callable[..., Any]) -> None:
    page = signed_in(new_page)
    answer = ask(page, "prep me for my meeting with Los Pollos Hermanos")
    table = answer.locator("table.answer-table").first
    table.wait_for()
    assert table.locator("th").all_inner_texts()[:2] == ["Deal", "Amount"]
    link = table.locator('a.inline-link[href="/records/deal/65"]')
    assert link.inner_text() == "Los Pollos Hermanos - Analytics Suite"
    assert answer.locator("h3", has_text="Questions to ask").count() == 1
    assert answer.locator(".flag-overdue .badge").first.inner_text() == "overdue"
    screenshot(page, "rich-answer-desktop.png")
    link.click()
    page.wait_for_url("**/records/deal/65")


def test_a_proposal_is_previewed_once_and_reads_the_same_after_reopening(new_page: Callable[..., Any]) -> None:
    page = signed_in(new_page, viewport=PHONE)
    answer = ask(page, "move the Wernham Hogg deal close date to Dec 3")
    preview = answer.locator(".pending table.answer-table")
    preview.wait_for()
    assert preview.locator("tbody tr").first.locator("td").all_inner_texts() == [
        "Close date",
        "25 Nov 2026",
        "3 Dec 2026",
    ]
    assert answer.locator("table").count() == 1
    assert answer.locator(".pending button").all_inner_texts() == ["Confirm", "Cancel"]
    assert not ISO.search(answer.inner_text())
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    screenshot(page, "rich-proposal-phone.png")
    page.reload()
    page.locator("#messages table.answer-table").wait_for()
    assert page.locator("#messages table.answer-table").count() == 1
    assert page.locator("#messages .pending button").all_inner_texts() == ["Confirm", "Cancel"]
    assert not ISO.search(page.locator("#messages").inner_text())
