"""From the parts of a question to one QueryInput, and whether the question is about a set of records at all.

A question about one named record ("what's the amount on the Hooli deal") is not a set question; the
brain answers it with the record tools. Everything else that counts, totals, ranks, lists, groups or
compares records is one query. What no part used is reported, never silently dropped.
"""

import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from assistant.agent.brains.offline.linking import Mention, of_type
from assistant.agent.brains.offline.understanding.agenda import DOING, MODAL
from assistant.agent.brains.offline.understanding.followups import LATE_FIELD, not_late, shift_period
from assistant.agent.brains.offline.understanding.normalize import Normalized
from assistant.agent.brains.offline.understanding.parts import Labels, Parts, claim_ranked_first, read_parts, sort_for
from assistant.agent.brains.offline.understanding.periods import (
    PAST_HINT,
    Found,
    about_the_past,
    in_the_future,
    in_the_past,
)
from assistant.agent.brains.offline.understanding.reader import Reader
from assistant.agent.brains.offline.understanding.words import FILLERS, LIST_CUES
from assistant.crm.principal import Principal
from tools.periods import calendar_unit, year_of
from tools.query.sources import SOURCES
from tools.query.spec import Comparison, PeriodSpec, QueryFilters, QueryInput

CLOSED_MEASURES = ("win_rate",)
DEFAULT_THIS_YEAR = "this year (no period was named)"


@dataclass
class Reading:
    query: QueryInput
    is_set: bool
    leftovers: list[str] = field(default_factory=list)
    unknown_group: str | None = None
    notes: list[str] = field(default_factory=list)
    """what the answer should say about how the question was read (a default period, a correction)"""
    record: Mention | None = None
    """the one record the message is about, when it is not a set question"""
    parts: Parts | None = None


VALUE_MEASURES = ("sum", "avg", "median", "min", "max")
"""what "how much is the X deal worth" reads as: one named deal's own amount, not a set"""


def _spec(found: Found, date_field: str | None) -> PeriodSpec:
    return PeriodSpec(start=found.start, end=found.end, field=date_field, label=found.label)  # type: ignore[arg-type]


ON_ONE_RECORD = re.compile(
    r"\b(?:on|for|with|against|about|at|in) (?:the |that |this |my |our |their )?(?:[\w&'-]+ ){0,4}?"
    r"(?:deal|opportunity|opp|account|pilot|renewal|expansion)\b(?!s)"
)
""""calls … on the Hooli deal": activities on one record"""


DUE_WORDS = re.compile(r"\b(?:due dates?|past due|to-?do list|on (?:my|his|her|their) (?:list|plate)|items?)\b")
"""'what has she got past its due date': tasks (deals have close dates)"""


def _object(parts: Parts) -> str:
    named = {m.entity.type for m in parts.mentions} - {"user"}
    if parts.overdue and not parts.object_words and not named and DUE_WORDS.search(parts.text):
        return "tasks"
    if named == {"lead"} and not parts.object_words or parts.object_words == ["leads"] and "lead" in named:
        return "leads"  # "what's Lucas Young's lead score": the lead named
    if parts.sort == "employees" or parts.number_field == "employees":
        return "accounts"
    if parts.group_by == "type":
        return "activities"
    if parts.measure == "conversion_rate" or parts.lead_statuses:
        return "leads"
    scored = parts.sort == "score" or parts.score_min is not None or parts.score_max is not None
    if scored and set(parts.object_words) <= {"contacts", "leads"}:
        return "leads"  # "who's the hotter of the two by score": only leads have a score
    if (
        parts.measure == "win_rate" or parts.days_to_close or parts.stages or parts.excluded_stages
        or parts.amount_min or parts.amount_max
    ):  # fmt: skip
        return "deals"
    if parts.closing and not parts.object_words:
        return "deals"
    if parts.group_by == "account" and parts.object_words == ["accounts"] and (parts.status or parts.amount_field):
        return "deals"  # "top 3 accounts by won dollars": deals summed per account
    if parts.object_words == ["accounts"] and parts.status in ("won", "lost", "closed") and parts.measure != "count":
        return "deals"  # "telecom vs media accounts - closed won $": what their deals won
    open_with = re.search(r"\bopen (?:with|at|across|on) (?:my |our |the |\w+ )?(?:\w+ )?accounts\b", parts.text)
    if parts.object_words == ["accounts"] and open_with:
        return "deals"  # "what have I got open with EMEA accounts": the open deals at them
    if parts.pipeline_word and parts.sources:
        return "deals"  # "the open pipeline from web leads": deals by their lead source
    if parts.object_words:
        counts = {name: parts.object_words.count(name) for name in parts.object_words}
        for preferred in ("tasks", "leads"):
            if preferred in counts:
                return preferred
        if "activities" in counts and ON_ONE_RECORD.search(parts.text):
            return "activities"  # "how many calls have I logged on the Hooli deal": the calls, not the deal
        if "deals" in counts:
            return "deals"
        return parts.object_words[0]
    if parts.overdue_said and not parts.status:
        return "tasks"  # "is anything overdue across East?": the tasks past their due date
    return "deals"


