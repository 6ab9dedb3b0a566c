"""Facts about the CRM, given literally or as a small query evaluated at run time.

A query is data, never code:

    {count: deals, where: {owner: me, status: open}}
    {sum: deals.amount, where: {team: West, status: open}}          # also avg, median, min, max
    {distinct: deals.account, where: {owner: me, status: open}}     # how many different values
    {value: deals.name, where: {owner: me, status: open}, order_by: -amount}
    {list: accounts.name, where: {owner: me}, limit: 5}
    {sum: deals.amount, where: {status: open}, scope: me, by: stage}                   # group-by
    {sum: deals.amount, where: {status: open}, by: account, order_by: -value, limit: 3, show: keys}
    {avg: deals.days_to_close, where: {status: won}, by: owner_name, order_by: value, limit: 1, show: keys}
    {named: weighted_pipeline, args: {owner: me}}

`where` compares fields by equality, or with one operator: {gt|gte|lt|lte|ne|in|not_in|contains|is_null: ...}.
`me` means the case's user; `today`, `today+30d`, `today-14d` are dates on the run's fixed clock.
`scope: me` restricts rows to what the case's user may see (the product's own access rules).
`by` groups (a field, or `DATE_FIELD:month|quarter|year`) and gives a flat list of group labels and
values (`show: keys|values|both`), ordered by `order_by` (`value`, `-value`, `key`, `-key`) and cut to
`limit` groups, ties with the last kept group included. See evals/grouped.py.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, model_validator
from sqlalchemy import ColumnElement, DateTime, and_, func, select
from sqlalchemy.orm import Session

from assistant.crm.access import scope_for
from assistant.crm.models import Channel, User
from assistant.crm.principal import Principal, principal_for
from evals.answers import appears, normalise, numbers_in
from evals.entities import COMPUTED, ENTITIES, ENTITY_FIELDS, SQL_FIELDS, EntitySpec
from evals.grouped import PERIODS, aggregate_rows, split_by

__all__ = [
    "ENTITIES",
    "ENTITY_FIELDS",
    "EntitySpec",
    "Query",
    "QueryContext",
    "appears",
    "evaluate",
    "named_query",
    "normalise",
    "numbers_in",
    "resolve",
    "resolve_value",
]

AGGREGATES = ("count", "sum", "avg", "median", "min", "max", "distinct", "value", "list", "named")
OPERATORS = ("eq", "ne", "gt", "gte", "lt", "lte", "in", "not_in", "contains", "is_null")
PEOPLE_FIELDS = {"owner", "author", "actor", "user"}


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
    median: str | None = None
    min: str | None = None
    distinct: str | None = None
    max: str | None = None
    value: str | None = None
    list: str | None = None
    named: str | None = None
    args: dict[str, Any] = {}
    where: dict[str, Any] = {}
    scope: str = "all"
    order_by: str | None = None
    limit: int | None = None
    by: str | None = None
    """group by this field (or DATE_FIELD:month|quarter|year): the value is a list of labels and values"""
    show: Literal["both", "keys", "values"] = "both"
    """for grouped facts: state group labels, values, or both"""
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
        fields, sql_fields = ENTITY_FIELDS[entity], SQL_FIELDS[entity]
        if key == "count" and column:
            raise ValueError("count takes an entity name only, e.g. {count: deals}")
        if key != "count" and column not in fields:
            raise ValueError(f"{key}: {target!r} needs entity.field with a field of {entity}: {sorted(fields)}")
        if key in ("value", "list") and column not in sql_fields:
            raise ValueError(f"{key}: {column!r} is computed; use it as a measure (sum, avg, median, min, max)")
        for name, condition in self.where.items():
            if name not in sql_fields:
                raise ValueError(f"where: unknown field {name!r} for {entity}; known: {sorted(sql_fields)}")
            if isinstance(condition, dict):
                unknown = set(condition) - set(OPERATORS)
                if unknown:
                    raise ValueError(f"where.{name}: unknown operator {sorted(unknown)}; known: {OPERATORS}")
        if self.by is not None:
            self._check_grouping(key, entity, sql_fields)
        elif self.order_by and self.order_by.lstrip("-") not in sql_fields:
            raise ValueError(f"order_by: unknown field {self.order_by!r} for {entity}")
        return self

    def _check_grouping(self, key: str, entity: str, sql_fields: set[str]) -> None:
        if key in ("value", "list"):
            raise ValueError("by: groups need a measure (count, sum, avg, median, min, max, distinct)")
        field, period = split_by(str(self.by))
        if field not in sql_fields:
            raise ValueError(f"by: unknown field {field!r} for {entity}; known: {sorted(sql_fields)}")
        if period is not None and period not in PERIODS:
            raise ValueError(f"by: unknown period {period!r}; known: {PERIODS}")
        if self.order_by and self.order_by.lstrip("-") not in ("value", "key"):
            raise ValueError("order_by: a grouped fact orders by value, -value, key or -key")

    @property
    def in_python(self) -> bool:
        """Median, group-by and computed measures are worked out over the selected rows (evals/grouped.py)."""
        column = str(getattr(self, self.aggregate)).partition(".")[2]
        computed = column in COMPUTED.get(self.entity, {})
        return self.by is not None or self.aggregate in ("median", "distinct") or computed

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


def _whole_day(column: ColumnElement[Any], value: Any) -> bool:
    """A date bound on a date-and-time field: "up to 31 Oct" takes in all of 31 Oct."""
    return isinstance(value, date) and not isinstance(value, datetime) and isinstance(column.type, DateTime)


def _condition(column: ColumnElement[Any], condition: Any, field: str, context: QueryContext) -> ColumnElement[bool]:
    if not isinstance(condition, dict):
        value = resolve_value(condition, field, context)
        if isinstance(value, str):
            return func.lower(column) == value.lower()
        return column == value
    parts: list[ColumnElement[bool]] = []
    for operator, raw in condition.items():
        value = resolve_value(raw, field, context)
        if operator in ("lte", "gt") and _whole_day(column, value):
            operator, value = ("lt" if operator == "lte" else "gte"), value + timedelta(days=1)
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
    if query.in_python:
        return _in_python(query, base, fields, context)
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


def _in_python(query: Query, base: Any, fields: dict[str, ColumnElement[Any]], context: QueryContext) -> Any:
    names = list(fields)
    rows = [
        {name: _plain(value) for name, value in zip(names, row, strict=True)}
        for row in context.session.execute(base.with_only_columns(*[fields[name] for name in names]))
    ]
    for name, compute in COMPUTED.get(query.entity, {}).items():
        for row in rows:
            row[name] = compute(row)
    column = str(getattr(query, query.aggregate)).partition(".")[2] or None
    return aggregate_rows(rows, query.aggregate, column, query.by, query.show, query.order_by, query.limit)


def _scope_principal(scope: str, context: QueryContext) -> Principal:
    if scope.lower() == "me":
        return context.principal
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


from evals import named_queries, named_signals  # noqa: E402,F401  (registers the named queries)
