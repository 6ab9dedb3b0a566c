"""What to do today: the person's next actions, ranked, each with its reason and the record it is about.

Overdue tasks first (the longer overdue, the higher), then tasks and meetings due today, deals the risk
model rates high, open deals closing within two weeks with no next step, and deals gone quiet. Each
action names who to contact where the CRM knows it, so "who should I call today?" is answered by the
same list.
"""

from datetime import date, datetime, time, timedelta
from typing import Literal

from pydantic import BaseModel, Field
from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from assistant.crm.access import activity_scope, deal_scope
from assistant.crm.deps import Deps
from assistant.crm.errors import NotFound
from assistant.crm.models import Activity, Contact, Deal, Stage, User
from assistant.crm.principal import Principal
from assistant.crm.schemas.chat import RecordRef
from assistant.crm.schemas.results import ToolResult
from assistant.risk.engine import build_engine
from assistant.risk.reports import team_risk

QUIET_DAYS = 14
CLOSING_DAYS = 14
RISK_LISTED = 5
Kind = Literal["overdue_task", "due_today", "meeting_today", "deal_at_risk", "closing_without_next_step", "gone_quiet"]


class NextActionsInput(BaseModel):
    owner: Literal["me", "my_team"] = Field(default="me", description="my own actions, or my team's (managers)")
    owner_id: int | None = Field(
        default=None, description="one person's actions instead (a manager asking what a rep should do); id of a user"
    )
    limit: int = Field(default=10, ge=1, le=50)


class NextAction(BaseModel):
    kind: Kind
    title: str = Field(description="what to do")
    reason: str = Field(description="why it is on the list today")
    record: RecordRef
    owner: str
    contact: str | None = Field(default=None, description="who to reach, when the CRM knows")
    due: date | None = None
    amount: float | None = None
    currency: str | None = None
    priority: float = Field(description="higher first")


class NextActionsPublic(ToolResult):
    as_of: date
    actions: list[NextAction]
    overdue_tasks: int
    deals_at_risk: int
    quiet_deals: int
    person: str | None = Field(default=None, description="whose actions these are, when not the asker's own")


def _owners(session: Session, principal: Principal, owner: str, owner_id: int | None) -> list[int] | None:
    if owner_id is not None:
        visible = principal.visible_owner_ids
        if session.get(User, owner_id) is None or (visible is not None and owner_id not in visible):
            raise NotFound("user", owner_id)
        return [owner_id]
    if owner == "me" or principal.team_id is None and not principal.is_admin:
        return [principal.user_id]
    if principal.is_admin and principal.team_id is None:
        return None
    return list(session.scalars(select(User.id).where(User.team_id == principal.team_id)))


def _person(session: Session, user_id: int | None) -> str | None:
    user = session.get(User, user_id) if user_id is not None else None
    return user.name if user is not None else None


def _tasks(session: Session, principal: Principal, owners: list[int] | None, today: date) -> list[NextAction]:
    query = (
        select(Activity)
        .where(Activity.type.in_(["task", "meeting"]), activity_scope(principal))
        .where(
            or_(
                and_(Activity.type == "task", Activity.status == "open", Activity.due_date <= today),
                and_(
                    Activity.type == "meeting",
                    Activity.occurred_at >= datetime.combine(today, time.min),
                    Activity.occurred_at < datetime.combine(today + timedelta(days=1), time.min),
                ),
            )
        )
    )
    if owners is not None:
        query = query.where(Activity.author_id.in_(owners))
    actions = []
    for task in session.scalars(query).unique():
        record = _task_record(task)
        contact = task.contact.name if task.contact else None
        if task.type == "meeting":
            actions.append(
                NextAction(kind="meeting_today", title=task.subject, reason="meeting today", record=record,
                           owner=task.author.name, contact=contact, due=today, priority=95)
            )  # fmt: skip
            continue
        assert task.due_date is not None
        late = (today - task.due_date).days
        kind: Kind = "overdue_task" if late > 0 else "due_today"
        reason = f"task overdue by {late} day{'s' if late != 1 else ''}" if late else "task due today"
        actions.append(
            NextAction(kind=kind, title=task.subject, reason=reason, record=record, owner=task.author.name,
                       contact=contact, due=task.due_date, priority=100 + min(late, 60) if late else 90)
        )  # fmt: skip
    return actions


def _task_record(task: Activity) -> RecordRef:
    if task.deal is not None:
        return RecordRef(type="deal", id=task.deal.id, name=task.deal.name)
    if task.account is not None:
        return RecordRef(type="account", id=task.account.id, name=task.account.name)
    return RecordRef(type="activity", id=task.id, name=task.subject)


def _open_deals(session: Session, principal: Principal, owners: list[int] | None) -> list[Deal]:
    query = select(Deal).join(Stage, Stage.id == Deal.stage_id).where(Stage.is_closed.is_(False), deal_scope(principal))
    if owners is not None:
        query = query.where(Deal.owner_id.in_(owners))
    return list(session.scalars(query).unique())


