"""A recording uploaded in the web chat goes on the deal the person chose (or on the deal the transcript
names), and lives in a conversation like any typed question; "Prep me for a meeting" on a record
page opens the chat with that request answered."""

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest
from sqlalchemy import select

from assistant.crm.db import session_factory
from assistant.crm.models import Account, Activity, Deal, Stage, User
from assistant.crm.settings import Settings
from tests.support import ALICE, BOB
from tests.support.speech import synthesise
from tests.support.web import PHONE, screenshot, sign_in

pytestmark = pytest.mark.browser

UNNAMED_NOTE = "Quick note after the call. They want a proposal for two hundred seats by Friday."
"""says no account or deal name: only the chooser can tell which deal it is about"""
DICTATED_REQUEST = re.compile(r"\b(200|two hundred) seat", re.IGNORECASE)
"""the quantity UNNAMED_NOTE asks for, as the speech model writes it ("200 seats", "200 seat-size" on different CPUs)"""


def deals_of(settings: Settings, email: str, closed: bool = False) -> list[Deal]:
    with session_factory(settings)() as db:
        query = (
            select(Deal)
            .join(User, User.id == Deal.owner_id)
            .join(Stage, Stage.id == Deal.stage_id)
            .where(User.email == email, Stage.is_closed.is_(closed))
            .order_by(Deal.id)
        )
        return list(db.scalars(query).unique())


def spoken(tmp_path: Path, sentence: str) -> Path:
    return synthesise(sentence, tmp_path / "meeting-note.wav", speed=140)


def signed_in(new_page: Callable[..., Any], **viewport: Any) -> Any:
    page = new_page(**viewport)
    sign_in(page, ALICE)
    page.wait_for_url("**/chat")
    return page


def test_the_deal_chooser_offers_the_persons_open_deals_only(
    new_page: Callable[..., Any], module_settings: Settings
) -> None:
    page = signed_in(new_page)
    offered = {
        int(v)
        for v in page.locator("#upload-deal option[value]:not([value=''])").evaluate_all(
            "options => options.map(option => option.value)"
        )
    }
    own_open = {deal.id for deal in deals_of(module_settings, ALICE)}
    assert own_open and own_open <= offered
    assert not offered & {deal.id for deal in deals_of(module_settings, ALICE, closed=True)}, "a closed deal is offered"
    assert not offered & {deal.id for deal in deals_of(module_settings, BOB)}, "another team's deal is offered"
    assert page.locator("#upload-deal option").first.get_attribute("value") == ""


def test_an_upload_with_a_chosen_deal_is_logged_there_and_its_conversation_is_kept(
    new_page: Callable[..., Any], module_settings: Settings, tmp_path: Path
) -> None:
    deal = deals_of(module_settings, ALICE)[2]
    clip = spoken(tmp_path, UNNAMED_NOTE)
    page = signed_in(new_page, viewport=PHONE)
    page.select_option("#upload-deal", str(deal.id))
    page.set_input_files("#audio-file", str(clip))
    page.locator(".message.assistant .pending").wait_for()
    proposal = page.locator(".message.assistant").last.inner_text()
    assert deal.name in proposal, proposal
    assert deal.name in page.locator(".message.user").last.inner_text()
    assert re.search(r"/chat/[0-9a-f-]{36}$", page.url), "the upload's conversation has no address"
    thread_path = urlparse(page.url).path
    screenshot(page, "upload-with-deal-phone.png")

    page.goto("/chat")
    page.click("#sidebar-toggle")
    listed = page.locator(f'#threads a[href="{thread_path}"]')
    assert listed.is_visible(), "the upload's conversation is not in the list"
    listed.click()
    page.wait_for_url(f"**{thread_path}")
    assert clip.name in page.locator(".message.user").first.inner_text()
    page.locator(".pending button", has_text="Confirm").click()
    page.locator(".message.assistant", has_text="Done").wait_for()
    with session_factory(module_settings)() as db:
        logged = db.scalars(select(Activity).where(Activity.deal_id == deal.id, Activity.subject.contains(deal.name)))
        bodies = [a.body or "" for a in logged]
    assert any(DICTATED_REQUEST.search(body) for body in bodies), bodies


def test_an_upload_nothing_could_be_proposed_for_is_still_a_conversation(
    new_page: Callable[..., Any], tmp_path: Path
) -> None:
    clip = spoken(tmp_path, UNNAMED_NOTE)
    page = signed_in(new_page)
    assert page.input_value("#upload-deal") == ""
    page.set_input_files("#audio-file", str(clip))
    answer = page.locator(".message.assistant").last
    answer.wait_for()
    page.wait_for_function("() => !document.getElementById('chat').classList.contains('busy')")
    assert "could not tell which deal" in answer.inner_text()
    assert re.search(r"/chat/[0-9a-f-]{36}$", page.url)
    thread_url = page.url
    page.goto(thread_url)
    assert "could not tell which deal" in page.locator(".message.assistant").last.inner_text()
    assert page.locator("#threads li.current").count() == 1


def test_prep_me_for_a_meeting_opens_the_chat_with_the_request_answered(
    new_page: Callable[..., Any], module_settings: Settings
) -> None:
    deal = deals_of(module_settings, ALICE)[0]
    with session_factory(module_settings)() as db:
        account = db.get(Account, deal.account_id)
        assert account is not None
        account_id, account_name = account.id, account.name
    page = signed_in(new_page)
    for record_page in (f"/records/deal/{deal.id}", f"/records/account/{account_id}"):
        page.goto(record_page)
        page.click("#prep-meeting")
        page.wait_for_url(re.compile(r"/chat/[0-9a-f-]{36}$"))
        assert page.locator(".message.user").last.inner_text() == f"Prep me for my meeting with {account_name}"
        answer = page.locator(".message.assistant").last
        assert account_name in answer.inner_text()
        assert page.locator("#threads li.current").count() == 1
    screenshot(page, "prep-meeting-desktop.png")
