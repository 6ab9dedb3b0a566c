""" "Same check on his other deal" runs the last check again (never a change to the deal); the competitor most
mentioned on one rep's records; drafts asked as "write X a thank you" or "draft something to the customer"; a
purpose with several things to say; and a contract draft the customer will get, said without the word "draft"."""

from sqlalchemy import text

from tests.assistant.sql import EAST_MANAGER, ERIN, JACK, NINA, OMAR
from tests.support import WEST_MANAGER


def test_same_check_on_another_deal_runs_the_check_again(ask) -> None:
    first = ask(
        EAST_MANAGER, "Jack's Stark Industries analytics suite deal - which of BANT is there, from the last call?"
    )
    again = ask(
        EAST_MANAGER,
        "Same check on his Tyrell Biotech analytics suite deal, the one that's in Negotiation.",
        thread_id=first.thread_id,
    )
    assert [call.name for call in again.tool_calls] == ["bant_check"], again.tool_calls
    assert again.answer.startswith("Tyrell Biotech - Analytics Suite: ") and again.pending_action is None, again.answer


def test_the_competitor_most_mentioned_on_one_reps_records(ask, db) -> None:
    jack = db.execute(text("SELECT id FROM users WHERE email = :e"), {"e": JACK}).scalar_one()
    team = ask(EAST_MANAGER, "since oct 1 which competitor is east bumping into most? mentions count pls")
    his = ask(EAST_MANAGER, "ok and just on jack's deals?", thread_id=team.thread_id)
    assert his.tool_calls[0].args == {"start": "2026-10-01", "owner_id": jack}, his.tool_calls
    assert "on Jack Miller's records" in his.answer and his.answer != team.answer, his.answer
    omar = db.execute(text("SELECT id FROM users WHERE email = :e"), {"e": OMAR}).scalar_one()
    asked = ask(WEST_MANAGER, "which competitor comes up most on Omar's deals this year?")
    assert asked.tool_calls[0].args["owner_id"] == omar, asked.tool_calls


def test_drafts_asked_without_the_word_email(ask) -> None:
    thanks = ask(
        ERIN,
        "soylent foods renewal is signed! can you write chloe walsh a thank you off our last call and let her know "
        "onboarding for the new seats kicks off december 1",
    )
    assert thanks.tool_calls[0].name == "draft_followup_email" and "Subject:" in thanks.answer, thanks.answer
    assert "onboarding for the new seats kicks off december 1" in thanks.answer, thanks.answer
    something = ask(
        OMAR,
        "Weyland Mining signed the add-on seats back in October and I never followed up properly. Draft something to "
        "the customer picking up from our last conversation, thanking them, and offering a free training session.",
    )
    assert something.tool_calls[0].name == "draft_followup_email", something.tool_calls
    assert "offer a free training session" in something.answer, something.answer
    note = ask(ERIN, "write something about the soylent foods renewal in my notes")
    assert not note.tool_calls or note.tool_calls[0].name != "draft_followup_email", note.tool_calls


def test_several_things_to_say_and_a_contract_draft(ask) -> None:
    reply = ask(
        JACK,
        "I need to get back to Ben Muller after the exec alignment meeting we had on the Aperture Labs renewal. Write "
        "him an email thanking him for the meeting and telling him the contract draft will be with him by next "
        "Wednesday.",
    ).answer
    email = reply.split("Subject:", 1)[1]
    assert "the first version of the contract will be with you by next Wednesday" in email, reply
    assert "draft" not in email.lower(), reply
    several = ask(
        NINA,
        "Diego Lopez emailed me on the Evergreen Schools enterprise license and I still haven't replied. Could you "
        "draft my reply: thank him for his note, say I'll send a one-page ROI summary this week, and ask if he can "
        "get us 30 minutes with the CFO.",
    ).answer
    assert "I'll send a one-page ROI summary this week" in several and "30 minutes with the CFO" in several, several
