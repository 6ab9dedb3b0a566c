"""The parts of running a query: a selection with its filters, SQL aggregates per group, labelled rows."""

from collections import defaultdict
from collections.abc import Callable
from statistics import median
from typing import Any, TypeVar

from sqlalchemy import Float, Result, Select, case, cast, func, select
from sqlalchemy.orm import Session

from assistant.crm.deps import Deps
from assistant.crm.errors import ValidationFailed
from assistant.crm.models import Account, Contact, Lead, Stage, Team, User
from assistant.crm.schemas.chat import RecordRef
from tools.query.filters import apply_filters
from tools.query.sources import SOURCES, Selection, Source
from tools.query.spec import CurrencyTotal, QueryFilters, QueryInput, QueryResultPublic, QueryRow

AMOUNT_MEASURES = ("sum", "avg", "median", "min", "max")
MONEY = ("amount", "weighted_amount")
LEADING_ROWS = 2
RATES = ("win_rate", "conversion_rate")


def rate_hits(rate: float | None, count: int) -> int | None:
    """How many of ``count`` records a percentage rate stands for (won or converted); None without a rate."""
    return round(float(rate) * count / 100) if rate is not None else None


"""A group-by that shows its first n groups reads the best LEADING_ROWS * n; all of them only when those tie on."""
NATURAL_ORDER = ("stage", "month", "quarter", "year", "status")

Row = TypeVar("Row")


def check(q: QueryInput, source: Source) -> str | None:
    """The numeric field the measure reads (None for counts and rates); refuses combinations that mean nothing."""
    if q.measure == "win_rate" and source.object != "deals":
        raise ValidationFailed("measure", "win_rate is measured on deals (won / closed)")
    if q.measure == "conversion_rate" and source.object != "leads":
        raise ValidationFailed("measure", "conversion_rate is measured on leads (converted / all)")
    if q.group_by is not None and q.group_by not in source.dimensions:
        raise ValidationFailed(
            "group_by", f"{source.plural} can be grouped by {', '.join(source.dimensions)}, not {q.group_by!r}"
        )
    if q.measure == "distinct" and q.group_by is None:
        raise ValidationFailed("group_by", "distinct counts the different values of group_by; name one")
    if q.measure not in AMOUNT_MEASURES:
        return None
    field = q.field or ("amount" if source.object == "deals" else None)
    if field is None or field not in source.numbers:
        numbers = ", ".join(source.numbers) or "none"
        raise ValidationFailed("field", f"{q.measure} of {source.plural} needs a number field: {numbers}")
    return field


def selection_for(deps: Deps, q: QueryInput, filters: QueryFilters) -> tuple[Selection, list[str]]:
    selection = Selection(SOURCES[q.object], deps.principal, deps.clock.today())
    dropped = filters.status if q.measure == "win_rate" and filters.status not in (None, "closed") else None
    if dropped is not None:
        filters = filters.model_copy(update={"status": None})
    notes = apply_filters(selection, deps.session, filters)
    if dropped is not None:
        notes.append(f"the win rate counts won and lost deals, so the '{dropped}' filter was not applied")
    if q.measure == "win_rate" and filters.status is None:
        selection.where(selection.stage().is_closed.is_(True))
    return selection, notes


def _value_columns(selection: Selection, q: QueryInput, field: str | None) -> list[Any]:
    """SQL expressions for (value, count) of the measure over the selected rows."""
    count = func.count()
    if q.measure == "win_rate":
        won = func.sum(case((selection.stage().is_won.is_(True), 1), else_=0))
        return [100.0 * cast(won, Float) / func.nullif(count, 0), count]
    if q.measure == "conversion_rate":
        converted = func.sum(case((Lead.status == "converted", 1), (Lead.converted_at.is_not(None), 1), else_=0))
        return [100.0 * cast(converted, Float) / func.nullif(count, 0), count]
    if q.measure in ("count", "list", "distinct"):
        return [count, count]
    assert field is not None
    number = selection.number(field)
    if q.measure == "median":
        return [number, count]
    aggregate = {"sum": func.sum, "avg": func.avg, "min": func.min, "max": func.max}[q.measure]
    return [aggregate(number), func.count(number)]


def median_groups(
    session: Session, selection: Selection, q: QueryInput, field: str | None, keys: list[Any]
) -> dict[tuple[Any, ...], list[float]]:
    """Every value of ``field`` per group of ``keys``, for medians (SQLite has no median aggregate)."""
    value, _ = _value_columns(selection, q, field)
    query = selection.query.with_only_columns(*keys, value).where(value.is_not(None))
    groups: dict[tuple[Any, ...], list[float]] = defaultdict(list)
    for row in core_rows(session, query):
        groups[tuple(row[:-1])].append(float(row[-1]))
    return groups


