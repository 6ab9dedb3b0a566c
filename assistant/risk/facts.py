"""Everything the risk signals read about a deal, loaded in bulk, and the deal as it stood at a moment.

`load_facts` reads deals (all of them, or those with given ids) with their activities, audit
entries, stage changes and call recordings in a handful of queries (no per-deal round trips).
`state_at` replays that history to a point in time: the stage, close date, amount and next step
the deal had then, and only the activities, audit entries and tasks that existed before it.
Training uses the state just before each deal closed; "changes since last week" uses the state
seven days ago.
"""

import bisect
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from assistant.crm.models import (
    Account,
    Activity,
    AuditEntry,
    CallRecording,
    Contact,
    Deal,
    DealStageHistory,
    Stage,
    User,
)

RECENT_DAYS = 90
"""how far back "recent" conversations go (competitors, objections)"""


@dataclass(frozen=True)
class StageInfo:
    id: int
    name: str
    pipeline_id: int
    position: int
    is_closed: bool
    is_won: bool


@dataclass(frozen=True)
class ContactInfo:
    id: int
    name: str
    title: str | None


@dataclass(frozen=True)
class ActivityFact:
    id: int
    type: str
    subject: str
    body: str
    occurred_at: datetime
    contact_id: int | None
    due_date: date | None
    status: str | None

    @property
    def text(self) -> str:
        return f"{self.subject}\n{self.body}"


@dataclass(frozen=True)
class AuditFact:
    id: int
    entity_type: str
    entity_id: int
    at: datetime
    changes: dict[str, Any]


@dataclass(frozen=True)
class StageChangeFact:
    id: int
    to_stage_id: int
    changed_at: datetime


@dataclass(frozen=True)
class CallFact:
    id: int
    filename: str
    created_at: datetime
    summary: dict[str, Any]


@dataclass
class DealFacts:
    id: int
    name: str
    account_id: int
    account_name: str
    owner_id: int
    owner_name: str
    pipeline_id: int
    stage_id: int
    amount: float
    currency: str
    close_date: date | None
    next_step: str | None
    lead_source: str | None
    created_at: datetime
    closed_at: datetime | None
    activities: list[ActivityFact] = field(default_factory=list)
    """this and the lists below are oldest first (state_at relies on it)"""
    audits: list[AuditFact] = field(default_factory=list)
    task_audits: list[AuditFact] = field(default_factory=list)
    stage_changes: list[StageChangeFact] = field(default_factory=list)
    calls: list[CallFact] = field(default_factory=list)


@dataclass
class RiskData:
    """Deals by id, plus the stages and engaged contacts they refer to."""

    deals: dict[int, DealFacts]
    stages: dict[int, StageInfo]
    contacts: dict[int, ContactInfo]
    text_matches: dict[tuple[str, ...], dict[int, Any]] = field(default_factory=dict, repr=False)
    """what the text look-ups (competitors, objections) found in each activity, by competitor list and activity id"""

    def stage(self, stage_id: int) -> StageInfo:
        return self.stages[stage_id]

    def won(self, deal: DealFacts) -> bool | None:
        """True/False for a closed deal, None while open."""
        stage = self.stages[deal.stage_id]
        return stage.is_won if stage.is_closed else None


@dataclass
class DealState:
    """A deal as it stood at `as_of`, with only the history known then."""

    facts: DealFacts
    as_of: datetime
    """history at or after this moment is undone (datetime.max keeps all of it)"""
    now: datetime
    """the moment ages and overdue days are measured from"""
    stage_id: int
    is_open: bool
    close_date: date | None
    amount: float
    next_step: str | None
    stage_entered_at: datetime
    stage_change_id: int | None
    activities: list[ActivityFact]
    open_tasks: list[ActivityFact]
    audits: list[AuditFact]
    calls: list[CallFact]

    touches: list[ActivityFact] = field(init=False)
    """logged interactions (calls, emails, meetings, notes), oldest first; tasks excluded"""
    recent_touches: list[ActivityFact] = field(init=False)
    """the touches of the last RECENT_DAYS days (seen from `now`)"""
    engaged: dict[int, list[ActivityFact]] = field(init=False)
    """the touches by the contact they name, contacts in order of first touch"""
    derived: dict[object, Any] = field(init=False, repr=False)
    """what signals worked out from this state and share with each other"""

    def __post_init__(self) -> None:
        self.touches = [activity for activity in self.activities if activity.type != "task"]
        self.recent_touches = [a for a in self.touches if (self.now - a.occurred_at).days <= RECENT_DAYS]
        self.derived = {}
        self.engaged = {}
        for activity in self.touches:
            if activity.contact_id is not None:
                self.engaged.setdefault(activity.contact_id, []).append(activity)


