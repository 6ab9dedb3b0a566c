"""One plain sentence saying exactly what a query computed, so the person sees which question was answered."""

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from assistant.crm.access import scope_for
from assistant.crm.models import Account, Contact, Deal, Team, User
from assistant.crm.principal import Principal
from tools.query.spec import PeriodSpec, QueryInput, QueryResultPublic

MEASURE_WORDS = {
    "sum": "total",
    "avg": "average",
    "median": "median",
    "min": "smallest",
    "max": "largest",
}
FIELD_WORDS = {
    "amount": "amount",
    "weighted_amount": "weighted amount (amount x stage probability)",
    "probability": "stage probability (the chance its stage gives of winning)",
    "score": "score",
    "employees": "employee count",
    "days_to_close": "days to close",
    "days_since_activity": "days since the last activity",
    "age_days": "age in days",
}
DATE_VERBS = {
    ("deals", "close_date", "open"): "expected to close",
    ("deals", "close_date", None): "with a close date",
    ("deals", "close_date", "closed"): "closed",
    ("deals", "closed_at", None): "closed",
    ("deals", "created_at", None): "created",
    ("leads", "created_at", None): "created",
    ("leads", "converted_at", None): "converted",
    ("accounts", "created_at", None): "created",
    ("contacts", "created_at", None): "added",
    ("activities", "occurred_at", None): "logged",
    ("tasks", "due_date", None): "due",
    ("tasks", "occurred_at", None): "created",
}
MISSING_WORDS = {
    "primary_contact": "a primary contact",
    "next_step": "a next step",
    "close_date": "a close date",
    "amount": "an amount",
    "activity": "any activity",
    "email": "an email address",
    "phone": "a phone number",
    "industry": "an industry",
    "title": "a job title",
    "contact": "contacts",
    "deal": "deals",
    "open_deal": "open deals",
    "call_logged": "any call logged",
    "meeting_logged": "any meeting logged",
    "email_logged": "any email logged",
    "open_task": "an open task",
    "overdue_task": "an overdue task",
}


def day_text(day: date) -> str:
    return f"{day.day} {day:%b} {day.year}"


def period_phrase(period: PeriodSpec) -> str:
    start, end = period.start, period.end
    if start is None and end is None:
        return "over all time"
    if start and end:
        if start == end:
            return f"on {day_text(start)}"
        return f"between {day_text(start)} and {day_text(end)}"
    if start:
        return f"since {day_text(start)}"
    if end:
        return f"up to {day_text(end)}"
    return "at any time"


def _owners(q: QueryInput, principal: Principal, session: Session) -> str:
    owners = _owners_in(q, principal, session)
    if q.filters.exclude_owner_ids:
        left_out = session.scalars(
            select(User.name).where(User.id.in_(q.filters.exclude_owner_ids)).order_by(User.name)
        )
        owners += ", leaving out " + " and ".join(left_out) + ("'s" if q.object != "activities" else "")
    return owners


def _owners_in(q: QueryInput, principal: Principal, session: Session) -> str:
    f = q.filters
    if f.owner_ids:
        names = list(session.scalars(select(User.name).where(User.id.in_(f.owner_ids)).order_by(User.name)))
        return (
            "owned by " + " and ".join(names)
            if q.object not in ("activities", "tasks")
            else "by " + " and ".join(names)
        )
    if f.team_ids:
        names = list(session.scalars(select(Team.name).where(Team.id.in_(f.team_ids))))
        return "of the " + " and ".join(names) + " team"
    if f.owner == "me":
        return "of yours"
    if f.owner == "my_team" or principal.is_manager:
        return "of your team"
    if principal.is_admin:
        return "across the company"
    return "you can see"


def _conditions(q: QueryInput) -> list[str]:
    """Each condition of a 'match any' filter, in words: 'past their close date', 'without a next step', …"""
    f = q.filters
    said = ["past their due date" if q.object == "tasks" else "past their close date"] if f.overdue else []
    said += [f"without {MISSING_WORDS.get(m, m)}" for m in f.missing]
    if f.inactive_days:
        kinds = " or ".join(f.inactive_types) if f.inactive_types else "activity"
        said.append(f"with no {kinds} in the last {f.inactive_days} days")
    return said


