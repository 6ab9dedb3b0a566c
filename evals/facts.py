"""Facts about the CRM, given literally or as a small query evaluated at run time, and how they show in text.

A query is data, never code:

    {count: deals, where: {owner: me, status: open}}
    {sum: deals.amount, where: {team: West, status: open}}
    {value: deals.name, where: {owner: me, status: open}, order_by: -amount}
    {list: accounts.name, where: {owner: me}, limit: 5}
    {named: weighted_pipeline, args: {owner: me}}

`where` compares fields by equality, or with one operator: {gt|gte|lt|lte|ne|in|not_in|contains|is_null: ...}.
`me` means the case's user; `today`, `today+30d`, `today-14d` are dates on the run's fixed clock.
`scope: me` restricts rows to what the case's user may see (the product's own access rules).
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, model_validator
from sqlalchemy import ColumnElement, Select, and_, case, func, literal, select
from sqlalchemy.orm import Session, aliased

from assistant.crm.access import scope_for
from assistant.crm.models import (
    Account,
    Activity,
    AuditEntry,
    Contact,
    Deal,
    Lead,
    PendingAction,
    Pipeline,
    Stage,
    Team,
    User,
)
from assistant.crm.principal import Principal

AGGREGATES = ("count", "sum", "avg", "min", "max", "value", "list", "named")
OPERATORS = ("eq", "ne", "gt", "gte", "lt", "lte", "in", "not_in", "contains", "is_null")
PEOPLE_FIELDS = {"owner", "author", "actor", "user"}


@dataclass(frozen=True)
class EntitySpec:
    model: type
    base: Callable[[], tuple[Select[Any], dict[str, ColumnElement[Any]]]]


def _deals() -> tuple[Select[Any], dict[str, ColumnElement[Any]]]:
    owner, account, stage, pipeline, team = (
        aliased(User),
        aliased(Account),
        aliased(Stage),
        aliased(Pipeline),
        aliased(Team),
    )
    status = case((stage.is_closed.is_(False), "open"), (stage.is_won.is_(True), "won"), else_="lost")
    fields = {
        "id": Deal.id,
        "name": Deal.name,
        "amount": Deal.amount,
        "currency": Deal.currency,
        "stage": stage.name,
        "probability": stage.probability,
        "status": status,
        "pipeline": pipeline.name,
        "owner": owner.email,
        "owner_name": owner.name,
        "team": team.name,
        "account": account.name,
        "account_id": Deal.account_id,
        "close_date": Deal.close_date,
        "next_step": Deal.next_step,
        "lead_source": Deal.lead_source,
        "created_at": Deal.created_at,
        "closed_at": Deal.closed_at,
    }
    query = (
        select(Deal)
        .join(owner, owner.id == Deal.owner_id)
        .join(account, account.id == Deal.account_id)
        .join(stage, stage.id == Deal.stage_id)
        .join(pipeline, pipeline.id == Deal.pipeline_id)
        .outerjoin(team, team.id == owner.team_id)
    )
    return query, fields


def _accounts() -> tuple[Select[Any], dict[str, ColumnElement[Any]]]:
    owner, team = aliased(User), aliased(Team)
    fields = {
        "id": Account.id,
        "name": Account.name,
        "domain": Account.domain,
        "industry": Account.industry,
        "region": Account.region,
        "employees": Account.employees,
        "owner": owner.email,
        "owner_name": owner.name,
        "team": team.name,
    }
    query = select(Account).join(owner, owner.id == Account.owner_id).outerjoin(team, team.id == owner.team_id)
    return query, fields


def _contacts() -> tuple[Select[Any], dict[str, ColumnElement[Any]]]:
    owner, account = aliased(User), aliased(Account)
    fields = {
        "id": Contact.id,
        "name": Contact.first_name + literal(" ") + Contact.last_name,
        "first_name": Contact.first_name,
        "last_name": Contact.last_name,
        "title": Contact.title,
        "email": Contact.email,
        "phone": Contact.phone,
        "account": account.name,
        "account_id": Contact.account_id,
        "owner": owner.email,
    }
    query = (
        select(Contact).join(owner, owner.id == Contact.owner_id).outerjoin(account, account.id == Contact.account_id)
    )
    return query, fields


def _leads() -> tuple[Select[Any], dict[str, ColumnElement[Any]]]:
    owner, team = aliased(User), aliased(Team)
    fields = {
        "id": Lead.id,
        "name": Lead.first_name + literal(" ") + Lead.last_name,
        "company": Lead.company,
        "title": Lead.title,
        "email": Lead.email,
        "source": Lead.source,
        "status": Lead.status,
        "score": Lead.score,
        "owner": owner.email,
        "owner_name": owner.name,
        "team": team.name,
        "created_at": Lead.created_at,
        "converted_at": Lead.converted_at,
    }
    query = select(Lead).join(owner, owner.id == Lead.owner_id).outerjoin(team, team.id == owner.team_id)
    return query, fields


def _activities() -> tuple[Select[Any], dict[str, ColumnElement[Any]]]:
    author, account, deal, contact = aliased(User), aliased(Account), aliased(Deal), aliased(Contact)
    fields = {
        "id": Activity.id,
        "type": Activity.type,
        "subject": Activity.subject,
        "body": Activity.body,
        "occurred_at": Activity.occurred_at,
        "due_date": Activity.due_date,
        "status": Activity.status,
        "account": account.name,
        "account_id": Activity.account_id,
        "deal": deal.name,
        "deal_id": Activity.deal_id,
        "contact": contact.first_name + literal(" ") + contact.last_name,
        "author": author.email,
        "author_name": author.name,
        "created_at": Activity.created_at,
    }
    query = (
        select(Activity)
        .join(author, author.id == Activity.author_id)
        .outerjoin(account, account.id == Activity.account_id)
        .outerjoin(deal, deal.id == Activity.deal_id)
        .outerjoin(contact, contact.id == Activity.contact_id)
    )
    return query, fields


def _users() -> tuple[Select[Any], dict[str, ColumnElement[Any]]]:
    team = aliased(Team)
    fields = {"id": User.id, "name": User.name, "email": User.email, "role": User.role, "team": team.name}
    return select(User).outerjoin(team, team.id == User.team_id), fields


def _audit() -> tuple[Select[Any], dict[str, ColumnElement[Any]]]:
    actor = aliased(User)
    fields = {
        "id": AuditEntry.id,
        "actor": actor.email,
        "channel": AuditEntry.channel,
        "action": AuditEntry.action,
        "entity_type": AuditEntry.entity_type,
        "entity_id": AuditEntry.entity_id,
        "at": AuditEntry.at,
    }
    return select(AuditEntry).outerjoin(actor, actor.id == AuditEntry.actor_id), fields


def _pending() -> tuple[Select[Any], dict[str, ColumnElement[Any]]]:
    person = aliased(User)
    fields = {
        "id": PendingAction.id,
        "kind": PendingAction.kind,
        "status": PendingAction.status,
        "channel": PendingAction.channel,
        "user": person.email,
    }
    return select(PendingAction).join(person, person.id == PendingAction.user_id), fields


ENTITIES: dict[str, EntitySpec] = {
    "deals": EntitySpec(Deal, _deals),
    "accounts": EntitySpec(Account, _accounts),
    "contacts": EntitySpec(Contact, _contacts),
    "leads": EntitySpec(Lead, _leads),
    "activities": EntitySpec(Activity, _activities),
    "users": EntitySpec(User, _users),
    "audit": EntitySpec(AuditEntry, _audit),
    "pending_actions": EntitySpec(PendingAction, _pending),
}
ENTITY_FIELDS: dict[str, set[str]] = {name: set(spec.base()[1]) for name, spec in ENTITIES.items()}


@dataclass(frozen=True)
class QueryContext:
    """What `me`, `today` and `scope: me` mean for one case."""

    session: Session
    principal: Principal
    today: date


NamedQuery = Callable[[QueryContext, dict[str, Any]], Any]
NAMED_QUERIES: dict[str, NamedQuery] = {}


def named_query(name: str) -> Callable[[NamedQuery], NamedQuery]:
    """Register a SQLAlchemy query function usable as `{named: NAME, args: {...}}` in cases."""

    def register(fn: NamedQuery) -> NamedQuery:
        NAMED_QUERIES[name] = fn
        return fn

    return register


class Query(BaseModel):
    """One fact computed from the CRM at run time; exactly one aggregate key is given."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    count: str | None = None
    sum: str | None = None
    avg: str | None = None
    min: str | None = None
    max: str | None = None
    value: str | None = None
    list: str | None = None
    named: str | None = None
    args: dict[str, Any] = {}
    where: dict[str, Any] = {}
    scope: str = "all"
    order_by: str | None = None
    limit: int | None = None
    match: Literal["all", "any"] = "all"
    """for list facts in answers: every value must appear, or at least one"""

    @model_validator(mode="after")
    def _check(self) -> "Query":
        given = [key for key in AGGREGATES if getattr(self, key) is not None]
        if len(given) != 1:
            raise ValueError(f"give exactly one of {', '.join(AGGREGATES)} (got {given or 'none'})")
        key = given[0]
        if key == "named":
            if self.named not in NAMED_QUERIES:
                raise ValueError(f"unknown named query {self.named!r}; known: {', '.join(sorted(NAMED_QUERIES))}")
            return self
        target = getattr(self, key)
        entity, _, column = target.partition(".")
        if entity not in ENTITIES:
            raise ValueError(f"unknown entity {entity!r} in {key}; known: {', '.join(ENTITIES)}")
        fields = ENTITY_FIELDS[entity]
        if key == "count" and column:
            raise ValueError("count takes an entity name only, e.g. {count: deals}")
        if key != "count" and column not in fields:
            raise ValueError(f"{key}: {target!r} needs entity.field with a field of {entity}: {sorted(fields)}")
        for name, condition in self.where.items():
            if name not in fields:
                raise ValueError(f"where: unknown field {name!r} for {entity}; known: {sorted(fields)}")
            if isinstance(condition, dict):
                unknown = set(condition) - set(OPERATORS)
                if unknown:
                    raise ValueError(f"where.{name}: unknown operator {sorted(unknown)}; known: {OPERATORS}")
        if self.order_by and self.order_by.lstrip("-") not in fields:
            raise ValueError(f"order_by: unknown field {self.order_by!r} for {entity}")
        return self

    @property
    def aggregate(self) -> str:
        return next(key for key in AGGREGATES if getattr(self, key) is not None)

    @property
    def entity(self) -> str:
        return str(getattr(self, self.aggregate)).partition(".")[0]


