"""Write tools only propose; the registered apply functions write once, audited with the person's channel."""

import json
from datetime import date, datetime

import pytest
from sqlalchemy import func, select

from assistant.crm.errors import NotFound, ValidationFailed
from assistant.crm.models import Activity, AuditEntry, Channel, Deal, DealStageHistory, Stage
from tests.support import ALICE, BOB
from tests.tools.scope import user_id
from tools.registry import TOOLSET, get_tool


def run(deps, name: str, **args):
    return get_tool(name).run(deps, args)


def counts(db) -> tuple[int, int, int]:
    return (
        db.scalar(select(func.count()).select_from(AuditEntry)),
        db.scalar(select(func.count()).select_from(Activity)),
        db.scalar(select(func.count()).select_from(DealStageHistory)),
    )


def alice_open_deal(db) -> Deal:
    query = select(Deal).join(Stage, Stage.id == Deal.stage_id).where(Stage.name == "Qualification")
    return db.scalars(query.where(Deal.owner_id == user_id(db, ALICE)).order_by(Deal.id)).first()


def test_update_deal_proposes_then_applies_with_audit_and_undo(db, deps_for):
    deps = deps_for(ALICE, Channel.slack)
    deal = alice_open_deal(db)
    before = (deal.stage_id, float(deal.amount), deal.close_date, deal.next_step)
    before_counts = counts(db)
    proposal = run(deps, "update_deal", deal_id=deal.id, stage="Negotiation", amount=77000, close_date="2027-01-15")
    json.dumps(proposal.payload)
    assert proposal.kind == "update_deal"
    changed = {c.field: (c.old, c.new) for c in proposal.changes}
    assert changed["stage"] == ("Qualification", "Negotiation")
    assert changed["amount"] == (before[1], 77000.0)
    assert changed["close_date"] == (before[2].isoformat(), "2027-01-15")
    db.expire_all()
    assert (deal.stage_id, float(deal.amount), deal.close_date, deal.next_step) == before
    assert counts(db) == before_counts

    result = TOOLSET.writes["update_deal"].apply(deps, proposal.payload)
    db.expire_all()
    assert deal.stage.name == "Negotiation"
    assert float(deal.amount) == 77000.0 and deal.close_date == date(2027, 1, 15)
    entry = db.scalars(select(AuditEntry).where(AuditEntry.entity_id == deal.id).order_by(AuditEntry.id.desc())).first()
    assert (entry.channel, entry.actor_id, entry.action) == ("slack", user_id(db, ALICE), "update")
    assert entry.changes["amount"] == [before[1], 77000.0]
    assert counts(db)[2] == before_counts[2] + 1
    assert result["old"]["stage_id"] == before[0]

    TOOLSET.writes["update_deal"].undo(deps, json.loads(json.dumps(result)))
    db.expire_all()
    assert (deal.stage_id, float(deal.amount), deal.close_date, deal.next_step) == before


def test_undo_refuses_when_the_deal_changed_again(db, deps_for):
    deps = deps_for(ALICE)
    deal = alice_open_deal(db)
    result = TOOLSET.writes["update_deal"].apply(deps, run(deps, "update_deal", deal_id=deal.id, amount=12345).payload)
    TOOLSET.writes["update_deal"].apply(deps, run(deps, "update_deal", deal_id=deal.id, amount=54321).payload)
    with pytest.raises(ValidationFailed, match="changed again"):
        TOOLSET.writes["update_deal"].undo(deps, result)
    db.expire_all()
    assert float(deal.amount) == 54321.0


def test_update_deal_rejects_bad_requests(db, deps_for):
    deps = deps_for(ALICE)
    deal = alice_open_deal(db)
    with pytest.raises(ValidationFailed, match="Prospecting"):
        run(deps, "update_deal", deal_id=deal.id, stage="Signed")
    with pytest.raises(ValidationFailed, match="at least one"):
        run(deps, "update_deal", deal_id=deal.id)
    with pytest.raises(ValidationFailed, match="nothing would change"):
        run(deps, "update_deal", deal_id=deal.id, amount=float(deal.amount))
    with pytest.raises(ValueError):
        run(deps, "update_deal", deal_id=deal.id, amount=-5)
    bobs = db.scalars(select(Deal.id).where(Deal.owner_id == user_id(db, BOB))).first()
    with pytest.raises(NotFound):
        run(deps, "update_deal", deal_id=bobs, amount=1)


def test_log_activity_and_create_task_write_only_when_applied(db, deps_for):
    deps = deps_for(ALICE, Channel.web)
    deal = alice_open_deal(db)
    before = counts(db)
    log = run(deps, "log_activity", type="call", subject="Call with the CFO", body="Budget approved", deal_id=deal.id)
    task = run(deps, "create_task", subject="Send contract", due_date="2026-11-27", deal_id=deal.id)
    assert {c.field: c.new for c in log.changes}["body"] == "Budget approved"
    assert [r.id for r in task.records] == [deal.id]
    assert counts(db) == before

    logged = TOOLSET.writes["log_activity"].apply(deps, json.loads(json.dumps(log.payload)))
    created = TOOLSET.writes["create_task"].apply(deps, json.loads(json.dumps(task.payload)))
    call = db.get(Activity, logged["record_id"])
    todo = db.get(Activity, created["record_id"])
    assert (call.type, call.body, call.account_id, call.author_id) == (
        "call",
        "Budget approved",
        deal.account_id,
        user_id(db, ALICE),
    )
    assert call.occurred_at == datetime(2026, 11, 20, 9, 0)
    assert (todo.type, todo.status, todo.due_date) == ("task", "open", date(2026, 11, 27))
    channels = db.scalars(
        select(AuditEntry.channel).where(
            AuditEntry.entity_type == "activity", AuditEntry.entity_id.in_([call.id, todo.id])
        )
    ).all()
    assert channels == ["web", "web"]


def test_activity_writes_reject_missing_links_past_due_dates_and_hidden_records(db, deps_for):
    deps = deps_for(ALICE)
    with pytest.raises(ValidationFailed, match="link it"):
        run(deps, "log_activity", type="note", subject="Loose note")
    with pytest.raises(ValidationFailed, match="in the past"):
        run(deps, "create_task", subject="Late", due_date="2026-11-01", account_id=alice_open_deal(db).account_id)
    with pytest.raises(ValidationFailed, match="future"):
        run(
            deps,
            "log_activity",
            type="call",
            subject="Soon",
            deal_id=alice_open_deal(db).id,
            occurred_at="2027-01-01T10:00",
        )
    bobs = db.scalars(select(Deal.id).where(Deal.owner_id == user_id(db, BOB))).first()
    with pytest.raises(NotFound):
        run(deps, "log_activity", type="note", subject="Sneaky", deal_id=bobs)
