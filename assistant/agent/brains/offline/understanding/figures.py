"""Several figures asked of one comparison or breakdown ("Rita and Sam: open deals, open pipeline and win rate";
"West against East: win rate and dollars won"; "how many did we win, how many did we lose"): the query answers
one of them, and each other figure named is the same query on its own records (won, lost, open) or its own measure
(win rate), so no figure asked for is silently left out."""

import re

from tools.query.spec import QueryInput

FIGURE_SAID: dict[str, re.Pattern[str]] = {
    "win_rate": re.compile(r"\bwin(?:ning)?[- ]?(?:rates?|ratios?|%|percentages?)\b|\bclose rates?\b"),
    "won": re.compile(
        r"\b(?:won|wins|win(?![- ]?(?:rates?|ratios?|%|percentages?)\b)|closed[- ]won|revenue|bookings)\b"
        r"(?! (?:or|and|/) lost\b)"
        r"|\bhow (?:many|much) (?:\w+ ){0,3}(?:did|have|has) (?:we|i|they|he|she|\w+) (?:win|won)\b"
    ),
    "lost": re.compile(r"\b(?:lost|losses|lose|losing)\b"),
    "open": re.compile(
        r"\bopen (?:deals?|pipeline|pipe|opps?|opportunit(?:y|ies)|deal count|dollars|amount|value)\b|"
        r"\b(?:pipeline|pipe)\b(?! (?:of|from) (?:won|wins))"
    ),
}
"""the figures a question may name, each by its own words"""
SEVERAL = re.compile(r",|\band\b|\bplus\b|\bas well as\b|\balong with\b|\bbeside\b|\bwith\b|&|\+")


def figures_asked(text: str) -> list[str]:
    """The kinds of figure the message names, in the order it names them ('' when it names fewer than two)."""
    said = sorted(
        (found.start(), kind) for kind, pattern in FIGURE_SAID.items() if (found := pattern.search(text)) is not None
    )
    return [kind for _, kind in said] if len(said) > 1 and SEVERAL.search(text) else []


def figures_given(query: QueryInput) -> set[str]:
    """The figures a query's answer already states (a count of deals shows their dollars beside it)."""
    if query.measure == "win_rate":
        return {"win_rate"}
    status = query.filters.status
    if query.group_by == "status" or status == "closed":
        return {"won", "lost"}
    return {status} if status in ("won", "lost", "open") else set()


def query_for(query: QueryInput, figure: str) -> QueryInput:
    """The same question asked for one more figure: same people, teams, sides and groups."""
    extra = query.model_copy(deep=True)
    extra.sort, extra.order, extra.limit, extra.group_min = None, None, 25, None
    extra.with_contacts = extra.with_next_steps = False
    if extra.group_by == "status":
        extra.group_by = None
    if figure == "win_rate":
        extra.measure, extra.field, extra.filters.status = "win_rate", None, "closed"
        return extra
    extra.measure, extra.field, extra.filters.status = "count", None, figure  # type: ignore[assignment]
    if figure == "open":
        extra.filters.period = None  # "open pipeline, and win rate on deals closed this year": open now
        if extra.compare is not None and extra.compare.by == "period":
            extra.compare = None
    return extra
