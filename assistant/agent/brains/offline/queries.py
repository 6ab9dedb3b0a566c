"""The offline brain's path for questions about sets of records: read the message into one query (or
refine the previous one), run the query tool, answer with what was computed and what was not done."""

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from assistant.agent.brains.base import Reply, ToolRun, ToolRunner, Turn
from assistant.agent.brains.offline.linking import Visible, link
from assistant.agent.brains.offline.understanding.answer import as_result, figure, render_limits, render_query
from assistant.agent.brains.offline.understanding.followups import (
    BOTH,
    apply_follow_up,
    both_people,
    is_follow_up,
    used_by_follow_up,
)
from assistant.agent.brains.offline.understanding.normalize import Normalized, normalize
from assistant.agent.brains.offline.understanding.parts import Labels
from assistant.agent.brains.offline.understanding.plan import DEFAULT_THIS_YEAR, Reading, read_question
from tools.query.spec import QueryInput

ONE_OF_THEM = re.compile(
    r"\b(?:the\s+)?(largest|biggest|smallest|oldest|newest|latest|soonest|first|top|last)\s+"
    r"(?:one|deal|opp|of (?:them|those|these))\b|\bthe (?:one|deal) (?:at|on) (?:the )?(top)\b"
)
DEAL_DETAIL = re.compile(
    r"\b(?:contact|owner|owns|owned|whose|close date|closing date|next step|stage|amount|account|details?|status)\b"
)
RANKINGS = {
    "smallest": ("amount", "asc"), "oldest": ("created_at", "asc"), "newest": ("created_at", "desc"),
    "latest": ("created_at", "desc"), "soonest": ("close_date", "asc"),
}  # fmt: skip
QUERY_TOOL = "query"
STATE_KEY = "query"
KEPT_IDS = 200
KEPT_KEYS = 10
THAT_GROUP = re.compile(
    r"\b(?:that|this|the top|the winning|the leading|the first) (industry|vertical|sector|region|territory|"
    r"(?:lead )?source|stage|rep|owner|seller|account|customer)(?:'s)?\b"
)
GROUP_ORDINAL = re.compile(
    r"\bthe (first|second|third|fourth|fifth|top|last|bottom)(?: one| on (?:that|the) list)?\b"
    r"(?!\s+(?:\d|two|three|four|five|ten)\b)"
)
PERSON_BACK = re.compile(r"\b(?:her|his|him|she|he|their|them)\b")
ORDINALS = {"first": 0, "top": 0, "second": 1, "third": 2, "fourth": 3, "fifth": 4, "last": -1, "bottom": -1}
GROUP_WORDS = {"industry": "industry", "vertical": "industry", "sector": "industry", "region": "region",
               "territory": "region", "source": "source", "lead source": "source", "stage": "stage",
               "rep": "owner", "owner": "owner", "seller": "owner", "account": "account",
               "customer": "account"}  # fmt: skip
GROUP_FILTERS = {"industry": "industries", "region": "regions", "source": "sources", "stage": "stages",
                 "owner": "owner_ids", "account": "account_ids"}  # fmt: skip
RECORDS_BEHIND = re.compile(r"\b(?:which|what) deals\b|\bmake(?:s)? up\b|\bbehind (?:it|that|the)\b|\blist\b")
MONEY_WORDS = re.compile(r"\b(?:revenue|pipeline|pipe|dollars?|amount|value|bookings|money|business|sales)\b|\$")
SHARE = re.compile(
    r"\b(?:what|which) (?:share|slice|portion|part|percentage|percent|proportion|fraction|piece|chunk) of\b|"
    r"\bwhat % of\b|\bas an? (?:share|percentage|percent|proportion|fraction|%)|\bin percent(?:age)? terms\b|"
    r"\bhow much of (?:the |our |my |the team'?s |\w+'s )?(?:team'?s? )?(?:open |total )?"
    r"(?:pipeline|pipe|revenue|wins?)\b|"
    r"\b(?:share|percentage|percent|proportion) (?:of (?:the |our |my )?(?:team'?s? |total )?)?"
    r"(?:pipeline|revenue|wins?)\b"
)
"""one group's part of a whole ("what slice of the team's pipeline is Omar's")"""
BOTH_WORDS = re.compile(
    r"(?:the )?(?:two|pair|both|combined|together|them both|of them|between|bigger|larger|smaller|higher|lower|"
    r"both (?:averages|totals|numbers|figures|rates))(?: of them)?"
)


def labels_of(visible: Visible) -> Labels:
    catalog = visible.catalog
    return Labels(
        catalog.stages, catalog.industries, catalog.regions, catalog.sources, catalog.lead_statuses, catalog.teams
    )


@dataclass
class Understood:
    normalized: Normalized
    reading: Reading


