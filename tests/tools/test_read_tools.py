"""Read tools answer with the same facts plain SQL finds in the demo database."""

from datetime import date

import pytest
from sqlalchemy import func, select

from assistant.crm.errors import NotFound, ValidationFailed
from assistant.crm.models import Account, Activity, Contact, Deal, DealStageHistory, Lead, Stage
from tests.support import ADMIN, ALICE
from tests.tools.scope import open_deal_rows, user_id, visible_for
from tools.registry import get_tool


def run(deps, name: str, **args):
    return get_tool(name).run(deps, args)


def test_find_deals_totals_cover_every_match_not_only_the_page(db, deps_for):
    alice = user_id(db, ALICE)
    expected = open_deal_rows(db, {alice})
    result = run(deps_for(ALICE), "find_deals", status="open", limit=3)
    assert result.count == len(expected) > 3
    assert len(result.deals) == 3
    assert result.total_amount == pytest.approx(sum(r[1] for r in expected))
    assert result.weighted_amount == pytest.approx(sum(r[1] * r[2] / 100 for r in expected))
    assert {r.id for r in result.records} == {d.id for d in result.deals}
    closes = [d.close_date for d in result.deals]
    assert closes == sorted(closes)


def test_find_deals_filters_by_stage_amount_and_close_range(db, deps_for):
    start, end = date(2026, 11, 1), date(2027, 3, 31)
    query = (
        select(Deal.id)
        .join(Stage, Stage.id == Deal.stage_id)
        .where(Stage.name == "Proposal", Deal.amount >= 20000, Deal.close_date.between(start, end))
    )
    expected = set(db.scalars(query))
    assert expected
    result = run(
        deps_for(ADMIN), "find_deals", stage="proposal", amount_min=20000, close_from=start, close_to=end, limit=200
    )
    assert {d.id for d in result.deals} == expected
    assert all(d.stage == "Proposal" and d.amount >= 20000 for d in result.deals)


def test_find_deals_rejects_unknown_stage_and_inverted_amounts(deps_for):
    with pytest.raises(ValidationFailed, match="Negotiation"):
        run(deps_for(ALICE), "find_deals", stage="Signed")
    with pytest.raises(ValidationFailed, match="amount_max"):
        run(deps_for(ALICE), "find_deals", amount_min=100, amount_max=10)


def test_get_deal_has_history_activities_and_contacts(db, deps_for):
    alice = user_id(db, ALICE)
    deal = db.scalars(select(Deal).where(Deal.owner_id == alice).order_by(Deal.id)).first()
    result = run(deps_for(ALICE), "get_deal", deal_id=deal.id)
    history = db.scalars(select(DealStageHistory).where(DealStageHistory.deal_id == deal.id)).all()
    assert len(result.stage_history) == len(history)
    assert result.stage_history[-1].to_stage == deal.stage.name
    latest = db.scalars(
        select(Activity)
        .where(Activity.deal_id == deal.id, Activity.type != "task")
        .order_by(Activity.occurred_at.desc())
    ).first()
    assert result.recent_activities[0].id == latest.id
    assert result.last_activity_at == latest.occurred_at
    contact_ids = set(db.scalars(select(Contact.id).where(Contact.account_id == deal.account_id)))
    assert {c.id for c in result.contacts} == contact_ids
    assert result.deal.amount == float(deal.amount)
    assert ("deal", deal.id) in {(r.type, r.id) for r in result.records}


def test_get_deal_unknown_id_is_not_found(deps_for):
    with pytest.raises(NotFound):
        run(deps_for(ADMIN), "get_deal", deal_id=999_999)


