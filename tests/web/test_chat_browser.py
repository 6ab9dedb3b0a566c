"""The web chat end to end in headless Chromium, against the real app, assistant and demo data."""

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from assistant.crm.access import scoped_select
from assistant.crm.db import session_factory
from assistant.crm.models import Account, Activity, AuditEntry, CallRecording, Deal, Stage, User
from assistant.crm.settings import Settings
from tests import support
from tests.support import ALICE, BOB
from tests.support.speech import synthesise
from tests.support.web import PHONE, screenshot, sign_in

pytestmark = pytest.mark.browser

SPOKEN_ACCOUNT = "Northstar Insurance"
"""An account of ALICE's in the demo data whose name Whisper tiny.en hears right in espeak-ng speech"""


def open_deal_of(settings: Settings, email: str, skip: int = 0) -> Deal:
    """One of this person's open deals, from the database (not from the page under test)."""
    with session_factory(settings)() as db:
        query = (
            select(Deal)
            .join(User, User.id == Deal.owner_id)
            .join(Stage, Stage.id == Deal.stage_id)
            .where(User.email == email, Stage.is_closed.is_(False))
            .order_by(Deal.id)
        )
        return db.scalars(query).all()[skip]


def signed_in(new_page: Callable[..., Any], email: str = ALICE, **viewport: Any) -> Any:
    page = new_page(**viewport)
    sign_in(page, email)
    try:
        page.wait_for_url("**/chat")
    except Exception:
        state = page.evaluate("document.readyState")
        raise AssertionError(f"at {page.url} ({state}): {page.content()[:2000]}") from None
    return page


def ask(page: Any, question: str) -> Any:
    """Type a question, count how often the answer bubble changes while it streams, return the bubble."""
    before = page.locator(".message.assistant").count()
    page.evaluate(
        """() => {
            window.__chunks = 0;
            new MutationObserver((records) => {
                for (const r of records) {
                    const node = r.target.nodeType === 1 ? r.target : r.target.parentElement;
                    if (node && node.closest('.message.assistant.streaming')) window.__chunks++;
                }
            }).observe(document.getElementById('messages'), {childList: true, subtree: true, characterData: true});
        }"""
    )
    page.fill("#message", question)
    page.press("#message", "Enter")
    page.wait_for_function(
        "n => document.querySelectorAll('.message.assistant:not(.streaming)').length > n", arg=before
    )
    answer = page.locator(".message.assistant").nth(before)
    assert "failed" not in (answer.get_attribute("class") or ""), answer.inner_text()
    return answer


def test_sign_in_failure_shows_a_message(new_page: Callable[..., Any]) -> None:
    page = new_page()
    sign_in(page, ALICE, password="wrong-password")
    assert "do not match" in page.inner_text("#login-error")
    assert page.url.endswith("/login")


def test_streamed_answer_matches_the_database_and_links_its_records(
    new_page: Callable[..., Any], module_settings: Settings
) -> None:
    deal = open_deal_of(module_settings, ALICE)
    page = signed_in(new_page, ALICE)
    answer = ask(page, f"What's the status of the {deal.name} deal?")
    text = answer.locator(".text").inner_text()
    assert page.evaluate("window.__chunks") > 3, "the answer did not arrive in pieces"
    assert deal.name in text and deal.stage.name in text and f"{int(deal.amount):,}" in text
    assert re.search(r"/chat/[0-9a-f-]{36}$", page.url), "the thread id was not put in the address"
    thread_url = page.url
    assert page.locator("#threads li.current").count() == 1
    screenshot(page, "chat-desktop.png")

    more = answer.locator(".records .more")
    if more.count():
        more.click()
    assert answer.locator(f'a.record-link[data-type="account"][data-id="{deal.account_id}"]').is_visible()
    link = answer.locator(f'a.record-link[data-type="deal"][data-id="{deal.id}"]')
    link.click()
    page.wait_for_url(f"**/records/deal/{deal.id}")
    assert page.inner_text("#record-name") == deal.name
    assert deal.stage.name in page.inner_text("#deal-stage")

    page.goto(thread_url)
    assert page.locator(".message.user").inner_text() == f"What's the status of the {deal.name} deal?"
    assert page.locator(f'.message.assistant a.record-link[data-id="{deal.id}"]').count() == 1


