"""The fact query language against the demo database, and how values are found in answers."""

from datetime import date

import pytest
from sqlalchemy.orm import Session

from evals.facts import Query, QueryContext, appears, evaluate, numbers_in
from tests import support
from tests.support import ALICE, EAST_MANAGER, WEST_MANAGER


def context(db: Session, email: str) -> QueryContext:
    return QueryContext(db, support.principal(db, email), support.TODAY)


def test_me_scope_and_team_agree_for_a_manager(db: Session) -> None:
    west = context(db, WEST_MANAGER)
    scoped = evaluate(Query(count="deals", where={"status": "open"}, scope="me"), west)
    by_team = evaluate(Query(count="deals", where={"status": "open", "team": "West"}), west)
    everyone = evaluate(Query(count="deals", where={"status": "open"}), west)
    assert 0 < scoped == by_team < everyone


def test_owner_me_is_the_case_user(db: Session) -> None:
    mine = evaluate(Query(list="deals.name", where={"owner": "me", "status": "open"}), context(db, ALICE))
    theirs = evaluate(Query(list="deals.name", where={"owner": "me", "status": "open"}), context(db, EAST_MANAGER))
    assert mine and "Hooli - Analytics Suite" in mine and theirs == []


def test_relative_dates_and_operators(db: Session) -> None:
    ctx = context(db, ALICE)
    soon = evaluate(
        Query(count="deals", where={"status": "open", "close_date": {"gte": "today", "lte": "today+30d"}}), ctx
    )
    explicit = evaluate(
        Query(count="deals", where={"status": "open", "close_date": {"gte": "2026-11-20", "lte": "2026-12-20"}}), ctx
    )
    assert soon == explicit > 0


def test_value_order_and_sum(db: Session) -> None:
    ctx = context(db, ALICE)
    biggest = evaluate(Query(max="deals.amount", where={"owner": "me", "status": "open"}), ctx)
    first = evaluate(Query(value="deals.amount", where={"owner": "me", "status": "open"}, order_by="-amount"), ctx)
    total = evaluate(Query(sum="deals.amount", where={"owner": "me", "status": "open"}), ctx)
    assert biggest == first and total > biggest


def test_named_queries_follow_their_definitions(db: Session) -> None:
    ctx = context(db, WEST_MANAGER)
    weighted = evaluate(Query(named="weighted_pipeline", args={"scope": "me"}), ctx)
    total = evaluate(Query(sum="deals.amount", where={"status": "open"}, scope="me"), ctx)
    assert 0 < weighted < total
    rate = evaluate(
        Query(named="win_rate_percent", args={"scope": "me", "start": "2026-01-01", "end": "2026-12-31"}), ctx
    )
    assert 0 <= rate <= 100


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ({"count": "dealz"}, "unknown entity"),
        ({"count": "deals", "sum": "deals.amount"}, "exactly one"),
        ({"sum": "deals.colour"}, "needs entity.field"),
        ({"count": "deals", "where": {"stage": {"like": "x"}}}, "unknown operator"),
        ({"named": "nope"}, "unknown named query"),
    ],
)
def test_bad_queries_say_what_is_wrong(bad: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Query.model_validate(bad)


def test_numbers_dates_and_lists_in_text() -> None:
    assert appears(1_234_500.0, "Total pipeline is $1,234,500.")
    assert appears(1_234_500.0, "about $1.23M")
    assert not appears(1_234_500.0, "about $1.3M")
    assert appears(37.5, "win rate 37.5%") and not appears(37.5, "win rate 40%")
    assert appears(5866.25, "5,866.2 employees on average"), "a half rounded to even is still that value"
    assert not appears(5866.25, "5,866.1 employees on average")
    assert appears(3, "three deals") and not appears(3, "13 deals")
    assert appears(date(2027, 3, 22), "closes Mar 22, 2027")
    assert appears(["Hooli", "Globex"], "Hooli and Globex") and not appears(["Hooli", "Globex"], "only Hooli")
    assert appears(["Hooli", "Globex"], "only Hooli", match="any")
    assert numbers_in("450k") == [(450_000.0, 500.0)]
