# ruff: noqa: E501
"""The offline brain on the small demo data: the right tool, the right arguments, and facts that match SQL.

Each row: who asks, the message, the tool expected, a subset of its arguments, and optionally a SQL
query whose single value must appear in the answer (formatted as money when `fmt` says so).
Placeholders: :me is the asker's user id, :team their team id. Today is 2026-11-20.
"""

from typing import Any

import pytest
from sqlalchemy import text

from tests.support import ADMIN, ALICE, BOB, WEST_MANAGER

DEALS = "FROM deals d JOIN stages s ON s.id = d.stage_id"
MINE_OPEN = f"{DEALS} WHERE d.owner_id = :me AND s.is_closed = 0"
TEAM = "(SELECT id FROM users WHERE team_id = :team OR id IN (SELECT manager_id FROM teams WHERE id = :team))"
THIS_QUARTER = {"period": "this quarter"}
Q = "2026-10-01' AND '2026-12-31"

CASES: list[tuple[str, str, str, dict[str, Any], str | None, str]] = [
    # deals
    (
        ALICE,
        "show my open deals",
        "find_deals",
        {"owner_id": ":me", "status": "open"},
        f"SELECT count(*) {MINE_OPEN}",
        "count",
    ),
    (
        ALICE,
        "what deals do I have",
        "find_deals",
        {"owner_id": ":me"},
        f"SELECT count(*) {DEALS} WHERE d.owner_id = :me",
        "count",
    ),
    (
        ALICE,
        "how many open deals do I have",
        "find_deals",
        {"status": "open"},
        f"SELECT sum(d.amount) {MINE_OPEN}",
        "money",
    ),
    (
        ALICE,
        "list my deals in negotiation",
        "find_deals",
        {"stage": "Negotiation"},
        f"SELECT count(*) {MINE_OPEN} AND s.name = 'Negotiation'",
        "count",
    ),
    (
        ALICE,
        "deals over 50k",
        "find_deals",
        {"amount_min": 50000},
        f"SELECT count(*) {DEALS} WHERE d.owner_id = :me AND d.amount >= 50000",
        "count",
    ),
    (
        ALICE,
        "my deals under $20,000",
        "find_deals",
        {"amount_max": 20000},
        f"SELECT count(*) {DEALS} WHERE d.owner_id = :me AND d.amount <= 20000",
        "count",
    ),
    (
        ALICE,
        "which deals are in the proposal stage",
        "find_deals",
        {"stage": "Proposal"},
        f"SELECT count(*) {DEALS} WHERE d.owner_id = :me AND s.name = 'Proposal'",
        "count",
    ),
    (
        ALICE,
        "won deals last quarter",
        "find_deals",
        {"status": "won", "close_from": "2026-07-01", "close_to": "2026-09-30"},
        f"SELECT count(*) {DEALS} WHERE d.owner_id = :me AND s.is_won = 1 AND d.close_date BETWEEN '2026-07-01' AND '2026-09-30'",
        "count",
    ),
    (
        ALICE,
        "which deals did we lose this year",
        "find_deals",
        {"status": "lost", "close_from": "2026-01-01"},
        f"SELECT sum(d.amount) {DEALS} WHERE d.owner_id = :me AND s.is_closed = 1 AND s.is_won = 0 AND d.close_date BETWEEN '2026-01-01' AND '2026-12-31'",
        "money",
    ),
    (
        ALICE,
        "list all deals at Krusty Foods",
        "find_deals",
        {"account_id": 30},
        f"SELECT count(*) {DEALS} WHERE d.account_id = 30",
        "count",
    ),
    (
        ALICE,
        "deals closing in Q1 2027",
        "find_deals",
        {"close_from": "2027-01-01", "close_to": "2027-03-31"},
        f"SELECT count(*) {DEALS} WHERE d.owner_id = :me AND d.close_date BETWEEN '2027-01-01' AND '2027-03-31'",
        "count",
    ),
    (
        BOB,
        "show my open deals",
        "find_deals",
        {"owner_id": ":me", "status": "open"},
        f"SELECT count(*) {MINE_OPEN}",
        "count",
    ),
    (
        BOB,
        "deals between 20k and 60k",
        "find_deals",
        {"amount_min": 20000, "amount_max": 60000},
        f"SELECT count(*) {DEALS} WHERE d.owner_id = :me AND d.amount BETWEEN 20000 AND 60000",
        "count",
    ),
    (
        WEST_MANAGER,
        "show my team's open deals",
        "find_deals",
        {"team_id": ":team", "status": "open"},
        f"SELECT count(*) {DEALS} WHERE d.owner_id IN {TEAM} AND s.is_closed = 0",
        "count",
    ),
    (
        WEST_MANAGER,
        "list Sam's deals",
        "find_deals",
        {"owner_id": 4},
        f"SELECT count(*) {DEALS} WHERE d.owner_id = 4",
        "count",
    ),
    (
        ADMIN,
        "deals in negotiation over 50k",
        "find_deals",
        {"stage": "Negotiation", "amount_min": 50000},
        f"SELECT count(*) {DEALS} WHERE s.name = 'Negotiation' AND d.amount >= 50000",
        "count",
    ),
    # one deal
    (
        ALICE,
        "tell me about the Hooli deal",
        "get_deal",
        {"deal_id": 11},
        "SELECT amount FROM deals WHERE id = 11",
        "money",
    ),
    (
        ALICE,
        "where is the Oceanic Airlines deal at",
        "get_deal",
        {"deal_id": 29},
        "SELECT amount FROM deals WHERE id = 29",
        "money",
    ),
    (
        ALICE,
        "what's the status of deal 11",
        "get_deal",
        {"deal_id": 11},
        "SELECT s.name FROM deals d JOIN stages s ON s.id = d.stage_id WHERE d.id = 11",
        "text",
    ),
    (
        ALICE,
        "how is the hooli deal going",
        "get_deal",
        {"deal_id": 11},
        "SELECT next_step FROM deals WHERE id = 11",
        "text",
    ),
    (
        BOB,
        "details on the Cyberdyne Systems pilot",
        "get_deal",
        {"deal_id": 22},
        "SELECT amount FROM deals WHERE id = 22",
        "money",
    ),
    # accounts, contacts, leads
    (
        ALICE,
        "give me an overview of Krusty Foods",
        "get_account_overview",
        {"account_id": 30},
        f"SELECT sum(d.amount) {DEALS} WHERE d.account_id = 30 AND s.is_closed = 0",
        "money",
    ),
    (ALICE, "how are we doing with Hooli", "get_account_overview", {"account_id": 7}, None, ""),
    (
        BOB,
        "account summary for Soylent Foods",
        "get_account_overview",
        {"account_id": 8},
        f"SELECT count(*) {DEALS} WHERE d.account_id = 8 AND s.is_won = 1",
        "count",
    ),
    (
        ALICE,
        "list my accounts",
        "find_accounts",
        {"owner_id": ":me"},
        "SELECT count(*) FROM accounts WHERE owner_id = :me",
        "count",
    ),
    (
        BOB,
        "which accounts do I own",
        "find_accounts",
        {"owner_id": ":me"},
        "SELECT count(*) FROM accounts WHERE owner_id = :me",
        "count",
    ),
    (
        ALICE,
        "who are the contacts at Hooli",
        "find_contacts",
        {"account_id": 7},
        "SELECT first_name || ' ' || last_name FROM contacts WHERE account_id = 7 ORDER BY id LIMIT 1",
        "text",
    ),
    (
        BOB,
        "list contacts at Umbrella Health",
        "find_contacts",
        {"account_id": 4},
        "SELECT count(*) FROM contacts WHERE account_id = 4",
        "count",
    ),
    (
        ALICE,
        "show my leads",
        "find_leads",
        {"owner_id": ":me"},
        "SELECT count(*) FROM leads WHERE owner_id = :me",
        "count",
    ),
    (
        ADMIN,
        "which leads are qualified",
        "find_leads",
        {"status": "qualified"},
        "SELECT count(*) FROM leads WHERE status = 'qualified'",
        "count",
    ),
    (
        ADMIN,
        "list new leads",
        "find_leads",
        {"status": "new"},
        "SELECT count(*) FROM leads WHERE status = 'new'",
        "count",
    ),
    # activities and tasks
    (
        ALICE,
        "what happened with Hooli lately",
        "list_activities",
        {"account_id": 7},
        "SELECT count(*) FROM activities WHERE account_id = 7 AND type != 'task'",
        "count",
    ),
    (ALICE, "show my last calls", "list_activities", {"type": "call"}, None, ""),
    (
        BOB,
        "emails with Soylent Foods",
        "list_activities",
        {"account_id": 8, "type": "email"},
        "SELECT count(*) FROM activities WHERE account_id = 8 AND type = 'email'",
        "count",
    ),
    (ALICE, "meetings since October", "list_activities", {"type": "meeting", "since": "2026-10-01"}, None, ""),
    (
        ALICE,
        "what's on my plate",
        "next_actions",
        {},
        "SELECT count(*) FROM activities WHERE author_id = :me AND type = 'task' AND status = 'open' AND due_date < '2026-11-20'",
        "count",
    ),
    (
        ALICE,
        "which tasks are overdue",
        "list_tasks",
        {"overdue_only": True},
        "SELECT count(*) FROM activities WHERE author_id = :me AND type = 'task' AND status = 'open' AND due_date < '2026-11-20'",
        "count",
    ),
    (BOB, "show my open tasks", "list_tasks", {}, None, ""),
    # analytics
    (ALICE, "summarize my pipeline", "pipeline_summary", {}, f"SELECT sum(d.amount) {MINE_OPEN}", "money"),
    (
        ALICE,
        "pipeline by stage this quarter",
        "pipeline_summary",
        {**THIS_QUARTER, "group_by": "stage"},
        f"SELECT count(*) {MINE_OPEN} AND d.close_date BETWEEN '{Q}'",
        "count",
    ),
    (
        WEST_MANAGER,
        "pipeline by owner for my team",
        "pipeline_summary",
        {"group_by": "owner", "team_id": ":team"},
        None,
        "",
    ),
    (
        ALICE,
        "what's our win rate this year",
        "won_lost_summary",
        {"period": "this year"},
        f"SELECT count(*) {DEALS} WHERE d.owner_id = :me AND s.is_won = 1 AND d.close_date BETWEEN '2026-01-01' AND '2026-12-31'",
        "count",
    ),
    (BOB, "how many deals did we win last month", "won_lost_summary", {"period": "last month"}, None, ""),
    (WEST_MANAGER, "won vs lost this quarter", "won_lost_summary", THIS_QUARTER, None, ""),
    (ALICE, "how long is our sales cycle", "sales_cycle", {}, None, ""),
    (BOB, "average time to close a deal this year", "sales_cycle", {"period": "this year"}, None, ""),
    (ALICE, "what's our lead conversion rate", "lead_conversion", {}, None, ""),
    (ADMIN, "conversion rate by lead source this year", "lead_conversion", {"period": "this year"}, None, ""),
    (WEST_MANAGER, "who are the top performers this year", "top_performers", {"period": "this year"}, None, ""),
    (ADMIN, "who won the most deals this quarter", "top_performers", {"metric": "won_count", **THIS_QUARTER}, None, ""),
    (ALICE, "which deals have gone quiet", "stale_deals", {}, None, ""),
    (ALICE, "deals with no activity in 3 weeks", "stale_deals", {"days": 21}, None, ""),
    (BOB, "what deals haven't been touched in 30 days", "stale_deals", {"days": 30}, None, ""),
    (ALICE, "what's my forecast for this quarter", "forecast", THIS_QUARTER, None, ""),
    (WEST_MANAGER, "commit and best case for next quarter", "forecast", {"period": "next quarter"}, None, ""),
    (
        ALICE,
        "deals closing in the next 30 days",
        "deals_closing",
        {"period": "next 30 days"},
        f"SELECT count(*) {MINE_OPEN} AND d.close_date BETWEEN '2026-11-20' AND '2026-12-20'",
        "count",
    ),
    (BOB, "what's closing this month", "deals_closing", {"period": "this month"}, None, ""),
    # search and drafts
    (ALICE, "search notes for pricing", "search_notes", {"query": "pricing"}, None, ""),
    (BOB, "find notes mentioning a competitor", "search_notes", {}, None, ""),
    (
        ALICE,
        "draft a follow-up email for the Hooli deal",
        "draft_followup_email",
        {"deal_id": 11},
        "SELECT c.email FROM activities a JOIN contacts c ON c.id = a.contact_id WHERE a.deal_id = 11 "
        "AND a.type IN ('call', 'meeting', 'email') ORDER BY a.occurred_at DESC LIMIT 1",
        "text",
    ),
    # writes (proposals only)
    (ALICE, "move the Hooli deal to proposal", "update_deal", {"deal_id": 11, "stage": "Proposal"}, None, ""),
    (ALICE, "set the amount on the Hooli deal to 40k", "update_deal", {"deal_id": 11, "amount": 40000}, None, ""),
    (
        ALICE,
        "push the Hooli close date to March 3",
        "update_deal",
        {"deal_id": 11, "close_date": "2027-03-03"},
        None,
        "",
    ),
    (
        ALICE,
        "log a call on the Hooli deal: they want pricing by Friday",
        "log_activity",
        {"deal_id": 11, "type": "call", "body": "they want pricing by Friday"},
        None,
        "",
    ),
    (
        ALICE,
        "remind me to send the contract to Hooli on Friday",
        "create_task",
        {"deal_id": 11, "due_date": "2026-11-27"},
        None,
        "",
    ),
    (BOB, "create a task to call Soylent Foods next Tuesday", "create_task", {"due_date": "2026-11-24"}, None, ""),
]


