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


def query_of(deps, **args):
    return run(deps, "query", **args)


def test_pipeline_by_stage_and_owner(db, deps_for):
    team = team_member_ids(db, WEST_MANAGER)
    rows = open_deal_rows(db, team)
    by_stage = query_of(deps_for(WEST_MANAGER), measure="sum", filters={"status": "open"}, group_by="stage")
    expected = defaultdict(float)
    for _, amount, _, stage in rows:
        expected[stage] += amount
    assert {r.key: r.value for r in by_stage.rows} == pytest.approx(dict(expected))
    assert by_stage.count == len(rows)
    weighted = query_of(deps_for(WEST_MANAGER), measure="sum", field="weighted_amount", filters={"status": "open"})
    assert weighted.value == pytest.approx(sum(a * p / 100 for _, a, p, _ in rows), abs=0.01)
    positions = dict(db.execute(select(Stage.name, Stage.position).where(Stage.pipeline_id == 1)).all())
    assert [positions[r.key] for r in by_stage.rows] == sorted(positions[r.key] for r in by_stage.rows)
    by_owner = query_of(deps_for(WEST_MANAGER), measure="count", filters={"status": "open"}, group_by="owner")
    names = dict(db.execute(select(User.id, User.name)).all())
    owner_of = dict(db.execute(select(Deal.id, Deal.owner_id)).all())
    counts = defaultdict(int)
    for deal_id, *_ in rows:
        counts[names[owner_of[deal_id]]] += 1
    assert {r.key: r.count for r in by_owner.rows} == dict(counts)
    total = sum(expected.values())
    assert {r.key: r.share for r in by_stage.rows} == {k: round(100 * v / total, 1) for k, v in expected.items()}
    assert {r.key: r.share for r in by_owner.rows} == {k: round(100 * v / len(rows), 1) for k, v in counts.items()}


def test_pipeline_by_month_in_a_period(db, deps_for):
    quarter = {"start": "2027-01-01", "end": "2027-03-31"}
    result = query_of(deps_for(ADMIN), measure="sum", filters={"status": "open", "period": quarter}, group_by="month")
    assert (result.period_start, result.period_end) == (date(2027, 1, 1), date(2027, 3, 31))
    query = (
        select(Deal.close_date, Deal.amount)
        .join(Stage, Stage.id == Deal.stage_id)
        .where(Stage.is_closed.is_(False), Deal.close_date.between(date(2027, 1, 1), date(2027, 3, 31)))
    )
    expected = defaultdict(float)
    for close, amount in db.execute(query):
        expected[close.strftime("%Y-%m")] += float(amount)
    assert {r.key: r.value for r in result.rows} == pytest.approx(dict(expected))
    assert set(expected) <= {"2027-01", "2027-02", "2027-03"}


def test_won_lost_and_win_rate(db, deps_for):
    alice = user_id(db, ALICE)
    rows = closed_rows(db, {alice}, date(2026, 1, 1), date(2026, 12, 31))
    won = [r for r in rows if r.is_won]
    by_status = query_of(
        deps_for(ALICE), measure="sum", filters={"status": "closed", "period": YEAR}, group_by="status"
    )
    values = {r.key: (r.value, r.count) for r in by_status.rows}
    assert values["won"][1] == len(won) and values.get("lost", (0, 0))[1] == len(rows) - len(won)
    assert values["won"][0] == pytest.approx(sum(float(r.amount) for r in won))
    rate = query_of(deps_for(ALICE), measure="win_rate", filters={"period": YEAR})
    assert rate.value == pytest.approx(100 * len(won) / len(rows), abs=0.05)
    asked_of_wins = query_of(deps_for(ALICE), measure="win_rate", filters={"status": "won", "period": YEAR})
    assert (asked_of_wins.value, asked_of_wins.count) == (rate.value, len(rows))
    assert "the 'won' filter was not applied" in asked_of_wins.notes[0]


