"""One field of the one deal in view ("who owns it?", "who's the main contact?", "when did we last talk to them?"):
answered from that deal's card, never read as a question about every deal."""

import re
from typing import Any

from assistant.agent.brains.offline.linking import pick_among

POINTER = r"(?:it|that one|this one|that deal|this deal|the deal|that opp|this opp|that opportunity)"
PEOPLE = r"(?:them|that account|the account|the customer|the client)"
TOUCHES = (
    r"(?:call|e-?mail|meeting|note|touch(?: ?point)?)(?:(?:,\s*|\s+)(?:or\s+|and\s+)?(?:call|e-?mail|meeting|note))*"
)
FIELD_OF_ONE = re.compile(
    r"^\W*(?:(?:and|ok|okay|so|cool|great|thanks|also|now)\W+)*(?:"
    rf"who(?:'s| is)?\s+(?:owns|owning|running|handling|working|the owner of|the rep on|responsible for)\s+{POINTER}|"
    rf"whose (?:deal|opp) is {POINTER}|"
    rf"who(?:'s| is)\s+{POINTER}\s+(?:owned by|with|assigned to)|"
    r"who(?:'s| is)\s+(?:the|our)\s+(?:owner|rep|account exec|ae)(?:\s+(?:on|of|for)\s+" + POINTER + r")?|"
    r"(?:who|which(?: one)? of (?:them|those|these))(?:'s| is)\s+(?:the\s+)?(?:primary|main|key|lead)\s+contact"
    r"(?:\s+(?:on|for|of|at)\s+"
    rf"(?:{POINTER}|there|the \w+(?: deal)?))?|"
    rf"when did (?:we|i|you|anyone|anybody|someone)\s+last\s+(?:talk|speak|meet|email|call|hear|touch base)"
    rf"(?:\s+(?:to|with|from))?(?:\s+{PEOPLE}|\s+{POINTER})?|"
    rf"when did (?:we|i|you|anyone|anybody|someone)\s+last\s+(?:have|log|logged)\s+(?:a |an |any )?{TOUCHES}"
    rf"(?:\s+(?:on|with|for)\s+(?:{POINTER}|{PEOPLE}))?|"
    r"(?:who|which (?:customer )?(?:contact|person))(?:'s| is)?\s+(?:listed |set |attached |named |sitting |sits )?"
    rf"(?:on|to|against|for)\s+{POINTER}\s+as\s+(?:the\s+)?(?:primary|main|key)(?:\s+contact)?|"
    r"(?:who|which (?:customer )?(?:contact|person))(?:'s| is)?\s+(?:listed|set|named)\s+as\s+(?:the\s+)?"
    rf"(?:primary|main|key)\s+contact(?:\s+(?:on|for|of)\s+{POINTER})?|"
    rf"when was\s+{POINTER}\s+last\s+(?:touched|worked|updated|discussed)|"
    rf"what stage is\s+{POINTER}(?:\s+(?:in|at))?|"
    rf"when(?:'s| is| does| will)\s+{POINTER}\s+(?:closing|close|due|expected to close|going to close)|"
    rf"what(?:'s| is)\s+the\s+next\s+step(?:\s+(?:on|for)\s+{POINTER})?"
    r")(?:\W+(?:and\s+)?(?:how (?:do|can|should) i (?:e-?mail|reach|contact) (?:them|him|her)|(?:what(?:'s| is) |"
    r"give me )?(?:their|his|her) e-?mail(?: address)?|i need (?:an|their|his|her) e-?mail(?: address)?"
    r"(?: for (?:them|him|her))?))?\W*$",
    re.I,
)


def asks_field_of_one(text: str) -> bool:
    """A short question about one field of a single deal, pointing at it rather than naming it."""
    return FIELD_OF_ONE.search(text.strip()) is not None


OWNER_ASKED = re.compile(
    r"\bwho(?:se|'s| is)?\b[^?]*\b(?:own|owner|owned|rep|ae|account exec|handling|running|working|assigned)", re.I
)
CONTACT_ASKED = re.compile(r"\bcontact\b", re.I)
TALK_ASKED = re.compile(r"\blast\b", re.I)
TALK_KINDS = (
    ("email", re.compile(r"\be-?mail", re.I)),
    ("call", re.compile(r"\b(?:call|ring|phone)", re.I)),
    ("meeting", re.compile(r"\bmeet", re.I)),
    ("note", re.compile(r"\bnote", re.I)),
)
"""the kind of touch a "when did we last …" names"""
STAGE_ASKED = re.compile(r"\bstage\b", re.I)
CLOSE_ASKED = re.compile(r"\b(?:clos\w*|due)\b", re.I)
STEP_ASKED = re.compile(r"\bnext step\b", re.I)


def field_line(text: str, card: Any) -> str:
    """The one sentence that answers the field asked, from the deal's card (empty when the card lacks it)."""
    deal = card.deal
    if CONTACT_ASKED.search(text):
        contact = card.primary_contact
        if contact is None:
            return f"{deal.name} has no primary contact."
        email = f", {contact.email}" if getattr(contact, "email", None) else ""
        return f"The primary contact on {deal.name} is {contact.name}{email}."
    if OWNER_ASKED.search(text):
        return f"{deal.owner.name} owns {deal.name}."
    if TALK_ASKED.search(text):
        kinds = [kind for kind, said in TALK_KINDS if said.search(text)] or ["call", "email", "meeting"]
        spoken = [a for a in card.recent_activities if a.type in kinds]
        if not spoken:
            return f"No {' or '.join(kinds)} is logged on {deal.name} lately."
        last = spoken[0]
        return f"The last {last.type} on {deal.name} was on {last.occurred_at:%b %-d, %Y}: {last.subject}."
    if STAGE_ASKED.search(text):
        return f"{deal.name} is in {deal.stage}."
    if STEP_ASKED.search(text):
        return (
            f"The next step on {deal.name}: {deal.next_step}."
            if deal.next_step
            else f"{deal.name} has no next step set."
        )
    if CLOSE_ASKED.search(text):
        return f"{deal.name} is set to close on {deal.close_date:%b %-d, %Y}."
    return ""


def deals_of_product(text: str, deals: list[Any]) -> list[Any]:
    """The deals whose product (the part of the name after " - ") the text names ("the renewal", "the bigger pilot")."""
    lowered = text.lower()
    return [d for d in deals if " - " in d.name and d.name.split(" - ", 1)[1].lower() in lowered]


def product_deal(text: str, deals: list[Any]) -> Any | None:
    """The one deal of an account in view whose product the question names ("the main contact on the renewal")."""
    named = pick_among(text, deals_of_product(text, deals))
    return named[0] if len(named) == 1 else None
