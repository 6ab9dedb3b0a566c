"""IMAP polling as the alternative to the SMTP listener: unseen mail is answered once and marked seen."""

from collections.abc import Iterator

import pytest

from adapters.email.handling import EmailProcessor
from adapters.email.imap import parse_imap_url, poll_once
from adapters.web.context import AppContext
from tests.fakes.imap_server import ImapStandIn, Mailbox
from tests.support import ALICE
from tests.support.channels import QUESTION, Relay, counts_open_deals, mail, money, open_deals, text_of


@pytest.fixture
def imap() -> Iterator[ImapStandIn]:
    server = ImapStandIn(Mailbox(user="dealwise@dealwise.test", password="p@ss word")).start()
    yield server
    server.stop()


def test_unseen_mail_is_answered_once_and_marked_seen(
    imap: ImapStandIn, relay: tuple[Relay, int], email_context: AppContext
) -> None:
    question = mail("Pipeline question", f"Hi,\n\n{QUESTION}\n\nRita")
    stranger = mail("Hello", QUESTION, sender="someone@elsewhere.example")
    imap.mailbox.messages = [bytes(question), bytes(stranger)]
    target = parse_imap_url(f"imap://dealwise%40dealwise.test:p%40ss%20word@127.0.0.1:{imap.port}/INBOX")
    processor = EmailProcessor(email_context)

    outcomes = poll_once(target, processor)

    assert len(outcomes) == 2 and imap.mailbox.seen == {1, 2} and imap.mailbox.logins == 1
    [reply] = relay[0].wait(1)
    assert reply["To"].addresses[0].addr_spec == ALICE and reply["In-Reply-To"] == question["Message-ID"]
    with email_context.sessions() as session:
        count, total = open_deals(session, ALICE)
    assert counts_open_deals(text_of(reply), count) and money(total) in text_of(reply)
    assert poll_once(target, processor) == []
    imap.mailbox.seen.clear()
    poll_once(target, processor)
    assert len(relay[0].wait(2, timeout=2)) == 1, "a Message-ID seen before is not answered again"


def test_a_wrong_password_is_an_error_not_a_silent_success(imap: ImapStandIn, email_context: AppContext) -> None:
    import imaplib

    target = parse_imap_url(f"imap://dealwise%40dealwise.test:wrong@127.0.0.1:{imap.port}/INBOX")
    with pytest.raises(imaplib.IMAP4.error):
        poll_once(target, EmailProcessor(email_context))
