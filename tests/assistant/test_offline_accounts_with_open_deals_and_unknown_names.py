"""Accounts narrowed to those with something open, then "the total open amount across those two"; a name that is
no record ("my Pemberton Logistics renewal") gets no other deal; a close-date window restated in brackets beside
"nothing logged - no call, email …". Checked against SQL over the demo data."""

from tests.assistant.sql import DEALS, ERIN, JACK, OPEN, SAM, WEST, money, rows
from tests.support import ALICE as RITA
from tests.support import WEST_MANAGER as MAYA


def test_accounts_with_something_open_then_their_open_amount(ask, db) -> None:
    accounts = rows(
        db,
        f"SELECT DISTINCT a.id, a.name {DEALS} JOIN accounts a ON a.id = d.account_id WHERE {OPEN} "
        "AND a.owner_id = u.id AND u.email = :me",
        me=SAM,
    )
    ((total,),) = rows(
        db,
        f"SELECT sum(d.amount) {DEALS} WHERE {OPEN} AND d.account_id IN ({', '.join(str(i) for i, _ in accounts)})",
    )
    owned = ask(SAM, "Which accounts do I own?")
    narrowed = ask(SAM, "of those, which have something open on them right now?", thread_id=owned.thread_id)
    assert narrowed.tool_calls[0].args["filters"]["present"] == ["open_deal"], narrowed.tool_calls
    assert f"The {len(accounts)} accounts with open deals" in narrowed.answer, narrowed.answer
    summed = ask(SAM, "what's the total open amount across those two?", thread_id=owned.thread_id)
    assert summed.tool_calls[0].args.get("object", "deals") == "deals" and money(total) in summed.answer, summed.answer


def test_a_name_that_is_no_record_gets_no_other_deal(ask) -> None:
    answer = ask(SAM, "What stage is my Pemberton Logistics renewal at, and when is it due to close?").answer
    assert answer.startswith('I can\'t find a record named "Pemberton Logistics"') and "$" not in answer, answer


def test_a_close_window_restated_beside_nothing_logged(ask, db) -> None:
    quiet = rows(
        db,
        f"SELECT d.name {DEALS} WHERE {OPEN} AND {WEST} AND d.close_date BETWEEN '2026-11-20' AND '2026-12-31' "
        "AND NOT EXISTS (SELECT 1 FROM activities a WHERE a.deal_id = d.id AND a.type != 'task' "
        "AND a.occurred_at >= '2026-10-30')",
    )
    answer = ask(
        MAYA,
        "Which West deals are still meant to close before the end of this year (close date between today and "
        "December 31st) but have had nothing logged - no call, email, meeting or note - for three weeks or more?",
    )
    period = answer.tool_calls[0].args["filters"]["period"]
    assert (period["field"], period["end"]) == ("close_date", "2026-12-31"), answer.tool_calls
    assert quiet and all(f"- {name}:" in answer.answer for (name,) in quiet), answer.answer


def test_accounts_kept_by_how_many_open_deals_they_hold(ask, db) -> None:
    held = rows(
        db,
        f"SELECT a.name, count(*) {DEALS} JOIN accounts a ON a.id = d.account_id WHERE {OPEN} AND u.email = :me "
        "GROUP BY a.id HAVING count(*) > 1",
        me=JACK,
    )
    single = rows(
        db,
        f"SELECT a.name {DEALS} JOIN accounts a ON a.id = d.account_id WHERE {OPEN} AND u.email = :me "
        "GROUP BY a.id HAVING count(*) = 1",
        me=JACK,
    )
    answer = ask(JACK, "pls list the accts where i've got more than 1 open opp going")
    assert answer.tool_calls[0].args["group_min"] == 2, answer.tool_calls
    assert held and all(f"- {name}: {count} deals" in answer.answer for name, count in held), answer.answer
    assert single and not any(f"- {name}:" in answer.answer for (name,) in single), answer.answer


def test_accounts_met_with_and_the_first_three_in_the_order_shown(ask, db) -> None:
    met = rows(
        db,
        "SELECT c.name, count(*) FROM activities a JOIN accounts c ON c.id = a.account_id JOIN users u ON "
        "u.id = a.author_id WHERE u.email = :me AND a.type = 'meeting' AND a.occurred_at >= '2026-10-01' "
        "GROUP BY c.id",
        me=ERIN,
    )
    answer = ask(ERIN, "which accounts have I met with this quarter?")
    assert answer.tool_calls[0].args["group_by"] == "account", answer.tool_calls
    assert met and all(f"- {name}: {count}" in answer.answer for name, count in met), answer.answer
    soonest = rows(
        db,
        f"SELECT d.name {DEALS} WHERE {OPEN} AND {WEST} AND d.amount >= 20000 AND d.close_date BETWEEN "
        "'2026-12-01' AND '2026-12-31' ORDER BY d.close_date, d.id LIMIT 3",
    )
    listed = ask(MAYA, "show me deals closing next month over 20k")
    ask(MAYA, "sort them by close date", thread_id=listed.thread_id)
    first = ask(MAYA, "just the first three", thread_id=listed.thread_id)
    assert first.tool_calls[0].args["sort"] == "close_date" and first.tool_calls[0].args["limit"] == 3
    assert [line.split(":")[0][2:] for line in first.answer.splitlines() if line.startswith("- ")] == [
        name for (name,) in soonest
    ], first.answer


def test_none_missing_still_lists_each_records_contact_when_asked(ask, db) -> None:
    deals = rows(
        db,
        f"SELECT d.name, c.first_name || ' ' || c.last_name {DEALS} JOIN contacts c ON c.id = d.primary_contact_id "
        "WHERE u.email = :me AND s.name = 'Negotiation'",
        me=RITA,
    )
    answer = ask(
        RITA,
        "Have any of my Negotiation-stage deals ended up without a primary contact on them? Whatever the answer, "
        "tell me who the main contact is on each one.",
    ).answer
    assert answer.startswith("None found") and f"I checked all {len(deals)} deals in Negotiation" in answer, answer
    assert deals and all(f"- {name}:" in answer and contact in answer for name, contact in deals), answer


def test_their_leads_per_rep_are_named_and_contacts_never_logged(ask, db) -> None:
    quiet = rows(
        db,
        "SELECT l.first_name || ' ' || l.last_name, u.name FROM leads l JOIN users u ON u.id = l.owner_id WHERE "
        "l.status IN ('new', 'working', 'qualified') AND l.created_at < '2026-08-22' AND u.team_id = "
        "(SELECT id FROM teams WHERE name = 'West') AND NOT EXISTS (SELECT 1 FROM activities a WHERE a.lead_id = l.id)",
    )
    answer = ask(
        MAYA,
        "Lead hygiene check: for each rep on West, which of their open leads have had nothing happen on them for 90 "
        "days or more?",
    )
    assert answer.tool_calls[0].args.get("measure", "list") == "list", answer.tool_calls
    assert quiet and all(lead in answer.answer and f"owner {owner}" in answer.answer for lead, owner in quiet)
    never = ask(
        JACK,
        "Who are the contacts at my accounts that I've never logged a single thing with - no call, email, meeting, "
        "note or task? Name and company for each.",
    )
    args = never.tool_calls[0].args
    assert args["object"] == "contacts" and args["filters"]["missing"] == ["activity"], args
