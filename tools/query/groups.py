"""A group-by in as few passes over the selected rows as the answer allows.

One grouped query gives the rows (a count of deals carries each group's amount in the same pass; a group-by on
accounts sends only the leading groups). The overall figure is added up from those rows where that is exact:
counts, minimums, maximums, medians, and sums of whole numbers or of PostgreSQL's exact decimals; averages,
rates and SQLite's floating-point sums, whose last digits depend on the order they are added in, are read with
a query of their own.
"""

from collections import defaultdict
from decimal import Decimal
from statistics import median
from typing import Any

from sqlalchemy import func
from sqlalchemy.orm import Session

from assistant.crm.models import User
from tools.query.engine import (
    MONEY,
    NATURAL_ORDER,
    Totals,
    aggregate,
    core_rows,
    group_rows,
    grouped,
    labels_for,
    median_groups,
    overall,
    totals_from,
)
from tools.query.filters import active_reps
from tools.query.sources import Selection
from tools.query.spec import QueryInput, QueryRow

Raw = list[tuple[tuple[Any, ...], Any, int]]
MANY_GROUPS = ("account", "contact")
"""Group-bys with a group for thousands of records: only the leading groups leave the database (grouped)."""


def grouped_rows(
    session: Session, selection: Selection, q: QueryInput, field: str | None
) -> tuple[list[QueryRow], Totals]:
    """The rows of a group-by and the overall figures; ``selection`` gets none of the group-by's joins."""
    assert q.group_by is not None
    grouping = selection.fork()
    date_field = q.filters.period.field if q.filters.period else None
    keys = [grouping.dimension(q.group_by, date_field)]
    if q.group_by in MANY_GROUPS:
        # account_id + 0 is the same value, but it keeps SQLite from walking the whole account_id index (every deal,
        # in or out of scope, row by row) to save sorting the groups; the scope's covering index is far cheaper.
        keys[0] = keys[0] + 0
    with_currency = field in MONEY and q.group_by != "currency"
    if with_currency:
        keys.append(grouping.dimension("currency", None))
    natural = q.group_by in NATURAL_ORDER and q.sort != "value" and q.order is None
    leaders = q.limit if q.limit and not natural and q.group_by in MANY_GROUPS else None
    currency_at = (1 if with_currency else 0) if field in MONEY else None
    if q.measure == "median":
        values = median_groups(session, grouping, q, field, keys)
        raw = [(key, float(median(v)), len(v)) for key, v in _in_key_order(values)]
        return group_rows(session, q, raw, with_currency), totals_from(q, field, _median_totals(values, currency_at))
    if q.object == "deals" and q.measure == "count" and not leaders:
        counts, amounts = _counts_and_amounts(session, grouping, keys[0])
        if q.group_by == "owner":
            idle = reps_without_rows(session, selection, q, {key[0] for key, _, _ in counts})
            counts += [((rep,), 0.0, 0) for rep in idle]
        rows = group_rows(session, q, counts, with_currency)
        _attach_amounts(session, q, amounts, rows)
        return rows, totals_from(q, field, [((), None, sum(count for _, _, count in counts))])
    exact = _key_ordered(grouped(session, grouping, q, field, keys, leaders))
    raw = [(key, float(value) if value is not None else None, count) for key, value, count in exact]
    if q.measure == "count" and q.group_by == "owner" and not with_currency:
        raw += [((rep,), 0.0, 0) for rep in reps_without_rows(session, selection, q, {key[0] for key, _, _ in raw})]
    rows = group_rows(session, q, raw, with_currency)
    if q.object == "deals" and (q.measure == "count" or (q.measure == "avg" and field == "amount")):
        sums = q.model_copy(update={"measure": "sum", "field": "amount"})
        currency = grouping.dimension("currency", None)
        _attach_amounts(session, q, aggregate(session, grouping, sums, "amount", [keys[0], currency]), rows)
    added = None if leaders else _added_up(session, q, exact, currency_at)
    return rows, totals_from(q, field, added) if added is not None else overall(session, selection, q, field)


