"""Follow-up email drafts a rep can send as they are. Nothing is sent.

Addressed to the person the last customer interaction on the deal was with (else the primary contact, else the
contact named), thanking them for that interaction (its type and date), recapping what was agreed in it (who does
what by when), proposing the deal's next step, signed by the rep. Internal content never reaches the text:
logged notes are not quoted, and competitor names, differentiators, pricing floors, discount limits and risk
talk are left out (tools/internal_content.py). The output says which interaction the draft rests on, for the rep.
"""

import re
from datetime import date, datetime
from pathlib import Path
from string import Template
from typing import Literal

from pydantic import BaseModel, Field

from assistant.crm.access import get_visible
from assistant.crm.deps import Deps
from assistant.crm.errors import ValidationFailed
from assistant.crm.models import Activity, Contact, Deal
from assistant.crm.schemas.results import ToolResult
from assistant.crm.services.accounts import ContactFilters, contact_query
from assistant.crm.services.activities import ActivityFilters, activity_query
from prompts import prompt_path
from tools.activities import record_ref
from tools.email_parts import agreed_items, next_step_sentence, purpose_sentence
from tools.internal_content import InternalFilter

TEMPLATE_PATH = prompt_path("email_followup.md")
CONVERSATION_TYPES = ("call", "meeting", "email")
THANKS = {
    "call": "Thank you for the call on {day}.",
    "meeting": "Thank you for the meeting on {day}.",
    "email": "Thank you for the email exchange on {day}.",
}
CLOSING_WITHOUT_STEP = "Is there anything else you need from us to move forward?"


def load_template(path: Path = TEMPLATE_PATH) -> tuple[Template, Template]:
    """(subject, body) templates; the file's first line is ``Subject: ...``."""
    first, _, body = path.read_text(encoding="utf-8").partition("\n")
    if not first.startswith("Subject:"):
        raise ValueError(f"{path} must start with a 'Subject:' line")
    return Template(first.removeprefix("Subject:").strip()), Template(body.strip("\n"))


class DraftFollowupInput(BaseModel):
    deal_id: int = Field(description="the deal the email is about")
    contact_id: int | None = Field(
        default=None, description="recipient; by default whoever the last call, meeting or email on the deal was with"
    )
    purpose: str | None = Field(
        default=None, max_length=500, description="an extra ask for the customer, e.g. 'schedule the pilot kick-off'"
    )
    based_on: Literal["call", "meeting", "email"] | None = Field(
        default=None, description="recap the deal's last conversation of this kind (by default the last of any kind)"
    )


class InteractionPublic(BaseModel):
    """The customer interaction a draft rests on (for the rep; the email only thanks for it)."""

    activity_id: int
    type: str
    subject: str
    occurred_at: datetime
    contact_id: int | None
    contact_name: str | None


class AgreedItemPublic(BaseModel):
    who: str
    what: str
    when: str | None


class EmailDraftPublic(ToolResult):
    to: str
    to_name: str
    to_title: str | None
    subject: str
    body: str
    deal_id: int
    deal_name: str
    deal_stage: str
    deal_amount: float
    currency: str
    based_on: InteractionPublic | None = Field(description="the interaction the draft thanks for and recaps")
    agreed: list[AgreedItemPublic] = Field(description="what the email recaps as agreed")
    left_out: list[str] = Field(description="what was kept out of the email, and why (for the rep)")
    sent: bool = Field(default=False, description="always False: drafts are never sent")


def _interactions(
    deps: Deps, deal: Deal, contact_id: int | None = None, kinds: tuple[str, ...] = CONVERSATION_TYPES
) -> list[Activity]:
    """Calls, meetings and emails (or only ``kinds``) with a contact on the deal, newest first."""
    query = activity_query(deps.principal, ActivityFilters(deal_id=deal.id, contact_id=contact_id))
    query = query.where(Activity.type.in_(kinds), Activity.contact_id.is_not(None))
    return list(deps.session.scalars(query.limit(20)).unique())


def _interactions_first_of(
    deps: Deps, deal: Deal, kinds: tuple[str, ...], contact_id: int | None = None
) -> list[Activity]:
    """The deal's conversations of ``kinds`` first, then (when ``kinds`` is narrower than every kind) the others."""
    preferred = _interactions(deps, deal, contact_id, kinds)
    if kinds == CONVERSATION_TYPES:
        return preferred
    return preferred + [a for a in _interactions(deps, deal, contact_id) if a.type not in kinds]


