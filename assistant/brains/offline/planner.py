"""Filling a tool's typed input from what the message says, the thread's focus and the principal.

Each input field is filled by name from the message's slots (periods, amounts, stages, people,
records), so a tool added later with conventional field names (deal_id, account_id, owner_id,
period, start/end, since, stage, status, limit, q...) works without new code here. A required
record that is missing or ambiguous becomes a clarifying question listing the candidates.
"""

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from pydantic import BaseModel

from assistant.brains.offline import slots
from assistant.brains.offline.linking import Entity, Mention, Visible, narrow_deals, of_type
from assistant.principal import Principal
from tools.periods import parse_period as tool_period

PRONOUN = re.compile(
    r"\b(it|that|them|its|that deal|this deal|the deal|same deal|that one|him|her"
    r"|this(?!\s+(year|quarter|month|week)))\b",
    re.I,
)
MINE = re.compile(r"\b(my|mine|i|me|i've|i'm)\b", re.I)
TEAM = re.compile(r"\b(my team|our team|team's|the team|our)\b", re.I)
LEAD_STATUSES = ("new", "working", "qualified", "unqualified", "converted")
DEAL_ID = re.compile(r"(?:\bdeal\s*#?|#)(\d{1,7})\b", re.I)


@dataclass
class Clarify:
    question: str
    slot: str
    candidates: list[Entity] = field(default_factory=list)


@dataclass
class Slots:
    message: str
    today: date
    principal: Principal
    mentions: list[Mention]
    focus: dict[str, dict[str, Any]]
    period: slots.Period | None = None
    amounts: slots.AmountRange | None = None

    def __post_init__(self) -> None:
        self.period = slots.parse_period(self.message, self.today)
        self.amounts = slots.parse_amount_range(self.message)

    @property
    def refers_back(self) -> bool:
        return bool(PRONOUN.search(self.message))


def _single(entities: list[Entity], kind: str, label: str) -> Entity | Clarify | None:
    if not entities:
        return None
    if len(entities) == 1:
        return entities[0]
    names = ", ".join(f"{e.name} (#{e.id})" for e in entities[:8])
    return Clarify(f"Which {label} do you mean: {names}?", kind, entities[:8])


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
    focus = s.focus.get("deal")
    if focus:
        return Entity("deal", int(focus["id"]), str(focus["name"]))
    return None


def _resolve_one(s: Slots, kind: str) -> Entity | Clarify | None:
    found = [m.entity for m in of_type(s.mentions, kind)]
    if found:
        return _single(found, f"{kind}_id", kind)
    focus = s.focus.get(kind)
    if focus and s.refers_back:
        return Entity(kind, int(focus["id"]), str(focus["name"]))
    return None


def _owner(s: Slots) -> int | None:
    users = [m.entity for m in of_type(s.mentions, "user") if m.entity.id != s.principal.user_id]
    if len(users) == 1:
        return users[0].id
    if TEAM.search(s.message):
        return None
    if MINE.search(s.message) and not s.principal.is_manager and not s.principal.is_admin:
        return s.principal.user_id
    if re.search(r"\bmy own\b", s.message, re.I):
        return s.principal.user_id
    return None


def _team(s: Slots) -> int | None:
    if TEAM.search(s.message) and s.principal.team_id is not None and not of_type(s.mentions, "user"):
        return s.principal.team_id
    return None


def _deal_status(text: str) -> str | None:
    lowered = text.lower()
    if re.search(r"\b(won|win|wins|closed won)\b", lowered):
        return "won"
    if re.search(r"\b(lost|lose|losses|closed lost)\b", lowered):
        return "lost"
    if re.search(r"\bopen\b|\bactive\b|\bin flight\b", lowered):
        return "open"
    if re.search(r"\bclosed\b", lowered):
        return "closed"
    return None


def _named(text: str) -> str | None:
    if quoted := slots.parse_quoted(text):
        return quoted
    if m := re.search(r"\b(?:named|called|at|from|for|with)\s+([A-Za-z][\w&.' -]{1,60})", text):
        return m[1].strip(" ?.!")
    return None


def _after_colon(text: str) -> str | None:
    if ":" in text:
        tail = text.split(":", 1)[1].strip()
        return tail or None
    return None


def _period_text(period: slots.Period, today: date) -> str | None:
    label = period.label.removeprefix("the ")
    parsed = tool_period(label, today)
    if parsed is not None and parsed.start == period.start and parsed.end == period.end:
        return label
    return None


def _subject(kind: str, s: Slots, link: dict[str, Entity]) -> str:
    target = link.get("contact") or link.get("deal") or link.get("account")
    noun = {"call": "Call", "email": "Email", "meeting": "Meeting", "note": "Note"}.get(kind, kind.title())
    return (
        f"{noun} with {target.name}"
        if target and target.type == "contact"
        else f"{noun} on {target.name if target else 'record'}"
    )


def _task_subject(text: str) -> str:
    if m := re.search(r"\b(?:remind me to|reminder to|task(?: to)?:?|to-do:?|todo:?)\s+(.+)", text, re.I):
        subject = m[1]
    else:
        subject = text
    subject = re.sub(
        r"\b(by|on|next|this|due)\s+(monday|tuesday|wednesday|thursday|friday|saturday|sunday|week|month|tomorrow)\b.*$",
        "",
        subject,
        flags=re.I,
    )
    return subject.strip(" .?!")[:300] or "Follow up"


