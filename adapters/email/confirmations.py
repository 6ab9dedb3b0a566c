"""Email confirmations bound to the assistant's own proposal mail by a one-time code.

Anyone can put a rep's address in From and invent Message-IDs, so a "confirm" by mail counts only
when it proves it answers the proposal mail the assistant sent that rep. Each proposal mail gets a
fresh random code (128 bits) in its Reply-To plus-address (`assistant+c-<code>@domain`) and at the
end of its subject (`[c-<code>]`); only the code's SHA-256 is stored, with the proposal mail's
Message-ID, the pending action and the person. A confirm or cancel is accepted only when the mail

* replies to that Message-ID (In-Reply-To or References) and comes from that person,
* carries the code in a recipient address or the subject (compared with hmac.compare_digest),
* arrives before the code expires (DEALWISE_EMAIL_CONFIRMATION_HOURS), and the code is unused:
  one conditional UPDATE claims it, so it works once however often the reply is delivered.
"""

import hashlib
import hmac
import re
import secrets
from collections.abc import Iterable
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from adapters.email.parsing import InboundMail
from assistant.crm.models import EmailConfirmation, PendingAction

CODE_PATTERN = re.compile(r"(?<![0-9a-z])c-([0-9a-f]{32})(?![0-9a-z])", re.IGNORECASE)
SUBJECT_TAG = re.compile(r"\s*\[c-[0-9a-f]{32}\]", re.IGNORECASE)
RECIPIENT_HEADERS = ("To", "Cc", "Delivered-To", "X-Original-To", "Envelope-To")

NOT_A_REPLY = (
    "I did not change anything: a change proposed by email can only be confirmed or cancelled by replying "
    "to the proposal mail I sent you, and this mail does not reply to one. If you did not write it, someone "
    "may be sending mail in your name."
)
NO_CODE = (
    "I did not change anything: this reply does not carry the one-time code of my proposal mail (it is in the "
    "address I asked you to reply to and at the end of the subject). Reply to that mail itself, or confirm in "
    "the web chat."
)
EXPIRED = "I did not change anything: that proposal's confirmation code expired. Ask again for a new proposal."
USED = "I did not change anything more: that proposal's code was already used (the change was {status})."


class ConfirmationRefused(Exception):
    """A confirm or cancel by mail that does not prove it answers the proposal mail; the message says why."""


def new_code() -> str:
    return secrets.token_hex(16)


def _digest(code: str) -> str:
    return hashlib.sha256(code.lower().encode()).hexdigest()


def reply_address(assistant_address: str, code: str) -> str:
    """The assistant's address with the code as a plus-tag: replies to it still reach the same mailbox."""
    local, _, domain = assistant_address.partition("@")
    return f"{local.split('+', 1)[0]}+c-{code}@{domain}"


def subject_with_code(subject: str, code: str | None) -> str:
    bare = SUBJECT_TAG.sub("", subject).strip()
    return f"{bare} [c-{code}]" if code else bare


def record_code(
    session: Session, action_id: str, thread_id: str, user_id: int, message_id: str, code: str, now: datetime,
    lifetime: timedelta,
) -> None:  # fmt: skip
    session.add(
        EmailConfirmation(
            pending_action_id=action_id,
            thread_id=thread_id,
            user_id=user_id,
            message_id=message_id,
            code_hash=_digest(code),
            created_at=now,
            expires_at=now + lifetime,
        )
    )


def codes_in(mail: InboundMail, envelope_recipients: Iterable[str] = ()) -> list[str]:
    """Every code-shaped tag in the mail's recipient addresses (headers and SMTP envelope) and subject."""
    places = [mail.subject, *envelope_recipients]
    if mail.raw is not None:
        places += [str(value) for header in RECIPIENT_HEADERS for value in mail.raw.get_all(header) or []]
    return sorted({code.lower() for place in places for code in CODE_PATTERN.findall(place)})


def awaiting_reply(session: Session, user_id: int, mail: InboundMail) -> list[EmailConfirmation]:
    """This person's proposal mails that the mail replies to (by Message-ID), newest first."""
    if not mail.thread_ids:
        return []
    query = select(EmailConfirmation).where(
        EmailConfirmation.user_id == user_id, EmailConfirmation.message_id.in_(mail.thread_ids)
    )
    return list(session.scalars(query.order_by(EmailConfirmation.created_at.desc(), EmailConfirmation.id.desc())))


def claim(session: Session, user_id: int, mail: InboundMail, codes: list[str], now: datetime) -> EmailConfirmation:
    """The proposal this mail may decide, claimed for good; ConfirmationRefused says why not."""
    candidates = awaiting_reply(session, user_id, mail)
    if not candidates:
        raise ConfirmationRefused(NOT_A_REPLY)
    digests = [_digest(code) for code in codes]
    matches = [row for row in candidates if any([hmac.compare_digest(row.code_hash, d) for d in digests])]
    if not matches:
        raise ConfirmationRefused(NO_CODE)
    row = matches[0]
    if row.used_at is None and row.expires_at <= now:
        raise ConfirmationRefused(EXPIRED)
    claimed = session.execute(
        update(EmailConfirmation)
        .where(EmailConfirmation.id == row.id, EmailConfirmation.used_at.is_(None))
        .values(used_at=now)
    )
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        action = session.get(PendingAction, row.pending_action_id)
        raise ConfirmationRefused(USED.format(status=action.status if action else "resolved"))
    return row
