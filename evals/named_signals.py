"""Named queries over activities, tasks, leads and call transcripts: what is overdue, untouched or quiet,
when a deal was last worked, which competitor is mentioned most, and BANT read from a call.

Each is a documented definition computed from the tables with SQLAlchemy and plain Python, independent
of the tools. Common args: owner (email or `me`), scope (`me`, `all` or an email), limit.
"""

import re
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Select, func, select

from assistant.crm.access import scope_for
from assistant.crm.models import Account, Activity, CallRecording, Deal, Lead, Stage, User
from evals.facts import QueryContext, _scope_principal, named_query, resolve_value

TOUCHES = ("call", "email", "meeting", "note")
"""activity types that count as working a record (a task is a plan, not a touch)"""
OPEN_LEAD_STATUSES = ("new", "working", "qualified")
DEMO_COMPETITORS = ("Contoso Cloud", "Northwind CRM", "Fabrikam Sales")


def _scoped(query: Select[Any], model: type, context: QueryContext, args: dict[str, Any]) -> Select[Any]:
    scope = args.get("scope", "all")
    if scope != "all":
        query = query.where(scope_for(_scope_principal(scope, context), model))
    return query


def _person(context: QueryContext, args: dict[str, Any]) -> int | None:
    if not args.get("owner"):
        return None
    email = str(resolve_value(args["owner"], "owner", context)).lower()
    return context.session.scalar(select(User.id).where(func.lower(User.email) == email))


def _cutoff(context: QueryContext, days: int) -> datetime:
    return datetime.combine(context.today - timedelta(days=days), datetime.min.time())


def _output(items: list[Any], args: dict[str, Any]) -> Any:
    if args.get("output") == "count":
        return len(items)
    return items[: args["limit"]] if args.get("limit") else items


@named_query("overdue_tasks")
def overdue_tasks(context: QueryContext, args: dict[str, Any]) -> Any:
    """Open tasks due before today, most overdue first; owner = the task's author.

    output: subjects (default), deals (each task's deal name, once), mentions (subjects, deal and account
    names: any of them names the task), count."""
    author = _person(context, args)
    deal, account = select(Deal.name).where(Deal.id == Activity.deal_id), select(Account.name)
    query = select(
        Activity.subject,
        deal.scalar_subquery(),
        account.where(Account.id == Activity.account_id).scalar_subquery(),
    ).where(Activity.type == "task", Activity.status == "open", Activity.due_date < context.today)
    if author is not None:
        query = query.where(Activity.author_id == author)
    query = _scoped(query, Activity, context, args).order_by(Activity.due_date, Activity.id)
    rows = list(context.session.execute(query))
    output = args.get("output", "subjects")
    if output == "deals":
        return _output(list(dict.fromkeys(row[1] for row in rows if row[1])), args)
    if output == "mentions":
        return [name for row in rows[: args.get("limit") or len(rows)] for name in row if name]
    return _output([row[0] for row in rows], args)


def _last_touch_by_deal(context: QueryContext) -> dict[int, datetime]:
    query = (
        select(Activity.deal_id, func.max(Activity.occurred_at))
        .where(Activity.deal_id.is_not(None), Activity.type.in_(TOUCHES))
        .group_by(Activity.deal_id)
    )
    return {deal_id: when for deal_id, when in context.session.execute(query)}


@named_query("quiet_deals")
def quiet_deals(context: QueryContext, args: dict[str, Any]) -> Any:
    """Open deals with no call, email, meeting or note since today - days (default 14), the longest-quiet first
    (never touched before all). output: names (default) or count."""
    owner = _person(context, args)
    query = (
        select(Deal.id, Deal.name)
        .join(Stage, Stage.id == Deal.stage_id)
        .where(Stage.is_closed.is_(False))
        .order_by(Deal.id)
    )
    if owner is not None:
        query = query.where(Deal.owner_id == owner)
    deals = list(context.session.execute(_scoped(query, Deal, context, args)))
    touched = _last_touch_by_deal(context)
    cutoff = _cutoff(context, int(args.get("days", 14)))
    quiet = [(touched.get(deal_id), name) for deal_id, name in deals if (touched.get(deal_id) or datetime.min) < cutoff]
    quiet.sort(key=lambda item: (item[0] or datetime.min, item[1]))
    return _output([name for _, name in quiet], args)


@named_query("last_touch")
def last_touch(context: QueryContext, args: dict[str, Any]) -> date | int | list[Any] | None:
    """When deal `deal` (an id) was last worked (call, email, meeting or note): the date; with output: days,
    the whole days from then to today; with output: either, both (use with match: any)."""
    when = _last_touch_by_deal(context).get(int(args["deal"]))
    if when is None:
        return None
    days = (context.today - when.date()).days
    output = args.get("output", "date")
    return days if output == "days" else [when.date(), days] if output == "either" else when.date()


