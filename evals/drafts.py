"""Checks of a follow-up email draft in an answer: the right recipient, thanks for the right interaction, what it
must say, and no internal content.

The answer is split at its `Subject:` line: what comes before is the note to the rep (who it is for, which
interaction it rests on); the subject line and everything after it is the email the customer would read.

The expected recipient and interaction are worked out here, independently of the tool, from the case's database:
the interaction is the deal's last call, meeting or email with a contact (with the named recipient, when the case
names one); the recipient is that interaction's contact, else the deal's primary contact.

Internal content (0 tolerated): a competitor name (the `competitors` table), internal sales terms (differentiators,
pricing floors, discount limits, risk scores), eight words in a row from any activity logged on the deal or
account (notes, call logs: the rep's own words), the request's own words ("my biggest deal", "draft"), and the
case's `never` values.
"""

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import or_, select

from assistant.crm.models import Activity, Competitor, Contact, Deal
from evals.answers import appears, normalise
from evals.cases import DraftExpect
from evals.facts import QueryContext, resolve

INTERACTION_TYPES = ("call", "meeting", "email")
TYPE_WORDS = {"call": r"call", "meeting": r"meet(?:ing)?", "email": r"e-?mail"}
EMAIL_ADDRESS = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
SUBJECT_LINE = re.compile(r"^[ \t>*_]*subject\s*[:*]+\s*(.*)$", re.IGNORECASE | re.MULTILINE)
INTERNAL_TERMS = re.compile(
    r"\b(differentiat\w*|competitor\w*|pricing floor|price floor|floor price|lowest (?:price|we can go)|walk[- ]away"
    r"|discount (?:limit|ceiling|cap)|max(?:imum)? discount|risk scores?|risk levels?|at risk|risky|risk-weighted"
    r"|single[- ]threaded|internal notes?|my notes|our notes|per (?:my|our) notes)\b",
    re.IGNORECASE,
)
REQUEST_WORDS = re.compile(
    r"\b(my (?:biggest|largest|top|main|best|most important|riskiest)(?: \w+)?|draft(?:ed|ing)?|follow-up email"
    r"|the contact on|dealwise)\b",
    re.IGNORECASE,
)
NOTE_RUN_WORDS = 8
SENTENCE = re.compile(r"[^.!?\n]+[.!?]?")


@dataclass(frozen=True)
class DraftText:
    header: str
    """the note to the rep, before the subject line"""
    subject: str
    body: str

    @property
    def email(self) -> str:
        return f"{self.subject}\n{self.body}"


@dataclass(frozen=True)
class DraftOutcome:
    kind: str
    """draft, draft_recipient, draft_interaction, draft_content, draft_leak"""
    passed: bool
    detail: str = ""


def split_draft(answer: str) -> DraftText | None:
    """The rep's note, the subject and the body of the email in an answer; None when there is no subject line."""
    match = SUBJECT_LINE.search(answer or "")
    if match is None:
        return None
    return DraftText(answer[: match.start()], match.group(1).strip(" *_"), answer[match.end() :].strip("\n"))


def last_interaction(context: QueryContext, deal_id: int, contact_id: int | None = None) -> Activity | None:
    """The deal's last call, meeting or email with a contact (with this contact, when given)."""
    query = select(Activity).where(
        Activity.deal_id == deal_id, Activity.type.in_(INTERACTION_TYPES), Activity.contact_id.is_not(None)
    )
    if contact_id is not None:
        query = query.where(Activity.contact_id == contact_id)
    return context.session.scalars(query.order_by(Activity.occurred_at.desc(), Activity.id.desc())).first()


def _named_contact(context: QueryContext, deal: Deal, wanted: Any) -> Contact | None:
    text = str(wanted).strip().lower()
    query = select(Contact).where(Contact.account_id == deal.account_id)
    if "@" in text:
        return context.session.scalars(query.where(Contact.email.ilike(text))).first()
    return next((c for c in context.session.scalars(query) if c.name.lower() == text), None)


def expected(expect: DraftExpect, context: QueryContext) -> tuple[Deal, Contact | None, Activity | None]:
    deal_id = resolve(expect.deal, context)
    deal = context.session.get(Deal, int(deal_id))
    if deal is None:
        raise ValueError(f"draft.deal: no deal {deal_id}")
    if expect.to is not None:
        contact = _named_contact(context, deal, resolve(expect.to, context))
        if contact is None:
            raise ValueError(f"draft.to: no contact {expect.to!r} at the deal's account")
        interaction = last_interaction(context, deal.id, contact.id)
    else:
        interaction = last_interaction(context, deal.id)
        contact = interaction.contact if interaction and interaction.contact and interaction.contact.email else None
        contact = contact or deal.primary_contact
    if expect.interaction is not None:
        interaction = context.session.get(Activity, expect.interaction) if expect.interaction else None
    return deal, contact, interaction