SET_TOOLS = {
    "find_deals", "find_accounts", "find_leads", "list_tasks", "pipeline_summary", "won_lost_summary", "sales_cycle",
    "lead_conversion", "top_performers", "stale_deals", "deals_closing", "find_contacts", "list_activities",
}  # fmt: skip
"""tools whose questions are about a set of records: answering them with the query tool is right too"""


def _query_args(tool: str, expected: dict[str, Any]) -> dict[str, Any]:
    """The query tool arguments that ask what ``tool`` with ``expected`` asked (dotted paths into the call)."""
    translated: dict[str, Any] = {}
    for key, value in expected.items():
        if key == "owner_id" and value == ":me":
            translated["filters.owner"] = "me"
        elif key == "owner_id":
            translated["filters.owner_ids"] = [value]
        elif key in ("close_from", "close_to"):
            translated["filters.period." + ("start" if key == "close_from" else "end")] = value
        elif key == "account_id":
            translated["filters.account_ids"] = [value]
        elif key == "type":
            translated["filters.types"] = [value]
        elif key == "since":
            translated["filters.period.start"] = value
        elif key == "team_id":
            translated["filters.owner"] = "my_team"
        elif key == "status":
            translated["filters.lead_status" if tool == "find_leads" else "filters.status"] = (
                [value] if tool == "find_leads" else value
            )
        elif key == "stage":
            translated["filters.stages"] = [value]
        elif key in ("amount_min", "amount_max"):
            translated[f"filters.{key}"] = value
        elif key in ("industry", "region"):
            translated[f"filters.{key.replace('y', 'ie')}s" if key == "industry" else "filters.regions"] = [value]
        elif key == "period":
            translated["filters.period.label"] = value
        elif key == "days":
            translated["filters.inactive_days"] = value
        elif key == "metric":
            translated["measure"] = {"won_count": "count", "won_amount": "sum"}[value]
        elif key == "overdue_only":
            translated["filters.overdue"] = value
        else:
            translated[key] = value
    return translated


