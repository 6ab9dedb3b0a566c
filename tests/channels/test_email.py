"""Email over real SMTP: the aiosmtpd listener takes mail, a second SMTP server captures the assistant's replies."""

import smtplib
import time
from email.message import EmailMessage
from email.utils import make_msgid

import pytest
from sqlalchemy import select

from adapters.web.context import AppContext
from assistant.crm.models import Activity, AuditEntry, Contact, ProcessedEvent
from tests.channels.conftest import ASSISTANT_ADDRESS, Relay
from tests.channels.facts import counts_open_deals, money, open_deal_owned_by, open_deals
from tests.support import ALICE

QUESTION = "how many open deals do I have?"


def mail(
    subject: str, body: str | None, sender: str = ALICE, to: str = ASSISTANT_ADDRESS, cc: str | None = None,
    reply_to: EmailMessage | None = None, html: str | None = None,
) -> EmailMessage:  # fmt: skip
    """A mail from `sender`; as a reply to `reply_to` it goes where a mail client sends it (its Reply-To)."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = str(reply_to.get("Reply-To", to)) if reply_to is not None else to
    if cc:
        message["Cc"] = cc
    message["Subject"] = subject
    message["Message-ID"] = make_msgid(domain="client.example")
    if reply_to is not None:
        message["In-Reply-To"] = reply_to["Message-ID"]
        message["References"] = f"{reply_to.get('References', '')} {reply_to['Message-ID']}".strip()
    if body is not None:
        message.set_content(body)
    if html is not None:
        if body is None:
            message.set_content(html, subtype="html")
        else:
            message.add_alternative(html, subtype="html")
    return message


def send(port: int, message: EmailMessage, recipients: list[str] | None = None) -> None:
    """Deliver over SMTP; the envelope goes to the message's To addresses unless `recipients` says otherwise."""
    with smtplib.SMTP("127.0.0.1", port, timeout=30) as smtp:
        smtp.send_message(message, to_addrs=recipients or [address.addr_spec for address in message["To"].addresses])


def text_of(message: EmailMessage) -> str:
    return str(message.get_body(preferencelist=("plain",)).get_content())  # type: ignore[union-attr]


def wait_for_event(context: AppContext, event_id: str, timeout: float = 30.0) -> ProcessedEvent | None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with context.sessions() as session:
            event = session.get(ProcessedEvent, ("email", event_id))
            if event is not None and event.outcome != "accepted":
                return event
        time.sleep(0.05)
    return None


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