def _date_field(obj: str, parts: Parts) -> str | None:
    if obj == "deals":
        if parts.created:
            return "created_at"
        return "close_date"
    if obj == "leads":
        return "converted_at" if "converted" in parts.lead_statuses and not parts.created else "created_at"
    if obj == "tasks":
        return "occurred_at" if parts.created else "due_date"
    if obj == "activities":
        return "occurred_at"
    return "created_at"


MONEY_ASKED = re.compile(r"\b(?:revenue|dollars|money|bookings|how much (?:was|were|is|are) (?:it|they|those) worth)\b")
"""money asked of records that hold none (leads, contacts)"""


def no_money_note(obj: str) -> str:
    return f"I can't give an amount for {obj}: a {obj[:-1]} holds no money figure, so that part is left out"


WHO_NOBODY = re.compile(r"\bwho (?:has|have|hasn't|haven't|has not|have not|did) (?:nobody|no one|never|not)\b")
"""'of my leads, who has nobody ever reached out to': the people (leads, contacts) themselves, not a rep"""
THEIR_RECORDS = re.compile(
    r"\b(?:which|what) (?:of )?(?:their|his|her) (?:\w+ ){0,2}"
    r"(?:leads|deals|opps|opportunities|tasks|accounts|contacts)\b"
)


def _measure(parts: Parts, obj: str) -> tuple[str, str | None]:
    """(measure, number field)"""
    if parts.days_to_close:
        if parts.each and parts.group_by is None and not parts.compare:
            return "list", "days_to_close"  # "how long did each of them take to close": the days per deal
        stat = parts.measure if parts.measure in ("median", "min", "max") else "avg"
        return stat, "days_to_close"
    stat_asked = parts.measure in ("avg", "median", "min", "max")
    plain = parts.measure is None and not (parts.superlative or parts.sort or parts.list_cue)
    if parts.number_field and (stat_asked or plain):
        return parts.measure or "avg", parts.number_field
    measure = parts.measure
    if measure in ("avg", "median", "sum") and obj != "deals":
        field = {"leads": "score", "accounts": "employees"}.get(obj)
        return (measure, field) if field else ("count", None)
    if parts.weighted and obj == "deals":
        return (measure if measure in ("avg", "median") else "sum"), "weighted_amount"
    if measure is None and parts.count_rank:
        return "count", None
    if measure is None and parts.group_by is not None and parts.group_from != "lead" and obj != "deals":
        return "count", None
    if measure is None and parts.group_by is not None:
        return (
            ("sum", "amount")
            if obj == "deals" and (parts.status in ("open", "won") or parts.amount_field)
            else (
                "count",
                None,
            )
        )
    plain = not parts.singular and not parts.superlative and not parts.limit and not _lists(parts)
    if measure is None and obj == "deals" and parts.pipeline_word and plain:
        return "sum", "amount"
    if measure is None or (measure == "count" and parts.list_too and parts.group_by is None):
        return "list", None
    each_of_a_few = parts.limit and parts.each and parts.group_by is None
    ranks_groups = parts.group_by is not None and parts.group_from == "lead"  # "total … split by rep, who's lowest"
    if measure == "sum" and parts.superlative and (parts.singular or each_of_a_few) and not ranks_groups:
        return "list", None  # "omar's three biggest open deals, with what each one is worth": the deals
    if measure in ("sum", "avg", "median"):
        return measure, "amount" if obj == "deals" else None
    return measure, None


OPPORTUNITIES = re.compile(r"\b(?:opps?|opportunit(?:y|ies))\b")


def _lists(parts: Parts) -> bool:
    """Whether the question asks for the records themselves ("which deals", "show my deals")."""
    return parts.list_cue


ME_COMPARED = re.compile(
    r"\b(?:(?<!give )(?<!show )(?<!tell )(?<!send )(?<!get )(?<!let )(?<!for )me|"
    r"my(?! (?:whole |entire |full )?(?:team|reps|people|group|sellers|direct reports)\b)|mine|myself|i'm)\b|"
    r"\b(?:how do|do|am|have|did|where do|where am) i\b|"
    r"\bi (?:compare|stack|measure|rank)\b|\bthan (?:i|me)\b|\b(?:as|like) (?:i|me) do\b"
)
"""the asker is a side of the comparison ("me vs Sam", "how do I stack up against Omar"), not just speaking"""


