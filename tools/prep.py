"""Meeting prep: one brief for a meeting with an account, a deal or a contact, every line linked to its record.

Snapshot (the account's open deals, each once), stakeholders with their roles and who decides, the last three
customer interactions, open tasks (overdue ones flagged), objections and competitors from recent conversations,
BANT gaps from the latest recorded call turned into questions to ask, and talking points drawn from all of that.
"""

import re
from datetime import date, timedelta

from pydantic import BaseModel, Field
from sqlalchemy import func, select

from assistant.crm.access import get_visible
from assistant.crm.deps import Deps
from assistant.crm.errors import ValidationFailed
from assistant.crm.models import Account, Activity, CallRecording, Contact, Deal
from assistant.crm.schemas.chat import RecordRef
from assistant.crm.schemas.results import ToolResult
from assistant.crm.services.accounts import ContactFilters, contact_query
from assistant.crm.services.activities import ActivityFilters, activity_query
from assistant.crm.services.catalog import competitor_names
from assistant.crm.services.deals import DealFilters, deal_query
from assistant.risk.signals_people import is_decision_maker
from ingest.summarize import OBJECTION_RE, split_sentences
from tools.activities import first_rows, open_tasks, record_ref, unique_refs
from tools.deals import DealBrief, deal_brief

RECENT_DAYS = 90
INTERACTIONS = ("call", "meeting", "email")
CONVERSATIONS = ("call", "meeting", "email", "note")
EXTRA_OBJECTIONS = re.compile(
    r"\b(timeline slipped|budget might be cut|lower price|wants to see roi|security review|legal review|"
    r"data residency|discount)\b",
    re.IGNORECASE,
)
BANT_QUESTIONS = {
    "budget": "What budget is set aside for this, and who approves the spend?",
    "authority": "Who makes the final decision, and can we meet them before the proposal?",
    "need": "Which problem matters most to solve first, and how is it measured today?",
    "timeline": "By when does this need to be live, and what drives that date?",
}


class PrepInput(BaseModel):
    account_id: int | None = Field(default=None, description="the account the meeting is with")
    deal_id: int | None = Field(default=None, description="the deal the meeting is about")
    contact_id: int | None = Field(default=None, description="the person the meeting is with")


class PrepLine(BaseModel):
    """One line of the brief and the record it rests on."""

    text: str
    record: RecordRef
    on: date | None = Field(default=None, description="the record's date: when it happened, or a task's due date")
    flag: str | None = Field(default=None, description="'overdue' for a task past its due date")


class StakeholderPublic(BaseModel):
    contact: RecordRef
    title: str | None
    email: str | None
    decision_maker: bool = Field(description="holds a deciding title (CEO, CFO, CTO, VP, head of ...)")
    interactions: int = Field(description="calls, meetings and emails with them on this account")
    last_interaction_at: date | None
    meeting_with: bool = Field(description="the person the meeting is with")


class MeetingPrepPublic(ToolResult):
    account: RecordRef
    industry: str | None
    region: str | None
    owner: str
    focus_deal_id: int | None
    open_deals: list[DealBrief] = Field(description="each open deal once; the deal asked about first")
    open_pipeline_amount: float
    stakeholders: list[StakeholderPublic]
    decision_makers: list[str]
    last_interactions: list[PrepLine] = Field(description="the last three calls, meetings or emails")
    open_tasks: list[PrepLine]
    overdue_count: int
    objections: list[PrepLine]
    competitors: list[PrepLine]
    questions: list[PrepLine] = Field(description="BANT gaps turned into questions to ask")
    talking_points: list[PrepLine]


def _target(deps: Deps, args: PrepInput) -> tuple[Account, Deal | None, Contact | None]:
    session, principal = deps.session, deps.principal
    deal = get_visible(session, principal, Deal, args.deal_id) if args.deal_id is not None else None
    contact = get_visible(session, principal, Contact, args.contact_id) if args.contact_id is not None else None
    account_id = args.account_id or (deal.account_id if deal else None) or (contact.account_id if contact else None)
    if account_id is None:
        raise ValidationFailed("account_id", "name the account, deal or contact the meeting is with")
    return get_visible(session, principal, Account, account_id), deal, contact


def _day(value: date) -> str:
    return f"{value.day} {value:%b} {value.year}"


def _ref(activity: Activity) -> RecordRef:
    return record_ref("activity", activity.id, activity.subject)


