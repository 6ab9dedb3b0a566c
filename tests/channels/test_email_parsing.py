"""Parsing details the SMTP tests do not reach: IMAP URLs, quoted replies, forwards attached as messages."""

from email.message import EmailMessage

import pytest

from adapters.email.imap import parse_imap_url
from adapters.email.parsing import parse_mail


def test_imap_url_names_host_port_user_and_mailbox():
    target = parse_imap_url("imaps://dealwise%40corp.example:p%40ss@imap.corp.example/Sales")
    assert (target.host, target.port, target.ssl) == ("imap.corp.example", 993, True)
    assert (target.user, target.password, target.mailbox) == ("dealwise@corp.example", "p@ss", "Sales")
    assert parse_imap_url("imap://u:p@localhost:1143").mailbox == "INBOX"
    with pytest.raises(ValueError, match="imap:// or imaps://"):
        parse_imap_url("http://u:p@host/INBOX")


def test_reply_text_drops_quoted_history_and_signature():
    message = EmailMessage()
    message["From"] = "Rita <rita.lopez@dealwise.demo>"
    message["Subject"] = "Re: Pipeline"
    message.set_content("yes\n\n-- \nRita Lopez\n\nOn Thu, Nov 19, 2026 Dealwise wrote:\n> Shall I log it?\n")
    mail = parse_mail(message.as_bytes())
    assert mail.new_text() == "yes"
    assert mail.base_subject == "Pipeline"


def test_forward_attached_as_a_message_names_the_original_sender():
    original = EmailMessage()
    original["From"] = "Grace Dubois <Grace.Dubois@wernhamhogg.example>"
    original["Subject"] = "Contract"
    original.set_content("Please send the contract.")
    outer = EmailMessage()
    outer["From"] = "rita.lopez@dealwise.demo"
    outer["To"] = "dealwise@dealwise.test"
    outer["Subject"] = "see attached"
    outer.set_content("FYI")
    outer.add_attachment(original)
    mail = parse_mail(outer.as_bytes())
    assert mail.forwarded is not None
    assert (mail.forwarded.sender, mail.forwarded.subject) == ("grace.dubois@wernhamhogg.example", "Contract")
    assert "send the contract" in mail.forwarded.body