def _owners(parts: Parts, principal: Principal, filters: QueryFilters) -> list[int]:
    """Apply owner words; return the people named (for a comparison)."""
    filters.exclude_owner_ids = list(parts.excluded_people)
    people = [m.entity.id for m in of_type(parts.mentions, "user")]
    if parts.mine and parts.compare and people and principal.user_id not in people and ME_COMPARED.search(parts.text):
        people = [principal.user_id, *people]
    against_team = parts.team and not parts.periods and not (principal.is_admin or principal.is_manager)
    if parts.mine and parts.compare and not people and against_team and ME_COMPARED.search(parts.text):
        return [principal.user_id]  # "how does my win rate compare with the team's": me against my team
    if len(people) == 1:
        if people[0] == principal.user_id:
            filters.owner = "me"
        else:
            filters.owner_ids = people
        return people
    if parts.teams and len(parts.teams) == 1:
        filters.team_ids = list(parts.teams)
    elif parts.my_own:
        filters.owner = "me"
    elif parts.team and not parts.everyone:
        filters.owner = "my_team" if principal.team_id is not None and not principal.is_admin else None
    elif parts.mine and not principal.is_manager and not principal.is_admin:
        filters.owner = "me"
    return people


CONTACT_OF = re.compile(
    r"\b(?:(?:primary|main|key) )?(?:contact|champion|point of contact)\b|\b(?:with|involving|for) (?:[A-Z]?\w+ ){1,2}"
    r"(?:on them|as (?:the |their )?contact)",
    re.I,
)
"""a deal list asked by who its contact is, not a question about the person"""


def _whole_team(parts: Parts, principal: Principal) -> int | None:
    """The team one person is set against: the team named, or the asker's own ("against the team average")."""
    if len(parts.teams) == 1:
        return parts.teams[0]
    if parts.team and not parts.teams and not principal.is_admin:
        return principal.team_id
    return None