def load_stages(session: Session) -> dict[int, StageInfo]:
    rows = session.execute(
        select(Stage.id, Stage.name, Stage.pipeline_id, Stage.position, Stage.is_closed, Stage.is_won)
    )
    return {row.id: StageInfo(*row) for row in rows}


IN_LIST_CHUNK = 500
"""ids per IN list: well under SQLite's bound-variable limit (999 on old builds)"""


DealIds = Collection[int] | Select[Any] | None
"""which deals: ids, a one-column select of ids (used as a subquery), or None for every deal"""


def _chunks(ids: DealIds) -> Iterator[list[int] | Select[Any] | None]:
    """The ids in IN-list sized chunks; a select or None (no filter) is passed on whole."""
    if ids is None or isinstance(ids, Select):
        yield ids
        return
    ordered = sorted(ids)
    for start in range(0, len(ordered), IN_LIST_CHUNK):
        yield ordered[start : start + IN_LIST_CHUNK]


def _filtered(query: Select[Any], column: Any, ids: list[int] | Select[Any] | None) -> Select[Any]:
    if ids is None:
        return query
    return query.where(column.in_(ids.scalar_subquery() if isinstance(ids, Select) else ids))


def load_facts(session: Session, deal_ids: DealIds = None) -> RiskData:
    """Facts for these deals (see DealIds), in a few queries (per IN-list chunk when given ids)."""
    connection = session.connection()

    def rows(query: Select[Any], column: Any, ids: DealIds) -> Iterator[Any]:
        for chunk in _chunks(ids):
            yield from connection.execute(_filtered(query, column, chunk)).all()

    deal_query = (
        select(
            Deal.id,
            Deal.name,
            Deal.account_id,
            Account.name,
            Deal.owner_id,
            User.name,
            Deal.pipeline_id,
            Deal.stage_id,
            Deal.amount,
            Deal.currency,
            Deal.close_date,
            Deal.next_step,
            Deal.lead_source,
            Deal.created_at,
            Deal.closed_at,
        )
        .join(Account, Account.id == Deal.account_id)
        .join(User, User.id == Deal.owner_id)
    )
    deals: dict[int, DealFacts] = {}
    for row in rows(deal_query, Deal.id, deal_ids):
        deal_id, *head, amount, currency, close_date, next_step, lead_source, created_at, closed_at = row
        deals[deal_id] = DealFacts(
            deal_id, *head, float(amount or 0), currency, close_date, next_step, lead_source, created_at, closed_at
        )
    if not deals:
        return RiskData(deals, load_stages(session), {})
    loaded: DealIds = deal_ids if deal_ids is None or isinstance(deal_ids, Select) else list(deals)

    activity_query = (
        select(
            Activity.deal_id,
            Activity.id,
            Activity.type,
            Activity.subject,
            Activity.body,
            Activity.occurred_at,
            Activity.contact_id,
            Activity.due_date,
            Activity.status,
        )
        .where(Activity.deal_id.is_not(None))
        .order_by(Activity.deal_id, Activity.occurred_at, Activity.id)
    )
    contact_ids: set[int] = set()
    task_deal: dict[int, int] = {}
    for deal_id, activity_id, kind, subject, body, occurred_at, contact_id, due_date, status in rows(
        activity_query, Activity.deal_id, loaded
    ):
        deal = deals.get(deal_id)
        if deal is None:
            continue
        deal.activities.append(
            ActivityFact(activity_id, kind, subject or "", body or "", occurred_at, contact_id, due_date, status)
        )
        if kind == "task":
            task_deal[activity_id] = deal_id
        if contact_id is not None:
            contact_ids.add(contact_id)

    audit_columns = (AuditEntry.id, AuditEntry.entity_type, AuditEntry.entity_id, AuditEntry.at, AuditEntry.changes)
    deal_audit_query = select(*audit_columns).where(AuditEntry.entity_type == "deal", AuditEntry.action == "update")
    deal_audits = [row for row in rows(deal_audit_query, AuditEntry.entity_id, loaded) if row[2] in deals]
    for audit_id, entity_type, entity_id, at, changes in sorted(deal_audits, key=lambda row: (row[3], row[0])):
        deals[entity_id].audits.append(AuditFact(audit_id, entity_type, entity_id, at, changes or {}))

    if task_deal:
        task_audit_query = select(*audit_columns).where(
            AuditEntry.entity_type == "activity", AuditEntry.action == "update"
        )
        task_ids: DealIds = list(task_deal)
        if isinstance(loaded, Select):
            task_ids = select(Activity.id).where(
                Activity.deal_id.in_(loaded.scalar_subquery()), Activity.type == "task"
            )
        task_audits = [
            row
            for row in rows(task_audit_query, AuditEntry.entity_id, None if loaded is None else task_ids)
            if row[2] in task_deal and "status" in (row[4] or {})
        ]
        for audit_id, entity_type, entity_id, at, changes in sorted(task_audits, key=lambda row: (row[3], row[0])):
            deals[task_deal[entity_id]].task_audits.append(AuditFact(audit_id, entity_type, entity_id, at, changes))

    stage_query = select(
        DealStageHistory.deal_id, DealStageHistory.id, DealStageHistory.to_stage_id, DealStageHistory.changed_at
    ).order_by(DealStageHistory.deal_id, DealStageHistory.changed_at, DealStageHistory.id)
    for deal_id, change_id, to_stage_id, changed_at in rows(stage_query, DealStageHistory.deal_id, loaded):
        if deal_id in deals:
            deals[deal_id].stage_changes.append(StageChangeFact(change_id, to_stage_id, changed_at))

    call_query = (
        select(CallRecording.deal_id, CallRecording.id, CallRecording.filename, CallRecording.created_at)
        .add_columns(CallRecording.summary)
        .where(CallRecording.deal_id.is_not(None))
    )
    calls = [row for row in rows(call_query, CallRecording.deal_id, loaded) if row[0] in deals and row[4]]
    for deal_id, call_id, filename, created_at, summary in sorted(calls, key=lambda row: (row[3], row[1])):
        deals[deal_id].calls.append(CallFact(call_id, filename, created_at, summary))

    contact_scope: DealIds = contact_ids
    if isinstance(loaded, Select):
        contact_scope = select(Activity.contact_id).where(Activity.deal_id.in_(loaded.scalar_subquery()))
    contact_query = select(Contact.id, Contact.first_name, Contact.last_name, Contact.title)
    contacts = {
        contact_id: ContactInfo(contact_id, f"{first_name} {last_name}".strip(), title)
        for contact_id, first_name, last_name, title in rows(contact_query, Contact.id, contact_scope)
    }
    return RiskData(deals, load_stages(session), contacts)


