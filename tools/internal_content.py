"""What never goes to a customer: competitor names, differentiators, pricing floors and discount limits, risk talk.

Text meant for a customer (a follow-up email) is built from parts; each part is checked with `is_internal`
and left out whole when it trips it, so no half-sentence about a competitor survives.
"""

import re
from collections.abc import Iterable

from sqlalchemy.orm import Session

from assistant.crm.services.catalog import competitor_names
from assistant.crm.settings import Settings

INTERNAL_TERMS = re.compile(
    r"\b(differentiat\w*|competit\w*|evaluating|comparison|pricing floors?|price floors?|floor prices?|floors?"
    r"|lowest (?:price|we can go)|walk[- ]away|discount\w*|margins?|max(?:imum)? discount|risk\w*|single[- ]threaded"
    r"|champion|internal|confidential|do not share|don't share)\b",
    re.IGNORECASE,
)
"""words that mark a sentence as internal sales talk"""


class InternalFilter:
    """Decides whether a piece of text may reach a customer."""

    def __init__(self, competitors: Iterable[str]) -> None:
        names = sorted({name.strip() for name in competitors if name.strip()}, key=len, reverse=True)
        self._competitors = re.compile("|".join(rf"\b{re.escape(n)}\b" for n in names), re.I) if names else None

    @classmethod
    def for_session(cls, session: Session, settings: Settings | None = None) -> "InternalFilter":
        return cls(competitor_names(session, settings))

    def is_internal(self, text: str | None) -> bool:
        if not text:
            return False
        if self._competitors is not None and self._competitors.search(text):
            return True
        return bool(INTERNAL_TERMS.search(text))

    def keep(self, texts: Iterable[str]) -> list[str]:
        """The texts that may reach a customer, in order."""
        return [text for text in texts if text and not self.is_internal(text)]
