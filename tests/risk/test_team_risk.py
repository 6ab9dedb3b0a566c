"""team_risk and deal_risk respect who is asking; changes since last week; the tools' contract."""

from datetime import date, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from assistant.crm.clock import Clock
from assistant.crm.deps import Deps
from assistant.crm.errors import NotFound, ValidationFailed
from assistant.crm.models import Deal, Team, User
from assistant.crm.settings import Settings
from assistant.risk.reports import deal_risk, team_risk
from tests.risk import builders as b
from tests.support import ALICE, BOB, EAST_MANAGER, NOW, WEST_MANAGER, principal
from tools.registry import TOOLSET


def _team_member_ids(db: Session, team: str) -> set[int]:
    team_id = db.scalars(select(Team.id).where(Team.name == team)).one()
    return set(db.scalars(select(User.id).where(User.team_id == team_id)))


def _owner_ids(db: Session, deal_ids: list[int]) -> set[int]:
    return set(db.scalars(select(Deal.owner_id).where(Deal.id.in_(deal_ids))))


def test_a_manager_sees_only_their_teams_deals(db: Session) -> None:
    report = team_risk(db, principal(db, WEST_MANAGER), NOW, limit=100)
    ids = [row.deal_id for row in report.deals]
    assert report.open_deals == len(ids) > 0
    assert _owner_ids(db, ids) <= _team_member_ids(db, "West")
    assert [row.score for row in report.deals] == sorted((row.score for row in report.deals), reverse=True)
    assert report.total_pipeline == pytest.approx(sum(row.amount for row in report.deals), abs=0.01)
    assert 0 < report.risk_weighted_pipeline < report.total_pipeline
    assert report.risk_weighted_pipeline + report.amount_at_risk == pytest.approx(report.total_pipeline, abs=0.05)
    assert report.high + report.medium + report.low == report.open_deals
    east = db.scalars(select(Team.id).where(Team.name == "East")).one()
    with pytest.raises(NotFound):
        team_risk(db, principal(db, WEST_MANAGER), NOW, team_id=east)
    east_rep = db.scalars(select(User.id).where(User.email == BOB)).one()
    with pytest.raises(NotFound):
        team_risk(db, principal(db, WEST_MANAGER), NOW, owner_id=east_rep)


def test_a_rep_asking_for_team_risk_gets_only_their_own_deals(db: Session) -> None:
    rita = principal(db, ALICE)
    west = db.scalars(select(Team.id).where(Team.name == "West")).one()
    for report in (team_risk(db, rita, NOW, limit=100), team_risk(db, rita, NOW, team_id=west, limit=100)):
        assert report.deals and _owner_ids(db, [row.deal_id for row in report.deals]) == {rita.user_id}


def test_deal_risk_on_another_teams_deal_is_not_found(db: Session) -> None:
    east_deal = db.scalars(
        select(Deal.id).where(Deal.owner_id.in_(_team_member_ids(db, "East"))).order_by(Deal.id)
    ).first()
    assert deal_risk(db, principal(db, EAST_MANAGER), east_deal, NOW).deal_id == east_deal
    for asker in (WEST_MANAGER, ALICE):
        with pytest.raises(NotFound):
            deal_risk(db, principal(db, asker), east_deal, NOW)


def test_filters_limit_and_bad_input(db: Session) -> None:
    maya = principal(db, WEST_MANAGER)
    start, end = NOW.date(), NOW.date() + timedelta(days=30)
    report = team_risk(db, maya, NOW, start=start, end=end, limit=3)
    assert len(report.deals) <= 3
    assert all(start <= row.close_date <= end for row in report.deals)
    with pytest.raises(ValidationFailed, match="start"):
        team_risk(db, maya, NOW, start=end, end=start)


def test_changes_since_last_week(db: Session) -> None:
    maya = principal(db, WEST_MANAGER)
    new = b.new_deal(db, ALICE, name="Fresh Pilot", created_days_ago=2, stage_entered_days_ago=2)
    won = b.new_deal(db, ALICE, name="Just Won", stage_name="Closed Won", created_days_ago=90, stage_entered_days_ago=3)
    worse = b.new_deal(db, ALICE, name="Going Cold", created_days_ago=60, next_step=None)
    for day in (50, 45, 40, 35, 30):
        b.touch(db, worse, day, worse.contacts[day % 3])
    b.change(db, worse, 2, close_date=["2026-11-25", "2026-11-10"])
    b.change(db, worse, 1, close_date=["2026-11-10", "2027-01-15"])
    b.change(db, worse, 1, amount=[90000.0, 30000.0])
    db.commit()
    report = team_risk(db, maya, NOW, limit=5)
    by_deal = {change.deal_id: change for change in report.changes_since_last_week}
    assert by_deal[new.deal.id].change == "new_deal"
    assert by_deal[won.deal.id].change == "won"
    assert by_deal[worse.deal.id].change == "risk_up"
    assert by_deal[worse.deal.id].score_now > by_deal[worse.deal.id].score_before
    assert "Amount cut" in by_deal[worse.deal.id].sentence
    assert {r.id for r in report.records} >= {new.deal.id, won.deal.id, worse.deal.id}


def test_tools_are_registered_and_follow_access(db: Session, settings: Settings) -> None:
    import tools.risk  # noqa: F401

    deps = Deps(principal=principal(db, ALICE), session=db, clock=Clock.fixed(NOW), settings=settings)
    team = TOOLSET.tools["team_risk"].run(deps, {"limit": 2})
    assert len(team.deals) == 2 and team.records
    mine = team.deals[0].deal_id
    risk = TOOLSET.tools["deal_risk"].run(deps, {"deal_id": mine})
    assert 0 <= risk.score <= 100 and risk.level in {"low", "medium", "high"}
    assert risk.records[0].id == mine
    bob_deal = db.scalars(select(Deal.id).join(User, User.id == Deal.owner_id).where(User.email == BOB)).first()
    with pytest.raises(NotFound):
        TOOLSET.tools["deal_risk"].run(deps, {"deal_id": bob_deal})
    assert isinstance(team.as_of, date)
