"""What a conversation's text mentions: competitor names and buying objections (budget, authority, timeline).

Look-ups run on lower-cased text. Most texts mention neither, so one combined pattern answers
"anything here?" first and the exact per-phrase look-up runs only on the texts that pass it.
"""

import re
from functools import lru_cache

from assistant.risk.facts import ActivityFact

OBJECTIONS: dict[str, tuple[str, ...]] = {
    "budget": (
        "budget might be cut",
        "budget cut",
        "budget was cut",
        "budget freeze",
        "no budget",
        "budget is tight",
        "over budget",
        "lower price",
    ),
    "authority": (
        "decision maker leaving",
        "decision maker is leaving",
        "leaving the company",
        "need a new champion",
        "champion left",
        "reorg",
    ),
    "timeline": (
        "timeline slipped",
        "legal review moved",
        "pushed to next quarter",
        "on hold",
        "postponed",
        "delayed",
    ),
}


@lru_cache(maxsize=64)
def any_of(phrases: tuple[str, ...]) -> re.Pattern[str] | None:
    """A pattern that finds any of these (lower-case) phrases: a quick test before the exact look-up."""
    return re.compile("|".join(re.escape(phrase) for phrase in phrases)) if phrases else None


def competitors_in(lowered: str, competitors: tuple[str, ...]) -> list[str]:
    quick = any_of(tuple(name.lower() for name in competitors))
    if quick is None or not quick.search(lowered):
        return []
    return [name for name in competitors if name.lower() in lowered]


TextFindings = tuple[list[str], list[tuple[str, str]]]
"""(competitors named, objections raised) in one activity's text"""
NOTHING_FOUND: TextFindings = ([], [])


def text_findings(activity: ActivityFact, competitors: tuple[str, ...]) -> TextFindings:
    """Competitors and objections in the activity's text."""
    lowered = activity.text.lower()
    quick = _quick_test(competitors)
    if quick is None or not quick.search(lowered):
        return NOTHING_FOUND
    return competitors_in(lowered, competitors), objections_in(lowered)


@lru_cache(maxsize=64)
def _quick_test(competitors: tuple[str, ...]) -> re.Pattern[str] | None:
    """One pattern for every competitor name and objection phrase: most texts have none of them."""
    return any_of((*(name.lower() for name in competitors), *ALL_OBJECTION_PHRASES))


ALL_OBJECTION_PHRASES = tuple(phrase for phrases in OBJECTIONS.values() for phrase in phrases)
OBJECTION_PHRASES = any_of(ALL_OBJECTION_PHRASES)


def objections_in(lowered: str) -> list[tuple[str, str]]:
    if OBJECTION_PHRASES is None or not OBJECTION_PHRASES.search(lowered):
        return []
    return [(kind, phrase) for kind, phrases in OBJECTIONS.items() for phrase in phrases if phrase in lowered]


def objections(text: str) -> list[tuple[str, str]]:
    return objections_in(text.lower())