@named_query("next_actions")
def next_actions(context: QueryContext, args: dict[str, Any]) -> list[str]:
    """What someone could rightly be told to do next, any of which names a real action: overdue tasks (their
    subjects, deals and accounts), tasks due today, deals quiet for 14 days, open deals past their close date.
    Use with match: any. Args: owner and/or scope."""
    items = overdue_tasks(context, {**args, "output": "mentions"})
    due = select(Activity.subject).where(
        Activity.type == "task", Activity.status == "open", Activity.due_date == context.today
    )
    owner = _person(context, args)
    if owner is not None:
        due = due.where(Activity.author_id == owner)
    items += list(context.session.scalars(_scoped(due, Activity, context, args)))
    items += quiet_deals(context, {**args, "days": 14, "output": "names"})
    late = select(Deal.name).join(Stage, Stage.id == Deal.stage_id)
    late = late.where(Stage.is_closed.is_(False), Deal.close_date < context.today)
    if owner is not None:
        late = late.where(Deal.owner_id == owner)
    items += list(context.session.scalars(_scoped(late, Deal, context, args)))
    return list(dict.fromkeys(items))


@named_query("closed_deal_names")
def closed_deal_names(context: QueryContext, args: dict[str, Any]) -> list[str]:
    """Names of deals (owner / scope) closed more than `days` (default 30) days ago that no open deal shares:
    an answer about what to do next that names one is listing old business, not next actions (use in absent,
    with match: any). Recently closed deals may rightly be mentioned as news."""
    owner = _person(context, args)
    cutoff = context.today - timedelta(days=int(args.get("days", 30)))
    query = select(Deal.name, Stage.is_closed, Deal.close_date).join(Stage, Stage.id == Deal.stage_id)
    if owner is not None:
        query = query.where(Deal.owner_id == owner)
    rows = list(context.session.execute(_scoped(query, Deal, context, args)))
    still_open = {name for name, closed, _ in rows if not closed}
    old = {name for name, closed, day in rows if closed and day is not None and day < cutoff}
    return sorted(old - still_open)


@named_query("untouched_leads")
def untouched_leads(context: QueryContext, args: dict[str, Any]) -> Any:
    """Leads in `statuses` (default new, working, qualified) whose last activity, or their creation when they
    have none, is before today - days (default 30); the longest-untouched first. output: names or count."""
    owner = _person(context, args)
    statuses = [status.lower() for status in args.get("statuses", OPEN_LEAD_STATUSES)]
    last = (
        select(func.max(Activity.occurred_at))
        .where(Activity.lead_id == Lead.id, Activity.type.in_(TOUCHES))
        .scalar_subquery()
    )
    query = select(Lead.first_name, Lead.last_name, Lead.created_at, last).where(func.lower(Lead.status).in_(statuses))
    if owner is not None:
        query = query.where(Lead.owner_id == owner)
    cutoff = _cutoff(context, int(args.get("days", 30)))
    rows = [
        (touched or created, f"{first} {last_name}")
        for first, last_name, created, touched in context.session.execute(_scoped(query, Lead, context, args))
    ]
    names = [name for when, name in sorted(rows) if when < cutoff]
    return _output(names, args)


def _window(context: QueryContext, args: dict[str, Any]) -> tuple[datetime, datetime]:
    start = resolve_value(args.get("start"), "start", context)
    end = resolve_value(args.get("end"), "end", context) or context.today
    if start is None and args.get("months"):
        start = context.today - timedelta(days=round(30.44 * int(args["months"])))
    begin = datetime.combine(start, datetime.min.time()) if start else datetime.min
    return begin, datetime.combine(end + timedelta(days=1), datetime.min.time())


def competitor_counts(context: QueryContext, args: dict[str, Any]) -> dict[str, int]:
    """Per competitor name: how many records in the window mention it (an activity's subject or body, and a
    recorded call's transcript, each counted once). source: all (default) or calls (transcripts only)."""
    names = list(args.get("names", DEMO_COMPETITORS))
    begin, end = _window(context, args)
    texts: list[str] = []
    if args.get("source", "all") == "all":
        activities = select(Activity.subject, Activity.body).where(
            Activity.occurred_at >= begin, Activity.occurred_at < end
        )
        texts += [
            f"{subject} {body or ''}"
            for subject, body in context.session.execute(_scoped(activities, Activity, context, args))
        ]
    when = func.coalesce(
        select(Activity.occurred_at).where(Activity.id == CallRecording.activity_id).scalar_subquery(),
        CallRecording.created_at,
    )
    calls = select(CallRecording.transcript).where(when >= begin, when < end)
    texts += [text or "" for text in context.session.scalars(_scoped(calls, CallRecording, context, args))]
    return {name: sum(name.lower() in text.lower() for text in texts) for name in names}