def build_query(parts: Parts, principal: Principal, today: date) -> tuple[QueryInput, list[str]]:
    notes: list[str] = []
    _compare_values(parts)
    _won_and_lost_per_group(parts)
    obj = _object(parts)
    measure, number = _measure(parts, obj)
    filters = QueryFilters()
    people = _owners(parts, principal, filters)
    if obj == "deals":
        filters.status = parts.status  # type: ignore[assignment]
        if filters.status is None and (parts.closing or parts.weighted) and not parts.created:
            filters.status = "open"
        ranked_opps = (parts.superlative or parts.limit) and OPPORTUNITIES.search(parts.text)
        if filters.status is None and ranked_opps and not parts.periods and not parts.created:
            filters.status = "open"  # "my top 3 opps": opportunities still being worked
        if parts.overdue:
            filters.overdue = True
            filters.status = "open"
        if filters.status is None and "next_step" in parts.missing and not parts.periods:
            filters.status = "open"  # "which deals don't have a next step": the ones still being worked
        if filters.status is None and parts.sort == "last_activity" and parts.order == "asc" and not parts.periods:
            filters.status = "open"  # "my stalest deals": the ones still being worked that nobody touches
    elif obj == "tasks":
        filters.status = "done" if parts.task_done and not parts.overdue else "open"
        filters.overdue = parts.overdue
    elif obj == "leads" and parts.status == "open":
        filters.status = "open"
    if obj in ("leads", "contacts") and (parts.amount_field or MONEY_ASKED.search(parts.text)):
        notes.append(no_money_note(obj))
    if obj == "leads" and parts.status in ("won",):
        filters.lead_status = ["converted"]
    filters.lead_status = filters.lead_status or list(parts.lead_statuses)
    if obj == "deals":
        filters.stages = list(parts.stages)
        filters.exclude_stages = list(parts.excluded_stages)
        filters.amount_min, filters.amount_max = parts.amount_min, parts.amount_max
        filters.amount_strict = parts.amount_strict
    if obj in ("deals", "accounts", "contacts", "activities"):
        filters.industries, filters.regions = list(parts.industries), list(parts.regions)
    if obj == "contacts":
        filters.titles = list(parts.titles)
    if obj == "leads":
        filters.score_min, filters.score_max = parts.score_min, parts.score_max
    if obj in ("deals", "leads"):
        filters.sources = list(parts.sources)
    if obj == "deals" and parts.product and not filters.text:
        filters.text = parts.product  # "across every pilot I've closed-won": deals named "… - Pilot"
    if obj == "deals" and not filters.text and UP_FOR_RENEWAL.search(parts.text):
        filters.text = "Renewal"  # "which of my accounts are up for renewal in Q1": their renewal deals
    if obj == "activities":
        filters.types = list(parts.activity_types)
    allowed_missing = set(SOURCES[obj].missing) if obj in SOURCES else set()  # what the query tool can find missing
    asked_missing = ["contact" if m == "primary_contact" and obj == "accounts" else m for m in parts.missing]
    filters.missing = [m for m in asked_missing if m in allowed_missing]  # type: ignore[misc]
    filters.present = [f for f in parts.present if f in allowed_missing]  # type: ignore[misc]
    if obj in ("deals", "accounts", "contacts", "leads") and parts.inactive_days:
        filters.inactive_days = parts.inactive_days
        filters.inactive_types = list(parts.inactive_types)  # type: ignore[arg-type]
        covered = {f"{kind}_logged" for kind in parts.inactive_types} | (
            {"activity"} if not parts.inactive_types else set()
        )
        filters.missing = [m for m in filters.missing if m not in covered]  # "… include any that never had one"
        parts.missing = [m for m in parts.missing if m not in covered]
        if obj == "deals" and filters.status is None:
            filters.status = "open"
        if obj == "leads" and not filters.lead_status:
            filters.status = "open"  # an untouched lead is one still being worked, not a converted one
        if parts.inactive_default:
            notes.append("'gone quiet' read as no activity in the last 14 days")
    if parts.still_to_work and obj in ("deals", "leads") and filters.status is None and not filters.lead_status:
        filters.status = "open"
    accounts = [m.entity.id for m in of_type(parts.mentions, "account")]
    if accounts and obj in ("deals", "contacts", "activities", "tasks"):
        filters.account_ids = accounts
    contacts = [m.entity.id for m in of_type(parts.mentions, "contact")]
    if contacts and (obj == "activities" or (obj == "deals" and CONTACT_OF.search(parts.text))):
        filters.contact_ids = contacts  # "which of my open Krusty deals is Tom Berg the primary contact on"
    leads = [m.entity.id for m in of_type(parts.mentions, "lead")]
    if leads and obj == "leads":
        filters.ids = leads
    deals = [m.entity.id for m in of_type(parts.mentions, "deal")]
    if deals and obj in ("deals", "activities", "tasks"):
        filters.deal_ids = deals  # "what's the Wayne Logistics renewal worth" (two deals of that name): those deals
    date_field = _date_field(obj, parts)
    if measure == "win_rate" or (parts.days_to_close and obj == "deals"):
        date_field = "close_date"
        if parts.days_to_close:
            kept = parts.status == "closed" and parts.group_by == "status"  # wins beside losses, each on a line
            filters.status = "closed" if kept else "lost" if parts.status == "lost" else "won"  # "my losses drag on"
    compare = None
    real = _distinct([p for p in parts.periods if not p.all_time])
    if about_the_past(date_field, filters.status if obj == "deals" else None):
        real = [in_the_past(p, today) for p in real]
    elif (
        obj == "deals" and filters.status == "open" and date_field == "close_date" and not PAST_HINT.search(parts.text)
    ):
        real = [in_the_future(p, today) for p in real]
    elif obj == "deals" and filters.status is None and date_field == "close_date" and FUTURE_HINT.search(parts.text):
        real = [in_the_future(p, today) for p in real]  # "which of my deals are up for renewal in Q1": next Q1
        filters.status = "open" if real and not PAST_HINT.search(parts.text) else filters.status
    either = re.search(r"\bor\b", parts.text) is not None and not parts.compare and not WHICH_OF_TWO.search(parts.text)
    if len(real) >= 2 and (COMBINED.search(parts.text) or either) and _back_to_back(real):
        real = [Found(real[0].start, real[-1].end, " + ".join(p.label for p in real))]  # "Q2 and Q3 combined"
    if len(real) == 1 and parts.before_that:
        before = shift_period(_spec(real[0], date_field), -1)
        real = [*real, Found(before.start, before.end, before.label or "the period before")] if before else real
    elif len(real) == 1 and parts.compare and len(people) < 2 and len(parts.teams) < 2:
        real = [*_this_counterpart(real[0], today), *real]  # "am I ahead of last quarter": this quarter against it
    if len(real) >= 2 and (parts.compare or len(real) == 2):
        compare = Comparison(by="period", periods=[_spec(p, date_field) for p in real[:4]])
        if len(parts.teams) >= 2 and parts.group_by is None:  # "East and West side by side: Q3 versus Q4"
            parts.group_by, parts.group_from = "team", "compare"
            filters.team_ids = list(parts.teams)
    elif len(people) >= 2 and (parts.compare or not parts.group_by or _who_of_them(parts)):
        compare = Comparison(by="owner", owner_ids=people[:4])
        filters.owner_ids, filters.owner, filters.team_ids = [], None, []
        if _who_of_them(parts):  # "erin or jack - who was on the phone more": the two of them, not the whole team
            parts.group_by, parts.group_from, parts.superlative = None, None, None
    elif len(people) == 1 and parts.compare and (team := _whole_team(parts, principal)) is not None:
        compare = Comparison(by="owner", owner_ids=people, team_ids=[team])  # "Nina against East as a whole"
        filters.owner_ids, filters.owner, filters.team_ids = [], None, []
        if PER_REP.search(parts.text) and measure in ("avg", "sum", "count"):  # "… against the East average per rep"
            compare.per_rep = True
            measure = "count" if measure == "count" else "sum"
            number = None if measure == "count" else (number or "amount")
    elif len(parts.teams) >= 2:
        compare = Comparison(by="team", team_ids=parts.teams[:4])
    elif len(parts.teams) == 1 and parts.team and parts.compare and principal.team_id not in (None, parts.teams[0]):
        compare = Comparison(by="team", team_ids=[principal.team_id, parts.teams[0]])  # "my team against East"
        filters.owner, filters.team_ids = None, []
    late_field = LATE_FIELD.get(obj)
    if parts.overdue_days and late_field and not real and compare is None:  # "more than a week past due"
        days = parts.overdue_days
        label = f"more than {days} day{'s' if days != 1 else ''} overdue"
        filters.period = PeriodSpec(end=today - timedelta(days=days + 1), field=late_field, label=label)  # type: ignore[arg-type]
    elif (compare is None or compare.by != "period") and real:
        filters.period = _spec(real[0], date_field)
    elif any(p.all_time for p in parts.periods):
        filters.period = PeriodSpec(field=date_field, label="all time")  # type: ignore[arg-type]
    elif (
        compare is None and not any(p.all_time for p in parts.periods) and _defaults_to_this_year(obj, filters, measure)
    ):
        start, end = year_of(today)
        filters.period = PeriodSpec(start=start, end=end, field=date_field, label="this year")  # type: ignore[arg-type]
        notes.append(DEFAULT_THIS_YEAR)
    if parts.not_overdue and late_field:
        not_late(filters, late_field, today)
    if parts.due_by_today and obj == "tasks":  # "overdue or due today"
        filters.overdue = False
        filters.period = PeriodSpec(end=today, field="due_date", label="due today or earlier")  # type: ignore[arg-type]
    if compare is not None and measure == "list":
        amounts = obj == "deals" and (filters.status in ("won", "lost", "open") or parts.amount_field)
        measure, number = ("sum", "amount") if amounts else ("count", None)
    if obj == "tasks" and parts.overdue and (parts.sort, parts.order) == ("created_at", "asc"):
        parts.sort = "due_date"  # "the overdue one waiting longest": the one due longest ago
    query = QueryInput(object=obj, measure=measure, field=number, filters=filters)  # type: ignore[arg-type]
    if measure == "distinct" and parts.group_by is None:
        query.measure = "count"  # type: ignore[assignment]  # "how many different …" with nothing to count apart
    if compare is None and parts.group_by is None and (parts.compare or parts.each or WHICH_OF_TWO.search(parts.text)):
        named_accounts = [m.entity.id for m in of_type(parts.mentions, "account")]
        if len(named_accounts) >= 2 and obj in ("deals", "contacts", "activities", "tasks"):
            parts.group_by, parts.group_from = "account", "compare"  # "Tyrell or Redwood - where do I have more open?"
        for name, values in (("industry", parts.industries), ("region", parts.regions), ("source", parts.sources)):
            if len(values) >= 2:  # "healthcare or telecom - which is stronger, dollars and count for each"
                parts.group_by, parts.group_from = name, "compare"
                break
    if compare is not None and parts.group_by == compare.by:
        parts.group_by = None  # "Sam vs Omar: who's won more" compares the two, it does not rank everyone
    _group_and_order(query, parts)
    query.compare = compare
    query.with_contacts = parts.with_contacts and obj == "deals"
    query.with_next_steps = parts.with_next_steps and obj == "deals"
    if parts.group_min is not None and query.group_by is not None and query.measure == "count":
        query.group_min = parts.group_min  # "accounts where I've got more than one open opp"
    return query, notes


