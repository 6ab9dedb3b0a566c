"""The faster query shapes return exactly what the access rules and the tools promised before.

Activity visibility, the last touch per deal and keyword note search are recomputed row by row
(tests/tools/scope.py) on SQLite and PostgreSQL, with records added so every branch of the activity
rule is exercised: another person's note on one's own deal, an account-only note, a lead's call.
"""

from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from assistant.crm.access import scoped_select
from assistant.crm.db import make_engine
from assistant.crm.deps import Deps
from assistant.crm.models import Account, AccountMember, Activity, Channel, Deal, Lead
from tests import support
from tests.support import ALICE, BOB, WEST_MANAGER
from tests.tools.scope import team_member_ids, user_id, visible_for
from tools.activities import latest_activity_by_deal
from tools.registry import get_tool

WHEN = datetime(2026, 11, 19, 15, 0)


@pytest.fixture
def any_db(any_db_url: str) -> Iterator[Session]:
    engine = make_engine(any_db_url)
    with Session(engine) as session:
        add_branch_records(session)
        yield session
    engine.dispose()


def add_branch_records(db: Session) -> None:
    alice, bob = user_id(db, ALICE), user_id(db, BOB)
    alice_deal = db.scalars(select(Deal).where(Deal.owner_id == alice).order_by(Deal.id)).first()
    bob_deal = db.scalars(select(Deal).where(Deal.owner_id == bob).order_by(Deal.id)).first()
    member_account = db.scalars(select(Account).where(Account.owner_id == bob).order_by(Account.id)).first()
    alice_lead = db.scalars(select(Lead).where(Lead.owner_id == alice).order_by(Lead.id)).first()
    assert alice_deal and bob_deal and member_account and alice_lead
    db.add(AccountMember(account_id=member_account.id, user_id=alice))
    rows = [
        ("note", "Bob's note on Alice's deal", bob, {"deal_id": alice_deal.id, "account_id": alice_deal.account_id}),
        ("note", "Alice's note on Bob's deal", alice, {"deal_id": bob_deal.id, "account_id": bob_deal.account_id}),
        ("note", "Account-only note, Alice on the team", bob, {"account_id": member_account.id}),
        ("call", "Call with Alice's lead, logged by Bob", bob, {"lead_id": alice_lead.id}),
    ]
    for kind, subject, author, links in rows:
        db.add(Activity(type=kind, subject=subject, body=subject, occurred_at=WHEN, author_id=author, **links))
    db.commit()


@pytest.mark.parametrize("email", [ALICE, BOB, WEST_MANAGER])
def test_activity_scope_is_the_rule(any_db: Session, email: str) -> None:
    principal = support.principal(any_db, email, Channel.api)
    owners = team_member_ids(any_db, email) if email == WEST_MANAGER else {user_id(any_db, email)}
    expected = visible_for(any_db, owners).activities
    seen = set(any_db.scalars(scoped_select(principal, Activity).with_only_columns(Activity.id)))
    assert seen == expected
    calls = set(any_db.scalars(scoped_select(principal, Activity).where(Activity.type == "call")))
    assert {a.id for a in calls} == {i for i in expected if any_db.get(Activity, i).type == "call"}  # type: ignore[union-attr]


def test_latest_touch_per_deal_covers_visible_and_hidden_deals(any_db: Session) -> None:
    principal = support.principal(any_db, ALICE, Channel.api)
    visible = visible_for(any_db, {user_id(any_db, ALICE)})
    all_deals = list(any_db.scalars(select(Deal.id)))
    expected: dict[int, datetime] = {}
    for activity in any_db.scalars(select(Activity).where(Activity.type != "task", Activity.deal_id.is_not(None))):
        if activity.id in visible.activities:
            deal_id = activity.deal_id
            assert deal_id is not None
            expected[deal_id] = max(expected.get(deal_id, activity.occurred_at), activity.occurred_at)
    latest = latest_activity_by_deal(any_db, principal, all_deals)
    assert latest == expected
    hidden_with_own_note = [d for d in expected if d not in visible.deals]
    assert hidden_with_own_note, "Alice's note on Bob's deal makes that deal's last touch hers to see"
    assert latest_activity_by_deal(any_db, principal, select(Deal.id).where(Deal.id.in_(all_deals))) == expected
    assert latest_activity_by_deal(any_db, principal, []) == {}