def _recipient(deps: Deps, deal: Deal, contact_id: int | None, kinds: tuple[str, ...] = CONVERSATION_TYPES) -> Contact:
    if contact_id is not None:
        contact = get_visible(deps.session, deps.principal, Contact, contact_id)
        if contact.account_id not in (None, deal.account_id):
            raise ValidationFailed("contact_id", f"contact {contact_id} works for another account than the deal's")
        if not contact.email:
            raise ValidationFailed("contact_id", f"contact {contact.id} ({contact.name}) has no email address")
        return contact
    for interaction in _interactions_first_of(deps, deal, kinds):
        if interaction.contact is not None and interaction.contact.email:
            return interaction.contact
    if deal.primary_contact is not None and deal.primary_contact.email:
        return get_visible(deps.session, deps.principal, Contact, deal.primary_contact.id)
    query = contact_query(deps.principal, ContactFilters(account_id=deal.account_id))
    contact = next((c for c in deps.session.scalars(query).unique() if c.email), None)
    if contact is None:
        raise ValidationFailed("contact_id", f"deal {deal.id} has no contact with an email address; name one")
    return contact


def _day(moment: datetime | date, today: date) -> str:
    day = moment.date() if isinstance(moment, datetime) else moment
    return f"{day.day} {day:%B}" + (f" {day.year}" if day.year != today.year else "")


def _product(deal: Deal) -> str:
    return deal.name.split(" - ", 1)[1].strip() if " - " in deal.name else deal.name


def _tidy(text: str) -> str:
    text = re.sub(r"[ \t]+\n", "\n", text)
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"


def draft_followup_email(deps: Deps, args: DraftFollowupInput) -> EmailDraftPublic:
    """Draft a follow-up email for a deal, ready to send: to the person the last call, meeting or email on the
    deal was with (or `contact_id`), thanking them for that interaction, recapping what was agreed (who does what
    by when, from the call summary), proposing the deal's next step, signed by the asker. Internal content (notes,
    competitor names, pricing floors, risk) never goes in.

    Use it for "draft a follow-up to Jane about the Acme deal", "write a recap email after my call". It only
    drafts: nothing is sent. `purpose` is an extra ask for the customer in a few words, never the request itself.
    """
    session = deps.session
    deal = get_visible(session, deps.principal, Deal, args.deal_id)
    kinds = (args.based_on,) if args.based_on else CONVERSATION_TYPES
    contact = _recipient(deps, deal, args.contact_id, kinds)
    guard = InternalFilter.for_session(session, deps.settings)
    today = deps.clock.today()
    with_contact = _interactions_first_of(deps, deal, kinds, contact.id)
    interaction = with_contact[0] if with_contact else None
    others = list(session.scalars(contact_query(deps.principal, ContactFilters(account_id=deal.account_id))).unique())
    agreed, dropped = agreed_items(session, interaction, contact, others, guard) if interaction else ([], 0)
    purpose_line, purpose_note = purpose_sentence(args.purpose, guard, (deal.name, deal.account.name))
    step_line = next_step_sentence(deal.next_step, guard)
    left_out = ["the notes logged on the deal (they are internal)"]
    if args.based_on and (interaction is None or interaction.type != args.based_on):
        instead = f"the last {interaction.type}" if interaction else "no earlier conversation"
        left_out.append(f"a recap of a {args.based_on}: none with {contact.name} is logged on this deal, so it rests "
                        f"on {instead}")  # fmt: skip
    if dropped:
        left_out.append(f"{dropped} point{'s' if dropped != 1 else ''} from the conversation that name a competitor "
                        "or pricing (internal)")  # fmt: skip
    if deal.next_step and step_line is None:
        left_out.append("the deal's next step, which reads as internal")
    if purpose_note:
        left_out.append(purpose_note)
    subject_template, body_template = load_template()
    when = _day(interaction.occurred_at, today) if interaction else ""
    values = {
        "subject": f"{_product(deal)}: following up on our {interaction.type} of {when}"
        if interaction
        else f"{_product(deal)}: next steps",
        "first_name": contact.first_name or contact.name,
        "thanks_line": THANKS[interaction.type].format(day=when) if interaction else "Thank you for your time.",
        "recap_block": "As agreed:\n" + "\n".join(f"- {item.sentence}" for item in agreed) if agreed else "",
        "next_step_line": step_line or CLOSING_WITHOUT_STEP,
        "purpose_line": purpose_line or "",
        "sender_name": deps.principal.name,
    }
    refs = [record_ref("deal", deal.id, deal.name), record_ref("contact", contact.id, contact.name)]
    if interaction is not None:
        refs.append(record_ref("activity", interaction.id, interaction.subject))
    return EmailDraftPublic(
        to=contact.email or "",
        to_name=contact.name,
        to_title=contact.title,
        subject=subject_template.safe_substitute(values),
        body=_tidy(body_template.safe_substitute(values)),
        deal_id=deal.id,
        deal_name=deal.name,
        deal_stage=deal.stage.name,
        deal_amount=float(deal.amount),
        currency=deal.currency,
        based_on=InteractionPublic(
            activity_id=interaction.id,
            type=interaction.type,
            subject=interaction.subject,
            occurred_at=interaction.occurred_at,
            contact_id=interaction.contact_id,
            contact_name=interaction.contact.name if interaction.contact else None,
        )
        if interaction
        else None,
        agreed=[AgreedItemPublic(who=i.who, what=i.what, when=i.when) for i in agreed],
        left_out=left_out,
        records=refs,
    )
