"""Risk signals from who is engaged: one contact only, or nobody who can decide."""

import re
from functools import lru_cache

from assistant.crm.schemas.chat import RecordRef
from assistant.risk.facts import DealState
from assistant.risk.reasons import RiskReason, SignalContext, activity_ref, deal_ref

DECISION_TITLE_PATTERN = re.compile(
    r"\b(ceo|cfo|cto|coo|cio|cro|chief|vp|vice president|president|founder|owner|head of)\b", re.IGNORECASE
)


def single_threaded(state: DealState, ctx: SignalContext) -> RiskReason | None:
    """At most one contact engaged across the deal's activities."""
    engaged = state.engaged
    if len(engaged) > 1 or not state.touches:
        return None

    def render() -> tuple[str, list[RecordRef]]:
        if not engaged:
            sentence = f"No contact is named on any of the {len(state.touches)} logged activities."
            return sentence, [activity_ref(a) for a in state.touches[-3:]]
        contact_id, activities = next(iter(engaged.items()))
        contact = ctx.data.contacts.get(contact_id)
        who = f"{contact.name}{f', {contact.title}' if contact and contact.title else ''}" if contact else "one contact"
        plural = "activity" if len(activities) == 1 else "activities"
        sentence = f"Single-threaded: only {who} has been engaged ({len(activities)} {plural})."
        evidence = [RecordRef(type="contact", id=contact_id, name=contact.name if contact else str(contact_id))]
        return sentence, evidence + [activity_ref(a) for a in activities[-3:]]

    return RiskReason.lazy("single_threaded", 1.0, render)


@lru_cache(maxsize=4096)
def is_decision_maker(title: str | None) -> bool:
    return bool(title) and bool(DECISION_TITLE_PATTERN.search(title or ""))


def no_decision_maker(state: DealState, ctx: SignalContext) -> RiskReason | None:
    """None of the contacts engaged holds a decision-making title (CEO, CFO, CTO, VP...)."""
    if not state.touches:
        return None
    titles = [ctx.data.contacts[c] for c in state.engaged if c in ctx.data.contacts]
    if any(is_decision_maker(contact.title) for contact in titles):
        return None

    def render() -> tuple[str, list[RecordRef]]:
        seen = ", ".join(f"{c.name} ({c.title or 'no title'})" for c in titles) or "nobody named"
        evidence = [RecordRef(type="contact", id=c.id, name=c.name) for c in titles]
        return f"No decision maker engaged; contacts so far: {seen}.", evidence or [deal_ref(state)]

    return RiskReason.lazy("no_decision_maker", 1.0, render)