class QueryPath:
    def __init__(self, runner: ToolRunner) -> None:
        self.runner = runner

    def available(self) -> bool:
        return QUERY_TOOL in self.runner.specs

    def understand(self, message: str, visible: Visible, turn: Turn) -> Understood:
        catalog = visible.catalog
        vocabulary = [*catalog.stages, *catalog.industries, *catalog.regions, *catalog.sources]
        normalized = normalize(message, catalog.name_words, vocabulary)
        mentions = link(visible, normalized.text)
        today: date = turn.deps.clock.today()
        reading = read_question(normalized, mentions, labels_of(visible), turn.deps.principal, today)
        return Understood(normalized, reading)

    def follow_up(self, understood: Understood, turn: Turn) -> QueryInput | None:
        """The previous answer's query, changed by this message; None when the message starts afresh."""
        saved = turn.state.get(STATE_KEY)
        parts = understood.reading.parts
        if not saved or parts is None:
            return None
        text = understood.normalized.text
        shown = QueryInput.model_validate(saved["input"])
        before = QueryInput.model_validate(saved["before"]) if saved.get("before") else None
        both = both_people(shown, before, text, parts, turn.deps.principal) if before is not None else None
        if both is not None:
            leftovers = understood.reading.leftovers
            understood.reading.leftovers = [p for p in leftovers if not BOTH_WORDS.fullmatch(p.lower())]
            return both
        keys = saved.get("keys") or []
        one_person = shown.group_by == "owner" and len(keys) == 1 and PERSON_BACK.search(text) is not None
        narrowed = bool(keys and (THAT_GROUP.search(text) or GROUP_ORDINAL.search(text) or one_person))
        if not (narrowed or is_follow_up(text, parts)):
            return None
        previous = _within_top_group(shown, saved, text)
        if previous is not shown and parts.group_by in (None, shown.group_by):  # the group picked is the subject now
            parts.group_by, parts.group_from, parts.superlative, parts.limit = None, None, None, None
        if before is not None and BOTH.search(text) and previous.object == before.object == "activities":
            previous = previous.model_copy(deep=True)  # "what about September, both of those?": calls and emails
            previous.filters.types = sorted({*before.filters.types, *previous.filters.types})
            previous.group_by = "type" if previous.measure == "count" else previous.group_by
        changed = apply_follow_up(
            previous,
            list(saved.get("ids") or []),
            text,
            parts,
            turn.deps.principal,
            turn.deps.clock.today(),
        )
        reading = understood.reading
        reading.leftovers = [p for p in reading.leftovers if not used_by_follow_up(p.lower())]
        if previous.filters.period is not None:
            reading.notes = [note for note in reading.notes if note != DEFAULT_THIS_YEAR]  # the period came along
        return changed if changed != shown or understood.reading.leftovers == [] else None

    def picked_deal(self, understood: Understood, turn: Turn) -> int | None:
        """ "the contact on the largest one", after a list of deals: the deal that ranking picks from that list."""
        saved = turn.state.get(STATE_KEY)
        text = understood.normalized.text
        pick = ONE_OF_THEM.search(text)
        if not saved or not saved.get("ids") or pick is None or not DEAL_DETAIL.search(text):
            return None
        previous = QueryInput.model_validate(saved["input"])
        if previous.object != "deals":
            return None
        word = pick[1] or pick[2]
        shown = (previous.sort, previous.order or "asc") if previous.sort not in (None, "value") else ("amount", "desc")
        if word in ("first", "top"):
            sort, order = shown  # the first one as the list was shown
        elif word == "last":
            sort, order = shown[0], "desc" if shown[1] == "asc" else "asc"
        else:
            sort, order = RANKINGS.get(word, ("amount", "desc"))
        query = previous.model_copy(deep=True, update={"measure": "list", "group_by": None, "compare": None})
        query.filters.ids = list(saved["ids"])
        query.sort, query.order, query.limit = sort, order, 1  # type: ignore[assignment]
        run = self.runner.run(turn.deps, QUERY_TOOL, query.model_dump(mode="json", exclude_defaults=True))
        items = as_result(run.result).items if run.result is not None else []
        return items[0].id if items else None

    def answer(self, turn: Turn, query: QueryInput, understood: Understood | None) -> Reply:
        args: dict[str, Any] = query.model_dump(mode="json", exclude_defaults=True)
        run = self.runner.run(turn.deps, QUERY_TOOL, args)
        if run.result is None:
            return Reply(answer=f"I couldn't run that query: {run.error}", runs=[run], needs_grounding=True)
        result = as_result(run.result)
        parts = understood.reading.parts if understood is not None else None
        text = render_query(result, leaders_only=parts is not None and parts.group_one and not parts.limit)
        if understood is not None:
            reading = understood.reading
            notes = list(reading.notes)
            if understood.normalized.corrections:
                fixed = ", ".join(f"“{a}” as “{b}”" for a, b in understood.normalized.corrections.items())
                notes.append(f"I read {fixed}")
            limits = render_limits(reading.leftovers, reading.unknown_group, notes)
            if limits:
                text = f"{text}\n{limits}"
        self._remember(turn, query, run)
        return Reply(answer=text, runs=[run], needs_grounding=True)

    def share(self, turn: Turn, understood: Understood) -> Reply | None:
        """ "What slice of the West team's open pipeline is Omar carrying?": one group's figure, the whole it is part
        of and its percentage; None unless the message asks for a share of one named person, stage or segment."""
        query = understood.reading.query
        text = understood.normalized.text
        if query is None or not SHARE.search(text) or query.group_by or query.compare is not None:
            return None
        if query.measure == "list":  # "what chunk of my won revenue came from referrals"
            in_money = query.object == "deals" and MONEY_WORDS.search(text)
            query = query.model_copy(update={"measure": "sum", "field": "amount"} if in_money else {"measure": "count"})
        if query.measure not in ("sum", "count"):
            return None
        filters = query.filters
        named = [
            (dimension, values)
            for dimension, values in (
                ("owner", filters.owner_ids),
                ("stage", filters.stages),
                ("industry", filters.industries),
                ("region", filters.regions),
                ("source", filters.sources),
            )  # fmt: skip
            if values
        ]
        if len(named) != 1:
            return None
        dimension, values = named[0]
        whole = query.model_copy(deep=True, update={"group_by": dimension, "sort": "value", "order": "desc"})
        setattr(whole.filters, GROUP_FILTERS[dimension], [])
        parts = understood.reading.parts
        if dimension == "owner" and parts is not None and parts.teams:
            whole.filters.team_ids = list(parts.teams)
        run = self.runner.run(turn.deps, QUERY_TOOL, whole.model_dump(mode="json", exclude_defaults=True))
        if run.result is None:
            return None
        result = as_result(run.result)
        by_key = {(r.ref.id if dimension == "owner" and r.ref else r.key): r for r in result.rows}
        total = figure(result, result.value)
        lines = []
        for value in values:
            row = by_key.get(value)
            if row is not None and row.share is None:
                return None
            lines.append(
                f"{row.key}: {figure(result, row.value, row.currency)} of {total}, {row.share:.1f}%."
                if row is not None
                else f"{value}: none of {total}, 0%."
            )
        description = result.description.removesuffix(f", per {dimension}")
        text_out = "\n".join([*lines, f"{description}: {total}."])
        self._remember(turn, whole, run)
        return Reply(answer=text_out, runs=[run], needs_grounding=True)

    def _remember(self, turn: Turn, query: QueryInput, run: ToolRun) -> None:
        result = as_result(run.result)
        ids = [item.id for item in result.items] or [
            ref.id for ref in result.records if ref.type == _record_type(query.object)
        ]
        before = (turn.state.get(STATE_KEY) or {}).get("input")
        turn.state[STATE_KEY] = {
            "input": query.model_dump(mode="json"),
            "ids": ids[:KEPT_IDS],
            "before": before,
            "keys": [row.key for row in result.rows[:KEPT_KEYS]],
            "refs": [row.ref.id if row.ref is not None else None for row in result.rows[:KEPT_KEYS]],
        }
        turn.state["last_tool"] = QUERY_TOOL
        turn.state["last_args"] = run.args
        if len(result.items) == 1:
            item = result.items[0]
            if item.type in ("deal", "account", "contact"):
                focus = dict(turn.state.get("focus") or {})
                focus[item.type] = {"id": item.id, "name": item.name}
                turn.state["focus"] = focus


