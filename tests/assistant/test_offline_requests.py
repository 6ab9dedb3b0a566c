"""Requests the offline brain used to misread: writes phrased as statements, replies to its own questions,
filters it dropped, account-level questions, and answers rendered from each tool's own template."""

from typing import Any

import pytest
import yaml
from sqlalchemy import text

from assistant.agent.brains.offline.render import ANSWERS
from tests.support import ADMIN, ALICE, BOB, WEST_MANAGER

OPEN = "FROM deals d JOIN stages s ON s.id = d.stage_id WHERE s.is_closed = 0"


def _one(db, sql: str, **params: Any) -> Any:
    return db.execute(text(sql), params).scalar()


def _call(response) -> tuple[str, dict[str, Any]]:
    assert len(response.tool_calls) == 1, response.answer
    return response.tool_calls[0].name, response.tool_calls[0].args


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("bump Wonka Confections - Analytics Suite to 95k", {"deal_id": 20, "amount": 95000}),
        ("raise the Oceanic Airlines deal to $20,000", {"deal_id": 29, "amount": 20000}),
        (
            "Next step for the Hooli deal: send the proposal by Friday",
            {"deal_id": 11, "next_step": "send the proposal by Friday", "stage": None, "close_date": None},
        ),
        ("can you push the close date on Hooli to 2027-03-31?", {"deal_id": 11, "close_date": "2027-03-31"}),
    ],
)
def test_statements_that_change_a_deal_are_proposed(ask, message, expected) -> None:
    response = ask(ALICE, message)
    name, args = _call(response)
    assert name == "update_deal" and response.pending_action is not None
    for key, value in expected.items():
        assert args.get(key) == value, args


def test_a_note_on_an_account_with_several_deals_goes_on_the_account(ask, db) -> None:
    northstar = _one(db, "SELECT id FROM accounts WHERE name = 'Northstar Insurance'")
    assert _one(db, f"SELECT count(*) {OPEN} AND d.account_id = :a", a=northstar) > 1
    response = ask(ALICE, "Add a note to Northstar Insurance: they are consolidating vendors next year")
    name, args = _call(response)
    assert name == "log_activity" and response.pending_action is not None
    assert args["account_id"] == northstar and "deal_id" not in args
    assert args["type"] == "note" and args["body"] == "they are consolidating vendors next year"


def test_a_meeting_logged_on_a_named_deal_keeps_the_details_after_the_colon(ask) -> None:
    response = ask(ALICE, "log a meeting on Wonka Confections - Analytics Suite: pilot scope agreed with John Moreau")
    name, args = _call(response)
    assert name == "log_activity" and args["deal_id"] == 20 and args["type"] == "meeting"
    assert args["body"] == "pilot scope agreed with John Moreau"


def test_a_log_without_a_record_asks_and_the_reply_completes_it(ask, db) -> None:
    first = ask(ALICE, "Log a call")
    assert first.tool_calls == [] and "?" in first.answer and first.pending_action is None
    second = ask(ALICE, "Hooli", first.thread_id)
    name, args = _call(second)
    assert name == "log_activity" and args["type"] == "call"
    assert args.get("deal_id") == 11 or args.get("account_id") == _one(db, "SELECT id FROM accounts WHERE name='Hooli'")
    assert second.pending_action is not None


def test_a_choice_lists_stage_and_amount_and_the_reply_keeps_the_request(ask, db) -> None:
    first = ask(ALICE, "Move the Krusty Foods deal to Negotiation")
    for deal_id in (62, 63):
        name, stage, amount = db.execute(
            text("SELECT d.name, s.name, d.amount FROM deals d JOIN stages s ON s.id = d.stage_id WHERE d.id = :i"),
            {"i": deal_id},
        ).one()
        line = next(line for line in first.answer.splitlines() if name in line)
        assert stage in line and f"${amount:,.0f}" in line, first.answer
    second = ask(ALICE, "the renewal", first.thread_id)
    assert _call(second) == ("update_deal", {"deal_id": 63, "stage": "Negotiation"})
    third = ask(ALICE, "set the Blue Sun Energy deal amount to 40000")
    fourth = ask(ALICE, "#51", third.thread_id)
    assert _call(fourth) == ("update_deal", {"deal_id": 51, "amount": 40000.0})
    fifth = ask(ALICE, "set the Blue Sun Energy deal amount to 40000")
    sixth = ask(ALICE, "1", fifth.thread_id)
    assert _call(sixth)[1]["deal_id"] == 50


def test_a_new_request_after_a_question_is_answered_as_itself(ask) -> None:
    first = ask(ALICE, "Move the Krusty Foods deal to Negotiation")
    second = ask(ALICE, "show my open deals", first.thread_id)
    assert _call(second)[0] == "query" and second.pending_action is None


def test_contact_email_with_a_possessive(ask, db) -> None:
    response = ask(ALICE, "What's Tom Berg's email address?")
    name, args = _call(response)
    assert name == "find_contacts" and args["q"] == "Tom Berg"
    assert _one(db, "SELECT email FROM contacts WHERE first_name = 'Tom' AND last_name = 'Berg'") in response.answer