def test_sales_cycle_average_days(db, deps_for):
    everyone = set(db.scalars(select(User.id)))
    won = [r for r in closed_rows(db, everyone, date(2026, 1, 1), date(2026, 12, 31)) if r.is_won]
    days = [(r.closed_at.date() - r.created_at.date()).days for r in won]
    deps = deps_for(ADMIN)
    filters = {"status": "won", "period": YEAR}
    average = query_of(deps, measure="avg", field="days_to_close", filters=filters)
    assert average.count == len(won) > 0
    assert average.value == pytest.approx(sum(days) / len(days), abs=0.05)
    shortest = query_of(deps, measure="min", field="days_to_close", filters=filters)
    longest = query_of(deps, measure="max", field="days_to_close", filters=filters)
    assert (shortest.value, longest.value) == (min(days), max(days))


def test_lead_conversion(db, deps_for):
    alice = user_id(db, ALICE)
    leads = db.execute(
        select(Lead.status, Lead.source).where(
            Lead.owner_id == alice, Lead.created_at >= datetime(2026, 1, 1), Lead.created_at < datetime(2027, 1, 1)
        )
    ).all()
    result = query_of(deps_for(ALICE), object="leads", measure="conversion_rate", filters={"period": YEAR})
    converted = sum(1 for lead in leads if lead.status == "converted")
    assert result.count == len(leads)
    assert result.value == pytest.approx(100 * converted / len(leads), abs=0.05)
    by_source = query_of(deps_for(ALICE), object="leads", measure="conversion_rate", filters={"period": YEAR},
                         group_by="source")  # fmt: skip
    assert sum(row.count for row in by_source.rows) == len(leads)


def test_top_sellers_for_a_manager_rank_only_their_team(db, deps_for):
    team = team_member_ids(db, WEST_MANAGER)
    won = [r for r in closed_rows(db, team, date(2026, 1, 1), date(2026, 12, 31)) if r.is_won]
    totals = defaultdict(float)
    for r in won:
        totals[r.owner_id] += float(r.amount)
    result = query_of(deps_for(WEST_MANAGER), measure="sum", filters={"status": "won", "period": YEAR},
                      group_by="owner", sort="value", order="desc")  # fmt: skip
    assert [row.ref.id for row in result.rows] == sorted(totals, key=lambda uid: -totals[uid])
    assert result.rows[0].value == pytest.approx(max(totals.values()))
    by_count = query_of(deps_for(WEST_MANAGER), measure="count", filters={"status": "won", "period": YEAR},
                        group_by="owner", sort="value")  # fmt: skip
    counts = [row.value for row in by_count.rows]
    assert counts == sorted(counts, reverse=True)


def test_deals_closing_in_the_next_30_days(db, deps_for):
    alice = user_id(db, ALICE)
    today = date(2026, 11, 20)
    window = {"start": today.isoformat(), "end": (today + timedelta(days=30)).isoformat()}
    result = query_of(deps_for(ALICE), filters={"owner": "me", "status": "open", "period": window}, limit=200)
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
    assert {d.id for d in result.items} == expected
    assert result.count == len(expected)


def test_quiet_deals_have_no_recent_activity(db, deps_for):
    alice = user_id(db, ALICE)
    cutoff = datetime(2026, 11, 20) - timedelta(days=10)
    last_touch = dict(
        db.execute(
            select(Activity.deal_id, Activity.occurred_at).where(Activity.type != "task").order_by(Activity.occurred_at)
        ).all()
    )
    open_ids = {r[0] for r in open_deal_rows(db, {alice})}
    expected = {d for d in open_ids if last_touch.get(d) is None or last_touch[d] < cutoff}
    result = query_of(deps_for(ALICE), filters={"status": "open", "inactive_days": 10}, limit=200)
    assert {item.id for item in result.items} == expected
    assert result.count == len(expected) > 0
    for item in result.items:
        touched = last_touch.get(item.id)
        assert item.last_activity == (touched.date() if touched else None)
    dates = [item.last_activity for item in result.items if item.last_activity]
    assert dates == sorted(dates)


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
    commit = sum(float(r.amount) for r in open_rows if r.name == "Negotiation")
    best = sum(float(r.amount) for r in open_rows if r.name in ("Negotiation", "Proposal"))
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
        run(deps_for(ALICE), "forecast", start="2026-05-01", end="2026-01-01")