def _parse_date(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def _revert(values: dict[str, Any], audits: list[AuditFact], as_of: datetime) -> None:
    for entry in reversed(audits):
        if entry.at < as_of:
            break
        for name in values:
            change = entry.changes.get(name)
            if isinstance(change, list) and len(change) == 2:
                values[name] = change[0]


def _before(items: list[Any], as_of: datetime, moment: Callable[[Any], datetime]) -> list[Any]:
    """The items (oldest first) that happened before `as_of`."""
    if not items or moment(items[-1]) < as_of:
        return items
    return items[: bisect.bisect_left(items, as_of, key=moment)]


def state_at(facts: DealFacts, stages: dict[int, StageInfo], as_of: datetime, now: datetime | None = None) -> DealState:
    """The deal as it stood just before `as_of` (history at or after it is undone), seen at `now`."""
    values: dict[str, Any] = {"close_date": facts.close_date, "amount": facts.amount, "next_step": facts.next_step}
    _revert(values, facts.audits, as_of)
    stage_id, entered_at, change_id = facts.stage_id, facts.created_at, None
    earlier_changes = _before(facts.stage_changes, as_of, _changed_at)
    if earlier_changes:
        last = earlier_changes[-1]
        stage_id, entered_at, change_id = last.to_stage_id, last.changed_at, last.id
    elif facts.stage_changes:
        stage_id, entered_at = facts.stage_changes[0].to_stage_id, facts.created_at
    activities = _before(facts.activities, as_of, _occurred_at)
    tasks = [activity for activity in activities if activity.type == "task"]
    task_status = {task.id: task.status for task in tasks}
    for entry in reversed(facts.task_audits):
        if entry.at < as_of:
            break
        change = entry.changes.get("status")
        if isinstance(change, list) and len(change) == 2 and entry.entity_id in task_status:
            task_status[entry.entity_id] = change[0]
    return DealState(
        facts=facts,
        as_of=as_of,
        now=now or as_of,
        stage_id=stage_id,
        is_open=not stages[stage_id].is_closed,
        close_date=_parse_date(values["close_date"]),
        amount=float(values["amount"] or 0),
        next_step=values["next_step"],
        stage_entered_at=entered_at,
        stage_change_id=change_id,
        activities=activities,
        open_tasks=[task for task in tasks if (task_status.get(task.id) or "open") == "open"],
        audits=_before(facts.audits, as_of, _at),
        calls=_before(facts.calls, as_of, _created_at),
    )


def _changed_at(change: StageChangeFact) -> datetime:
    return change.changed_at


def _occurred_at(activity: ActivityFact) -> datetime:
    return activity.occurred_at


def _at(entry: AuditFact) -> datetime:
    return entry.at


def _created_at(call: CallFact) -> datetime:
    return call.created_at
