"""Email over real SMTP: the aiosmtpd listener takes mail, a second SMTP server captures the assistant's replies."""

import smtplib

import pytest
from sqlalchemy import select

from adapters.web.context import AppContext
from assistant.crm.models import Activity, AuditEntry, Contact, ProcessedEvent
from tests.support import ALICE
from tests.support.channels import (
    ASSISTANT_ADDRESS,
    QUESTION,
    Relay,
    counts_open_deals,
    mail,
    money,
    open_deal_owned_by,
    open_deals,
    send,
    text_of,
    wait_for_event,
)


def test_request_is_answered_in_the_same_thread_with_facts(mailbox: int, relay: tuple[Relay, int], email_context):
    question = mail("Pipeline question", f"Hi,\n\n{QUESTION}\n\nThanks,\nRita")
    send(mailbox, question)
    [reply] = relay[0].wait(1)
    assert reply["To"].addresses[0].addr_spec == ALICE
    assert reply["Subject"] == "Re: Pipeline question"
    assert reply["In-Reply-To"] == question["Message-ID"]
    assert question["Message-ID"] in reply["References"]
    with email_context.sessions() as session:
        count, total = open_deals(session, ALICE)
    body = text_of(reply)
    assert counts_open_deals(body, count) and money(total) in body
    assert "http://dealwise.test/records/deal/" in body
    html = reply.get_body(preferencelist=("html",))
    assert html is not None and money(total) in html.get_content()


def test_draft_round_trip_keeps_the_thread(mailbox: int, relay: tuple[Relay, int], email_context: AppContext):
    with email_context.sessions() as session:
        deal = open_deal_owned_by(session, ALICE)
        contact = session.get(Contact, deal.primary_contact_id)
        assert contact is not None
    request = mail("Follow-up", f"draft a follow-up email to {contact.name} about {deal.name}")
    send(mailbox, request)
    [draft] = relay[0].wait(1)
    body = text_of(draft)
    assert contact.email in body and deal.name in body
    assert f"Hi {contact.first_name}" in body and "Rita Lopez" in body and "(not sent)" in body
    assert draft["In-Reply-To"] == request["Message-ID"]
    follow_up = mail("Re: Follow-up", QUESTION, reply_to=draft)
    send(mailbox, follow_up)
    replies = relay[0].wait(2)
    assert len(replies) == 2
    assert request["Message-ID"] in replies[1]["References"] and draft["Message-ID"] in replies[1]["References"]
    with email_context.sessions() as session:
        thread_ids = {row[0] for row in session.execute(select(ProcessedEvent.event_id))}
        assert {request["Message-ID"], follow_up["Message-ID"]} <= thread_ids
    assert replies[1]["Subject"] == "Re: Follow-up"


def test_forwarded_customer_email_is_logged_only_after_confirm(mailbox: int, relay: tuple[Relay, int], email_context):
    with email_context.sessions() as session:
        deal = open_deal_owned_by(session, ALICE)
        contact = session.get(Contact, deal.primary_contact_id)
        assert contact is not None
        before = session.scalars(select(Activity.id).where(Activity.contact_id == contact.id)).all()
    forwarded = mail(
        "Fwd: Pricing for next year",
        "FYI, see below.\n\n---------- Forwarded message ---------\n"
        f"From: {contact.name} <{contact.email}>\nDate: Tue, 17 Nov 2026 10:15:00 +0000\n"
        "Subject: Pricing for next year\nTo: Rita Lopez <rita.lopez@dealwise.demo>\n\n"
        "Hi Rita, could you send the revised pricing for 40 seats before our board meeting?\n",
    )
    send(mailbox, forwarded)
    [proposal] = relay[0].wait(1)
    assert contact.name in text_of(proposal) and 'Reply "confirm"' in text_of(proposal)
    with email_context.sessions() as session:
        assert session.scalars(select(Activity.id).where(Activity.contact_id == contact.id)).all() == before

    send(mailbox, mail("Re: Fwd: Pricing for next year", "confirm\n\nOn Fri, Rita wrote:\n> quoted", reply_to=proposal))
    replies = relay[0].wait(2)
    assert len(replies) == 2 and "Done" in text_of(replies[1])
    with email_context.sessions() as session:
        logged = session.scalars(
            select(Activity).where(Activity.contact_id == contact.id, Activity.id.not_in(before))
        ).all()
        assert len(logged) == 1
        activity = logged[0]
        assert activity.type == "email" and activity.deal_id == deal.id
        assert "revised pricing for 40 seats" in (activity.body or "")
        audit = session.scalars(
            select(AuditEntry).where(AuditEntry.entity_type == "activity", AuditEntry.entity_id == activity.id)
        ).all()
        assert [entry.channel for entry in audit] == ["email"]


def test_bcc_on_a_mail_to_a_customer_proposes_logging_it(mailbox: int, relay: tuple[Relay, int], email_context):
    with email_context.sessions() as session:
        contact = session.get(Contact, open_deal_owned_by(session, ALICE).primary_contact_id)
        assert contact is not None
    outgoing = mail("Next steps", "Hi, attaching the security questionnaire.", to=contact.email)
    send(mailbox, outgoing, recipients=[ASSISTANT_ADDRESS])
    [proposal] = relay[0].wait(1)
    assert f"Email to {contact.name}: Next steps" in text_of(proposal)


def test_unknown_sender_gets_no_reply_and_is_recorded(mailbox: int, relay: tuple[Relay, int], email_context):
    stranger = mail("Your deals", QUESTION, sender="someone@elsewhere.example")
    send(mailbox, stranger)
    event = wait_for_event(email_context, stranger["Message-ID"])
    assert event is not None and event.outcome == "rejected"
    assert "someone@elsewhere.example" in (event.detail or "")
    known = mail("Deals", QUESTION)
    send(mailbox, known)
    replies = relay[0].wait(1)
    assert [reply["In-Reply-To"] for reply in replies] == [known["Message-ID"]]


def test_duplicate_message_id_is_answered_once(mailbox: int, relay: tuple[Relay, int]):
    question = mail("Deals", QUESTION)
    send(mailbox, question)
    send(mailbox, question)
    relay[0].wait(1)
    other = mail("Tasks", "show my open tasks")
    send(mailbox, other)
    replies = relay[0].wait(2)
    assert sorted(reply["In-Reply-To"] for reply in replies) == sorted([question["Message-ID"], other["Message-ID"]])


def test_html_only_message_is_understood(mailbox: int, relay: tuple[Relay, int], email_context: AppContext):
    html = f"<html><head><style>p {{color: red}}</style></head><body><p>{QUESTION}</p></body></html>"
    send(mailbox, mail("Question", None, html=html))
    [reply] = relay[0].wait(1)
    with email_context.sessions() as session:
        count, total = open_deals(session, ALICE)
    assert counts_open_deals(text_of(reply), count) and money(total) in text_of(reply)


def test_mail_for_another_mailbox_is_refused_at_rcpt(mailbox: int):
    with pytest.raises(smtplib.SMTPRecipientsRefused):
        send(mailbox, mail("Hi", QUESTION, to="someone@dealwise.test"), recipients=["someone@dealwise.test"])