def test_log_a_call_confirm_and_see_it_on_the_deal(new_page: Callable[..., Any], module_settings: Settings) -> None:
    deal = open_deal_of(module_settings, ALICE, skip=1)
    note = "they asked for a security review before signing"
    page = signed_in(new_page, ALICE)
    answer = ask(page, f"Log a call on the {deal.name} deal: {note}")
    pending = answer.locator(".pending")
    assert note in pending.inner_text()
    with session_factory(module_settings)() as db:
        assert db.scalars(select(Activity).where(Activity.body == note)).first() is None, "written before confirming"

    page.reload()
    pending = page.locator(".pending")
    assert note in pending.inner_text(), "the waiting action is not shown when the conversation is reopened"
    pending.locator("button", has_text="Confirm").click()
    done = page.locator(".message.assistant", has_text="Done")
    try:
        done.wait_for()
    except Exception:
        raise AssertionError(page.inner_text("#status")) from None
    assert page.locator(".pending button:visible").count() == 0
    page.reload()
    assert page.locator(".pending").count() == 0, "an applied action is still offered for confirmation"
    assert page.locator(".message.assistant").last.inner_text().startswith("Done")

    page.goto(f"/records/deal/{deal.id}")
    logged = page.locator("#activities li", has_text=f"Call on {deal.name}").first
    screenshot(page, "deal-page.png")
    logged.locator("a").click()
    assert note in page.inner_text("#activity-body")

    with session_factory(module_settings)() as db:
        activity = _only(db.scalars(select(Activity).where(Activity.body == note, Activity.deal_id == deal.id)).all())
        audit = db.scalars(
            select(AuditEntry).where(AuditEntry.entity_type == "activity", AuditEntry.entity_id == activity.id)
        ).all()
    assert [entry.channel for entry in audit] == ["web"]


def _only(rows: Any) -> Any:
    assert len(rows) == 1, f"expected one row, found {len(rows)}"
    return rows[0]


def test_a_rep_cannot_open_another_teams_deal(new_page: Callable[..., Any], module_settings: Settings) -> None:
    other = open_deal_of(module_settings, BOB)
    page = signed_in(new_page, ALICE)
    response = page.goto(f"/records/deal/{other.id}")
    assert response.status == 404
    assert other.name not in page.content()


def test_a_post_without_the_csrf_header_is_rejected(new_page: Callable[..., Any]) -> None:
    page = signed_in(new_page, ALICE)
    status = page.evaluate(
        """async () => (await fetch('/web/chat/stream', {method: 'POST', headers: {'Content-Type': 'application/json'},
                         body: JSON.stringify({message: 'hello'})})).status"""
    )
    assert status == 403


def test_phone_width_layout(new_page: Callable[..., Any], module_settings: Settings) -> None:
    deal = open_deal_of(module_settings, ALICE)
    page = signed_in(new_page, ALICE, viewport=PHONE)
    ask(page, f"What's the status of the {deal.name} deal?")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], "the page scrolls sideways"
    for control in ("#message", "#send-button", "#record-button"):
        box = page.locator(control).bounding_box()
        assert box is not None and box["y"] + box["height"] <= PHONE["height"], f"{control} is below the screen"
    assert not page.locator("#threads").is_visible()
    page.click("#sidebar-toggle")
    assert page.locator("#threads").is_visible()
    page.click("#sidebar-toggle")
    screenshot(page, "chat-phone.png")