def _stakeholders(deps: Deps, account: Account, contact: Contact | None) -> list[StakeholderPublic]:
    contacts = list(deps.session.scalars(contact_query(deps.principal, ContactFilters(account_id=account.id))).unique())
    touches = (
        activity_query(deps.principal, ActivityFilters(account_id=account.id))
        .where(Activity.type.in_(INTERACTIONS), Activity.contact_id.is_not(None))
        .order_by(None)
        .with_only_columns(Activity.contact_id, func.count(), func.max(Activity.occurred_at))
        .group_by(Activity.contact_id)
    )
    counts = {row[0]: (row[1], row[2]) for row in deps.session.execute(touches)}
    people = [
        StakeholderPublic(
            contact=record_ref("contact", c.id, c.name),
            title=c.title,
            email=c.email,
            decision_maker=is_decision_maker(c.title),
            interactions=counts.get(c.id, (0, None))[0],
            last_interaction_at=counts[c.id][1].date() if c.id in counts and counts[c.id][1] else None,
            meeting_with=contact is not None and c.id == contact.id,
        )
        for c in contacts
    ]
    people.sort(key=lambda p: (not p.meeting_with, not p.decision_maker, -p.interactions, p.contact.name))
    return people[:8]


def _recent(deps: Deps, account: Account, types: tuple[str, ...], limit: int) -> list[Activity]:
    since = deps.clock.now() - timedelta(days=RECENT_DAYS)
    query = activity_query(deps.principal, ActivityFilters(account_id=account.id, since=since))
    return first_rows(deps.session, query.where(Activity.type.in_(types)), limit)


def _interaction_line(activity: Activity) -> PrepLine:
    who = f" with {activity.contact.name}" if activity.contact else ""
    about = f" on {activity.deal.name}" if activity.deal else ""
    day = activity.occurred_at.date()
    return PrepLine(text=f"{_day(day)}: {activity.type}{who}{about}", record=_ref(activity), on=day)


def _task_lines(deps: Deps, account: Account, today: date) -> list[PrepLine]:
    lines = []
    for task in open_tasks(deps.session, deps.principal, ActivityFilters(account_id=account.id), 10):
        overdue = task.due_date is not None and task.due_date < today
        due = f"due {_day(task.due_date)}" if task.due_date else "no due date"
        late = f", {(today - task.due_date).days} days overdue" if overdue and task.due_date else ""
        flag = "overdue" if overdue else None
        lines.append(PrepLine(text=f"{task.subject} ({due}{late})", record=_ref(task), on=task.due_date, flag=flag))
    return lines


def _calls(deps: Deps, account: Account) -> list[tuple[CallRecording, Activity | None]]:
    since = deps.clock.now() - timedelta(days=RECENT_DAYS)
    visible = {a.id: a for a in _recent(deps, account, ("call",), 50)}
    query = select(CallRecording).where(CallRecording.account_id == account.id, CallRecording.created_at >= since)
    calls = deps.session.scalars(query.order_by(CallRecording.created_at.desc()))
    return [(call, visible.get(call.activity_id or -1)) for call in calls if call.activity_id in visible]


def _objections_and_competitors(
    deps: Deps, account: Account, recent: list[Activity], calls: list[tuple[CallRecording, Activity | None]]
) -> tuple[list[PrepLine], list[PrepLine]]:
    names = competitor_names(deps.session, deps.settings)
    objections: list[PrepLine] = []
    competitors: dict[str, PrepLine] = {}
    seen: set[str] = set()
    for call, activity in calls:
        ref = _ref(activity) if activity else record_ref("call", call.id, call.filename)
        summary = call.summary if isinstance(call.summary, dict) else {}
        for item in summary.get("objections") or []:
            day = call.created_at.date()
            objections.append(PrepLine(text=f'"{item.get("quote", "").strip()}" (recorded call)', record=ref, on=day))
        for mention in summary.get("competitors") or []:
            day = call.created_at.date()
            text = f"{mention.get('name')}: named on the recorded call of {_day(day)}"
            competitors.setdefault(mention.get("name", ""), PrepLine(text=text, record=ref, on=day))
    for activity in recent:
        day = activity.occurred_at.date()
        for sentence in split_sentences(activity.body or ""):
            if (OBJECTION_RE.search(sentence) or EXTRA_OBJECTIONS.search(sentence)) and sentence not in seen:
                seen.add(sentence)
                text = f'"{sentence.strip()}" ({activity.type}, {_day(day)})'
                objections.append(PrepLine(text=text, record=_ref(activity), on=day))
        for name in names:
            if re.search(rf"\b{re.escape(name)}\b", activity.body or "", re.IGNORECASE):
                text = f"{name}: in the {activity.type} of {_day(day)}"
                competitors.setdefault(name, PrepLine(text=text, record=_ref(activity), on=day))
    return objections[:6], list(competitors.values())


