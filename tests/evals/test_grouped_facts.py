"""Medians, distinct counts, group-bys and computed measures in fact queries, against the demo database."""

import statistics
from datetime import date, datetime

import pytest
from sqlalchemy.orm import Session

from evals.entities import days_to_close
from evals.facts import Query, QueryContext, evaluate
from evals.grouped import aggregate_rows
from tests import support
from tests.support import ALICE, EAST_MANAGER, WEST_MANAGER


def context(db: Session, email: str) -> QueryContext:
    return QueryContext(db, support.principal(db, email), support.TODAY)


def value(db: Session, email: str, **query: object) -> object:
    return evaluate(Query.model_validate(query), context(db, email))


def test_median_and_distinct_follow_the_listed_rows(db: Session) -> None:
    amounts = value(db, ALICE, list="deals.amount", where={"owner": "me", "status": "open"})
    accounts = value(db, ALICE, list="deals.account", where={"owner": "me", "status": "open"})
    assert isinstance(amounts, list) and len(amounts) > 3
    assert value(db, ALICE, median="deals.amount", where={"owner": "me", "status": "open"}) == statistics.median(
        amounts
    )
    distinct = value(db, ALICE, distinct="deals.account", where={"owner": "me", "status": "open"})
    assert distinct == len(set(accounts)) < len(accounts)


def test_group_by_stage_gives_each_stage_total_within_the_scope(db: Session) -> None:
    grouped = value(db, WEST_MANAGER, sum="deals.amount", where={"status": "open"}, scope="me", by="stage")
    assert isinstance(grouped, list)
    pairs = dict(zip(grouped[::2], grouped[1::2], strict=True))
    for stage, total in pairs.items():
        assert total == value(
            db, WEST_MANAGER, sum="deals.amount", where={"status": "open", "stage": stage, "team": "West"}
        )
    assert sum(pairs.values()) == value(db, WEST_MANAGER, sum="deals.amount", where={"status": "open"}, scope="me")
    assert list(pairs) == sorted(pairs, key=str.lower)


def test_top_group_keys_and_values_shown_apart(db: Session) -> None:
    query = {"sum": "deals.amount", "where": {"status": "open"}, "scope": "me", "by": "account", "order_by": "-value"}
    everything = value(db, EAST_MANAGER, **query)
    top = value(db, EAST_MANAGER, **query, limit=1, show="keys")
    top_value = value(db, EAST_MANAGER, **query, limit=1, show="values")
    assert isinstance(everything, list) and top == [everything[0]] and top_value == [everything[1]]
    assert everything[1] == max(everything[1::2])


def test_ties_with_the_last_kept_group_are_kept() -> None:
    rows = [{"owner": "a", "amount": 5}, {"owner": "b", "amount": 5}, {"owner": "c", "amount": 1}]
    assert aggregate_rows(rows, "sum", "amount", by="owner", show="keys", order_by="-value", limit=1) == ["a", "b"]
    assert aggregate_rows(rows, "sum", "amount", by="owner", show="keys", order_by="value", limit=1) == ["c"]
    assert aggregate_rows(rows, "count", None, by="owner", order_by="-key", limit=2) == ["c", 1, "b", 1]


def test_periods_group_by_quarter_and_month_labels() -> None:
    rows = [
        {"close_date": date(2026, 11, 3), "amount": 10},
        {"close_date": date(2026, 12, 9), "amount": 20},
        {"close_date": datetime(2026, 2, 1, 9), "amount": 5},
    ]
    assert aggregate_rows(rows, "sum", "amount", by="close_date:quarter") == ["Q1", 5.0, "Q4", 30.0]
    assert aggregate_rows(rows, "count", None, by="close_date:month", show="keys") == ["Feb", "Nov", "Dec"]


def test_days_to_close_is_a_computed_measure_matching_the_sales_cycle_definition(db: Session) -> None:
    mean = value(db, ALICE, avg="deals.days_to_close", where={"owner": "me", "status": "won"})
    cycle = value(db, ALICE, named="sales_cycle_average_days", args={"owner": "me"})
    assert isinstance(mean, float) and round(mean, 1) == cycle
    assert days_to_close({"status": "open", "closed_at": None, "close_date": None, "created_at": None}) is None
    row = {"status": "won", "closed_at": datetime(2026, 3, 11), "close_date": None, "created_at": datetime(2026, 3, 1)}
    assert days_to_close(row) == 10


def test_grouped_per_rep_average_of_days_to_close(db: Session) -> None:
    fastest = value(
        db, ALICE, avg="deals.days_to_close", where={"status": "won"}, by="owner_name", order_by="value", limit=1
    )
    per_owner = value(db, ALICE, named="per_owner", args={"measure": "cycle_days", "pick": "bottom"})
    assert isinstance(fastest, list) and [fastest[0]] == per_owner


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ({"sum": "deals.amount", "by": "colour"}, "by: unknown field"),
        ({"sum": "deals.amount", "by": "close_date:week"}, "unknown period"),
        ({"sum": "deals.amount", "by": "stage", "order_by": "-amount"}, "orders by value"),
        ({"list": "deals.name", "by": "stage"}, "need a measure"),
        ({"value": "deals.days_to_close"}, "is computed"),
        ({"count": "deals", "where": {"days_to_close": 3}}, "unknown field"),
        ({"median": "deals.colour"}, "needs entity.field"),
    ],
)
def test_bad_grouped_queries_say_what_is_wrong(bad: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Query.model_validate(bad)