_RELATIVE_DATE = re.compile(r"^(today|now)\s*([+-])\s*(\d+)\s*d$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def resolve_value(value: Any, field: str, context: QueryContext) -> Any:
    """`me` becomes the case user's email on people fields; `today±Nd` becomes a date."""
    if isinstance(value, list):
        return [resolve_value(item, field, context) for item in value]
    if not isinstance(value, str):
        return value
    text = value.strip().lower()
    if text == "me" and field in PEOPLE_FIELDS:
        return context.principal.email
    if text in {"today", "now"}:
        return context.today
    if _ISO_DATE.match(text):
        return date.fromisoformat(text)
    match = _RELATIVE_DATE.match(text)
    if match:
        days = int(match.group(3)) * (1 if match.group(2) == "+" else -1)
        return context.today + timedelta(days=days)
    return value


def _condition(column: ColumnElement[Any], condition: Any, field: str, context: QueryContext) -> ColumnElement[bool]:
    if not isinstance(condition, dict):
        value = resolve_value(condition, field, context)
        if isinstance(value, str):
            return func.lower(column) == value.lower()
        return column == value
    parts: list[ColumnElement[bool]] = []
    for operator, raw in condition.items():
        value = resolve_value(raw, field, context)
        if operator == "eq":
            parts.append(column == value)
        elif operator == "ne":
            parts.append(column != value)
        elif operator == "gt":
            parts.append(column > value)
        elif operator == "gte":
            parts.append(column >= value)
        elif operator == "lt":
            parts.append(column < value)
        elif operator == "lte":
            parts.append(column <= value)
        elif operator == "in":
            parts.append(column.in_(value))
        elif operator == "not_in":
            parts.append(column.not_in(value))
        elif operator == "contains":
            parts.append(func.lower(column).contains(str(value).lower()))
        elif operator == "is_null":
            parts.append(column.is_(None) if value else column.is_not(None))
    return and_(*parts)


def evaluate(query: Query, context: QueryContext) -> Any:
    """The query's value against this case's database, as the case's user and day define it."""
    if query.named:
        return NAMED_QUERIES[query.named](context, query.args)
    spec = ENTITIES[query.entity]
    base, fields = spec.base()
    for name, condition in query.where.items():
        base = base.where(_condition(fields[name], condition, name, context))
    if query.scope != "all":
        base = base.where(scope_for(_scope_principal(query.scope, context), spec.model))
    aggregate = query.aggregate
    if aggregate == "count":
        return context.session.scalar(select(func.count()).select_from(base.subquery())) or 0
    column = fields[str(getattr(query, aggregate)).partition(".")[2]]
    if aggregate in {"sum", "avg", "min", "max"}:
        function = getattr(func, aggregate)
        result = context.session.execute(base.with_only_columns(function(column))).scalar()
        if aggregate == "sum" and result is None:
            return 0
        return _plain(result)
    ordered = base.with_only_columns(column)
    if query.order_by:
        key = fields[query.order_by.lstrip("-")]
        ordered = ordered.order_by(key.desc() if query.order_by.startswith("-") else key.asc())
    ordered = ordered.order_by(spec.model.id)  # type: ignore[attr-defined]
    if aggregate == "value":
        return _plain(context.session.execute(ordered.limit(1)).scalar())
    if query.limit:
        ordered = ordered.limit(query.limit)
    return [_plain(item) for item in context.session.execute(ordered).scalars()]


def _scope_principal(scope: str, context: QueryContext) -> Principal:
    if scope.lower() == "me":
        return context.principal
    from assistant.crm.models import Channel
    from assistant.crm.principal import principal_for

    user = context.session.scalars(select(User).where(func.lower(User.email) == scope.lower())).one()
    return principal_for(context.session, user, Channel.api)


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    return value


def resolve(fact: Any, context: QueryContext) -> Any:
    """A literal stays as it is; a query (dict or Query) becomes its value."""
    if isinstance(fact, Query):
        return evaluate(fact, context)
    if isinstance(fact, dict) and any(key in fact for key in AGGREGATES):
        return evaluate(Query.model_validate(fact), context)
    return fact


# ---- how a value shows in an answer ----

_NUMBER = re.compile(r"(?<![\w.])[-+]?\$?\s?(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?\s?(k|m|bn|b|%)?(?![\w])", re.IGNORECASE)
_SCALE = {"k": 1e3, "m": 1e6, "b": 1e9, "bn": 1e9, "%": 1.0, "": 1.0}
_WORDS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"]


def numbers_in(text: str) -> list[tuple[float, float]]:
    """Each number written in the text with its precision: '$1.2M' -> (1_200_000, 50_000)."""
    found = []
    for match in _NUMBER.finditer(text):
        whole, fraction, suffix = match.group(1), match.group(2) or "", (match.group(3) or "").lower()
        scale = _SCALE[suffix]
        value = float(whole.replace(",", "") + fraction) * scale
        unit = 10 ** -(len(fraction) - 1) if fraction else 1.0
        found.append((value, unit * scale / 2))
    return found


def _date_forms(day: date) -> list[str]:
    month, short = day.strftime("%B"), day.strftime("%b")
    return [
        day.isoformat(),
        f"{month} {day.day}",
        f"{short} {day.day}",
        f"{day.day} {month}",
        f"{day.day} {short}",
        f"{day.month}/{day.day}/{day.year}",
    ]


def normalise(text: str) -> str:
    return " ".join(text.replace("\u2019", "'").replace("\u2013", "-").replace("\u2014", "-").lower().split())


def appears(value: Any, text: str, match: str = "all") -> bool:
    """Whether a fact's value is stated in the text (numbers within the precision they are written with)."""
    if isinstance(value, list):
        if not value:
            return True
        results = [appears(item, text) for item in value]
        return all(results) if match == "all" else any(results)
    if value is None:
        return False
    if isinstance(value, bool):
        return str(value).lower() in normalise(text)
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        lowered = normalise(text)
        return any(form.lower() in lowered for form in _date_forms(value))
    if isinstance(value, int | float | Decimal):
        target = float(value)
        if target.is_integer() and 0 <= target < len(_WORDS) and re.search(rf"\b{_WORDS[int(target)]}\b", text, re.I):
            return True
        return any(
            abs(number - target) <= max(tolerance, 1e-9 + abs(target) * 1e-9) for number, tolerance in numbers_in(text)
        )
    return normalise(str(value)) in normalise(text)


from evals import named_queries  # noqa: E402,F401  (registers the named queries)
