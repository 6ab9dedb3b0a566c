"""'… and how many more are due by the end of November' after two reps' overdue tasks; two reps' days to close on
"the deals each of them won"; the rival count when call recordings are named beside the deals; contacts "never
logged a call, email, meeting or note with"; accounts with nothing logged "since before September"; leads "I
haven't done a thing with in two months"; open deals per APAC account "at each"; a named deal that does not
exist. Checked against SQL over the demo data."""

from datetime import date, timedelta

from tests.assistant.sql import DEALS, EAST_MANAGER, ERIN, JACK, NINA, OPEN, SAM, WON, money, rows, tool
from tests.support import ALICE as RITA


def test_how_many_more_carries_the_records_and_the_people(ask, db) -> None:
    due = rows(
        db,
        "SELECT u.name, count(*) FROM activities a JOIN users u ON u.id = a.author_id WHERE a.type = 'task' AND "
        "a.status = 'open' AND a.due_date BETWEEN '2026-11-20' AND '2026-11-30' AND u.email IN (:jack, :erin) "
        "GROUP BY u.id",
        jack=JACK,
        erin=ERIN,
    )
    answer = ask(
        EAST_MANAGER,
        "Who's more buried in tasks, Jack or Erin? For each, how many open tasks are already overdue, and how many "
        "more are due between today and the end of November?",
    ).answer
    more = answer.split("How many more")[1]
    assert due and all(f"- {name}: {count}" in more for name, count in due) and "open deals" not in more, answer


def test_days_to_close_for_two_people_on_what_each_won(ask, db) -> None:
    days = rows(
        db,
        f"SELECT u.name, avg(julianday(d.close_date) - julianday(date(d.created_at))) {DEALS} WHERE {WON} AND "
        "d.close_date >= '2026-01-01' AND u.email IN ('nina.rossi@dealwise.demo', 'jack.miller@dealwise.demo') "
        "GROUP BY u.id",
    )
    answer = ask(
        EAST_MANAGER,
        "Nina versus Jack: on the deals each of them won this year, who gets them closed faster? Average days from "
        "when the deal was created to when it closed, for both.",
    ).answer
    assert all(f"- {name}: {round(value, 1):g} days" in answer for name, value in days), answer


def test_the_rival_count_when_call_recordings_are_named(ask, db) -> None:
    answer = ask(
        ERIN,
        "Which competitor has been showing up most in my deal activity and call recordings over the last three "
        "months, and how many times?",
    )
    assert tool(answer) == "competitor_mentions" and "mentioned most" in answer.answer, answer.answer


def test_records_nobody_worked(ask, db) -> None:
    never = rows(
        db,
        "SELECT c.first_name || ' ' || c.last_name FROM contacts c JOIN users u ON u.id = c.owner_id WHERE "
        "u.email = :me AND NOT EXISTS (SELECT 1 FROM activities a WHERE a.contact_id = c.id)",
        me=ERIN,
    )
    answer = ask(
        ERIN, "Who among my contacts have I literally never logged a call, email, meeting or note with?"
    ).answer
    assert never and all(name in answer for (name,) in never) and f"The {len(never)} contacts" in answer, answer
    quiet = rows(
        db,
        "SELECT c.name FROM accounts c JOIN users u ON u.id = c.owner_id WHERE u.email = :me AND NOT EXISTS "
        "(SELECT 1 FROM activities a WHERE a.account_id = c.id AND a.type != 'task' AND a.occurred_at >= "
        "'2026-09-01')",
        me=RITA,
    )
    dark = ask(RITA, "Which of my accounts have had nothing at all logged against them since before September?")
    assert quiet and all(name in dark.answer for (name,) in quiet), dark.answer
    assert f"The {len(quiet)} accounts" in dark.answer, dark.answer
    cutoff = (date(2026, 11, 20) - timedelta(days=60)).isoformat()
    leads = rows(
        db,
        "SELECT l.first_name || ' ' || l.last_name FROM leads l JOIN users u ON u.id = l.owner_id WHERE "
        "u.email = :me AND l.status IN ('new', 'working', 'qualified') AND l.created_at < :cutoff AND NOT EXISTS "
        "(SELECT 1 FROM activities a "
        "WHERE a.lead_id = l.id AND a.occurred_at >= :cutoff)",
        me=NINA,
        cutoff=cutoff,
    )
    idle = ask(NINA, "Any of my live leads that I haven't done a thing with in the last two months?").answer
    assert leads and all(name in idle for (name,) in leads) and "60 days" in idle, idle


def test_open_dollars_at_each_account_of_a_region_and_a_deal_that_does_not_exist(ask, db) -> None:
    per_account = rows(
        db,
        f"SELECT c.name, sum(d.amount) {DEALS} JOIN accounts c ON c.id = d.account_id WHERE u.email = :me AND "
        f"{OPEN} AND c.region = 'APAC' GROUP BY c.id",
        me=SAM,
    )
    answer = ask(SAM, "apac accts where i got open deals - which ones + how much open $$ at each").answer
    assert per_account and all(f"- {name}: {money(total)}" in answer for name, total in per_account), answer
    missing = ask(JACK, "What stage is my Tyrell Biotech expansion deal in, and when is it supposed to close?")
    assert missing.answer.startswith("I can't find any open deals named like 'Expansion'"), missing.answer


def test_bant_of_a_deal_without_a_recorded_call_reads_what_is_logged_on_it(ask, db) -> None:
    (deal_id, logged) = rows(
        db,
        f"SELECT d.id, (SELECT count(*) FROM activities a WHERE a.deal_id = d.id AND a.type != 'task') {DEALS} "
        "WHERE d.name = 'Bluth Company - Enterprise License'",
    )[0]
    assert not rows(db, "SELECT 1 FROM call_recordings WHERE deal_id = :deal", deal=deal_id)
    answer = ask(
        "omar.haddad@dealwise.demo", "BANT for the Bluth enterprise license - budget, authority, need, timeline?"
    )
    assert tool(answer) == "bant_check" and f"no recorded call, so from {logged} notes" in answer.answer, answer.answer
    assert all(f"- {part}: " in answer.answer for part in ("Budget", "Authority", "Need", "Timeline")), answer.answer


def test_same_check_after_a_bant_check_and_a_note_search_is_the_bant_check(ask, db) -> None:
    first = ask(
        EAST_MANAGER,
        "Jack's Stark Industries analytics suite deal - based on the most recent recorded call, which of budget, "
        "authority, need and timeline are actually there, and what budget number did the customer give?",
    )
    again = ask(
        EAST_MANAGER,
        "Same check on his Tyrell Biotech analytics suite deal, the one that's in Negotiation.",
        thread_id=first.thread_id,
    )
    assert tool(again) == "bant_check" and again.answer.startswith("Tyrell Biotech - Analytics Suite:"), again.answer