def _questions(calls: list[tuple[CallRecording, Activity | None]], deal: Deal | None, ref: RecordRef) -> list[PrepLine]:
    """BANT read from the latest recorded call: each part not confirmed there becomes a question."""
    bant = {}
    source = ref
    if calls:
        call, activity = calls[0]
        summary = call.summary if isinstance(call.summary, dict) else {}
        bant = summary.get("bant") or {}
        source = _ref(activity) if activity else ref
    lines = []
    for part, question in BANT_QUESTIONS.items():
        signal = bant.get(part) or {}
        if signal.get("status") == "positive":
            continue
        if signal.get("status") == "at risk":
            question = f'{question} (last call: "{signal.get("quote", "").strip()}")'
        on = None
        if part == "timeline" and deal is not None and deal.close_date:
            question, on = f"{question} We have {_day(deal.close_date)} as the close date.", deal.close_date
        lines.append(PrepLine(text=f"{part.capitalize()}: {question}", record=source, on=on))
    return lines


def _talking_points(
    deals: list[Deal],
    people: list[StakeholderPublic],
    tasks: list[PrepLine],
    objections: list[PrepLine],
    competitors: list[PrepLine],
    account_ref: RecordRef,
) -> list[PrepLine]:
    points = [
        PrepLine(text=f"Agree the next step on {d.name}: {d.next_step}", record=record_ref("deal", d.id, d.name))
        for d in deals[:3]
        if d.next_step
    ]
    points += [PrepLine(text=f"Close out or re-plan: {t.text}", record=t.record, on=t.on) for t in tasks if t.flag][:2]
    points += [PrepLine(text=f"Address the concern {o.text}", record=o.record, on=o.on) for o in objections[:2]]
    points += [
        PrepLine(text=f"Ask how {c.text.split(':')[0]} compares for them and show where we differ", record=c.record)
        for c in competitors[:2]
    ]
    if people and not any(p.decision_maker for p in people):
        points.append(PrepLine(text="Ask to be introduced to whoever signs off (no decision maker engaged yet)",
                               record=account_ref))  # fmt: skip
    return points


def meeting_prep(deps: Deps, args: PrepInput) -> MeetingPrepPublic:
    """Prepare the asker for a meeting with an account, a deal's buyers or a contact: snapshot of the open deals,
    stakeholders with roles and decision makers, the last three interactions, open and overdue tasks, objections
    and competitors from recent calls, BANT gaps as questions to ask, and talking points; every line links to its
    record. Use it for "prep me for my meeting with Acme", "brief me before I see Jane Smith"."""
    account, deal, contact = _target(deps, args)
    today = deps.clock.today()
    account_ref = record_ref("account", account.id, account.name)
    listed = deps.session.scalars(deal_query(deps.principal, DealFilters(account_id=account.id, status="open")))
    deals = list({d.id: d for d in listed.unique()}.values())
    deals.sort(key=lambda d: (deal is None or d.id != deal.id, -float(d.amount)))
    people = _stakeholders(deps, account, contact)
    recent = _recent(deps, account, CONVERSATIONS, 20)
    interactions = [a for a in recent if a.type in INTERACTIONS][:3]
    tasks = _task_lines(deps, account, today)
    calls = _calls(deps, account)
    objections, competitors = _objections_and_competitors(deps, account, recent, calls)
    focus = deal or (deals[0] if deals else None)
    focus_ref = record_ref("deal", focus.id, focus.name) if focus else account_ref
    lines = [*tasks, *objections, *competitors]
    return MeetingPrepPublic(
        account=account_ref,
        industry=account.industry,
        region=account.region,
        owner=account.owner.name,
        focus_deal_id=deal.id if deal else None,
        open_deals=[deal_brief(d) for d in deals],
        open_pipeline_amount=round(sum(float(d.amount) for d in deals), 2),
        stakeholders=people,
        decision_makers=[p.contact.name for p in people if p.decision_maker],
        last_interactions=[_interaction_line(a) for a in interactions],
        open_tasks=tasks,
        overdue_count=sum(1 for t in tasks if t.flag == "overdue"),
        objections=objections,
        competitors=competitors,
        questions=_questions(calls, focus, focus_ref),
        talking_points=_talking_points(deals, people, tasks, objections, competitors, account_ref),
        records=unique_refs(
            [
                account_ref,
                *[record_ref("deal", d.id, d.name) for d in deals],
                *[p.contact for p in people],
                *[line.record for line in lines],
                *[_ref(a) for a in interactions],
            ]
        ),
    )
