"""No read tool shows a record, or counts one in a total, outside the person's scope."""

import pytest
from sqlalchemy import select

from assistant.crm.errors import NotFound
from assistant.crm.models import Account, Activity, Contact, Deal
from tests.support import ADMIN, ALICE, BOB, EAST_MANAGER, WEST_MANAGER
from tests.support.tools import READ_CALLS
from tests.tools.scope import open_deal_rows, team_member_ids, user_id, visible_for
from tools.registry import get_tool, read_tools


def test_every_read_tool_is_covered() -> None:
    per_record = {"get_deal", "get_account_overview", "draft_followup_email"}
    families = {
        f"tools.{name}" for name in ("accounts", "activities", "analytics", "deals", "email", "search", "next_actions")
    } | {"tools.query"}
    ours = {spec.name for spec in read_tools() if spec.fn.__module__ in families}
    assert {name for name, _ in READ_CALLS} | per_record == ours


@pytest.mark.parametrize("email", [ALICE, WEST_MANAGER])
def test_read_tools_only_return_records_in_scope(db, deps_for, email) -> None:
    owners = {user_id(db, email)} if email == ALICE else team_member_ids(db, email)
    visible = visible_for(db, owners)
    deps = deps_for(email)
    seen_types: set[str] = set()
    for name, args in READ_CALLS:
        result = get_tool(name).run(deps, args)
        outside = [ref for ref in result.records if not visible.allows(ref)]
        assert not outside, f"{name} returned {outside[:3]}"
        seen_types |= {ref.type for ref in result.records}
    assert {"deal", "account", "contact", "lead", "activity", "user"} <= seen_types


def test_totals_exclude_other_peoples_deals(db, deps_for) -> None:
    alice, bob = user_id(db, ALICE), user_id(db, BOB)
    own = open_deal_rows(db, {alice})
    pipeline = get_tool("query").run(deps_for(ALICE), {"measure": "sum", "filters": {"status": "open"}})
    assert pipeline.value == pytest.approx(sum(r[1] for r in own))
    assert pipeline.count == len(own)
    asked_for_bob = get_tool("find_deals").run(deps_for(ALICE), {"owner_id": bob})
    assert (asked_for_bob.count, asked_for_bob.total_amount) == (0, 0.0)
    team = get_tool("query").run(deps_for(ALICE), {"measure": "sum", "filters": {"status": "won"}, "group_by": "owner"})
    assert {row.ref.id for row in team.rows if row.ref} <= {alice}


def test_managers_see_exactly_their_team(db, deps_for) -> None:
    for manager in (WEST_MANAGER, EAST_MANAGER):
        team = team_member_ids(db, manager)
        expected = {r[0] for r in open_deal_rows(db, team)}
        result = get_tool("find_deals").run(deps_for(manager), {"status": "open", "limit": 200})
        assert {d.id for d in result.deals} == expected
        assert result.total_amount == pytest.approx(sum(r[1] for r in open_deal_rows(db, team)))
    everyone = get_tool("find_deals").run(deps_for(ADMIN), {"status": "open", "limit": 1})
    west = get_tool("find_deals").run(deps_for(WEST_MANAGER), {"status": "open", "limit": 1})
    east = get_tool("find_deals").run(deps_for(EAST_MANAGER), {"status": "open", "limit": 1})
    assert everyone.count == west.count + east.count


def test_single_record_tools_treat_hidden_records_as_missing(db, deps_for) -> None:
    bob = user_id(db, BOB)
    visible = visible_for(db, {user_id(db, ALICE)})
    bobs_deal = db.scalars(select(Deal).where(Deal.owner_id == bob)).first()
    bobs_account = next(
        a for a in db.scalars(select(Account).where(Account.owner_id == bob)) if a.id not in visible.accounts
    )
    deps = deps_for(ALICE)
    calls = [
        ("get_deal", {"deal_id": bobs_deal.id}),
        ("get_account_overview", {"account_id": bobs_account.id}),
        ("list_activities", {"deal_id": bobs_deal.id}),
        ("find_contacts", {"account_id": bobs_account.id}),
        ("draft_followup_email", {"deal_id": bobs_deal.id}),
        ("search_notes", {"query": "pricing", "deal_id": bobs_deal.id}),
    ]
    for name, args in calls:
        with pytest.raises(NotFound):
            get_tool(name).run(deps, args)
    bobs_note = db.scalars(select(Activity).where(Activity.deal_id == bobs_deal.id, Activity.type != "task")).first()
    words = " ".join(bobs_note.body.split()[:6])
    hits = get_tool("search_notes").run(deps, {"query": words, "limit": 20})
    assert bobs_note.id not in {h.record_id for h in hits.hits}


def test_contacts_picked_by_id_are_only_those_in_scope(db, deps_for) -> None:
    visible = visible_for(db, {user_id(db, ALICE)}).contacts
    hidden = sorted(set(db.scalars(select(Contact.id))) - visible)
    picked = [*sorted(visible)[:2], hidden[0]]
    listed = get_tool("find_contacts").run(deps_for(ALICE), {"contact_ids": picked})
    assert sorted(c.id for c in listed.contacts) == sorted(visible)[:2] and listed.count == 2


def test_one_persons_next_actions_and_the_rest_of_a_list_stay_in_scope(db, deps_for) -> None:
    alice, bob = user_id(db, ALICE), user_id(db, BOB)
    visible = visible_for(db, {alice})
    with pytest.raises(NotFound):
        get_tool("next_actions").run(deps_for(ALICE), {"owner_id": bob})
    team = get_tool("next_actions").run(deps_for(WEST_MANAGER), {"owner_id": alice})
    assert team.records and all(visible.allows(ref) for ref in team.records), team.records
    first = get_tool("query").run(deps_for(ALICE), {"filters": {"status": "open"}, "limit": 3})
    shown = [ref.id for ref in first.records if ref.type == "deal"]
    rest = get_tool("query").run(deps_for(ALICE), {"filters": {"status": "open", "exclude_ids": shown}})
    rest_ids = {ref.id for ref in rest.records if ref.type == "deal"}
    assert rest_ids and not rest_ids & set(shown)
    assert rest_ids | set(shown) == {row[0] for row in open_deal_rows(db, {alice})}


def test_a_query_headline_never_names_an_account_out_of_scope(db, deps_for) -> None:
    hidden = db.scalars(select(Account).where(Account.owner_id == user_id(db, BOB)).order_by(Account.id)).first()
    own = db.scalars(select(Account).where(Account.owner_id == user_id(db, ALICE)).order_by(Account.id)).first()
    result = get_tool("query").run(deps_for(ALICE), {"filters": {"account_ids": [hidden.id, own.id]}})
    assert hidden.name not in result.description and own.name in result.description, result.description