def deps_for_db(db: Session, email: str) -> Deps:
    return Deps(support.principal(db, email, Channel.api), db, support.CLOCK, None, None)  # type: ignore[arg-type]


def add_notes(db: Session, owner_email: str, notes: list[tuple[str, int]]) -> None:
    """Notes on the first deal `owner_email` owns, written `days_ago` before the fixed clock."""
    owner = user_id(db, owner_email)
    deal = db.scalars(select(Deal).where(Deal.owner_id == owner).order_by(Deal.id)).first()
    assert deal is not None
    for body, days_ago in notes:
        db.add(
            Activity(
                type="note",
                subject="Note",
                body=body,
                occurred_at=WHEN - timedelta(days=days_ago),
                deal_id=deal.id,
                account_id=deal.account_id,
                author_id=owner,
            )
        )
    db.commit()


def search(db: Session, query: str, limit: int) -> list[tuple[str, float]]:
    result = get_tool("search_notes").run(deps_for_db(db, ALICE), {"query": query, "limit": limit})
    return [(hit.quoted_text, hit.score) for hit in result.hits]


def test_keyword_search_puts_every_word_first_then_newest(db: Session) -> None:
    add_notes(
        db,
        ALICE,
        [
            ("zebrafish quokka, both words", 3),
            ("zebrafish quokka again, newer", 1),
            ("only zebrafish here", 0),
            ("only quokka here, older", 5),
        ],
    )
    add_notes(db, BOB, [("zebrafish quokka on Bob's deal", 0)])
    assert search(db, "zebrafish quokka", 5) == [
        ("zebrafish quokka again, newer", 1.0),
        ("zebrafish quokka, both words", 1.0),
        ("only zebrafish here", 0.5),
        ("only quokka here, older", 0.5),
    ]
    assert search(db, "zebrafish quokka", 2) == search(db, "zebrafish quokka", 4)[:2]


def test_keyword_search_reads_wildcards_literally(db: Session) -> None:
    add_notes(db, ALICE, [("promo code_off applied", 2), ("the payoff was big", 1)])
    assert search(db, "_off", 5) == [("promo code_off applied", 1.0)]


def test_a_name_filter_reads_wildcards_as_themselves(db: Session) -> None:
    query = get_tool("query")
    everything = query.run(deps_for_db(db, ALICE), {"measure": "count"}).count
    assert everything > 0
    for wildcard in ("%", "_"):
        result = query.run(deps_for_db(db, ALICE), {"measure": "count", "filters": {"text": wildcard}})
        assert result.count == 0, wildcard
    pilots = query.run(deps_for_db(db, ALICE), {"filters": {"text": "pilot"}})
    assert pilots.count > 0 and all("pilot" in item.name.lower() for item in pilots.items)


@pytest.mark.parametrize("kind", ["call", "meeting", "email"])
def test_deals_with_no_conversation_of_a_kind_logged(db: Session, kind: str) -> None:
    deps = deps_for_db(db, ALICE)
    result = get_tool("query").run(deps, {"filters": {"owner": "me", "missing": [f"{kind}_logged"]}, "limit": 200})
    mine = db.scalars(select(Deal.id).where(Deal.owner_id == user_id(db, ALICE))).all()
    logged = set(db.scalars(select(Activity.deal_id).where(Activity.type == kind)))
    expected = {deal for deal in mine if deal not in logged}
    assert {item.id for item in result.items} == expected and result.count == len(expected)
    assert f"without any {kind} logged" in result.description