def test_the_stream_is_server_sent_events_ending_in_the_chat_response(
    new_page: Callable[..., Any], module_settings: Settings
) -> None:
    deal = open_deal_of(module_settings, ALICE)
    page = signed_in(new_page, ALICE)
    raw = page.evaluate(
        """async (message) => {
            const root = document.getElementById('chat');
            const response = await fetch('/web/chat/stream', {method: 'POST',
                headers: {'Content-Type': 'application/json', [root.dataset.csrfHeader]: root.dataset.csrf},
                body: JSON.stringify({message})});
            return {type: response.headers.get('content-type'), body: await response.text()};
        }""",
        f"How much is the {deal.name} deal worth?",
    )
    assert raw["type"].startswith("text/event-stream")
    events = support.sse_events(raw["body"])
    names = [name for name, _ in events]
    assert names[-1] == "done" and set(names[:-1]) == {"token"} and len(names) > 3
    done = events[-1][1]
    assert "".join(data["text"] for _, data in events[:-1]) == done["answer"]
    assert f"{int(deal.amount):,}" in done["answer"]
    assert {"type": "deal", "id": deal.id, "name": deal.name} in done["records"]


def test_an_uploaded_voice_note_becomes_a_transcript_backed_proposal(
    new_page: Callable[..., Any], module_settings: Settings, tmp_path: Path
) -> None:
    with session_factory(module_settings)() as db:
        alice = support.principal(db, ALICE)
        account = db.scalars(scoped_select(alice, Account).where(Account.name == SPOKEN_ACCOUNT)).one()
    clip = tmp_path / "voice-note.wav"
    sentence = (
        f"Quick note on {SPOKEN_ACCOUNT}. They want a proposal for two hundred seats by Friday. "
        "I will send the pricing on Monday."
    )
    synthesise(sentence, clip, speed=140)

    page = signed_in(new_page, ALICE)
    page.set_input_files("#audio-file", str(clip))
    pending = page.locator(".message.assistant .pending")
    pending.wait_for()
    reply = page.locator(".message.assistant").last.inner_text()
    assert "proposal" in reply and "200" in reply and "pricing on Monday" in reply, "the transcript is not in the reply"
    assert account.name in pending.inner_text()

    pending.locator("button", has_text="Confirm").click()
    confirmed = page.locator(".message.assistant").nth(1)
    confirmed.wait_for()
    assert confirmed.inner_text().startswith("Done"), page.inner_text("#status") or confirmed.inner_text()
    page.goto(f"/records/account/{account.id}")
    page.locator("#activities li", has_text=f"Voice note: {account.name}").locator("a").click()
    assert "pricing on Monday" in page.inner_text("#activity-body")

    with session_factory(module_settings)() as db:
        call = db.scalars(select(CallRecording).where(CallRecording.filename == clip.name)).one()
        assert call.activity_id is not None and "pricing on Monday" in (call.transcript or "")
        audit = select(AuditEntry.channel).where(AuditEntry.entity_type == "activity")
        channels = db.scalars(audit.where(AuditEntry.entity_id == call.activity_id)).all()
    assert channels == ["web"]


def test_the_record_button_uploads_a_webm_clip(new_page: Callable[..., Any], module_settings: Settings) -> None:
    """Chromium's fake microphone plays a tone: the clip must reach the calls pipeline as a webm upload."""
    page = signed_in(new_page, ALICE)
    page.context.grant_permissions(["microphone"])
    page.click("#record-button")
    page.locator("#record-button.recording").wait_for()
    page.wait_for_timeout(800)
    with page.expect_response("**/web/calls") as upload:
        page.click("#record-button")
    assert upload.value.status == 200 and upload.value.request.headers.get("x-csrf-token")
    page.locator(".message.assistant").last.wait_for()
    with session_factory(module_settings)() as db:
        clip = db.scalars(select(CallRecording).where(CallRecording.filename.like("voice-note-%.webm"))).one()
    assert clip.size_bytes > 1000 and Path(clip.audio_path).read_bytes()[:4] == b"\x1aE\xdf\xa3"