@named_query("competitor_mentions")
def competitor_mentions(context: QueryContext, args: dict[str, Any]) -> Any:
    """The competitor mentioned by most records in the window (start..end, or the last `months` months up to
    today): its name (all names on a tie); output: counts gives names and counts, most first; output: count
    with `competitor` gives that one's count. Names default to the demo data's competitors."""
    counts = competitor_counts(context, args)
    if args.get("output") == "count":
        return counts.get(args["competitor"], 0)
    if args.get("output") == "counts":
        ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
        return [part for name, count in ordered if count for part in (name, count)]
    best = max(counts.values(), default=0)
    return sorted(name for name, count in counts.items() if count == best) if best else None


_SENTENCE = re.compile(r"(?<=[.!?])\s+")
_MONEY = re.compile(r"\$\s?(\d[\d,]*(?:\.\d+)?)\s?(k|m)?", re.IGNORECASE)
BANT_RULES: dict[str, tuple[re.Pattern[str], re.Pattern[str] | None]] = {
    "budget": (
        re.compile(r"\bbudget\b.*\$\d|\$\d.*\bbudget\b", re.I),
        re.compile(r"\bbudget\b.*\b(cut|frozen|slipp)", re.I),
    ),
    "authority": (re.compile(r"\bdecision maker\b|\bsign(?:s|ed)? off\b|\bsign-off\b|\bapprov", re.I), None),
    "need": (re.compile(r"\bpain point\b|\bwe need\b|\bmain (?:problem|challenge)\b", re.I), None),
    "timeline": (
        re.compile(r"\bdecision (?:before|by)\b|\bdecide (?:before|by)\b|\bgo live by\b", re.I),
        re.compile(r"\btimeline slipped\b|\bslipped\b|\bdelayed\b", re.I),
    ),
}
"""criterion -> (a sentence that meets it, a sentence that contradicts it); a contradiction wins"""


def bant_of(transcript: str) -> dict[str, Any]:
    """Which BANT criteria a call transcript meets (a criterion some sentence contradicts is not met), the
    budget figure it states, and whether it qualifies: at least three of the four criteria met."""
    sentences = _SENTENCE.split(transcript or "")
    met: list[str] = []
    for criterion, (meets, contradicts) in BANT_RULES.items():
        against = contradicts is not None and any(contradicts.search(s) for s in sentences)
        if not against and any(meets.search(s) for s in sentences):
            met.append(criterion)
    budget = None
    for sentence in sentences:
        if "budget" in sentence.lower() and (money := _MONEY.search(sentence)):
            scale = {"k": 1e3, "m": 1e6}.get((money.group(2) or "").lower(), 1.0)
            budget = float(money.group(1).replace(",", "")) * scale
    return {"met": met, "budget": budget if "budget" in met else None, "qualified": len(met) >= 3}


def _latest_calls(context: QueryContext, args: dict[str, Any]) -> dict[int, str]:
    """deal id -> the transcript of its latest recorded call, among calls the scope sees."""
    query = select(CallRecording.deal_id, CallRecording.transcript).where(CallRecording.deal_id.is_not(None))
    owner = _person(context, args)
    if owner is not None:
        query = query.where(CallRecording.owner_id == owner)
    query = _scoped(query, CallRecording, context, args).order_by(CallRecording.created_at, CallRecording.id)
    return {deal_id: transcript or "" for deal_id, transcript in context.session.execute(query)}


@named_query("bant")
def bant(context: QueryContext, args: dict[str, Any]) -> Any:
    """BANT from the latest recorded call on deal `deal` (an id). part: budget (the budget figure stated, None
    when none or contradicted), met (criteria met), qualified (bool)."""
    transcript = _latest_calls(context, {}).get(int(args["deal"]))
    if transcript is None:
        return None
    return bant_of(transcript)[args.get("part", "met")]


@named_query("bant_qualified")
def bant_qualified(context: QueryContext, args: dict[str, Any]) -> Any:
    """Names of deals (scope / owner) whose latest recorded call qualifies by BANT; with qualified: false, those
    whose call does not. output: names (default), accounts, or count."""
    wanted = bool(args.get("qualified", True))
    ids = [deal_id for deal_id, text in _latest_calls(context, args).items() if bant_of(text)["qualified"] == wanted]
    rows = context.session.execute(
        select(Deal.name, Account.name)
        .join(Account, Account.id == Deal.account_id)
        .where(Deal.id.in_(ids))
        .order_by(Deal.name)
    )
    pairs = list(rows)
    if args.get("output") == "accounts":
        return _output(list(dict.fromkeys(account for _, account in pairs)), args)
    return _output([name for name, _ in pairs], args)
