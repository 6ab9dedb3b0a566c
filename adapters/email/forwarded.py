"""A customer email forwarded (or Cc'd / Bcc'd) to the assistant -> a proposed email activity on the right contact."""

from datetime import datetime
from email.utils import parsedate_to_datetime

from sqlalchemy import func

from adapters.email.parsing import InboundMail
from assistant.crm.access import scoped_select
from assistant.crm.deps import Deps
from assistant.crm.models import Contact, Deal, Stage
from assistant.crm.schemas.results import ProposalPublic
from tools.updates import LogActivityInput, log_activity

BODY_LIMIT = 20_000


class NoMatchingContact(Exception):
    """None of the mail's counterpart addresses belongs to a contact the person can see."""

    def __init__(self, addresses: list[str]) -> None:
        self.addresses = addresses
        shown = ", ".join(addresses) or "no address"
        super().__init__(f"I could not find a contact you can see with the address {shown}")


def counterpart_addresses(mail: InboundMail, assistant_address: str) -> list[str]:
    """The customer: the original sender of a forward, else the people the person wrote to."""
    own = {assistant_address.lower(), mail.sender}
    if mail.forwarded is not None and mail.forwarded.sender:
        return [mail.forwarded.sender]
    return [address for address in [*mail.to, *mail.cc] if address not in own]


def _contact(deps: Deps, addresses: list[str]) -> Contact:
    query = scoped_select(deps.principal, Contact).where(func.lower(Contact.email).in_(addresses))
    contact = deps.session.scalars(query.order_by(Contact.id)).unique().first()
    if contact is None:
        raise NoMatchingContact(addresses)
    return contact


def _open_deal(deps: Deps, contact: Contact) -> Deal | None:
    if contact.account_id is None:
        return None
    query = (
        scoped_select(deps.principal, Deal)
        .join(Stage, Stage.id == Deal.stage_id)
        .where(Deal.account_id == contact.account_id, Stage.is_closed.is_(False))
        .order_by((Deal.primary_contact_id == contact.id).desc(), Deal.close_date, Deal.id)
    )
    return deps.session.scalars(query).unique().first()


def _occurred(date_header: str, now: datetime) -> datetime | None:
    try:
        when = parsedate_to_datetime(date_header)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is not None:
        when = when.astimezone().replace(tzinfo=None)
    return when if when <= now else None


def forwarded_proposal(deps: Deps, mail: InboundMail, assistant_address: str) -> ProposalPublic:
    """Propose logging the customer's email on their contact and open deal; applied only on confirmation."""
    contact = _contact(deps, counterpart_addresses(mail, assistant_address))
    deal = _open_deal(deps, contact)
    original = mail.forwarded
    subject = (original.subject if original and original.subject else mail.base_subject) or "Email"
    subject = subject.removeprefix("Fwd:").removeprefix("FW:").strip() or "Email"
    body = original.body if original else mail.new_text()
    direction = "from" if original else "to"
    occurred = _occurred(original.date if original else "", deps.clock.now())
    args = LogActivityInput(
        type="email",
        subject=f"Email {direction} {contact.name}: {subject}"[:300],
        body=body[:BODY_LIMIT] or None,
        occurred_at=occurred,
        contact_id=contact.id,
        deal_id=deal.id if deal else None,
        account_id=None if deal else contact.account_id,
    )
    return log_activity(deps, args)