def _date_pattern(day: date) -> re.Pattern[str]:
    month, short = day.strftime("%B"), day.strftime("%b")
    forms = [
        re.escape(day.isoformat()),
        rf"{month}\.? {day.day}(?!\d)",
        rf"{short}\.? {day.day}(?!\d)",
        rf"(?<!\d){day.day}(?:st|nd|rd|th)? (?:of )?{month}",
        rf"(?<!\d){day.day}(?:st|nd|rd|th)? (?:of )?{short}\b",
        rf"(?<!\d){day.month}/{day.day}/{day.year}",
    ]
    return re.compile("|".join(forms), re.IGNORECASE)


def _thank_sentences(body: str) -> list[str]:
    return [s.strip() for s in SENTENCE.findall(body) if re.search(r"\bthank", s, re.IGNORECASE)]


def check_recipient(draft: DraftText, answer: str, contact: Contact | None) -> DraftOutcome:
    if contact is None or not contact.email:
        return DraftOutcome("draft_recipient", True)
    problems = []
    if contact.email.lower() not in draft.header.lower():
        problems.append(f"the draft is not addressed to {contact.email}")
    others = sorted({a for a in EMAIL_ADDRESS.findall(answer) if a.lower() != contact.email.lower()})
    if others:
        problems.append(f"other addresses in the answer: {others}")
    greeting = next((line for line in draft.body.splitlines() if line.strip()), "")
    if contact.first_name and contact.first_name.lower() not in greeting.lower():
        problems.append(f"the greeting {greeting!r} does not name {contact.first_name}")
    return DraftOutcome("draft_recipient", not problems, "; ".join(problems))


def check_interaction(draft: DraftText, interaction: Activity | None) -> DraftOutcome:
    thanks = _thank_sentences(draft.body)
    if interaction is None:
        dated = [s for s in thanks if re.search(r"\b(call|meeting|e-?mail)\b.*\d", s, re.IGNORECASE)]
        detail = f"thanks for an interaction that was not had: {dated}" if dated else ""
        return DraftOutcome("draft_interaction", not dated, detail)
    day = interaction.occurred_at.date()
    when, kind = _date_pattern(day), re.compile(rf"\b{TYPE_WORDS[interaction.type]}\b", re.IGNORECASE)
    problems = []
    if not any(when.search(s) and kind.search(s) for s in thanks):
        problems.append(f"no thanks for the {interaction.type} on {day.isoformat()} (thank-you lines: {thanks})")
    if not when.search(draft.header):
        problems.append(f"the note to the rep does not say the draft rests on the {interaction.type} of {day}")
    return DraftOutcome("draft_interaction", not problems, "; ".join(problems))


def _runs(text: str, size: int) -> set[str]:
    words = re.findall(r"[a-z0-9$%']+", normalise(text))
    return {" ".join(words[i : i + size]) for i in range(len(words) - size + 1)}


def internal_texts(context: QueryContext, deal: Deal) -> list[str]:
    """What the rep logged on the deal and its account: notes, call logs, meeting notes, emails, tasks."""
    query = select(Activity.body).where(
        or_(Activity.deal_id == deal.id, Activity.account_id == deal.account_id), Activity.body.is_not(None)
    )
    return [body for body in context.session.scalars(query) if body]


def check_leaks(draft: DraftText, context: QueryContext, deal: Deal, never: list[Any]) -> DraftOutcome:
    email = draft.email
    lowered = normalise(email)
    found: list[str] = []
    competitors = context.session.scalars(select(Competitor.name))
    found += [f"competitor {name!r}" for name in competitors if normalise(name) in lowered]
    found += [f"internal term {m.group(0)!r}" for m in INTERNAL_TERMS.finditer(email)]
    found += [f"the request's words {m.group(0)!r}" for m in REQUEST_WORDS.finditer(email)]
    runs = _runs(email, NOTE_RUN_WORDS)
    for body in internal_texts(context, deal):
        copied = runs & _runs(body, NOTE_RUN_WORDS)
        if copied:
            found.append(f"logged text {sorted(copied)[0]!r}")
    for value in never:
        resolved = resolve(value, context)
        if appears(resolved, email):
            found.append(f"{resolved!r}")
    found = list(dict.fromkeys(found))
    return DraftOutcome("draft_leak", not found, f"the email holds {found}" if found else "")


def check_content(draft: DraftText, context: QueryContext, mentions: list[Any]) -> DraftOutcome:
    missing = [value for value in (resolve(m, context) for m in mentions) if not appears(value, draft.email)]
    return DraftOutcome("draft_content", not missing, f"the email lacks {missing}" if missing else "")


def check_draft(expect: DraftExpect, answer: str, context: QueryContext) -> list[DraftOutcome]:
    """Every draft check for one answer; a missing draft fails them all."""
    draft = split_draft(answer)
    if draft is None or not draft.body.strip():
        return [DraftOutcome("draft", False, "the answer holds no email draft (no 'Subject:' line and body)")]
    deal, contact, interaction = expected(expect, context)
    return [
        check_recipient(draft, answer, contact),
        check_interaction(draft, interaction),
        check_content(draft, context, expect.mentions),
        check_leaks(draft, context, deal, expect.never),
    ]
