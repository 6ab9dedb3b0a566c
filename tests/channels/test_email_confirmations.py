"""Spoofed email cannot confirm a change (issue 14, finding 1), over real SMTP to the listener.

Anyone can put a rep's address in From and choose a Message-ID. A confirmation by mail counts only
as a reply to the assistant's own proposal mail carrying the one-time code that mail held (in its
Reply-To and subject), before it expires, once.
"""

from collections.abc import Iterator
from datetime import timedelta
from email.message import EmailMessage

import pytest
from sqlalchemy import select, update

from adapters.email.handling import EmailProcessor
from adapters.email.listener import EmailListener
from adapters.web.context import AppContext
from assistant.crm.db import engine_for, session_factory
from assistant.crm.models import AuditEntry, Deal, EmailConfirmation, Stage
from assistant.crm.security import utcnow
from assistant.crm.settings import Settings
from tests import support
from tests.support import ALICE
from tests.support.channels import Relay, mail, open_deal_owned_by, send, text_of, wait_for_event

ATTACKER_ID = "<spoofed-1@evil.example>"
TARGET_STAGE = "Closed Lost"


def stage_of(context: AppContext, deal_id: int) -> str:
    with context.sessions() as session:
        return session.scalars(select(Stage.name).join(Deal, Deal.stage_id == Stage.id).where(Deal.id == deal_id)).one()


def deal_audits(context: AppContext, deal_id: int) -> int:
    with context.sessions() as session:
        query = select(AuditEntry).where(AuditEntry.entity_type == "deal", AuditEntry.entity_id == deal_id)
        return len(session.scalars(query).all())


def propose_closed_lost(mailbox: int, relay: Relay, context: AppContext, message_id: str | None = None) -> tuple:
    """Mail 1: a rep's address asks to move a deal to Closed Lost; returns the deal and the proposal mail."""
    with context.sessions() as session:
        deal = open_deal_owned_by(session, ALICE)
    request = mail("Deal update", f"move the {deal.name} deal to {TARGET_STAGE}")
    if message_id:
        request.replace_header("Message-ID", message_id)
    count = len(relay.wait(0))
    send(mailbox, request)
    proposal = relay.wait(count + 1)[count]
    assert 'Reply "confirm"' in text_of(proposal), text_of(proposal)
    return deal, request, proposal


def test_spoofed_confirmation_changes_nothing_and_the_reply_says_why(
    mailbox: int, relay: tuple[Relay, int], email_context: AppContext
):
    deal, request, proposal = propose_closed_lost(mailbox, relay[0], email_context, ATTACKER_ID)
    assert proposal["To"].addresses[0].addr_spec == ALICE, "the proposal goes to the real rep, not the attacker"
    audits = deal_audits(email_context, deal.id)
    before = stage_of(email_context, deal.id)

    blind = mail("Re: Deal update", "confirm")
    blind["In-Reply-To"] = ATTACKER_ID
    blind["References"] = ATTACKER_ID
    send(mailbox, blind)
    refusal = relay[0].wait(2)[1]
    assert "did not change anything" in text_of(refusal) and "does not reply to one" in text_of(refusal)
    assert stage_of(email_context, deal.id) == before != TARGET_STAGE
    assert deal_audits(email_context, deal.id) == audits

    guessed = mail("Re: Deal update", "yes")
    guessed["In-Reply-To"] = proposal["Message-ID"]
    guessed["References"] = f"{ATTACKER_ID} {proposal['Message-ID']}"
    send(mailbox, guessed)
    refusal = relay[0].wait(3)[2]
    assert "one-time code" in text_of(refusal), "knowing the proposal's Message-ID is not enough"
    assert stage_of(email_context, deal.id) == before
    assert deal_audits(email_context, deal.id) == audits