FUTURE_HINT = re.compile(r"\b(?:up for|coming up|upcoming|renewing|due to (?:close|renew)|will|going to|set to)\b")
"""a close date still ahead: a bare "Q1" said in Q4 is the next one"""
UP_FOR_RENEWAL = re.compile(r"\b(?:up for|due for|coming up for) renewal\b")
PER_REP = re.compile(
    r"\b(?:average|avg|mean|typical) (?:per|for an?|for each|of an?) "
    r"(?:rep|seller|person|head|salesperson|ae|member)\b|"
    r"\bper[- ](?:rep|head|person|seller) average\b|\bthe (?:average|typical) (?:rep|seller|ae)\b"
)
"""a person set against the average member of a team: the team's total over its reps, not its average deal"""
WHICH_OF_TWO = re.compile(
    r"\b(?:stronger|weaker|better|worse|bigger|smaller|higher|lower|busier|quieter)\b|"
    r"\bboth (?:totals|figures|numbers)\b|\b(?:each|separately)\b"
)
"""'was Q2 or Q3 the stronger quarter': the two periods side by side, not one stretch over both"""
COMBINED = re.compile(r"\b(?:combined|together|in total|altogether|all told|across (?:both|the two|all|them))\b")


def _distinct(periods: list[Found]) -> list[Found]:
    """Each stretch of days once ("the first half of 2026 (January to June)"), with the words that named it first,
    in the order of its last mention ("ahead of last quarter? … Q4 to date next to the full Q3": Q4, then Q3)."""
    first: dict[tuple[date | None, date | None], Found] = {}
    last_at: dict[tuple[date | None, date | None], int] = {}
    for index, period in enumerate(periods):
        first.setdefault((period.start, period.end), period)
        last_at[(period.start, period.end)] = index
    return [first[days] for days in sorted(last_at, key=last_at.__getitem__)]