def test_account_overview_totals_and_latest_activities(db, deps_for):
    account = db.scalars(select(Account).where(Account.name == "Acme Corporation")).one()
    deals = db.execute(
        select(Deal.amount, Stage.is_closed, Stage.is_won)
        .join(Stage, Stage.id == Deal.stage_id)
        .where(Deal.account_id == account.id)
    ).all()
    result = run(deps_for(ADMIN), "get_account_overview", account_id=account.id)
    assert result.open_deal_count == sum(1 for d in deals if not d.is_closed)
    assert result.open_pipeline_amount == pytest.approx(sum(float(d.amount) for d in deals if not d.is_closed))
    assert result.won_amount == pytest.approx(sum(float(d.amount) for d in deals if d.is_won))
    assert result.lost_deal_count == sum(1 for d in deals if d.is_closed and not d.is_won)
    latest = db.scalars(
        select(Activity.id)
        .where(Activity.account_id == account.id, Activity.type != "task")
        .order_by(Activity.occurred_at.desc(), Activity.id.desc())
        .limit(5)
    ).all()
    assert [a.id for a in result.recent_activities] == list(latest)
    open_tasks = db.scalars(
        select(Activity).where(Activity.account_id == account.id, Activity.type == "task", Activity.status == "open")
    ).all()
    assert len(result.open_tasks) == min(5, len(open_tasks))
    assert [t.due_date for t in result.open_tasks] == sorted(t.due_date for t in result.open_tasks)
    assert result.contact_count == db.scalar(select(func.count()).where(Contact.account_id == account.id))


def test_find_accounts_contacts_and_leads(db, deps_for):
    admin = deps_for(ADMIN)
    result = run(admin, "find_accounts", q="glob")
    assert [a.name for a in result.accounts] == ["Globex"]
    region = db.scalars(select(Account.region).where(Account.name == "Initech")).one()
    in_region = set(db.scalars(select(Account.id).where(Account.region == region)))
    assert {a.id for a in run(admin, "find_accounts", region=region.lower(), limit=100).accounts} == in_region
    contact = db.scalars(select(Contact).order_by(Contact.id)).first()
    found = run(admin, "find_contacts", q=contact.email)
    assert contact.id in {c.id for c in found.contacts}
    at_account = run(admin, "find_contacts", account_id=contact.account_id, limit=100)
    assert at_account.count == db.scalar(select(func.count()).where(Contact.account_id == contact.account_id))
    qualified = run(admin, "find_leads", status="qualified", limit=100)
    assert qualified.count == db.scalar(select(func.count()).where(Lead.status == "qualified"))
    scores = [lead.score for lead in qualified.leads]
    assert scores == sorted(scores, reverse=True)


def test_list_activities_most_recent_first_and_since(db, deps_for):
    alice = user_id(db, ALICE)
    visible = visible_for(db, {alice})
    since = date(2026, 11, 1)
    expected = [
        a.id
        for a in db.scalars(select(Activity).order_by(Activity.occurred_at.desc(), Activity.id.desc()))
        if a.id in visible.activities and a.type != "task" and a.occurred_at.date() >= since
    ]
    result = run(deps_for(ALICE), "list_activities", since=since, limit=100)
    assert [a.id for a in result.activities] == expected
    assert result.count == len(expected)
    calls = run(deps_for(ALICE), "list_activities", type="call", limit=100)
    assert calls.activities and all(a.type == "call" for a in calls.activities)


def test_list_tasks_counts_overdue(db, deps_for):
    alice = user_id(db, ALICE)
    visible = visible_for(db, {alice})
    today = date(2026, 11, 20)
    tasks = [
        t
        for t in db.scalars(select(Activity).where(Activity.type == "task", Activity.status == "open"))
        if t.id in visible.activities
    ]
    result = run(deps_for(ALICE), "list_tasks", limit=100)
    assert result.count == len(tasks)
    assert result.overdue_count == sum(1 for t in tasks if t.due_date < today)
    overdue = run(deps_for(ALICE), "list_tasks", overdue_only=True, limit=100)
    assert all(t.due_date < today for t in overdue.tasks)
    assert len(overdue.tasks) == result.overdue_count
