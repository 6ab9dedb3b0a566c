"""Analytics figures match the same sums computed with plain SQL over the rows a person may see."""

from collections import defaultdict
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import select

from assistant.crm.errors import ValidationFailed
from assistant.crm.models import Activity, Deal, Lead, Stage, User
from tests.support import ADMIN, ALICE, WEST_MANAGER
from tests.tools.scope import open_deal_rows, team_member_ids, user_id
from tools.registry import get_tool

YEAR = {"start": "2026-01-01", "end": "2026-12-31"}


def run(deps, name: str, **args):
    return get_tool(name).run(deps, args)


def closed_rows(db, owners: set[int], start: date, end: date):
    query = (
        select(Deal.id, Deal.amount, Deal.owner_id, Deal.created_at, Deal.closed_at, Stage.is_won)
        .join(Stage, Stage.id == Deal.stage_id)
        .where(Stage.is_closed.is_(True), Deal.owner_id.in_(owners), Deal.close_date.between(start, end))
    )
    return db.execute(query).all()


def test_pipeline_summary_by_stage_and_owner(db, deps_for):
    team = team_member_ids(db, WEST_MANAGER)
    rows = open_deal_rows(db, team)
    by_stage = run(deps_for(WEST_MANAGER), "pipeline_summary", group_by="stage")
    expected = defaultdict(float)
    for _, amount, _, stage in rows:
        expected[stage] += amount
    assert {r.key: r.amount for r in by_stage.rows} == pytest.approx(dict(expected))
    assert by_stage.total_count == len(rows)
    assert by_stage.total_weighted_amount == pytest.approx(sum(a * p / 100 for _, a, p, _ in rows))
    positions = dict(db.execute(select(Stage.name, Stage.position).where(Stage.pipeline_id == 1)).all())
    assert [positions[r.key] for r in by_stage.rows] == sorted(positions[r.key] for r in by_stage.rows)
    by_owner = run(deps_for(WEST_MANAGER), "pipeline_summary", group_by="owner")
    names = dict(db.execute(select(User.id, User.name)).all())
    owner_of = dict(db.execute(select(Deal.id, Deal.owner_id)).all())
    counts = defaultdict(int)
    for deal_id, *_ in rows:
        counts[names[owner_of[deal_id]]] += 1
    assert {r.key: r.count for r in by_owner.rows} == dict(counts)


def test_pipeline_summary_by_month_in_a_named_period(db, deps_for):
    result = run(deps_for(ADMIN), "pipeline_summary", group_by="month", period="next quarter")
    assert (result.period_start, result.period_end) == (date(2027, 1, 1), date(2027, 3, 31))
    query = (
        select(Deal.close_date, Deal.amount)
        .join(Stage, Stage.id == Deal.stage_id)
        .where(Stage.is_closed.is_(False), Deal.close_date.between(date(2027, 1, 1), date(2027, 3, 31)))
    )
    expected = defaultdict(float)
    for close, amount in db.execute(query):
        expected[close.strftime("%Y-%m")] += float(amount)
    assert {r.key: r.amount for r in result.rows} == pytest.approx(dict(expected))
    assert set(expected) <= {"2027-01", "2027-02", "2027-03"}


def test_won_lost_and_win_rate(db, deps_for):
    alice = user_id(db, ALICE)
    rows = closed_rows(db, {alice}, date(2026, 1, 1), date(2026, 12, 31))
    won = [r for r in rows if r.is_won]
    result = run(deps_for(ALICE), "won_lost_summary", **YEAR)
    assert result.won_count == len(won)
    assert result.lost_count == len(rows) - len(won)
    assert result.won_amount == pytest.approx(sum(float(r.amount) for r in won))
    assert result.win_rate == pytest.approx(len(won) / len(rows), abs=1e-4)
    default = run(deps_for(ALICE), "won_lost_summary")
    assert (default.period_start, default.period_end) == (date(2026, 1, 1), date(2026, 12, 31))
    assert default.won_count == result.won_count


def test_sales_cycle_average_days(db, deps_for):
    everyone = set(db.scalars(select(User.id)))
    won = [r for r in closed_rows(db, everyone, date(2026, 1, 1), date(2026, 12, 31)) if r.is_won]
    days = [(r.closed_at.date() - r.created_at.date()).days for r in won]
    result = run(deps_for(ADMIN), "sales_cycle", **YEAR)
    assert result.won_count == len(won) > 0
    assert result.average_days == pytest.approx(sum(days) / len(days), abs=0.05)
    assert (result.shortest_days, result.longest_days) == (min(days), max(days))


