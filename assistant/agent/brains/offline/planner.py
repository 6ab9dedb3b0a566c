"""Filling a tool's typed input from what the message says, the thread's focus and the principal.

Each input field is filled by name from the message's slots (periods, amounts, stages, people,
records), so a tool added later with conventional field names (deal_id, account_id, owner_id,
period, start/end, since, stage, status, limit, q...) works without new code here. A required
record that is missing or ambiguous becomes a clarifying question listing the candidates.
"""

import re
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel

from assistant.agent.brains.offline.fields import TEXT_FIELDS, Slots, field_value, missing_question
from assistant.agent.brains.offline.linking import Entity, Visible, addressed_contact, narrow_deals, of_type

DEAL_ID = re.compile(r"(?:\bdeal\s*#?|#)(\d{1,7})\b", re.I)
DEAL_WORD = re.compile(r"\b(deal|opportunity|opp)\b", re.I)
PERSON = re.compile(r"\b(him|her|he|she|them|they|their|his)\b", re.I)
LINKED_WRITES = ("log_activity", "create_task")
ONE_DEAL_READS = ("bant_check", "stage_fit", "get_call_summary")
"""reads that take an optional deal: an account named with "deal" means one of its deals"""
RECORD_FIELDS = ("deal_id", "account_id", "contact_id")

__all__ = ["DEAL_ID", "Clarify", "Missing", "Slots", "build_args"]


@dataclass
class Clarify:
    question: str
    slot: str
    candidates: list[Entity] = field(default_factory=list)
    label: str = ""
    """what the candidates are (deal, account, contact); empty when the question lists none"""


@dataclass
class Missing:
    """The message names a record the person cannot see (or that does not exist: the answer is the same)."""

    kind: str
    name: str


def _single(entities: list[Entity], kind: str, label: str) -> Entity | Clarify | None:
    if not entities:
        return None
    if len(entities) == 1:
        return entities[0]
    names = ", ".join(f"{e.name} (#{e.id})" for e in entities[:8])
    return Clarify(f"Which {label} do you mean: {names}?", kind, entities[:8], label)


DRAFT_ASKED = re.compile(r"\b(?:draft|write|e-?mail|follow[- ]?up|reply|note to|message)\b", re.I)
THE_DEAL = re.compile(r"\b(?:the|that|this|my|our) (?:[\w-]+ ){0,3}(?:deal|opportunity|opp)\b", re.I)
"""'the add-on seats deal': one deal of the account in focus"""


def resolve_deal(s: Slots, visible: Visible) -> Entity | Clarify | None:
    if m := DEAL_ID.search(s.message):
        wanted = int(m[1])
        return visible.find("deal", wanted)
    deals = [m.entity for m in of_type(s.mentions, "deal")]
    if deals:
        exact = [d for d in deals if d.name.lower() in s.message.lower()]
        return _single(narrow_deals(visible, s.message, exact or deals), "deal_id", "deal")
    accounts = [m.entity for m in of_type(s.mentions, "account")]
    if len(accounts) == 1:
        candidates = visible.deals_of(accounts[0].id)
        if candidates:
            return _single(narrow_deals(visible, s.message, candidates), "deal_id", "deal")
    if len(accounts) > 1:
        return _single(accounts, "deal_id", "account")
    account = s.focus.get("account")
    the_deal = s.refers_back or THE_DEAL.search(s.message) is not None
    if account and "deal" not in s.focus and the_deal:  # "what stage is my expansion deal with them in"
        candidates = visible.deals_of(int(account["id"]))
        if candidates:
            return _single(narrow_deals(visible, s.message, candidates), "deal_id", "deal")
    focus = s.focus.get("deal")
    if focus:
        return Entity("deal", int(focus["id"]), str(focus["name"]))
    contacts = [m.entity for m in of_type(s.mentions, "contact") if m.entity.account_id is not None]
    if not contacts and DRAFT_ASKED.search(s.message) and (person := addressed_contact(visible, s.message)):
        contacts = [person] if person.account_id is not None else []  # "a follow-up to chloe about the pricing"
    if len({c.account_id for c in contacts}) == 1:  # "a follow-up to tom berg about the renewal": his account's
        candidates = visible.deals_of(int(contacts[0].account_id))  # type: ignore[arg-type]
        open_ones = [d for d in candidates if d.is_open] or candidates
        if candidates:
            return _single(narrow_deals(visible, s.message, open_ones), "deal_id", "deal")
    return None


