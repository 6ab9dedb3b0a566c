"""Threads, follow-ups, clarifications, and the confirm / cancel / undo of proposed writes."""

from sqlalchemy import text

from assistant.crm.models import Channel
from tests import support
from tests.support import ALICE, BOB, WEST_MANAGER


def _deal(db, deal_id: int) -> tuple:
    db.expire_all()
    return db.execute(
        text("SELECT s.name, d.amount, d.close_date FROM deals d JOIN stages s ON s.id = d.stage_id WHERE d.id = :i"),
        {"i": deal_id},
    ).one()


def _audits(db, deal_id: int) -> list[tuple]:
    db.expire_all()
    return list(
        db.execute(
            text(
                "SELECT actor_id, channel, changes FROM audit_log WHERE entity_type = 'deal' AND entity_id = :i"
                " AND at >= '2026-11-20' ORDER BY id"
            ),  # fmt: skip
            {"i": deal_id},
        )
    )


def test_follow_up_reuses_the_last_tool_with_a_new_period(ask, db) -> None:
    first = ask(ALICE, "show my open deals")
    second = ask(ALICE, "and the ones closing next month?", first.thread_id)
    assert second.thread_id == first.thread_id
    call = second.tool_calls[0]
    assert call.name == "query"
    filters = call.args["filters"]
    assert filters["status"] == "open" and filters["owner"] == "me"
    assert (filters["period"]["start"], filters["period"]["end"]) == ("2026-12-01", "2026-12-31")
    count = db.execute(
        text(
            "SELECT count(*) FROM deals d JOIN stages s ON s.id = d.stage_id WHERE d.owner_id = 3 "
            "AND s.is_closed = 0 AND d.close_date BETWEEN '2026-12-01' AND '2026-12-31'"
        )  # fmt: skip
    ).scalar()
    assert f"The {count} open deals" in second.answer


def test_log_that_as_a_call_uses_the_deal_in_focus(ask, db) -> None:
    first = ask(ALICE, "tell me about the Hooli deal")
    second = ask(ALICE, "log that as a call", first.thread_id)
    assert second.tool_calls[0].name == "log_activity"
    assert second.tool_calls[0].args["deal_id"] == 11 and second.tool_calls[0].args["type"] == "call"
    assert second.pending_action is not None
    before = db.execute(text("SELECT count(*) FROM activities WHERE deal_id = 11")).scalar()
    done = ask(ALICE, "yes", first.thread_id)
    assert done.answer.startswith("Done")
    db.expire_all()
    assert db.execute(text("SELECT count(*) FROM activities WHERE deal_id = 11")).scalar() == before + 1


def test_ambiguous_name_asks_which_and_the_answer_resolves_it(ask, db) -> None:
    first = ask(ALICE, "tell me about the Krusty Foods deal")
    assert not first.tool_calls
    assert "Krusty Foods - Analytics Suite" in first.answer and "Krusty Foods - Renewal" in first.answer
    renewal_id = db.execute(text("SELECT id FROM deals WHERE name = 'Krusty Foods - Renewal'")).scalar()
    second = ask(ALICE, "the renewal", first.thread_id)
    assert [c.name for c in second.tool_calls] == ["get_deal"]
    assert second.tool_calls[0].args["deal_id"] == renewal_id


def test_missing_required_slot_asks_for_it(ask) -> None:
    response = ask(ALICE, "remind me to send the contract to Hooli")
    assert not response.tool_calls and response.pending_action is None
    assert "When is it due" in response.answer


def test_out_of_scope_says_what_it_can_do(ask) -> None:
    response = ask(BOB, "what's the weather in Paris tomorrow")
    assert not response.tool_calls
    assert "I can only help with your CRM work" in response.answer and "find deals" in response.answer


def test_write_waits_for_confirmation_applies_once_and_is_audited(ask, assistant, db) -> None:
    proposed = ask(ALICE, "move the Hooli deal to proposal")
    assert proposed.pending_action is not None
    assert _deal(db, 11)[0] == "Negotiation"
    alice = support.principal(db, ALICE, Channel.slack)
    first = assistant.confirm(alice, proposed.thread_id, proposed.pending_action.id)
    second = assistant.confirm(alice, proposed.thread_id, proposed.pending_action.id)
    assert first.answer == second.answer and first.answer.startswith("Done")
    assert _deal(db, 11)[0] == "Proposal"
    audits = _audits(db, 11)
    assert len(audits) == 1 and audits[0][0] == 3 and audits[0][1] == "slack"
    status = db.execute(text("SELECT status FROM pending_actions WHERE id = :i"), {"i": first.pending_action.id})
    assert status.scalar() == "applied"


def test_only_the_asker_can_confirm(ask, assistant, db) -> None:
    proposed = ask(ALICE, "set the amount on the Hooli deal to 40k")
    manager = support.principal(db, WEST_MANAGER)
    try:
        assistant.confirm(manager, proposed.thread_id, proposed.pending_action.id)
        raise AssertionError("another person confirmed Alice's change")
    except Exception as exc:
        assert "not found" in str(exc)
    assert float(_deal(db, 11)[1]) == 35000


def test_cancel_drops_the_proposal(ask, assistant, db) -> None:
    proposed = ask(ALICE, "push the Hooli close date to March 3")
    alice = support.principal(db, ALICE)
    cancelled = assistant.cancel(alice, proposed.thread_id)
    assert "nothing was changed" in cancelled.answer
    after = assistant.confirm(alice, proposed.thread_id, proposed.pending_action.id)
    assert "cancelled" in after.answer
    assert str(_deal(db, 11)[2]) == "2027-02-25"


def test_undo_reverses_the_last_change_after_confirmation(ask, db) -> None:
    proposed = ask(ALICE, "set the amount on the Hooli deal to 40k")
    ask(ALICE, "yes", proposed.thread_id)
    assert float(_deal(db, 11)[1]) == 40000
    undo = ask(ALICE, "undo", proposed.thread_id)
    assert undo.pending_action is not None and float(_deal(db, 11)[1]) == 40000
    ask(ALICE, "confirm", proposed.thread_id)
    assert float(_deal(db, 11)[1]) == 35000
    assert len(_audits(db, 11)) == 2


def test_threads_are_private_and_listed(ask, assistant, db) -> None:
    mine = ask(ALICE, "show my leads")
    bob = support.principal(db, BOB)
    try:
        ask(BOB, "and the qualified ones?", mine.thread_id)
        raise AssertionError("Bob continued Alice's thread")
    except Exception as exc:
        assert "not found" in str(exc)
    alice = support.principal(db, ALICE)
    assert [t.id for t in assistant.threads(alice)] == [mine.thread_id]
    assert assistant.threads(bob) == []
    roles = [m["role"] for m in assistant.messages(alice, mine.thread_id)]
    assert roles == ["user", "assistant"]
    assert assistant.thread_for(alice, "slack:C1:123") is None
    again = assistant.ask(alice, "show my leads", external_ref="slack:C1:123")
    assert assistant.thread_for(alice, "slack:C1:123") == again.thread_id