def _within_top_group(previous: QueryInput, saved: dict[str, Any], text: str) -> QueryInput:
    """ "split that industry's wins by rep", "which deals make up the top rep's number", "the second one - what
    deals do I have there": the previous grouped query kept to one of the groups its answer showed."""
    keys, refs = saved.get("keys") or [], saved.get("refs") or []
    that = THAT_GROUP.search(text)
    ordinal = GROUP_ORDINAL.search(text)
    dimension = GROUP_WORDS.get(that[1]) if that else previous.group_by if ordinal else None
    if dimension is None and previous.group_by == "owner" and len(keys) == 1 and PERSON_BACK.search(text):
        dimension = "owner"  # "show me her deals" after "…and the least?" named one rep
    if not keys or dimension is None or previous.group_by != dimension or dimension not in GROUP_FILTERS:
        return previous
    index = ORDINALS.get((ordinal[1] if ordinal else "top").lower(), 0)
    if index >= len(keys) or (dimension in ("owner", "account") and (index >= len(refs) or refs[index] is None)):
        return previous
    query = previous.model_copy(deep=True, update={"group_by": None, "sort": None, "order": None, "limit": 25})
    value: Any = refs[index] if dimension in ("owner", "account") else keys[index]
    setattr(query.filters, GROUP_FILTERS[dimension], [value])
    if dimension == "owner":
        query.filters.owner, query.filters.team_ids = None, []
    if RECORDS_BEHIND.search(text):
        query.measure, query.field = "list", None  # type: ignore[assignment]
    return query


def _record_type(obj: str) -> str:
    return {"deals": "deal", "accounts": "account", "contacts": "contact", "leads": "lead"}.get(obj, "activity")
