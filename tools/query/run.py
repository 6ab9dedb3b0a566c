"""Running a QueryInput as SQL aggregates over what the person may see, the same on SQLite and PostgreSQL."""

from sqlalchemy import func
from sqlalchemy.orm import Session

from assistant.crm.deps import Deps
from assistant.crm.models import Deal
from tools.query.compare import run_comparison
from tools.query.describe import describe
from tools.query.engine import RATES, check, core_rows, distinct_values, overall, rate_hits, selection_for, totals_from
from tools.query.filters import hidden_owner_names
from tools.query.groups import grouped_rows, key_order
from tools.query.items import list_items, matched_refs
from tools.query.sources import SOURCES, Selection
from tools.query.spec import CurrencyTotal, QueryInput, QueryResultPublic, QueryRow

TOP_ITEMS = 10


def deal_amounts(session: Session, selection: Selection, q: QueryInput) -> list[CurrencyTotal]:
    """The total amount of the deals a list or a count covers, per currency (none for other objects)."""
    return deal_totals(session, selection, q)[1] if q.object == "deals" else []


def deal_totals(session: Session, selection: Selection, q: QueryInput) -> tuple[int, list[CurrencyTotal]]:
    """How many deals a list covers and their total amount per currency, in one pass over them."""
    sums = q.model_copy(update={"measure": "sum", "field": "amount"})
    per_currency = selection.query.with_only_columns(
        Deal.currency, func.count(), func.sum(Deal.amount), func.count(Deal.amount)
    ).group_by(Deal.currency)
    counted, priced = 0, []
    for code, count, total, with_amount in core_rows(session, per_currency):
        counted += count
        priced.append(((code,), float(total) if total is not None else None, with_amount))
    value, count, currency, by_currency = totals_from(sums, "amount", sorted(priced, key=lambda row: key_order(row[0])))
    single = [CurrencyTotal(currency=currency or "USD", value=value, count=count)] if count else []
    return counted, by_currency or single


def _groups_total(rows: list[QueryRow], count: int) -> list[CurrencyTotal]:
    """The deals of every group, all together, added up from the groups' own amounts when they are all there and in
    one currency (else nothing, and the caller sums the deals again)."""
    currencies = {row.currency for row in rows}
    whole = sum(row.count for row in rows) == count and all(row.amount is not None for row in rows)
    if not rows or not whole or len(currencies) != 1 or None in currencies:
        return []
    return [CurrencyTotal(currency=str(rows[0].currency), value=sum(row.amount or 0.0 for row in rows), count=count)]


def run_query(deps: Deps, q: QueryInput) -> QueryResultPublic:
    source = SOURCES[q.object]
    field = check(q, source)
    shown = q.field if q.measure == "list" and q.field in source.numbers else None
    q = q.model_copy(update={"field": field or shown})
    if q.compare is not None:
        return run_comparison(deps, q, field)
    selection, notes = selection_for(deps, q, q.filters)
    session = deps.session
    if q.measure == "list":
        counted, amounts = deal_totals(session, selection, q) if q.object == "deals" else (None, [])
        items, total, refs = list_items(session, selection, q, counted)
        result = QueryResultPublic(
            description="", object=q.object, measure="list", field=q.field, group_by=None, count=total, items=items
        )
        result.amounts = amounts
        result.records = refs
    elif q.measure == "distinct":
        result = distinct_values(session, selection, q)
        result.records = matched_refs(session, selection, q)
    elif q.group_by is not None:
        rows, (value, count, _, by_currency) = grouped_rows(session, selection, q, field)
        if q.group_min is not None:  # "accounts where I have more than one open deal"
            rows = [row for row in rows if row.value is not None and row.value >= q.group_min]
            if q.measure in ("sum", "count") and not by_currency:
                value, count = sum(row.value or 0 for row in rows), sum(row.count for row in rows)
        with_currency = field in ("amount", "weighted_amount") and q.group_by != "currency"
        if with_currency and len({r.currency for r in rows}) <= 1:
            currency = rows[0].currency if rows else None
        else:
            currency = None
        result = QueryResultPublic(
            description="",
            object=q.object,
            measure=q.measure,
            field=field,
            group_by=q.group_by,
            value=value,
            count=count,
            currency=currency,
            by_currency=by_currency,
            rows=rows,
        )
        if q.sort == "value":
            result.ranked = q.order or "desc"
        if q.measure in ("sum", "count") and value:
            for row in rows:
                if row.value is not None and (q.measure == "count" or (row.currency or currency) == currency):
                    row.share = round(100 * row.value / value, 1)
        group_refs = [r.ref for r in rows if r.ref is not None]
        result.records = group_refs + matched_refs(session, selection, q)
        if q.measure == "count" and q.object == "deals" and q.group_min is None and count:
            result.amounts = _groups_total(rows, count) or deal_amounts(session, selection, q)  # all together
    else:
        value, count, currency, by_currency = overall(session, selection, q, field)
        hits = rate_hits(value, count) if q.measure in RATES else None
        result = QueryResultPublic(
            description="",
            object=q.object,
            measure=q.measure,
            field=field,
            group_by=None,
            value=value,
            count=count,
            currency=currency,
            by_currency=by_currency,
            hits=hits,
            misses=count - hits if hits is not None else None,
        )
        result.records = matched_refs(session, selection, q)
        averaged = q.measure in ("avg", "median") and q.field in (None, "amount")  # "avg deal size … and the total"
        if (q.measure == "count" or q.field == "weighted_amount" or averaged) and count:
            result.amounts = deal_amounts(session, selection, q)
        if q.object == "deals" and count and q.measure in ("sum", "count", "avg", "median", "min", "max"):
            biggest = q.model_copy(update={"measure": "list", "limit": TOP_ITEMS, "sort": "amount", "order": "desc"})
            result.items = list_items(session, selection, biggest)[0]
            if q.measure in ("avg", "median") and count > len(result.items):  # the spread: biggest to smallest
                smallest = biggest.model_copy(update={"limit": 1, "order": "asc"})
                result.smallest = next(iter(list_items(session, selection, smallest)[0]), None)
    if result.by_currency:
        notes.append("amounts are in several currencies, so each currency is totalled on its own")
    result.notes = notes
    if q.filters.owner_ids:
        result.hidden_owners = hidden_owner_names(session, deps.principal, q.filters.owner_ids)
    period = q.filters.period
    if period is not None:
        result.period_label, result.period_start, result.period_end = period.label, period.start, period.end
    result.description = describe(q, result, deps.principal, session)
    return result
