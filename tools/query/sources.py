"""What each object of a query is made of: its table, access rule, owner, dates, numbers and dimensions.

A :class:`Selection` starts from the object's table with the person's access rule applied
(assistant.crm.access) and joins only what the question needs (stages, accounts, owners, last
activity), so a count by stage over 100k deals reads the deals table and nothing else.
"""

from collections.abc import Sequence
from copy import copy
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, case, func, literal, or_, select
from sqlalchemy.orm import InstrumentedAttribute, aliased

from assistant.crm.access import scope_for
from assistant.crm.models import Account, Activity, Contact, Deal, Lead, Stage, User
from assistant.crm.principal import Principal
from tools.query.spec import ObjectName
from tools.query.sqlfunc import bucket, days_between


@dataclass(frozen=True)
class Source:
    object: ObjectName
    model: type
    record_type: str
    singular: str
    plural: str
    owner_word: str
    """who the records belong to: 'owner' or 'author'"""
    default_date: str
    dates: tuple[str, ...]
    numbers: tuple[str, ...]
    dimensions: tuple[str, ...]
    missing: tuple[str, ...]


ACTIVITY_LINK: dict[Any, Any] = {
    Deal: Activity.deal_id,
    Account: Activity.account_id,
    Contact: Activity.contact_id,
    Lead: Activity.lead_id,
}
"""the column tying an activity to each kind of record it can be logged on"""
LOGGED_KINDS = ("call_logged", "meeting_logged", "email_logged")
"""'missing' names for records with no call, meeting or email of any author ever logged on them"""
TASK_KINDS = ("open_task", "overdue_task")
"""'missing' (or 'present') names for records with no open task on them, or none past its due date"""

SOURCES: dict[ObjectName, Source] = {
    "deals": Source(
        "deals", Deal, "deal", "deal", "deals", "owner", "close_date",
        ("close_date", "created_at", "closed_at"),
        ("amount", "weighted_amount", "probability", "days_to_close", "days_since_activity", "age_days"),
        ("stage", "status", "owner", "team", "account", "contact", "industry", "region", "source", "currency",
         "month", "quarter", "year"),
        ("primary_contact", "next_step", "close_date", "amount", "activity", *LOGGED_KINDS, *TASK_KINDS),
    ),
    "accounts": Source(
        "accounts", Account, "account", "account", "accounts", "owner", "created_at",
        ("created_at",),
        ("employees", "days_since_activity"),
        ("owner", "team", "industry", "region", "month", "quarter", "year"),
        ("industry", "activity", "contact", "deal", "open_deal", *LOGGED_KINDS, *TASK_KINDS),
    ),
    "contacts": Source(
        "contacts", Contact, "contact", "contact", "contacts", "owner", "created_at",
        ("created_at",),
        ("days_since_activity",),
        ("owner", "team", "account", "industry", "region", "month", "quarter", "year"),
        ("email", "phone", "title", "activity", *LOGGED_KINDS, *TASK_KINDS),
    ),
    "leads": Source(
        "leads", Lead, "lead", "lead", "leads", "owner", "created_at",
        ("created_at", "converted_at"),
        ("score", "days_since_activity", "age_days"),
        ("owner", "team", "source", "status", "month", "quarter", "year"),
        ("email", "phone", "title", "activity", *LOGGED_KINDS, *TASK_KINDS),
    ),
    "activities": Source(
        "activities", Activity, "activity", "activity", "activities", "author", "occurred_at",
        ("occurred_at",),
        (),
        ("type", "owner", "team", "account", "contact", "industry", "region", "month", "quarter", "year"),
        (),
    ),
    "tasks": Source(
        "tasks", Activity, "activity", "task", "tasks", "author", "due_date",
        ("due_date", "occurred_at"),
        (),
        ("status", "owner", "team", "account", "month", "quarter", "year"),
        (),
    ),
}  # fmt: skip


def day_start(day: date) -> datetime:
    return datetime.combine(day, time.min)


