"""Each risk signal shows up on a deal that exhibits it, with the records that show it; a healthy deal has none."""

from datetime import timedelta

import pytest
from sqlalchemy.orm import Session

from assistant.crm.settings import Settings
from assistant.risk.engine import build_engine
from assistant.risk.reports import deal_risk
from tests.risk import builders as b
from tests.support import ALICE, NOW, principal


def _evidence(report, signal: str) -> set[tuple[str, int]]:
    reason = next(r for r in report.reasons if r.signal == signal)
    assert reason.weight > 0 and reason.sentence
    return {(ref.type, ref.id) for ref in reason.evidence}


@pytest.fixture
def troubled(db: Session) -> dict[str, object]:
    for i in range(12):
        b.new_deal(db, ALICE, name=f"Lost Show {i}", stage_name="Closed Lost", lead_source="Trade Show")
    built = b.new_deal(
        db,
        ALICE,
        name="Troubled Renewal",
        stage_name="Qualification",
        created_days_ago=250,
        stage_entered_days_ago=200,
        close_in_days=-10,
        amount=60000,
        next_step=None,
        lead_source="Trade Show",
        titles=("IT Manager", "CEO"),
    )
    it_manager = built.contacts[0]
    old = b.touch(db, built, 120, it_manager, "Kick-off call, all good.")
    competitor = b.touch(db, built, 75, it_manager, "They are also evaluating Northwind CRM and Rivalsoft.")
    objection = b.touch(db, built, 60, it_manager, "Heard that the budget might be cut next quarter.", kind="note")
    slips = [
        b.change(db, built, 90, close_date=["2026-08-01", "2026-09-01"]),
        b.change(db, built, 40, close_date=["2026-09-01", "2026-11-10"]),
    ]
    cut = b.change(db, built, 50, amount=[100000.0, 60000.0])
    overdue = b.task(db, built, NOW.date() - timedelta(days=5))
    done = b.task(db, built, NOW.date() - timedelta(days=8), status="done")
    call = b.call_summary(db, built, 30, {"bant": {"budget": "budget freeze until Q2", "authority": "ok"}})
    db.commit()
    return {
        "deal": built.deal,
        "contact": it_manager.id,
        "activities": [old.id, competitor.id, objection.id],
        "latest": objection.id,
        "competitor": competitor.id,
        "objection": objection.id,
        "slips": [s.id for s in slips],
        "cut": cut.id,
        "overdue": overdue.id,
        "done": done.id,
        "call": call.id,
        "stage_change": built.ids["stage_change"][0],
    }


def test_every_signal_appears_with_its_evidence(db: Session, troubled: dict) -> None:
    rita = principal(db, ALICE)
    engine = build_engine(db, NOW, Settings(competitors=["Rivalsoft"]))
    report = deal_risk(db, rita, troubled["deal"].id, NOW, engine=engine)
    signals = {r.signal for r in report.reasons}
    assert report.level == "high" and report.score >= 60
    assert ("activity", troubled["latest"]) in _evidence(report, "stale_activity")
    assert {("audit", i) for i in troubled["slips"]} == _evidence(report, "close_date_slipped")
    assert ("deal", troubled["deal"].id) in _evidence(report, "close_date_past")
    assert ("stage_change", troubled["stage_change"]) in _evidence(report, "stage_stalled")
    assert "no_next_step" in signals
    assert _evidence(report, "overdue_task") == {("activity", troubled["overdue"])}
    single = _evidence(report, "single_threaded")
    assert ("contact", troubled["contact"]) in single and ("activity", troubled["latest"]) in single
    assert ("contact", troubled["contact"]) in _evidence(report, "no_decision_maker")
    assert _evidence(report, "amount_cut") == {("audit", troubled["cut"])}
    competitor = next(r for r in report.reasons if r.signal == "competitor_mentioned")
    assert "Northwind CRM" in competitor.sentence and "Rivalsoft" in competitor.sentence
    assert _evidence(report, "competitor_mentioned") == {("activity", troubled["competitor"])}
    negative = _evidence(report, "negative_call_signals")
    assert {("activity", troubled["objection"]), ("call", troubled["call"])} <= negative
    assert "Trade Show" in next(r.sentence for r in report.reasons if r.signal == "weak_lead_source")
    assert "thin_engagement" in signals
    assert report.suggested_next_actions
    assert {(r.type, r.id) for r in report.records} >= {("activity", troubled["overdue"]), ("audit", troubled["cut"])}
    assert report.reasons == sorted(report.reasons, key=lambda r: -r.weight)


def test_without_the_configured_competitor_only_demo_competitors_count(db: Session, troubled: dict) -> None:
    report = deal_risk(db, principal(db, ALICE), troubled["deal"].id, NOW)
    competitor = next(r for r in report.reasons if r.signal == "competitor_mentioned")
    assert "Northwind CRM" in competitor.sentence and "Rivalsoft" not in competitor.sentence


def test_a_healthy_deal_has_no_risk_reasons(db: Session) -> None:
    rates = build_engine(db, NOW).baselines.win_rates
    amount = next(a for a in (5000, 15000, 30000, 60000, 150000) if (s := rates.for_size(a)) and s.deficit < 0.15)
    built = b.new_deal(db, ALICE, name="Healthy Platform", amount=amount)
    for index, day in enumerate(range(2, 40, 3)):
        b.touch(db, built, day, built.contacts[index % 3], "Productive session on the rollout plan.")
    b.task(db, built, NOW.date() + timedelta(days=4))
    db.commit()
    report = deal_risk(db, principal(db, ALICE), built.deal.id, NOW)
    assert report.reasons == [] and report.level == "low"
    assert report.score < 35 and report.suggested_next_actions == []