def _subject(q: QueryInput, count: int) -> str:
    f = q.filters
    words: list[str] = []
    status = f.status
    if q.measure == "win_rate":
        status = "closed"
    if status and q.object in ("deals", "tasks"):
        words.append({"done": "completed"}.get(status, status))
    either = f.match_any and len(f.missing) + bool(f.overdue) + (f.inactive_days is not None) > 1
    if f.overdue and not either:
        words.append("overdue")
    noun = q.object if count != 1 else q.object.removesuffix("s").replace("activitie", "activity")
    text = " ".join([*words, noun])
    extras: list[str] = []
    if f.stages:
        extras.append("in " + " or ".join(f.stages))
    if f.exclude_stages:
        extras.append("outside " + " and ".join(f.exclude_stages))
    if f.lead_status:
        extras.append("with status " + " or ".join(f.lead_status))
    if f.types:
        extras.append("of type " + " or ".join(f.types))
    if f.industries:
        extras.append("in the " + " or ".join(f.industries) + " industry")
    if f.regions:
        extras.append("in " + " or ".join(f.regions))
    if f.score_min is not None:
        extras.append(f"scoring at least {f.score_min}")
    if f.score_max is not None:
        extras.append(f"scoring at most {f.score_max}")
    if f.titles:
        extras.append("with a title like " + " or ".join(f"“{title}”" for title in f.titles))
    if f.sources:
        extras.append("from " + " or ".join(f.sources))
    if f.amount_min is not None and f.amount_max is not None:
        extras.append(f"worth {f.amount_min:,.0f} to {f.amount_max:,.0f}")
    elif f.amount_min is not None:
        extras.append(f"worth {'more than' if f.amount_strict else 'at least'} {f.amount_min:,.0f}")
    elif f.amount_max is not None:
        extras.append(f"worth {'less than' if f.amount_strict else 'at most'} {f.amount_max:,.0f}")
    if f.currencies:
        extras.append("in " + " or ".join(f.currencies))
    if either:
        extras.append(" or ".join(_conditions(q)))
    elif f.missing:
        extras.append("without " + " or ".join(MISSING_WORDS.get(m, m) for m in f.missing))
    if f.present:
        extras.append("with " + " and ".join(MISSING_WORDS.get(m, m) for m in f.present))
    if f.inactive_days and not either:
        kinds = " or ".join(f.inactive_types) if f.inactive_types else "activity"
        extras.append(f"with no {kinds} in the last {f.inactive_days} days")
    if f.text:
        extras.append(f"named like '{f.text}'")
    if f.ids:
        extras.append("from the earlier answer")
    if f.exclude_ids:
        left_out = f"those {f.excluded_as}" if f.excluded_as else f"the {len(f.exclude_ids)} in the earlier answer"
        extras.append(f"other than {left_out}")
    return " ".join([text, *extras])


def _when(q: QueryInput) -> str:
    period = q.filters.period
    if period is None:
        return ""
    field = period.field or {"deals": "close_date", "tasks": "due_date", "activities": "occurred_at"}.get(
        q.object, "created_at"
    )
    status = q.filters.status
    state = "open" if status == "open" else ("closed" if status in ("won", "lost", "closed") else None)
    if q.measure == "win_rate":
        state = "closed"
    if period.start is None and period.end is None:
        return "over all time"
    verb = DATE_VERBS.get((q.object, field, state)) or DATE_VERBS.get((q.object, field, None)) or "dated"
    if period.start is not None and period.end is None and (state == "open" or field == "due_date"):
        return f"{verb} from {day_text(period.start)} on"  # "expected to close from 1 Feb 2027 on"
    return f"{verb} {period_phrase(period)}"


RANKINGS = {
    ("amount", "desc"): "biggest", ("amount", "asc"): "smallest", ("created_at", "asc"): "oldest",
    ("created_at", "desc"): "newest", ("close_date", "asc"): "soonest to close",
    ("close_date", "desc"): "latest to close",
    ("last_activity", "asc"): "least recently touched", ("last_activity", "desc"): "most recently touched",
    ("due_date", "asc"): "earliest due", ("occurred_at", "desc"): "most recent", ("occurred_at", "asc"): "earliest",
    ("score", "desc"): "highest-scored", ("days_to_close", "asc"): "quickest to close",
    ("days_to_close", "desc"): "slowest to close", ("closed_at", "desc"): "most recently closed",
    ("employees", "desc"): "largest by headcount", ("employees", "asc"): "smallest by headcount",
}  # fmt: skip


