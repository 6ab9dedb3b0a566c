"""Follow-up drafts a rep can send as they are: the right person, the right interaction, what was agreed, and
nothing internal (notes, competitors, pricing limits, risk) or copied from the request."""

from sqlalchemy import select

from assistant.crm.models import Activity, Contact, Deal
from tests.support import ALICE
from tools.internal_content import InternalFilter
from tools.registry import get_tool

WONKA = 20
"""Wonka Confections - Analytics Suite: the last call (with a recording) was with Ahmed Brown; its log names a
competitor and "our differentiator"; the recording's action items are an ROI summary and a budget check"""
BLUE_SUN_SEATS = 50
"""Blue Sun Energy - Add-on Seats: the primary contact is Ivan Tanaka, the last email was with Emma Haddad"""


def draft(deps, **args):
    return get_tool("draft_followup_email").run(deps, args)


def last_with(db, deal_id: int, contact_id: int | None = None) -> Activity:
    query = select(Activity).where(Activity.deal_id == deal_id, Activity.type.in_(["call", "meeting", "email"]))
    if contact_id is not None:
        query = query.where(Activity.contact_id == contact_id)
    return db.scalars(query.order_by(Activity.occurred_at.desc())).first()


def contact_named(db, name: str) -> Contact:
    first, last = name.split()
    return db.scalars(select(Contact).where(Contact.first_name == first, Contact.last_name == last)).one()


def test_the_draft_goes_to_whoever_the_last_interaction_was_with_not_the_primary_contact(db, deps_for):
    deal = db.get(Deal, BLUE_SUN_SEATS)
    last = last_with(db, deal.id)
    assert last.contact_id != deal.primary_contact_id
    result = draft(deps_for(ALICE), deal_id=deal.id)
    assert (result.to, result.to_name) == (last.contact.email, last.contact.name)
    assert result.body.startswith(f"Hi {last.contact.first_name},")
    assert f"Thank you for the email exchange on {last.occurred_at.day} {last.occurred_at:%B}." in result.body
    assert result.based_on is not None and result.based_on.activity_id == last.id


def test_a_named_recipient_is_thanked_for_their_own_last_interaction(db, deps_for):
    hannah = contact_named(db, "Hannah Rossi")
    theirs = last_with(db, BLUE_SUN_SEATS, hannah.id)
    latest = last_with(db, BLUE_SUN_SEATS)
    assert theirs.occurred_at.date() != latest.occurred_at.date()
    result = draft(deps_for(ALICE), deal_id=BLUE_SUN_SEATS, contact_id=hannah.id)
    assert result.to == hannah.email and result.based_on.activity_id == theirs.id
    assert f"{theirs.occurred_at.day} {theirs.occurred_at:%B}" in result.body
    assert f"{latest.occurred_at.day} {latest.occurred_at:%B}" not in result.body


def test_the_recap_is_what_was_agreed_on_the_call_and_no_internal_note_reaches_the_email(db, deps_for):
    last = last_with(db, WONKA)
    assert "Fabrikam Sales" in last.body and "differentiator" in last.body
    result = draft(deps_for(ALICE), deal_id=WONKA)
    email = f"{result.subject}\n{result.body}"
    assert "I will prepare an ROI summary by next week." in result.body
    assert "You will confirm the budget with finance before the end of the month." in result.body
    assert [(item.who, item.when) for item in result.agreed] == [
        ("I", "next week"),
        ("you", "before the end of the month"),
    ]
    for internal in ("Fabrikam Sales", "Contoso Cloud", "Northwind CRM", "differentiator", "Slack integration"):
        assert internal.lower() not in email.lower()
    assert last.body.split(":")[0] not in email
    assert "As a next step, I suggest we kick off the pilot." in result.body
    assert result.body.rstrip().endswith("Rita Lopez") and result.sent is False


def test_the_request_itself_never_becomes_the_subject_or_the_body(deps_for):
    result = draft(deps_for(ALICE), deal_id=WONKA, purpose="follow-up to the contact on my biggest deal")
    email = f"{result.subject}\n{result.body}".lower()
    assert "biggest" not in email and "the contact on" not in email and "follow-up to" not in email
    assert result.subject == "Analytics Suite: following up on our call of 14 November"
    assert any("add it yourself" in note for note in result.left_out)


def test_a_customer_ask_inside_the_request_is_kept_in_the_reps_words(deps_for):
    asked = "Draft a follow-up for Wonka Confections - Analytics Suite to schedule the pilot kick-off"
    result = draft(deps_for(ALICE), deal_id=WONKA, purpose=asked)
    assert "I'd also like to schedule the pilot kick-off." in result.body
    assert "Wonka Confections - Analytics Suite to" not in result.body
    timeline = draft(deps_for(ALICE), deal_id=WONKA, purpose="asking about the timeline")
    assert "I also wanted to ask about the timeline." in timeline.body


def test_an_ask_that_names_a_competitor_or_a_discount_limit_is_left_out(deps_for):
    for purpose in ("tell them we beat Fabrikam Sales on price", "offer up to our maximum discount of 20%"):
        result = draft(deps_for(ALICE), deal_id=WONKA, purpose=purpose)
        assert "Fabrikam" not in result.body and "discount" not in result.body.lower()
        assert any("internal" in note for note in result.left_out)


def test_someone_never_spoken_with_is_thanked_for_nothing_in_particular(db, deps_for):
    lena = contact_named(db, "Lena Moreau")
    assert last_with(db, WONKA, lena.id) is None
    result = draft(deps_for(ALICE), deal_id=WONKA, contact_id=lena.id)
    assert result.based_on is None and result.agreed == []
    assert "Thank you for your time." in result.body
    assert "following up on our" not in result.subject


def test_the_internal_filter_knows_competitors_and_sales_internals():
    guard = InternalFilter(["Fabrikam Sales"])
    for text in (
        "they also looked at fabrikam sales",
        "our pricing floor is $90 a seat",
        "we can go to a 15% discount at most",
        "risk score 93",
        "our differentiator is Slack",
        "the lowest we can go is 40k",
    ):
        assert guard.is_internal(text), text
    for text in ("I will send the revised proposal by Friday", "You will confirm the budget with finance"):
        assert not guard.is_internal(text), text