@dataclass
class Selection:
    """The object's rows this person may see, with the joins added so far."""

    source: Source
    principal: Principal
    today: date
    query: Select[Any] = field(init=False)
    joined: set[str] = field(default_factory=set)
    owner_user: Any = field(init=False)

    def __post_init__(self) -> None:
        model = self.source.model
        self.query = select().select_from(model).where(scope_for(self.principal, model))
        if self.source.object == "tasks":
            self.query = self.query.where(Activity.type == "task")
        self.owner_user = aliased(User, name="owner_user")

    def fork(self) -> "Selection":
        """A copy to join more onto: a group-by's joins stay off the totals and records read from this one."""
        forked = copy(self)
        forked.joined = set(self.joined)
        return forked

    @property
    def model(self) -> Any:
        return self.source.model

    @property
    def id(self) -> InstrumentedAttribute[int]:
        return self.model.id  # type: ignore[no-any-return]

    def owner_id(self) -> ColumnElement[int]:
        return Activity.author_id if self.source.model is Activity else self.model.owner_id  # type: ignore[no-any-return]

    def where(self, *conditions: ColumnElement[bool]) -> None:
        self.query = self.query.where(*conditions)

    def stage(self) -> type[Stage]:
        if "stage" not in self.joined:
            self.query = self.query.join(Stage, Stage.id == Deal.stage_id)
            self.joined.add("stage")
        return Stage

    def account(self) -> type[Account]:
        if self.source.model is Account:
            return Account
        if "account" not in self.joined:
            self.query = self.query.outerjoin(Account, Account.id == self.model.account_id)
            self.joined.add("account")
        return Account

    def owner(self) -> Any:
        if "owner" not in self.joined:
            self.query = self.query.join(self.owner_user, self.owner_user.id == self.owner_id())
            self.joined.add("owner")
        return self.owner_user

    def last_activity(self, kinds: Sequence[str] = ()) -> ColumnElement[datetime]:
        """When each record was last touched by a call, email, meeting or note (tasks do not count), or by one of
        `kinds` when given."""
        if self.model not in ACTIVITY_LINK:
            return literal(None)
        kind = Activity.type.in_(list(kinds)) if kinds else Activity.type != "task"
        return (
            select(func.max(Activity.occurred_at))
            .where(ACTIVITY_LINK[self.model] == self.id, kind)
            .correlate_except(Activity)
            .scalar_subquery()
        )

    def logged(self, kind: str) -> Select[Any]:
        """The activities of one kind logged on each record (any author: a colleague's call still counts)."""
        return (
            select(Activity.id)
            .where(ACTIVITY_LINK[self.model] == self.id, Activity.type == kind)
            .correlate_except(Activity)
        )

    def date(self, name: str | None) -> ColumnElement[Any]:
        chosen = name if name in self.source.dates else self.source.default_date
        return getattr(self.model, chosen)  # type: ignore[no-any-return]

    def date_name(self, name: str | None) -> str:
        return name if name in self.source.dates else self.source.default_date

    def number(self, name: str) -> ColumnElement[Any]:
        if name == "amount":
            return Deal.amount
        if name == "weighted_amount":
            return Deal.amount * self.stage().probability / 100.0
        if name == "probability":
            return self.stage().probability
        if name == "score":
            return Lead.score
        if name == "employees":
            return Account.employees
        if name == "days_to_close":
            return days_between(func.coalesce(Deal.closed_at, Deal.close_date), Deal.created_at)
        if name == "days_since_activity":
            return days_between(literal(self.today.isoformat()), self.last_activity())
        if name == "age_days":
            return days_between(literal(self.today.isoformat()), self.model.created_at)
        raise KeyError(name)

    def deal_status(self) -> ColumnElement[str]:
        stage = self.stage()
        return case((stage.is_won.is_(True), "won"), (stage.is_closed.is_(True), "lost"), else_="open")

    def dimension(self, name: str, date_field: str | None) -> ColumnElement[Any]:
        """The raw value a group-by groups on (ids for stages, owners, teams and accounts)."""
        if name == "stage":
            return Deal.stage_id
        if name == "status":
            if self.source.object == "deals":
                return self.deal_status()
            return self.model.status  # type: ignore[no-any-return]
        if name == "owner":
            return self.owner_id()
        if name == "team":
            return self.owner().team_id  # type: ignore[no-any-return]
        if name == "account":
            return self.id if self.model is Account else self.model.account_id  # type: ignore[no-any-return]
        if name == "contact":
            return Deal.primary_contact_id if self.model is Deal else Activity.contact_id
        if name in ("industry", "region"):
            return func.coalesce(getattr(self.account(), name), "(none)")
        if name == "source":
            column = Deal.lead_source if self.model is Deal else Lead.source
            return func.coalesce(column, "(none)")
        if name == "type":
            return Activity.type
        if name == "currency":
            return Deal.currency
        if name in ("month", "quarter", "year"):
            return bucket(self.date(date_field), name)  # type: ignore[arg-type]
        raise KeyError(name)

    def missing(self, name: str) -> ColumnElement[bool]:
        if name == "primary_contact":
            return Deal.primary_contact_id.is_(None)
        if name == "next_step":
            return or_(Deal.next_step.is_(None), func.trim(Deal.next_step) == "")
        if name == "close_date":
            return Deal.close_date.is_(None)
        if name == "amount":
            return or_(Deal.amount.is_(None), Deal.amount == 0)
        if name == "activity":
            return self.last_activity().is_(None)
        if name in LOGGED_KINDS:
            return ~self.logged(name.removesuffix("_logged")).exists()
        if name in TASK_KINDS:
            tasks = self.logged("task").where(Activity.status == "open")
            if name == "overdue_task":
                tasks = tasks.where(Activity.due_date < self.today)
            return ~tasks.exists()
        if name in ("email", "phone", "title"):
            column = getattr(self.model, name)
            return or_(column.is_(None), column == "")
        if name == "industry":
            return or_(Account.industry.is_(None), Account.industry == "")
        if name == "contact":
            return ~select(Contact.id).where(Contact.account_id == Account.id).exists()
        if name in ("deal", "open_deal"):
            deals = select(Deal.id).where(Deal.account_id == Account.id, scope_for(self.principal, Deal))
            if name == "open_deal":
                deal_stage = aliased(Stage)
                deals = deals.join(deal_stage, deal_stage.id == Deal.stage_id).where(deal_stage.is_closed.is_(False))
            return ~deals.exists()
        raise KeyError(name)

    def overdue(self) -> ColumnElement[bool]:
        if self.source.object == "tasks":
            return and_(Activity.status == "open", Activity.due_date < self.today)
        if self.source.object == "deals":
            return and_(self.stage().is_closed.is_(False), Deal.close_date < self.today)
        raise KeyError("overdue")

    def inactive(self, days: int, kinds: Sequence[str] = ()) -> ColumnElement[bool]:
        cutoff = day_start(self.today - timedelta(days=days))
        if self.model not in ACTIVITY_LINK:
            return literal(True)
        kind = Activity.type.in_(list(kinds)) if kinds else Activity.type != "task"
        recent = select(Activity.id).where(ACTIVITY_LINK[self.model] == self.id, Activity.occurred_at >= cutoff, kind)
        quiet = ~recent.correlate_except(Activity).exists()
        if self.source.object == "leads":
            return and_(quiet, Lead.created_at < cutoff)
        return quiet