def _ranking(q: QueryInput, count: int) -> str:
    """'the biggest' / 'the 3 oldest' when a list keeps only the first records of a ranking."""
    if q.sort is None or q.limit >= count:
        return ""
    order = q.order or ("asc" if q.sort in ("close_date", "due_date", "name", "last_activity") else "desc")
    word = RANKINGS.get((q.sort, order))
    if word is None:
        return ""
    return f"the {word}" if q.limit == 1 else f"the {q.limit} {word}"


MANY_NAMED = 4
"""more accounts than this in a headline are counted, not named"""


def describe(q: QueryInput, result: QueryResultPublic, principal: Principal, session: Session) -> str:
    """E.g. 'average amount of the 9 won deals of yours closed between 1 Jul and 30 Sep 2026'."""
    count = result.count
    subject = _subject(q, count)
    if q.filters.account_ids and q.object != "accounts":
        seen_accounts = scope_for(principal, Account)
        named = select(Account.name).where(Account.id.in_(q.filters.account_ids), seen_accounts).order_by(Account.name)
        accounts = list(session.scalars(named))
        many = len(accounts) > MANY_NAMED
        subject = f"{subject} at {len(accounts)} accounts" if many else f"{subject} at {' or '.join(accounts)}"
    if q.filters.contact_ids:
        seen = scope_for(principal, Contact)
        people = session.scalars(select(Contact).where(Contact.id.in_(q.filters.contact_ids), seen))
        names = " or ".join(sorted(person.name for person in people))
        subject = f"{subject} with primary contact {names}" if q.object == "deals" else f"{subject} with {names}"
    listed = {item.id: item.name for item in result.items}
    if len(q.filters.ids) == 1 and set(q.filters.ids) <= set(listed):
        subject = subject.removesuffix(" from the earlier answer")  # "the lead named Lucas Young": records named
        subject = f"{subject} named {listed[q.filters.ids[0]]}"
    if q.filters.deal_ids and len(q.filters.deal_ids) > MANY_NAMED:
        many = f"{len(q.filters.deal_ids)} deals"  # "the tasks' deals worth more than 30k": not every name
        subject = (
            f"{subject} among the {many} from the earlier answer" if q.object == "deals" else f"{subject} on {many}"
        )
    elif q.filters.deal_ids:
        deals = session.scalars(select(Deal.name).where(Deal.id.in_(q.filters.deal_ids)).order_by(Deal.name))
        named = " or ".join(dict.fromkeys(deals))
        subject = f"{subject} named {named}" if q.object == "deals" else f"{subject} on {named}"
    scope = _owners(q, principal, session)
    when = _when(q) if q.compare is None or q.compare.by != "period" else ""
    tail = " ".join(part for part in (scope, when) if part)
    if q.measure == "list":
        head = f"the {count} {subject}"
        ranked = _ranking(q, count)
        if ranked and len(result.items) > q.limit:
            ranked = f"the {len(result.items)} tied as {ranked}" if q.limit == 1 else f"{ranked} (with ties)"
        if ranked:
            head = f"{ranked} of {head}"
    elif q.measure == "count":
        head = f"the number of {subject}"
    elif q.measure == "win_rate":
        head = f"the win rate (won / closed, by count) of the {count} {subject}"
    elif q.measure == "conversion_rate":
        head = f"the lead conversion rate (converted / all) of the {count} {subject}"
    elif q.measure == "distinct":
        plural = {
            "account": "accounts",
            "contact": "contacts",
            "owner": "owners",
            "industry": "industries",
            "region": "regions",
            "stage": "stages",
            "source": "sources",
            "team": "teams",
        }.get(q.group_by or "", f"{q.group_by} values")
        head = f"the different {plural} across the {count} {subject}"
    else:
        field = FIELD_WORDS.get(result.field or "amount", result.field or "amount")
        head = f"the {MEASURE_WORDS[q.measure]} {field} of the {count} {subject}"
    sentence = f"{head} {tail}".strip()
    if q.group_by and q.measure != "distinct":
        sentence += f", per {q.group_by}"
        if q.group_min is not None:
            sentence += f" (only those with at least {q.group_min:g})"
    if q.compare is not None:
        sentence += f", compared by {q.compare.by}"
    return sentence[0].upper() + sentence[1:]