def reps_without_rows(session: Session, selection: Selection, q: QueryInput, counted: set[Any]) -> list[int]:
    """The reps among the people the question covers (a team, named people, my team, everyone in sight) with
    nothing counted: "who hasn't logged a call" is answered by the rows of zero, so they must be there."""
    f = q.filters
    principal = selection.principal
    if f.owner == "me":
        return []
    team_ids = list(f.team_ids) or ([principal.team_id] if f.owner == "my_team" and principal.team_id else [])
    people = active_reps(team_ids)
    if f.owner_ids:
        people = people.where(User.id.in_(f.owner_ids))
    if f.exclude_owner_ids:
        people = people.where(User.id.not_in(f.exclude_owner_ids))
    visible = principal.visible_owner_ids
    return [i for i in session.scalars(people) if i not in counted and (visible is None or i in visible)]


def _counts_and_amounts(session: Session, grouping: Selection, key: Any) -> tuple[Raw, Raw]:
    """(deals per group, their amount per group and currency) in one pass."""
    currency, amount = grouping.dimension("currency", None), grouping.number("amount")
    query = grouping.query.with_only_columns(key, currency, func.count(), func.sum(amount), func.count(amount))
    counts: dict[Any, int] = {}
    amounts: Raw = []
    for group, code, count, total, priced in core_rows(session, query.group_by(key, currency)):
        counts[group] = counts.get(group, 0) + count
        amounts.append(((group, code), float(total) if total is not None else None, priced))
    counted = [((group,), float(count), count) for group, count in counts.items()]
    return _key_ordered(counted), _key_ordered(amounts)


def _attach_amounts(session: Session, q: QueryInput, amounts: Raw, rows: list[QueryRow]) -> None:
    """Counted deals: each group's total amount too (only when the groups are all in one currency)."""
    if len({k[1] for k, _, _ in amounts}) > 1:
        return
    assert q.group_by is not None
    labels = labels_for(session, q.group_by, [k[0] for k, _, _ in amounts])
    by_label = {labels.get(k[0], (str(k[0]), None, 0))[0]: (value, str(k[1])) for k, value, _ in amounts}
    for row in rows:
        if row.key in by_label:
            row.amount, row.currency = by_label[row.key]


def _median_totals(values: dict[tuple[Any, ...], list[float]], currency_at: int | None) -> Raw:
    merged: dict[tuple[Any, ...], list[float]] = defaultdict(list)
    for key, group in values.items():
        merged[(key[currency_at],) if currency_at is not None else ()].extend(group)
    return [(key, float(median(group)), len(group)) for key, group in _in_key_order(merged)]


def _added_up(session: Session, q: QueryInput, exact: Raw, currency_at: int | None) -> Raw | None:
    """The overall rows (per currency for amounts) added up from the groups' rows; None where that is not exact."""
    if q.measure not in ("count", "sum", "min", "max"):
        return None
    decimals = session.get_bind().dialect.supports_native_decimal
    if q.measure == "sum" and not all(_exact_number(v, decimals) for _, v, _ in exact):
        return None
    merged: dict[tuple[Any, ...], list[tuple[Any, int]]] = defaultdict(list)
    for key, value, count in exact:
        merged[(key[currency_at],) if currency_at is not None else ()].append((value, count))
    if not merged and currency_at is None:
        merged[()] = []
    added: Raw = []
    for key, parts in _in_key_order(merged):
        values = [v for v, _ in parts if v is not None]
        count = sum(c for _, c in parts)
        if q.measure == "count":
            value: Any = count
        elif not values:
            value = None
        else:
            value = {"sum": sum, "min": min, "max": max}[q.measure](values)
        added.append((key, float(value) if value is not None else None, count))
    return added


def _exact_number(value: Any, decimals: bool) -> bool:
    return value is None or isinstance(value, int) or (decimals and isinstance(value, Decimal))


def key_order(key: tuple[Any, ...]) -> tuple[tuple[bool, Any], ...]:
    """Keys ascending, none first: the order SQLite lists a GROUP BY's groups in, so that groups tied on value
    come out in the same order on both databases, however the rows were read."""
    return tuple((k is not None, k) for k in key)


def _key_ordered(raw: Raw) -> Raw:
    return sorted(raw, key=lambda row: key_order(row[0]))


def _in_key_order(merged: dict[tuple[Any, ...], Any]) -> list[tuple[tuple[Any, ...], Any]]:
    return sorted(merged.items(), key=lambda item: key_order(item[0]))