def _resolve_one(s: Slots, kind: str) -> Entity | Clarify | None:
    found = [m.entity for m in of_type(s.mentions, kind)]
    if found:
        return _single(found, f"{kind}_id", kind)
    focus = s.focus.get(kind)
    points_at = s.refers_back and (kind != "contact" or PERSON.search(s.message) is not None)
    if focus and points_at:
        return Entity(kind, int(focus["id"]), str(focus["name"]))
    return None


def _wants_deal(tool: str, s: Slots, needs_deal: bool) -> bool:
    """Whether to resolve a deal: the tool needs one, the message names one, or points back at one. A call or
    task about an account or a contact goes on that record unless the message says it is about a deal."""
    explicit = of_type(s.mentions, "deal") or DEAL_ID.search(s.message)
    if needs_deal or explicit or (s.refers_back and "deal" in s.focus):
        return True
    if tool in LINKED_WRITES:
        others = of_type(s.mentions, "account") or of_type(s.mentions, "contact")
        return bool(DEAL_WORD.search(s.message)) or not others
    # "qualify the oscorp analytics deal on BANT": that deal of the account, not every call
    return tool in ONE_DEAL_READS and len(of_type(s.mentions, "account")) == 1 and bool(DEAL_WORD.search(s.message))


def _only_open_deal(s: Slots, visible: Visible) -> Entity | None:
    """The open deal of the one account the message names, when it has exactly one (a note on it is on that deal)."""
    accounts = of_type(s.mentions, "account")
    if len(accounts) != 1 or of_type(s.mentions, "contact"):
        return None
    open_deals = [d for d in visible.deals_of(accounts[0].entity.id) if d.is_open]
    return open_deals[0] if len(open_deals) == 1 else None


def build_args(
    tool: str, model: type[BaseModel], s: Slots, visible: Visible, state: dict[str, Any]
) -> dict[str, Any] | Clarify | Missing:
    """Arguments for `tool` from the message; a Clarify when a required record is missing or ambiguous, a
    Missing when the message names a deal number the person cannot see."""
    fields = model.model_fields
    args: dict[str, Any] = {}
    link: dict[str, Entity] = {}
    needs_deal = "deal_id" in fields and fields["deal_id"].is_required()
    if "deal_id" in fields:
        if (number := DEAL_ID.search(s.message)) and visible.find("deal", int(number[1])) is None:
            return Missing("deal", f"#{number[1]}")
        if _wants_deal(tool, s, needs_deal):
            deal = resolve_deal(s, visible)
            if isinstance(deal, Clarify):
                return deal
            if deal is not None:
                args["deal_id"] = deal.id
                link["deal"] = deal
        elif tool in LINKED_WRITES and (only := _only_open_deal(s, visible)) is not None:
            args["deal_id"] = only.id
            link["deal"] = only
    for kind in ("account", "contact", "lead"):
        name = f"{kind}_id"
        if name not in fields or (kind == "account" and "deal_id" in args and tool != "find_deals"):
            continue
        found = _resolve_one(s, kind)
        if isinstance(found, Clarify):
            if fields[name].is_required():
                return found
            continue
        if found is not None:
            args[name] = found.id
            link[kind] = found
    if "account_id" in fields and "account_id" not in args and "deal_id" not in args and "contact_id" not in fields:
        contacts = [m.entity for m in of_type(s.mentions, "contact")]
        if len(contacts) == 1 and contacts[0].account_id is not None:
            account = visible.find("account", contacts[0].account_id)
            if account is not None:
                args["account_id"] = account.id
                link["account"] = account
    if needs_deal and "deal_id" not in args:
        return Clarify("Which deal do you mean? Name the account or the deal.", "deal_id")
    if tool in LINKED_WRITES and not any(name in args for name in RECORD_FIELDS):
        return Clarify("Which deal, account or contact is it for?", "record")
    details = s.head() if tool in LINKED_WRITES or tool == "update_deal" else s
    for name, info in fields.items():
        if name in args:
            continue
        value = field_value(tool, name, s if name in TEXT_FIELDS else details, link)
        if value is not None:
            args[name] = value
        elif info.is_required():
            return Clarify(missing_question(tool, name), name)
    return args
