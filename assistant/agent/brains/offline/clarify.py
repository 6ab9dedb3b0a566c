"""Answers to the brain's clarifying questions: which candidate a reply picks, or the piece it supplies.

A question is kept in the thread's state as a `Pending`: the tool, the original message and the
candidates it listed. The reply either picks a candidate ("the renewal", "#51", "2", "the second
one") or supplies what was missing (a record, a due date, an activity kind); the brain then plans the
original request again with it. A reply that is neither is treated as a new request.
"""

import re
from typing import Any

from pydantic import BaseModel, Field
from rapidfuzz import fuzz

from assistant.agent.brains.offline import slots as slot_parsers
from assistant.agent.brains.offline.fields import Slots
from assistant.agent.brains.offline.linking import STOPWORDS, Entity

ORDINALS = {"first": 0, "1st": 0, "second": 1, "2nd": 1, "third": 2, "3rd": 2, "fourth": 3, "4th": 3, "last": -1}
FILLER = STOPWORDS | {"one", "please", "that", "the", "i", "mean", "meant", "it's", "its", "ok", "okay"}
RECORD_SLOTS = ("deal_id", "account_id", "contact_id", "record")
DATE_SLOTS = ("due_date", "close_date")
WORD = re.compile(r"[a-z0-9][a-z0-9'&.-]*")


class Pending(BaseModel):
    """A clarifying question waiting for its answer (stored in the thread's state)."""

    tool: str
    message: str
    slot: str
    base_args: dict[str, Any] = Field(default_factory=dict)
    candidates: list[dict[str, Any]] = Field(default_factory=list)
    """[{type, id, name}] as listed in the question, in order"""


def _words(text: str) -> set[str]:
    return set(WORD.findall(text.lower().replace("’", "'")))


def pick(candidates: list[Entity], reply: str) -> Entity | None:
    """The candidate the reply names: by #id, by its number in the list, by ordinal, by distinctive words."""
    lowered = reply.lower().strip()
    if m := re.search(r"(?:#|\bno\.?\s*|\bnumber\s+)?\b(\d{1,7})\b(?!\s*(k|m|%|\$))", lowered):
        number = int(m[1])
        by_id = next((c for c in candidates if c.id == number), None)
        if by_id is not None:
            return by_id
        if re.fullmatch(r"\s*(?:#|no\.?\s*|number\s+)?\d{1,2}\s*[.!)]?\s*", lowered) and 1 <= number <= len(candidates):
            return candidates[number - 1]
    for word, index in ORDINALS.items():
        if re.search(rf"\b{word}\b", lowered) and -len(candidates) <= index < len(candidates):
            return candidates[index]
    wanted = _words(lowered) - FILLER
    if wanted:
        overlaps = [(len(wanted & (_words(c.name) - FILLER)), c) for c in candidates]
        best = max(score for score, _ in overlaps)
        winners = [c for score, c in overlaps if score == best]
        if best > 0 and len(winners) == 1:
            return winners[0]
    scored = sorted(((fuzz.partial_ratio(lowered, c.name.lower()), c) for c in candidates), key=lambda x: -x[0])
    if scored and scored[0][0] >= 80 and (len(scored) == 1 or scored[0][0] - scored[1][0] >= 5):
        return scored[0][1]
    return None


def reply_completes(pending: Pending, reply: str, reply_slots: Slots) -> str | None:
    """The original request with the reply's missing piece added, or None when the reply is a new request."""
    text = reply.strip().rstrip("?.!")
    if pending.slot in RECORD_SLOTS:
        if not reply_slots.mentions and not re.search(r"#\d+", text):
            return None
        return f"{pending.message} on {text}"
    if pending.slot in DATE_SLOTS:
        if reply_slots.period is None:
            return None
        return f"{pending.message}, due {text}"
    if pending.slot == "type":
        kind = slot_parsers.parse_activity_kind(text)
        return f"{pending.message} ({kind})" if kind else None
    if len(text.split()) > 12:
        return None
    return f"{pending.message}: {text}"
