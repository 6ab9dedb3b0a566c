"""Aggregates worked out in Python over the rows a fact query selected: medians, group-bys, computed measures.

The rows come from the same filtered, access-scoped SELECT as every other fact; only the arithmetic
happens here, so it is the same on SQLite and PostgreSQL and shares nothing with the tools.

A group key is the field's value; `FIELD:month`, `FIELD:quarter` and `FIELD:year` group a date field
by period, labelled so that any common spelling of the period contains the label: `Dec` (matches
"December 2026", "Dec"), `Q4`, `2026`. Rows whose measure is missing (None) are left out.
"""

import statistics
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

PERIODS = ("month", "quarter", "year")
MEASURES: dict[str, Callable[[list[float]], float]] = {
    "sum": lambda values: float(sum(values)),
    "avg": lambda values: float(statistics.fmean(values)),
    "median": lambda values: float(statistics.median(values)),
    "min": lambda values: float(min(values)),
    "max": lambda values: float(max(values)),
}


def split_by(by: str) -> tuple[str, str | None]:
    """'close_date:month' -> ('close_date', 'month'); 'stage' -> ('stage', None)."""
    field, _, period = by.partition(":")
    return field, (period or None)


def _period_key(value: Any, period: str) -> tuple[Any, str]:
    day = value.date() if isinstance(value, datetime) else value
    if not isinstance(day, date):
        return (None, "(none)")
    if period == "month":
        return ((day.year, day.month), day.strftime("%b"))
    if period == "quarter":
        quarter = (day.month - 1) // 3 + 1
        return ((day.year, quarter), f"Q{quarter}")
    return ((day.year,), str(day.year))


def group_key(row: dict[str, Any], by: str) -> tuple[Any, str]:
    """(sortable key, label stated in answers) of the row's group."""
    field, period = split_by(by)
    value = row.get(field)
    if period:
        return _period_key(value, period)
    if value is None:
        return ("", "(none)")
    return (str(value).lower(), str(value))


def _measure(aggregate: str, column: str | None, rows: list[dict[str, Any]]) -> float | int | None:
    if aggregate == "count":
        return len(rows)
    values = [row[column] for row in rows if column and row.get(column) is not None]
    if aggregate == "distinct":
        return len({str(value).lower() for value in values})
    if not values:
        return None
    return MEASURES[aggregate]([float(value) for value in values])


def aggregate_rows(
    rows: list[dict[str, Any]],
    aggregate: str,
    column: str | None,
    by: str | None = None,
    show: str = "both",
    order_by: str | None = None,
    limit: int | None = None,
) -> Any:
    """One value over all rows, or, with `by`, a flat list of group labels and/or values.

    order_by: `value`/`-value` (by the measure), `key`/`-key` (by the group; the default). With a limit,
    groups tied with the last one kept are kept too, so a tie is never broken arbitrarily.
    """
    if by is None:
        return _measure(aggregate, column, rows)
    groups: dict[Any, tuple[str, list[dict[str, Any]]]] = {}
    for row in rows:
        key, label = group_key(row, by)
        groups.setdefault(key, (label, []))[1].append(row)
    measured = [
        (key, label, value)
        for key, (label, members) in groups.items()
        if (value := _measure(aggregate, column, members)) is not None
    ]
    descending = (order_by or "key").startswith("-")
    if (order_by or "key").lstrip("-") == "value":
        measured.sort(key=lambda item: (-item[2] if descending else item[2], item[0]))
    else:
        measured.sort(key=lambda item: item[0], reverse=descending)
    if limit is not None and len(measured) > limit:
        cut = measured[limit - 1][2]
        by_value = (order_by or "key").lstrip("-") == "value"
        measured = measured[:limit] + [item for item in measured[limit:] if by_value and item[2] == cut]
    flat: list[Any] = []
    for _, label, value in measured:
        if show in ("both", "keys"):
            flat.append(label)
        if show in ("both", "values"):
            flat.append(value)
    return flat