def _back_to_back(periods: list[Found]) -> bool:
    """Whether the periods, as named, follow one another without a gap ("Q2 and Q3"): together one stretch."""
    return all(
        a.end is not None and b.start is not None and (b.start - a.end).days == 1
        for a, b in zip(periods, periods[1:], strict=False)
    )


CALENDAR_UNITS = ("week", "month", "quarter", "year")


def _this_counterpart(period: Found, today: date) -> list[Found]:
    """The current week, month, quarter or year when the one period named is the one before it, else nothing."""
    words = period.label.split()
    if len(words) != 2 or words[0] not in ("last", "previous", "prior") or words[1] not in CALENDAR_UNITS:
        return []
    start, end = calendar_unit(words[1], 0, today)
    return [Found(start, end, f"this {words[1]}")]


def _compare_values(parts: Parts) -> None:
    """ "Negotiation versus Proposal", "EMEA against APAC": two values of one field compared side by side are
    that field's groups, kept to the values named."""
    if not parts.compare or parts.group_by is not None:
        return
    named = (("stage", parts.stages), ("region", parts.regions), ("industry", parts.industries),
             ("source", parts.sources))  # fmt: skip
    for dimension, values in named:
        if len(values) >= 2:
            parts.group_by, parts.group_from = dimension, "compare"
            return
    if {"won", "lost"} <= set(parts.statuses) and not parts.stages and parts.measure != "win_rate":
        parts.group_by, parts.group_from, parts.status = "status", "compare", "closed"


def _won_and_lost_per_group(parts: Parts) -> None:
    """ "how many deals did each rep win and lose": each group's wins and losses, which its win rate line gives."""
    won_and_lost = {"won", "lost"} <= set(parts.statuses) and parts.measure in (None, "count") and not parts.stages
    sides = {"source": parts.sources, "region": parts.regions, "industry": parts.industries}
    compared = next((name for name, values in sides.items() if len(values) >= 2), None) if parts.compare else None
    if won_and_lost and parts.group_by == "status" and compared is not None:
        parts.group_by, parts.group_from = compared, "compare"  # "Outbound versus Referral: how many did we win
        parts.measure, parts.status = "win_rate", None  # and lose": each source's wins and losses
    elif won_and_lost and parts.group_by not in (None, "status") and not parts.compare:
        parts.measure, parts.status = "win_rate", None
    elif won_and_lost and parts.compare and parts.group_by in (None, "team", "owner"):
        parts.group_by, parts.group_from, parts.status = "status", "compare", "closed"  # "West versus East: how many
        # did each team win and lose": each side's wins and losses
    elif {"won", "lost"} <= set(parts.statuses) and parts.group_by == "status" and parts.status in ("won", "lost"):
        parts.status = "closed"  # "average days for the deals I won, and the same for the ones I lost": both groups


def _defaults_to_this_year(obj: str, filters: QueryFilters, measure: str) -> bool:
    if obj == "deals":
        return measure == "win_rate" or filters.status in ("won", "lost", "closed")
    return obj == "leads" and measure == "conversion_rate"


BY_SIZE = re.compile(r"\b(?:biggest|largest|most valuable|by (?:size|amount|value|dollars?|\$))\b")