def grouped(
    session: Session,
    selection: Selection,
    q: QueryInput,
    field: str | None,
    keys: list[Any],
    leaders: int | None = None,
) -> list[tuple[tuple[Any, ...], Any, int]]:
    """(group key values, value as the database returns it, count) per group of ``keys``; with ``leaders``, only
    the groups that can be among the first ``leaders`` by value once values are rounded, or tied with the last of
    them (``_leaders`` picks the same groups from these as from all), so a group-by over thousands of accounts
    sends a few dozen rows instead of every group."""
    value, count = _value_columns(selection, q, field)
    query = selection.query.with_only_columns(*keys, value, count)
    if keys:
        query = query.group_by(*keys)
    if keys and leaders:
        descending = q.order != "asc"
        best = query.order_by(value.desc().nulls_last() if descending else value.asc().nulls_last())
        rows = _group_rows(session, best.limit(LEADING_ROWS * leaders))
        if _all_contenders(rows, leaders, LEADING_ROWS * leaders, _step(q), descending):
            return rows
    return _group_rows(session, query)


def _group_rows(session: Session, query: Select[Any]) -> list[tuple[tuple[Any, ...], Any, int]]:
    return [(tuple(row[:-2]), row[-2], int(row[-1] or 0)) for row in core_rows(session, query)]


def _all_contenders(
    rows: list[tuple[tuple[Any, ...], Any, int]], leaders: int, fetched: int, step: float, descending: bool
) -> bool:
    """Whether the best ``fetched`` groups hold every group within two rounding ``step``s of the ``leaders``-th:
    they do when there are no more groups, or when the last one fetched is further off (or has no value)."""
    if len(rows) < fetched:
        return True
    cutoff, last = rows[leaders - 1][1], rows[-1][1]
    if cutoff is None:
        return False
    if last is None:
        return True
    return float(last) < float(cutoff) - 2 * step if descending else float(last) > float(cutoff) + 2 * step


def core_rows(session: Session, query: Select[Any]) -> Result[Any]:
    """The rows of a column query without the ORM's per-row processing (half the time for 10k rows), after the
    flush Session.execute would make first."""
    if session.autoflush:
        session.flush()
    return session.connection().execute(query)


def aggregate(
    session: Session, selection: Selection, q: QueryInput, field: str | None, keys: list[Any]
) -> list[tuple[tuple[Any, ...], float | None, int]]:
    """(group key values, value, count) per group of ``keys`` (no keys: one row for everything)."""
    if q.measure == "median":
        groups = median_groups(session, selection, q, field, keys)
        return [(key, float(median(values)), len(values)) for key, values in groups.items()]
    raw = grouped(session, selection, q, field, keys)
    return [(key, float(value) if value is not None else None, count) for key, value, count in raw]


def _step(q: QueryInput) -> float:
    """How far apart two values can be and still round to the same figure (see rounded)."""
    if q.measure in ("count", "distinct", "list"):
        return 1.0
    return 0.1 if q.measure in ("win_rate", "conversion_rate") or q.field not in MONEY else 0.01


def labels_for(session: Session, dimension: str, values: list[Any]) -> dict[Any, tuple[str, RecordRef | None, int]]:
    """A readable label, a record link and a natural sort position for each raw group value."""
    ids = [v for v in values if v is not None]
    if dimension == "stage":
        stages = session.execute(select(Stage.id, Stage.name, Stage.position).where(Stage.id.in_(ids)))
        return {i: (name, None, position) for i, name, position in stages}
    if dimension == "owner":
        users = session.execute(select(User.id, User.name).where(User.id.in_(ids)))
        return {i: (name, RecordRef(type="user", id=i, name=name), 0) for i, name in users}
    if dimension == "team":
        teams = session.execute(select(Team.id, Team.name).where(Team.id.in_(ids)))
        found = {i: (name, None, 0) for i, name in teams}
        found[None] = ("(no team)", None, 0)
        return found
    if dimension == "account":
        accounts = session.execute(select(Account.id, Account.name).where(Account.id.in_(ids)))
        found = {i: (name, RecordRef(type="account", id=i, name=name), 0) for i, name in accounts}
        found[None] = ("(no account)", None, 0)
        return found
    if dimension == "contact":
        named = (
            select(Contact.id, Contact.first_name, Contact.last_name, Account.name)
            .outerjoin(Account, Account.id == Contact.account_id)
            .where(Contact.id.in_(ids))
        )
        found = {}
        for i, first, last, account in session.execute(named):
            name = f"{first} {last}".strip()
            label = f"{name} ({account})" if account else name  # two people of one name stay apart
            found[i] = (label, RecordRef(type="contact", id=i, name=name), 0)
        found[None] = ("(no contact)", None, 0)
        return found
    if dimension == "status":
        order = {"open": 0, "won": 1, "lost": 2}
        return {v: (str(v), None, order.get(str(v), 9)) for v in values}
    return {v: (str(v) if v is not None else "(none)", None, 0) for v in values}