def build_args(
    tool: str, model: type[BaseModel], s: Slots, visible: Visible, state: dict[str, Any]
) -> dict[str, Any] | Clarify:
    """Arguments for `tool` from the message; a Clarify when a required record is missing or ambiguous."""
    fields = model.model_fields
    args: dict[str, Any] = {}
    link: dict[str, Entity] = {}
    needs_deal = "deal_id" in fields and fields["deal_id"].is_required()
    if "deal_id" in fields:
        explicit = of_type(s.mentions, "deal") or DEAL_ID.search(s.message)
        if needs_deal or explicit or (s.refers_back and "deal" in s.focus) or tool in ("log_activity", "create_task"):
            deal = resolve_deal(s, visible)
            if isinstance(deal, Clarify):
                return deal
            if deal is not None:
                args["deal_id"] = deal.id
                link["deal"] = deal
    for kind in ("account", "contact"):
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
    if needs_deal and "deal_id" not in args:
        return Clarify("Which deal do you mean? Name the account or the deal.", "deal_id")
    for name, info in fields.items():
        if name in args:
            continue
        value = _field_value(tool, name, s, link)
        if value is not None:
            args[name] = value
        elif info.is_required():
            return Clarify(_missing_question(tool, name), name)
    return args


def _field_value(tool: str, name: str, s: Slots, link: dict[str, Entity]) -> Any:
    text = s.message
    period = s.period
    if name == "owner_id":
        return _owner(s)
    if name == "team_id":
        return _team(s)
    if name == "stage":
        stage = slots.parse_stage(
            text, ["Prospecting", "Qualification", "Proposal", "Negotiation", "Closed Won", "Closed Lost"]
        )
        if (
            tool == "find_deals"
            and stage in ("Closed Won", "Closed Lost")
            and not re.search(r"closed (won|lost)", text, re.I)
        ):
            return None
        return stage
    if name == "status":
        if tool == "find_leads":
            return next((st for st in LEAD_STATUSES if re.search(rf"\b{st}\b", text, re.I)), None)
        return _deal_status(text)
    if name == "amount_min":
        return s.amounts.minimum if s.amounts else None
    if name == "amount_max":
        return s.amounts.maximum if s.amounts else None
    if name in ("start", "end") and period is not None and _period_text(period, s.today) is not None:
        return None
    if name in ("close_from", "start") and period is not None:
        return period.start
    if name in ("close_to", "end") and period is not None:
        return period.end
    if name == "period" and period is not None:
        return _period_text(period, s.today)
    if name == "since" and period is not None:
        return period.start
    if name == "due_date" and period is not None:
        return period.end
    if name == "close_date" and period is not None:
        return period.end if period.start != period.end else period.start
    if name == "occurred_at" and period is not None and period.direction == "past":
        return datetime.combine(period.start, time(12, 0))
    if name == "overdue_only":
        return True if re.search(r"\b(overdue|past due|late)\b", text, re.I) else None
    if name == "days":
        return slots.parse_days(text)
    if name == "limit":
        return slots.parse_limit(text)
    if name == "type":
        kind = slots.parse_activity_kind(text)
        return kind if not (tool == "log_activity" and kind == "task") else None
    if name == "amount":
        return slots.parse_money(text)
    if name == "next_step":
        m = re.search(r"next step(?: to| is|:)?\s*(.+)$", text, re.I)
        return m[1].strip(" .") if m else None
    if name == "metric":
        return "won_count" if re.search(r"\b(count|number|most deals|how many)\b", text, re.I) else None
    if name == "group_by":
        m = re.search(r"\bby (stage|owner|rep|person|month)\b", text, re.I)
        return {"rep": "owner", "person": "owner"}.get(m[1].lower(), m[1].lower()) if m else None
    if name == "q" and tool in ("find_accounts", "find_contacts", "find_leads"):
        entity = link.get("account") or link.get("contact")
        return None if entity else _named(text)
    if name == "query":
        return (
            re.sub(
                r"^(search|find|look for|look up)\s+(my\s+)?(notes|calls)?\s*(for|about|mentioning|on)?\s*",
                "",
                text,
                flags=re.I,
            ).strip(" ?")
            or text
        )
    if name == "purpose":
        m = re.search(r"\b(?:about|asking|to ask|regarding|re:?)\s+(.+)$", text, re.I)
        return m[1].strip(" .") if m else None
    if name == "subject":
        if tool == "create_task":
            return _task_subject(text)
        return _subject(str(_field_value(tool, "type", s, link) or "note"), s, link)
    if name == "body":
        return _after_colon(text)
    if name == "source":
        m = re.search(r"\bfrom (webinar|referral|website|trade show|outbound|partner|event)s?\b", text, re.I)
        return m[1].title() if m else None
    return None


def _missing_question(tool: str, name: str) -> str:
    asks = {
        "type": "Was it a call, an email, a meeting or a note?",
        "due_date": "When is it due? (e.g. Friday, next Tuesday, 2026-12-01)",
        "subject": "What should it say?",
        "query": "What should I look for?",
        "account_id": "Which account do you mean?",
        "contact_id": "Which contact do you mean?",
    }
    return asks.get(name, f"I need the {name.replace('_', ' ')} for {tool.replace('_', ' ')}.")