ONE_DEAL_PER_GROUP = re.compile(
    r"\b(?:biggest|largest|smallest|lowest|highest|max(?:imum)?|min(?:imum)?)\s+(?:single\s+)?"
    r"(?:open\s+|won\s+|closed[- ]won\s+|lost\s+)?(?:deal|win|opportunity|opp|sale)(?:\s+(?:amount|size|value))?\b(?!s)"
)
"""'the single largest open deal amount', 'the smallest deal': one deal's figure in each group, not the group's sum"""


def _group_and_order(query: QueryInput, parts: Parts) -> None:
    people = query.object in ("leads", "contacts") and parts.group_by == "owner" and parts.group_from == "which"
    if people and WHO_NOBODY.search(parts.text) and not parts.superlative:
        query.measure, query.field = "list", None  # type: ignore[assignment]  # "… leads, who has nobody called?"
        return
    their_records = parts.group_by == "owner" and parts.group_from == "lead" and THEIR_RECORDS.search(parts.text)
    if their_records and parts.measure in (None, "count") and query.measure in ("list", "count"):
        query.measure, query.field = "list", None  # type: ignore[assignment]  # "for each rep, which of their leads"
        return
    if parts.group_by is not None:
        if parts.group_by == "account" and query.object == "accounts":
            query.object = "deals"
        if parts.group_by == "contact" and query.object not in ("deals", "activities"):
            query.object = "deals"  # "open pipeline per contact": the deals, by their primary contact
        query.group_by = parts.group_by  # type: ignore[assignment]
        extreme = parts.group_from == "lead" and parts.superlative and parts.measure is None
        if extreme and query.object == "deals" and ONE_DEAL_PER_GROUP.search(parts.text):
            query.measure, query.field = ("min" if parts.superlative == "min" else "max"), "amount"  # type: ignore[assignment]
            query.sort, query.order = "value", "asc" if parts.superlative == "min" else "desc"  # type: ignore[assignment]
            query.limit = 25
            return
        if parts.group_from in ("which", "superlative", "compare") or parts.superlative:
            query.order = "asc" if parts.superlative == "min" else "desc"
            query.sort = "value"
            query.limit = parts.limit or 25
        elif parts.order:
            query.order, query.sort = parts.order, "value"  # type: ignore[assignment]
        sized = parts.measure is None and not parts.count_rank and query.measure in ("list", "count")
        sized = sized and BY_SIZE.search(parts.text) is not None
        if sized and query.object == "deals":
            query.measure, query.field = "sum", "amount"  # "which accounts …, biggest first": by their dollars
        elif query.measure == "list":
            query.measure = "count"
        return
    if query.measure == "list":
        if parts.sort:
            query.sort, query.order = sort_for(parts.sort, query.object), parts.order  # type: ignore[assignment]
            query.limit = parts.limit or (1 if (parts.singular or parts.superlative) and not parts.sort_all else 25)
        elif parts.superlative:
            query.sort = "amount" if query.object == "deals" else None
            query.order = "asc" if parts.superlative == "min" else "desc"
            query.limit = parts.limit or (1 if parts.singular else 5)
        elif parts.limit:
            query.limit = parts.limit
        if parts.order and not parts.sort:
            query.order = parts.order  # type: ignore[assignment]
    elif parts.superlative and query.measure == "count" and query.object == "deals":
        query.measure = "list"