def group_rows(
    session: Session, q: QueryInput, raw: list[tuple[tuple[Any, ...], float | None, int]], with_currency: bool
) -> list[QueryRow]:
    assert q.group_by is not None
    natural = q.group_by in NATURAL_ORDER and q.sort != "value" and q.order is None
    if not natural and q.limit and len(raw) > q.limit:
        raw = _leaders(raw, q)
    labels = labels_for(session, q.group_by, [key[0] for key, _, _ in raw])
    rows: list[tuple[int, QueryRow]] = []
    for key, value, count in raw:
        label, ref, position = labels.get(key[0], (str(key[0]), None, 0))
        currency = str(key[1]) if with_currency and len(key) > 1 else None
        hits = rate_hits(value, count) if q.measure in RATES else None
        row = QueryRow(key=label, value=rounded(value, q), count=count, currency=currency, ref=ref, hits=hits)
        rows.append((position, row))
    if natural:
        rows.sort(key=lambda pair: (pair[0], pair[1].key))
    else:
        descending = q.order != "asc"
        present = [pair for pair in rows if pair[1].value is not None]
        absent = [pair for pair in rows if pair[1].value is None]
        present.sort(key=lambda pair: (pair[1].value, pair[1].count), reverse=descending)
        rows = present + absent
    ordered = [row for _, row in rows]
    if not q.limit or natural or len(ordered) <= q.limit:
        return ordered
    return with_ties(ordered, q.limit, lambda row: row.value)


def _leaders(
    raw: list[tuple[tuple[Any, ...], float | None, int]], q: QueryInput
) -> list[tuple[tuple[Any, ...], float | None, int]]:
    """The first ``q.limit`` groups by value (and those tied with the last), before any is labelled: a group-by
    over thousands of accounts labels only the ones shown."""
    present = [row for row in raw if row[1] is not None]
    present.sort(key=lambda row: (rounded(row[1], q), row[2]), reverse=q.order != "asc")
    absent = [row for row in raw if row[1] is None]
    ordered = present + absent
    return with_ties(ordered, q.limit, lambda row: rounded(row[1], q))


def with_ties(ordered: list[Row], limit: int, value: Callable[[Row], Any]) -> list[Row]:
    """The first ``limit`` of an ordered list and every later one tied with the last kept (None ties nothing)."""
    kept = ordered[:limit]
    last = value(kept[-1]) if kept else None
    return kept + [row for row in ordered[limit:] if last is not None and value(row) == last]


def rounded(value: float | None, q: QueryInput) -> float | None:
    if value is None:
        return None
    if q.measure in ("count", "distinct", "list"):
        return float(int(value))
    money = q.field in ("amount", "weighted_amount")
    return round(value, 1 if q.measure in ("win_rate", "conversion_rate") or not money else 2)


Totals = tuple[float | None, int, str | None, list[CurrencyTotal]]
"""(value, count, currency, per-currency totals when there are several) of a measure over everything selected"""


def overall(session: Session, selection: Selection, q: QueryInput, field: str | None) -> Totals:
    if field in MONEY:
        return totals_from(q, field, aggregate(session, selection, q, field, [selection.dimension("currency", None)]))
    return totals_from(q, field, aggregate(session, selection, q, field, []))


def totals_from(q: QueryInput, field: str | None, raw: list[tuple[tuple[Any, ...], float | None, int]]) -> Totals:
    """The overall figures from ``raw``: one row per currency for amounts, else a single row (or none)."""
    if field in MONEY:
        totals = [CurrencyTotal(currency=str(k[0]), value=rounded(v, q), count=c) for k, v, c in raw if c]
        totals.sort(key=lambda t: -t.count)
        count = sum(t.count for t in totals)
        if len(totals) == 1:
            return totals[0].value, totals[0].count, totals[0].currency, []
        if not totals:
            return None, 0, None, []
        return None, count, None, totals
    value, count = (raw[0][1], raw[0][2]) if raw else (None, 0)
    if q.measure in ("count", "list"):
        value = float(count)
    return rounded(value, q), count, None, []


def distinct_values(session: Session, selection: Selection, q: QueryInput) -> QueryResultPublic:
    assert q.group_by is not None
    date_field = q.filters.period.field if q.filters.period else None
    key = selection.dimension(q.group_by, date_field)
    raw = aggregate(session, selection, q.model_copy(update={"measure": "count"}), None, [key])
    rows = group_rows(session, q.model_copy(update={"measure": "count"}), raw, False)
    total = sum(r.count for r in rows)
    result = QueryResultPublic(
        description="",
        object=q.object,
        measure="distinct",
        field=None,
        group_by=q.group_by,
        value=float(len(raw)),
        count=total,
        rows=rows,
    )
    return result