def _at(args: dict[str, Any], path: str) -> Any:
    value: Any = args
    for part in path.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return value


def _matches(actual: Any, wanted: Any) -> bool:
    if isinstance(wanted, list):
        return isinstance(actual, list) and all(any(_matches(a, w) for a in actual) for w in wanted)
    if isinstance(wanted, str) and isinstance(actual, str):
        return wanted.lower() in actual.lower()
    return actual == wanted


def _resolve(value: Any, me: int, team: int | None) -> Any:
    return {":me": me, ":team": team}.get(value, value) if isinstance(value, str) else value


def _formatted(value: Any, fmt: str) -> str:
    if fmt == "money":
        return f"${float(value):,.0f}"
    return str(value)


@pytest.mark.parametrize(("email", "message", "tool", "expected", "sql", "fmt"), CASES, ids=[c[1] for c in CASES])
def test_offline_brain_answers(ask, db, email, message, tool, expected, sql, fmt) -> None:  # type: ignore[no-untyped-def]
    me, team = db.execute(text("SELECT id, team_id FROM users WHERE email = :e"), {"e": email}).one()
    response = ask(email, message)
    called = [c.name for c in response.tool_calls]
    if tool in SET_TOOLS and called == ["query"]:
        tool, expected = "query", _query_args(tool, expected)
    assert [c.name for c in response.tool_calls] == [tool], response.answer
    args = response.tool_calls[0].args
    for key, value in expected.items():
        assert _matches(_at(args, key), _resolve(value, me, team)), f"{key}: {args}"
    assert response.grounded, response.answer
    if sql:
        fact = db.execute(text(sql), {"me": me, "team": team}).scalar()
        assert fact is not None
        assert _formatted(fact, fmt) in response.answer, (sql, fact, response.answer)
    proposal_expected = tool in ("update_deal", "log_activity", "create_task")
    assert (response.pending_action is not None) == proposal_expected


def test_covers_every_tool_family() -> None:
    from tools.registry import all_tools

    covered = {"query" if c[2] in SET_TOOLS else c[2] for c in CASES}
    assert {s.name for s in all_tools() if s.name in covered} >= {
        "query", "get_deal", "get_account_overview", "forecast", "update_deal",
        "log_activity", "create_task", "draft_followup_email", "search_notes", "next_actions",
    }  # fmt: skip
    assert len({c[1] for c in CASES}) >= 60