def is_set_question(parts: Parts, reader: Reader, query: QueryInput) -> bool:
    """Whether the message asks about a set of records rather than one named record or something else."""
    named_records = [m for m in parts.mentions if m.entity.type in ("deal", "contact")]
    accounts = of_type(parts.mentions, "account")
    plural_object = bool(parts.object_words) and not parts.singular
    aggregate = query.measure != "list" or query.group_by is not None or query.compare is not None
    filtered = bool(
        parts.status or parts.stages or parts.overdue or parts.missing or parts.inactive_days or parts.periods
        or parts.amount_min or parts.amount_max or parts.industries or parts.regions or parts.lead_statuses
        or parts.sources or parts.titles or parts.score_min is not None or parts.score_max is not None or parts.present
        or parts.product
    )  # fmt: skip
    if query.object == "leads" and of_type(parts.mentions, "lead") and query.filters.ids:
        return True  # "tell me about my lead Lucas Young": that lead's line
    by_contact = re.search(r"\b(?:deals|opportunities|opps|activities|calls|meetings)\b", parts.text)
    if query.filters.contact_ids and (by_contact or (query.object == "activities" and parts.sort == "occurred_at")):
        return True  # "which deals is Tom Berg the primary contact on": deals, by their contact
    if query.filters.account_ids and query.object == "activities" and parts.sort == "occurred_at" and parts.singular:
        return True  # "when's the last time I logged a call with Cogswell Cogs": the latest such activity there
    if named_records and not plural_object and parts.measure is None and query.compare is None:
        return False
    one_deal = len(of_type(parts.mentions, "deal")) == 1 and not plural_object
    if one_deal and query.measure in VALUE_MEASURES and query.group_by is None and query.compare is None:
        return False
    if accounts and not (aggregate or plural_object or filtered):
        return False
    only_calls = query.object == "activities" and parts.activity_types == ["call"]
    calls_of_a_record = only_calls and bool(accounts or named_records)
    if calls_of_a_record and not aggregate and not parts.periods:
        return False
    if aggregate:
        return True
    if parts.singular and not plural_object and not (parts.superlative or parts.sort or filtered):
        return False
    if parts.status in ("won", "lost", "closed") or (parts.closing and parts.periods):
        return True
    if parts.object_words and (filtered or reader.has(LIST_CUES) or plural_object):
        return True
    asks_to_act = reader.has(DOING) and reader.has(MODAL)  # "anything overdue I should handle?" is the agenda
    gone_quiet = parts.inactive_days and not parts.object_words and not named_records and not asks_to_act
    if gone_quiet and re.search(r"\b(?:anything|what|which|any)\b", parts.text):
        return True  # "anything of mine nobody's touched since Halloween?": the deals gone quiet
    if query.object == "tasks" and parts.overdue and not parts.object_words and DUE_WORDS.search(parts.text):
        return True  # "of the things on my list that are already overdue, which one has waited longest"
    lapsed = parts.overdue_said and not parts.object_words and not named_records
    if lapsed and re.search(r"\b(?:is|are) (?:there )?anything\b|^\W*anything\b", parts.text):
        return True  # "is anything overdue across East?": the overdue tasks
    if (
        parts.narrows
        and not parts.object_words
        and not named_records
        and not asks_to_act
        and (reader.has(LIST_CUES) or parts.measure)
    ):
        return True  # "show me what I've got sitting in qualification"
    return bool(parts.superlative and parts.object_words)


def _who_of_them(parts: Parts) -> bool:
    """ "who ... more" asked of people the message names: a ranking of those people only."""
    return parts.group_by == "owner" and parts.group_from in ("which", "superlative") and not parts.teams


COUNTED_AND_CONVERTED = re.compile(r"\bhow many\b[^?]*?(?:\band\b|,)\s*how many\b[^?]*\bconvert", re.I)
"""'how many of each have we got, and how many of each ended up converted': the leads and the converted ones"""


WHOLE_COMPANY = re.compile(
    r"\b(?:across |for |in )?(?:both|all|the two|all the|every) (?:teams|sales teams|regions)\b|"
    r"\bthe whole (?:company|org|organi[sz]ation|business|sales (?:org|team))\b|\bcompany[- ]wide\b"
)
"""the whole company asked about: more than a rep may see"""


def read_question(
    normalized: Normalized, mentions: list[Mention], labels: Labels, principal: Principal, today: date
) -> Reading:
    reader = Reader(normalized.text)
    parts = read_parts(reader, today, mentions, labels)
    query, notes = build_query(parts, principal, today)
    f = query.filters
    f.match_any = parts.any_condition and len(f.missing) + bool(f.overdue) + (f.inactive_days is not None) > 1
    counted_and_converted = (
        query.object == "leads" and query.measure == "count" and COUNTED_AND_CONVERTED.search(parts.text)
    )
    if counted_and_converted and "converted" in query.filters.lead_status:  # "how many of each, and how many converted"
        query.measure = "conversion_rate"  # each line says "n of N leads converted": both counts
        query.filters.lead_status = [s for s in query.filters.lead_status if s != "converted"]
    used = {"primary_contact" if m == "contact" else m for m in query.filters.missing} | set(query.filters.missing)
    unused_missing = [parts.missing_words[m] for m in parts.missing if m not in used]
    claim_ranked_first(reader)
    rep = not (principal.is_admin or principal.is_manager)
    if rep and (parts.everyone or WHOLE_COMPANY.search(parts.text)) and not of_type(parts.mentions, "user"):
        notes.append(  # "how much open pipeline does the whole company have, across both teams": a rep sees their own
            "you can see only your own records, so this covers yours, not the whole company's"
        )
        list(reader.all(WHOLE_COMPANY, claim="owner"))
    leftovers = [*parts.not_held, *unused_missing, *reader.leftover(FILLERS)]
    set_question = is_set_question(parts, reader, query)
    record = next((m for m in parts.mentions if m.entity.type in ("deal", "account", "contact")), None)
    return Reading(
        query=query,
        is_set=set_question,
        leftovers=leftovers,
        unknown_group=parts.unknown_group,
        notes=notes,
        record=None if set_question else record,
        parts=parts,
    )