def test_lead_conversion(db, deps_for):
    alice = user_id(db, ALICE)
    leads = db.execute(
        select(Lead.status, Lead.source).where(
            Lead.owner_id == alice, Lead.created_at >= datetime(2026, 1, 1), Lead.created_at < datetime(2027, 1, 1)
        )
    ).all()
    result = run(deps_for(ALICE), "lead_conversion", **YEAR)
    converted = sum(1 for lead in leads if lead.status == "converted")
    assert (result.total, result.converted) == (len(leads), converted)
    assert sum(row.total for row in result.by_source) == len(leads)
    assert result.rate == pytest.approx(converted / len(leads), abs=1e-4)


def test_top_performers_for_a_manager_rank_only_their_team(db, deps_for):
    team = team_member_ids(db, WEST_MANAGER)
    won = [r for r in closed_rows(db, team, date(2026, 1, 1), date(2026, 12, 31)) if r.is_won]
    totals = defaultdict(float)
    for r in won:
        totals[r.owner_id] += float(r.amount)
    result = run(deps_for(WEST_MANAGER), "top_performers", limit=10, **YEAR)
    assert [p.user_id for p in result.performers] == sorted(totals, key=lambda uid: -totals[uid])
    assert result.performers[0].won_amount == pytest.approx(max(totals.values()))
    by_count = run(deps_for(WEST_MANAGER), "top_performers", metric="won_count", limit=10, **YEAR)
    counts = [p.won_count for p in by_count.performers]
    assert counts == sorted(counts, reverse=True)


def test_deals_closing_defaults_to_next_30_days(db, deps_for):
    alice = user_id(db, ALICE)
    today = date(2026, 11, 20)
    result = run(deps_for(ALICE), "deals_closing")
    assert (result.period_start, result.period_end) == (today, today + timedelta(days=30))
    expected = {
        r[0]
        for r in db.execute(
            select(Deal.id)
            .join(Stage, Stage.id == Deal.stage_id)
            .where(
                Deal.owner_id == alice,
                Stage.is_closed.is_(False),
                Deal.close_date.between(today, today + timedelta(days=30)),
            )
        )
    }
    assert {d.id for d in result.deals} == expected
    assert result.count == len(expected)


def test_stale_deals_have_no_recent_activity(db, deps_for):
    alice = user_id(db, ALICE)
    cutoff = datetime(2026, 11, 20) - timedelta(days=10)
    last_touch = dict(
        db.execute(
            select(Activity.deal_id, Activity.occurred_at).where(Activity.type != "task").order_by(Activity.occurred_at)
        ).all()
    )
    open_ids = {r[0] for r in open_deal_rows(db, {alice})}
    expected = {d for d in open_ids if last_touch.get(d) is None or last_touch[d] < cutoff}
    result = run(deps_for(ALICE), "stale_deals", days=10, limit=200)
    assert {s.deal.id for s in result.deals} == expected
    assert result.count == len(expected) > 0
    for item in result.deals:
        assert item.last_activity_at == last_touch.get(item.deal.id)
    touched = [s.last_activity_at for s in result.deals if s.last_activity_at]
    assert touched == sorted(touched)


def test_forecast_commit_and_best_case(db, deps_for):
    team = team_member_ids(db, WEST_MANAGER)
    start, end = date(2026, 10, 1), date(2026, 12, 31)
    query = (
        select(Deal.amount, Stage.probability, Stage.name, Stage.is_closed, Stage.is_won)
        .join(Stage, Stage.id == Deal.stage_id)
        .where(Deal.owner_id.in_(team), Deal.close_date.between(start, end))
    )
    rows = db.execute(query).all()
    open_rows = [r for r in rows if not r.is_closed]
    commit = sum(float(r.amount) for r in open_rows if r.name == "Negotiation" or r.probability >= 75)
    best = sum(float(r.amount) for r in open_rows if r.probability >= 50)
    won = sum(float(r.amount) for r in rows if r.is_won)
    result = run(deps_for(WEST_MANAGER), "forecast")
    assert (result.period_start, result.period_end) == (start, end)
    assert result.weighted_amount == pytest.approx(sum(float(r.amount) * r.probability / 100 for r in open_rows))
    assert result.commit_amount == pytest.approx(commit)
    assert result.best_case_amount == pytest.approx(best)
    assert result.closed_won_amount == pytest.approx(won)
    assert result.commit_forecast == pytest.approx(won + commit)


def test_bad_period_is_rejected_with_the_accepted_forms(deps_for):
    with pytest.raises(ValidationFailed, match="this/last/next"):
        run(deps_for(ALICE), "forecast", period="the before times")
    with pytest.raises(ValidationFailed, match="before start"):
        run(deps_for(ALICE), "won_lost_summary", start="2026-05-01", end="2026-01-01")