def _last_touch(session: Session, deal_ids: list[int]) -> dict[int, datetime]:
    if not deal_ids:
        return {}
    query = (
        select(Activity.deal_id, func.max(Activity.occurred_at))
        .where(Activity.deal_id.in_(deal_ids), Activity.type != "task")
        .group_by(Activity.deal_id)
    )
    return {deal_id: when for deal_id, when in session.execute(query)}


def _contact(deal: Deal) -> str | None:
    contact: Contact | None = deal.primary_contact
    return contact.name if contact else None


def _deal_action(deal: Deal, kind: Kind, title: str, reason: str, priority: float) -> NextAction:
    return NextAction(
        kind=kind, title=title, reason=reason, record=RecordRef(type="deal", id=deal.id, name=deal.name),
        owner=deal.owner.name, contact=_contact(deal), due=deal.close_date, amount=float(deal.amount),
        currency=deal.currency, priority=priority,
    )  # fmt: skip


def _deal_actions(deps: Deps, deals: list[Deal], owners: list[int] | None, today: date) -> tuple[list[NextAction], int]:
    actions: list[NextAction] = []
    touched = _last_touch(deps.session, [d.id for d in deals])
    for deal in deals:
        last = touched.get(deal.id)
        quiet = (today - last.date()).days if last else None
        if deal.close_date and today <= deal.close_date <= today + timedelta(days=CLOSING_DAYS) and not deal.next_step:
            days = (deal.close_date - today).days
            actions.append(_deal_action(deal, "closing_without_next_step", f"Set a next step on {deal.name}",
                                        f"closes in {days} days with no next step",
                                        75 + (CLOSING_DAYS - days)))  # fmt: skip
        elif quiet is None or quiet >= QUIET_DAYS:
            reason = f"no activity for {quiet} days" if quiet is not None else "no activity ever logged"
            actions.append(_deal_action(deal, "gone_quiet", f"Re-engage {deal.name}", reason,
                                        60 + min(quiet or 60, 60) / 4))  # fmt: skip
    quiet_count = sum(1 for a in actions if a.kind == "gone_quiet")
    return actions, quiet_count


def _risk_actions(deps: Deps, owners: list[int] | None, deals: list[Deal]) -> list[NextAction]:
    by_id = {d.id: d for d in deals}
    engine = build_engine(deps.session, deps.clock.now(), deps.settings)
    owner_id = owners[0] if owners is not None and len(owners) == 1 else None
    report = team_risk(deps.session, deps.principal, deps.clock.now(), owner_id=owner_id, limit=RISK_LISTED * 3,
                       engine=engine)  # fmt: skip
    actions = []
    for row in report.deals:
        deal = by_id.get(row.deal_id)
        if deal is None or row.level != "high":
            continue
        reason = f"risk {row.score}/100: " + "; ".join(r.rstrip(". ") for r in row.top_reasons[:2])
        actions.append(_deal_action(deal, "deal_at_risk", f"Shore up {deal.name}", reason, 80 + row.score / 10))
        if len(actions) >= RISK_LISTED:
            break
    return actions


def next_actions(deps: Deps, args: NextActionsInput) -> NextActionsPublic:
    """The person's next actions today, most urgent first, each with its reason: overdue tasks, tasks and
    meetings due today, high-risk deals, deals closing within two weeks without a next step, deals gone
    quiet. Use for "what should I do today?", "who should I call today?", "what am I behind on?",
    "what should the team jump on?" (owner my_team), "what should Sam work on next?" (owner_id: Sam's id)."""
    today = deps.clock.today()
    owners = _owners(deps.session, deps.principal, args.owner, args.owner_id)
    deals = _open_deals(deps.session, deps.principal, owners)
    tasks = _tasks(deps.session, deps.principal, owners, today)
    risky = _risk_actions(deps, owners, deals)
    risky_ids = {a.record.id for a in risky}
    deal_actions, quiet = _deal_actions(deps, [d for d in deals if d.id not in risky_ids], owners, today)
    ranked = sorted([*tasks, *risky, *deal_actions], key=lambda a: (-a.priority, a.record.name))
    seen: set[tuple[str, int, str]] = set()
    chosen: list[NextAction] = []
    for action in ranked:
        key = (action.record.type, action.record.id, action.kind)
        if key not in seen:
            seen.add(key)
            chosen.append(action)
    chosen = chosen[: args.limit]
    return NextActionsPublic(
        as_of=today,
        actions=chosen,
        overdue_tasks=sum(1 for a in tasks if a.kind == "overdue_task"),
        deals_at_risk=len(risky),
        quiet_deals=quiet,
        person=_person(deps.session, args.owner_id) if args.owner_id not in (None, deps.principal.user_id) else None,
        records=[a.record for a in chosen],
    )