def test_a_reply_to_the_proposal_mail_confirms_once(mailbox: int, relay: tuple[Relay, int], email_context):
    deal, _, proposal = propose_closed_lost(mailbox, relay[0], email_context)
    reply_to = proposal["Reply-To"].addresses[0].addr_spec
    assert reply_to.startswith("dealwise+c-") and reply_to.endswith("@dealwise.test")
    assert reply_to.split("+", 1)[1].split("@")[0] in proposal["Subject"]
    with email_context.sessions() as session:
        stored = session.scalars(select(EmailConfirmation)).one()
        assert stored.code_hash not in (reply_to, proposal["Subject"]) and stored.message_id == proposal["Message-ID"]

    confirm = mail("Re: Deal update", "confirm\n\nOn Fri, Dealwise wrote:\n> quoted", reply_to=proposal)
    send(mailbox, confirm)
    done = relay[0].wait(2)[1]
    assert "Done" in text_of(done), text_of(done)
    assert done["Reply-To"] is None and 'Reply "confirm"' not in text_of(done), "nothing is left to confirm"
    assert stage_of(email_context, deal.id) == TARGET_STAGE
    with email_context.sessions() as session:
        query = select(AuditEntry.channel).where(AuditEntry.entity_type == "deal", AuditEntry.entity_id == deal.id)
        assert "email" in session.scalars(query).all()
    audits = deal_audits(email_context, deal.id)

    send(mailbox, mail("Re: Deal update", "confirm", reply_to=proposal))
    again = relay[0].wait(3)[2]
    assert "already used" in text_of(again) and "applied" in text_of(again)
    assert deal_audits(email_context, deal.id) == audits


def test_cancel_by_reply_and_an_expired_code(mailbox: int, relay: tuple[Relay, int], email_context: AppContext):
    deal, _, proposal = propose_closed_lost(mailbox, relay[0], email_context)
    with email_context.sessions() as session:
        session.execute(update(EmailConfirmation).values(expires_at=utcnow() - timedelta(seconds=1)))
        session.commit()
    send(mailbox, mail("Re: Deal update", "yes", reply_to=proposal))
    expired = relay[0].wait(2)[1]
    assert "expired" in text_of(expired) and stage_of(email_context, deal.id) != TARGET_STAGE

    _, _, second = propose_closed_lost(mailbox, relay[0], email_context)
    send(mailbox, mail("Re: Deal update", "cancel", reply_to=second))
    cancelled = relay[0].wait(4)[3]
    assert "Cancelled" in text_of(cancelled) and stage_of(email_context, deal.id) != TARGET_STAGE


@pytest.fixture
def strict_mailbox(email_settings: Settings) -> Iterator[tuple[int, AppContext]]:
    """A listener that trusts only mx.dealwise.test's Authentication-Results and requires a pass."""
    settings = email_settings.model_copy(
        update={
            "email_require_auth": True,
            "email_authserv_id": "mx.dealwise.test",
            "smtp_listen_port": support.free_port(),
        }
    )
    context = AppContext(settings=settings, sessions=session_factory(settings), clock=support.CLOCK)
    listener = EmailListener(EmailProcessor(context), "127.0.0.1", settings.smtp_listen_port or 0, 10_000_000)
    listener.start()
    yield settings.smtp_listen_port or 0, context
    listener.stop()
    engine_for(settings.resolved_database_url).dispose()


def authenticated(subject: str, body: str, results: str | None) -> EmailMessage:
    message = mail(subject, body)
    if results is not None:
        message["Authentication-Results"] = results
    return message


def test_failed_sender_authentication_is_rejected_without_a_reply(
    mailbox: int, relay: tuple[Relay, int], email_context: AppContext
):
    results = "mx.dealwise.test; spf=fail smtp.mailfrom=rita.lopez@dealwise.demo; dkim=none; dmarc=fail"
    forged = authenticated("Deals", "how many open deals do I have?", results)
    send(mailbox, forged)
    event = wait_for_event(email_context, forged["Message-ID"])
    assert event is not None and event.outcome == "rejected" and "dmarc=fail" in (event.detail or "")
    assert relay[0].wait(1, timeout=1) == []


def test_required_authentication_trusts_only_the_named_server(
    strict_mailbox: tuple[int, AppContext], relay: tuple[Relay, int]
):
    port, context = strict_mailbox
    unsigned = authenticated("Deals", "how many open deals do I have?", None)
    planted = authenticated(
        "Deals", "how many open deals do I have?", "evil.example; dmarc=pass header.from=dealwise.demo"
    )
    passing = authenticated(
        "Deals", "how many open deals do I have?", "mx.dealwise.test; dkim=pass header.d=dealwise.demo; spf=none"
    )
    for message in (unsigned, planted, passing):
        send(port, message)
    for refused in (unsigned, planted):
        event = wait_for_event(context, refused["Message-ID"])
        assert (
            event is not None and event.outcome == "rejected" and "DEALWISE_EMAIL_REQUIRE_AUTH" in (event.detail or "")
        )
    [reply] = relay[0].wait(1)
    assert reply["In-Reply-To"] == passing["Message-ID"]
    assert relay[0].wait(2, timeout=1) == [reply]
