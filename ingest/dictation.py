"""Dictated notes: find the account, deal and contact a short note is about and pull out its facts.

"Just left Acme, they want a proposal for 200 seats by Friday, Jane is the decision maker" links to
the Acme account (and its open deal), to the contact Jane, and yields the quantity "200 seats", the
date "by Friday" resolved against the clock, and the next step. Only records the person may see are
candidates (names come through assistant.crm.access).
"""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta

from pydantic import BaseModel, Field
from rapidfuzz import fuzz

from assistant.crm.access import get_visible, scoped_select
from assistant.crm.deps import Deps
from assistant.crm.models import Account, Contact, Deal, Stage
from assistant.crm.schemas.chat import RecordRef
from ingest.summarize import AMOUNT_RE, WHEN_RE, normalise_space

NAME_MIN_SCORE = 85.0
SOUNDS_LIKE_MIN_SCORE = 80.0
SOUNDS_LIKE_MARGIN = 10.0
SOUNDS_LIKE_MIN_LETTERS = 8
WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
MONTHS = [name.lower() for name in calendar.month_name[1:]]
NUMBER_WORDS = {"a": 1, "one": 1, "two": 2, "three": 3, "four": 4}
DECISION_RE = re.compile(
    r"\b(?P<name>[A-Z][a-z]+(?: [A-Z][a-z]+)?) (?:is|will be) (?:the )?(?:final )?(?:decision[- ]maker|signer|approver)"
)
HEARD_DECISION_RE = re.compile(
    r"(?P<who>(?:[\w'-]+ ){1,4})(?:is|in|will be) (?:the )?(?:final )?(?:decision[- ]maker|signer|approver)",
    re.IGNORECASE,
)
WANT_RE = re.compile(
    r"\b(?:they|he|she|we|I)\s+(?:want|wants|need|needs|asked for|requested|expect|expects)\s+(?P<what>[^,.;!?]+)",
    re.IGNORECASE,
)
COMMIT_RE = re.compile(r"\b(?:I|we)(?:'ll| will| need to| have to)\s+(?P<what>[^,.;!?]+)", re.IGNORECASE)


class DatedPhrase(BaseModel):
    text: str = Field(description="as said, e.g. 'by Friday'")
    date: date


class DictationFields(BaseModel):
    """What a dictated note is about and what it says, each value taken from the note."""

    account: RecordRef | None = None
    deal: RecordRef | None = None
    contact: RecordRef | None = None
    quantities: list[str] = Field(default_factory=list)
    dates: list[DatedPhrase] = Field(default_factory=list)
    people: list[str] = Field(default_factory=list)
    decision_maker: str | None = None
    next_step: str | None = None
    next_step_due: date | None = None