def test_account_overview_states_owner_industry_and_next_steps(ask, db) -> None:
    owner, industry = db.execute(
        text("SELECT u.name, a.industry FROM accounts a JOIN users u ON u.id = a.owner_id WHERE a.name = 'Globex'")
    ).one()
    answer = ask(ADMIN, "Who owns the Globex account?").answer
    assert owner in answer and industry in answer
    next_step = _one(db, f"SELECT d.next_step {OPEN} AND d.account_id = 7")
    assert next_step in ask(ALICE, "what's the next step on Hooli?").answer


@pytest.mark.parametrize(
    ("message", "field", "column"),
    [("List our retail accounts", "industry", "industry"), ("Which accounts are in APAC?", "region", "region")],
)
def test_account_filters_are_passed(ask, db, message, field, column) -> None:
    name, args = _call(ask(ADMIN, message))
    assert name == "query" and args["object"] == "accounts"
    value = args["filters"]["industries" if field == "industry" else "regions"][0]
    assert _one(db, f"SELECT count(*) FROM accounts WHERE lower({column}) = lower(:v)", v=value) > 0


def test_a_deal_by_number_and_a_deal_history(ask) -> None:
    assert _call(ask(ALICE, "show deal #20")) == ("get_deal", {"deal_id": 20})
    assert _call(ask(ALICE, "What were the last activities on the Hooli deal?"))[0] == "list_activities"


def test_pipeline_by_close_month(ask, db) -> None:
    name, args = _call(ask(ADMIN, "pipeline by close month"))
    assert name == "query" and args["group_by"] == "month"
    east = _one(db, "SELECT id FROM teams WHERE name = 'East'")
    response = ask(ADMIN, "pipeline per month for the East team")
    name, args = _call(response)
    assert (name, args["group_by"], args["filters"]["team_ids"]) == ("query", "month", [east])
    total = _one(db, f"SELECT sum(d.amount) {OPEN} AND d.owner_id IN (SELECT id FROM users WHERE team_id = :t)", t=east)
    assert f"${total:,.0f}" in response.answer


def test_deals_set_to_close_are_open_deals(ask, db) -> None:
    response = ask(BOB, "How many of my deals are set to close this quarter?")
    name, args = _call(response)
    count = _one(
        db,
        f"SELECT count(*) {OPEN} AND d.owner_id = 7 AND d.close_date BETWEEN '2026-10-01' AND '2026-12-31'",
    )
    assert args["filters"]["status"] == "open" and response.answer.startswith(f"{count} open deals"), response.answer


def test_deals_closing_keeps_the_amount_bound(ask, db) -> None:
    response = ask(ALICE, "show my deals closing next month over 20k")
    name, args = _call(response)
    assert args["filters"]["amount_min"] == 20000
    count = _one(
        db,
        f"SELECT count(*) {OPEN} AND d.owner_id = 3 AND d.amount >= 20000"
        " AND d.close_date BETWEEN '2026-12-01' AND '2026-12-31'",
    )
    assert f"The {count} open deals" in response.answer
    small = db.execute(text(f"SELECT d.name {OPEN} AND d.owner_id = 3 AND d.amount < 20000")).scalars().all()
    assert not [n for n in small if n in response.answer]


def test_a_follow_up_to_a_contact_about_a_deal_is_a_draft(ask) -> None:
    response = ask(ALICE, "Write a follow-up to John Moreau about Wonka Confections - Analytics Suite")
    name, args = _call(response)
    assert name == "draft_followup_email" and args["deal_id"] == 20 and "purpose" not in args
    assert "John" in response.answer and response.pending_action is None


def test_what_an_account_said_is_answered_for_the_account(ask) -> None:
    response = ask(ALICE, "what did Krusty Foods say about pricing?")
    name, args = _call(response)
    assert name in ("get_call_summary", "search_notes") and args["account_id"] == 30
    assert "Which deal" not in response.answer and "pric" in response.answer.lower()


def test_every_tool_has_its_own_template() -> None:
    from tools.registry import all_tools

    templates = yaml.safe_load(ANSWERS.read_text(encoding="utf-8"))
    rendered_in_code = {"query"}
    missing = [s.name for s in all_tools() if not s.writes and s.name not in {*templates, *rendered_in_code}]
    assert missing == [] and "proposal" in templates


def test_team_risk_is_a_ranked_brief(ask) -> None:
    from tools.registry import get_tool

    response = ask(WEST_MANAGER, "which deals should I worry about?")
    assert _call(response)[0] == "team_risk" and response.grounded
    assert not response.answer.startswith("Here is what")
    assert "risk-weighted pipeline" in response.answer and "at risk" in response.answer
    assert "1. " in response.answer and "risk score" in response.answer
    assert get_tool("team_risk").name == "team_risk"


def test_deal_risk_gives_reasons_and_next_actions(ask) -> None:
    response = ask(ALICE, "Is the Hooli deal at risk?")
    assert _call(response) == ("deal_risk", {"deal_id": 11})
    assert "Why:" in response.answer and "Suggested next actions:" in response.answer and response.grounded


def test_calls_are_listed_and_summarised(ask) -> None:
    listed = ask(ALICE, "show me calls with Hooli")
    assert _call(listed)[0] == "find_calls" and ".wav" in listed.answer and listed.grounded
    summary = ask(ALICE, "Summarise my last call with Wonka Confections")
    assert _call(summary)[0] == "get_call_summary" and "Summary:" in summary.answer and summary.grounded