def resolve_when(phrase: str, today: date) -> date | None:
    """The date a spoken phrase ("by Friday", "next week", "end of the month", "in 2 weeks") means."""
    text = phrase.lower()
    for i, day in enumerate(WEEKDAYS):
        if day in text:
            ahead = (i - today.weekday()) % 7 or 7
            return today + timedelta(days=ahead + (7 if text.startswith("next") and ahead < 7 else 0))
    if "tomorrow" in text:
        return today + timedelta(days=1)
    if "today" in text:
        return today
    amount = re.search(r"in (\d+|a|one|two|three|four) (day|week|month)", text)
    if amount:
        count = int(amount.group(1)) if amount.group(1).isdigit() else NUMBER_WORDS[amount.group(1)]
        days = {"day": 1, "week": 7, "month": 30}[amount.group(2)] * count
        return today + timedelta(days=days)
    if "week" in text:
        if text.startswith("next"):
            return today + timedelta(days=7 - today.weekday())
        return today + timedelta(days=max(0, 4 - today.weekday()))
    if "month" in text:
        first_next = (today.replace(day=1) + timedelta(days=32)).replace(day=1)
        if text.startswith("next"):
            return first_next
        return first_next - timedelta(days=1)
    if "quarter" in text or re.search(r"\bq[1-4]\b", text):
        quarter = re.search(r"\bq([1-4])\b", text)
        q = int(quarter.group(1)) if quarter else (today.month - 1) // 3 + 1
        year = today.year + (1 if quarter and q < (today.month - 1) // 3 + 1 else 0)
        end_month = 3 * q
        return (date(year, end_month, 1) + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    for m, month in enumerate(MONTHS, 1):
        if month in text:
            day_match = re.search(month + r"\s+(\d{1,2})", text)
            day = int(day_match.group(1)) if day_match else 1
            candidate = date(today.year, m, min(day, 28) if not day_match else day)
            return candidate if candidate >= today else candidate.replace(year=today.year + 1)
    return None


def _best(text: str, candidates: list[tuple[str, object]]) -> tuple[object, float] | None:
    lowered = text.lower()
    best: tuple[object, float, int] | None = None
    for name, record in candidates:
        score = fuzz.partial_ratio(name.lower(), lowered)
        if score >= NAME_MIN_SCORE and (best is None or (score, len(name)) > (best[1], best[2])):
            best = (record, score, len(name))
    return (best[0], best[1]) if best else None


def _account_name_variants(name: str) -> list[str]:
    words = name.split()
    variants = [name]
    if len(words) > 1 and len(words[0]) >= 4:
        variants.append(words[0])
    return variants


def link_records(
    deps: Deps, text: str, deal_id: int | None = None
) -> tuple[Account | None, Deal | None, Contact | None]:
    """The visible account, deal and contact the note names (a given ``deal_id`` wins)."""
    deal = get_visible(deps.session, deps.principal, Deal, deal_id) if deal_id is not None else None
    account: Account | None = deal.account if deal is not None else None
    if account is None:
        accounts = deps.session.scalars(scoped_select(deps.principal, Account)).all()
        found = _best(text, [(variant, a) for a in accounts for variant in _account_name_variants(a.name)])
        account = found[0] if found else None  # type: ignore[assignment]
    if account is not None and deal is None:
        open_deals = list(
            deps.session.scalars(
                scoped_select(deps.principal, Deal)
                .join(Stage, Stage.id == Deal.stage_id)
                .where(Deal.account_id == account.id, Stage.is_closed.is_(False))
                .order_by(Deal.id)
            ).unique()
        )
        if len(open_deals) == 1:
            deal = open_deals[0]
        elif open_deals:
            named = _best(text, [(d.name.split(" - ", 1)[-1], d) for d in open_deals])
            deal = named[0] if named else None  # type: ignore[assignment]
    contact = _contact(deps, text, account)
    return account, deal, contact


def _contact(deps: Deps, text: str, account: Account | None) -> Contact | None:
    if account is None:
        return None
    contacts = list(
        deps.session.scalars(scoped_select(deps.principal, Contact).where(Contact.account_id == account.id)).unique()
    )
    words = set(re.findall(r"[a-z]+", text.lower()))
    full = [c for c in contacts if f"{c.first_name} {c.last_name}".lower() in text.lower()]
    if full:
        return full[0]
    for part in ("first_name", "last_name"):
        named = [c for c in contacts if getattr(c, part).lower() in words]
        if len(named) == 1:
            return named[0]
    return _sounds_like(text, contacts)


def _letters(text: str) -> str:
    return re.sub(r"[^a-z]", "", text.lower())


def _sounds_like(text: str, contacts: list[Contact]) -> Contact | None:
    """The one contact of the account whose full name the speech model misheard ("race Ivan over" for
    Grace Ivanova): compared letters only, so split and merged words still line up."""
    spoken = _letters(text)
    scored = sorted(
        (
            (fuzz.partial_ratio(letters, spoken), c)
            for c in contacts
            if len(letters := _letters(c.name)) >= SOUNDS_LIKE_MIN_LETTERS
        ),
        key=lambda pair: pair[0],
        reverse=True,
    )
    if not scored or scored[0][0] < SOUNDS_LIKE_MIN_SCORE:
        return None
    if len(scored) > 1 and scored[1][0] > scored[0][0] - SOUNDS_LIKE_MARGIN:
        return None
    return scored[0][1]


def _decision_maker(note: str, contact: Contact | None) -> str | None:
    """The name said before "is the decision maker"; the linked contact's name when the words there
    are that name misheard ("race Ivan over in the decision maker")."""
    said = DECISION_RE.search(note)
    if said:
        return said.group("name")
    heard = HEARD_DECISION_RE.search(note)
    if heard is None or contact is None:
        return None
    if fuzz.partial_ratio(_letters(contact.name), _letters(heard.group("who"))) >= SOUNDS_LIKE_MIN_SCORE:
        return contact.name
    return None


def extract_fields(deps: Deps, text: str, deal_id: int | None = None) -> DictationFields:
    """Links and facts of a dictated note; every string is taken from ``text`` or from a linked record."""
    note = normalise_space(text)
    account, deal, contact = link_records(deps, note, deal_id)
    today = deps.clock.today()
    dates = []
    for match in WHEN_RE.finditer(note):
        resolved = resolve_when(match.group(0), today)
        if resolved is not None:
            dates.append(DatedPhrase(text=match.group(0), date=resolved))
    quantities = [m.group(0).strip() for m in AMOUNT_RE.finditer(note)]
    decision_maker = _decision_maker(note, contact)
    people = [f"{contact.first_name} {contact.last_name}"] if contact is not None else []
    if decision_maker and decision_maker not in " ".join(people):
        people.append(decision_maker)
    wanted = WANT_RE.search(note) or COMMIT_RE.search(note)
    next_step = wanted.group("what").strip() if wanted else None
    due = None
    if next_step:
        when = WHEN_RE.search(next_step)
        due = resolve_when(when.group(0), today) if when else None
    return DictationFields(
        account=RecordRef(type="account", id=account.id, name=account.name) if account else None,
        deal=RecordRef(type="deal", id=deal.id, name=deal.name) if deal else None,
        contact=RecordRef(type="contact", id=contact.id, name=contact.name) if contact else None,
        quantities=quantities,
        dates=dates,
        people=people,
        decision_maker=decision_maker,
        next_step=next_step[:1].upper() + next_step[1:] if next_step else None,
        next_step_due=due,
    )
