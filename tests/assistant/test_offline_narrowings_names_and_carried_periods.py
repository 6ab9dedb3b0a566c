"""A period said beside an untracked ask goes with the answerable one; a narrowing nothing holds is declined, not
answered with the whole set or another kind of record; "the rest" after an empty narrowing; "with them" after one
account picked from a ranking; "how does that compare with Erin"; "the most recent one" of a list of activities;
"his deals" after the lowest rep; negated lead statuses; an owner nobody is called; a contact by first name; and
"who was that with" then "her title". Checked against SQL over the demo data."""

from tests.assistant.sql import DEALS, EAST_MANAGER, ERIN, JACK, LOST, NINA, OPEN, SAM, WEST, WON, money, rows
from tests.support import ALICE as RITA
from tests.support import WEST_MANAGER

Q4 = "d.close_date BETWEEN '2026-10-01' AND '2026-12-31'"
YEAR = "d.close_date BETWEEN '2026-01-01' AND '2026-12-31'"


def test_a_period_said_beside_an_untracked_ask_goes_with_the_answerable_one(ask, db) -> None:
    (quarter,) = rows(db, f"SELECT sum(d.amount) {DEALS} WHERE u.email = :me AND {WON} AND {Q4}", me=RITA)[0]
    (year,) = rows(db, f"SELECT sum(d.amount) {DEALS} WHERE u.email = :me AND {WON} AND {YEAR}", me=RITA)[0]
    answer = ask(RITA, "what's my quota attainment this quarter and how much have I closed won?").answer
    assert "quota attainment" in answer.split("\n")[0] and money(quarter) in answer, answer
    assert quarter != year and f"{money(year)}." not in answer, answer


def test_a_narrowing_by_something_no_record_holds_is_declined(ask, db) -> None:
    (meetings,) = rows(
        db,
        "SELECT count(*) FROM activities a JOIN users u ON u.id = a.author_id WHERE a.type = 'meeting' "
        f"AND a.occurred_at >= '2026-10-01' AND a.occurred_at < '2026-11-01' AND {WEST}",
    )[0]
    answer = ask(WEST_MANAGER, "how many meetings did the team log last month and how many of them were in person?")
    assert "“in person”" in answer.answer.split("\n")[0] and f"{meetings} activities" in answer.answer, answer.answer
    calls = ask(RITA, "how many calls did I make this month and how many of them were over an hour?")
    assert "“over an hour”" in calls.answer and [c.args.get("object") for c in calls.tool_calls] == ["activities"], (
        calls.answer
    )


def test_a_count_without_an_object_counts_the_set_before(ask) -> None:
    answer = ask(SAM, "how many deals did I win this year and how many were via a reseller?")
    second = answer.tool_calls[-1].args["filters"]
    assert second["status"] == "won" and second["sources"] == ["Partner"] and second["period"], answer.tool_calls
    assert "via" not in answer.answer.split("**How many were via a reseller?**")[-1], answer.answer


def test_the_rest_after_a_narrowing_that_found_none(ask, db) -> None:
    names = [
        f"{first} {last}"
        for first, last in rows(
            db,
            "SELECT l.first_name, l.last_name FROM leads l JOIN users u ON u.id = l.owner_id "
            "WHERE u.email = :me AND l.source = 'Referral'",
            me=ERIN,
        )
    ]
    listed = ask(ERIN, "list my leads from referrals")
    ask(ERIN, "which are still new?", thread_id=listed.thread_id)
    rest = ask(ERIN, "and the rest?", thread_id=listed.thread_id)
    assert names and all(name in rest.answer for name in names), rest.answer


def test_calls_with_them_after_one_account_picked_from_a_ranking(ask, db) -> None:
    ((account_id, account),) = rows(
        db,
        f"SELECT a.id, a.name {DEALS} JOIN accounts a ON a.id = d.account_id WHERE {OPEN} AND {WEST}"
        " GROUP BY a.id ORDER BY sum(d.amount) DESC LIMIT 1 OFFSET 1",
    )
    (calls,) = rows(
        db,
        "SELECT count(*) FROM activities a JOIN users u ON u.id = a.author_id WHERE a.type = 'call' "
        f"AND a.account_id = :account AND a.occurred_at >= '2026-01-01' AND {WEST}",
        account=account_id,
    )[0]
    ranked = ask(WEST_MANAGER, "top 3 accounts by open pipeline on my team")
    ask(WEST_MANAGER, "who owns the second one?", thread_id=ranked.thread_id)
    logged = ask(WEST_MANAGER, "how many calls have we logged with them this year?", thread_id=ranked.thread_id)
    assert logged.answer.startswith(f"{calls} activities of type call at {account}"), logged.answer


def test_how_does_that_compare_with_another_rep(ask, db) -> None:
    counts = {
        email: rows(db, f"SELECT count(*) {DEALS} WHERE u.email = :who AND {LOST} AND {YEAR}", who=email)[0][0]
        for email in (JACK, ERIN)
    }
    lost = ask(EAST_MANAGER, "how many deals did Jack lose this year?")
    compared = ask(EAST_MANAGER, "and how does that compare with Erin?", thread_id=lost.thread_id)
    assert f"- Jack Miller: {counts[JACK]} deal" in compared.answer, compared.answer
    assert f"- Erin Chen: {counts[ERIN]} deal" in compared.answer, compared.answer


def test_the_most_recent_of_the_activities_listed(ask, db) -> None:
    ((latest,),) = rows(
        db,
        "SELECT max(a.occurred_at) FROM activities a JOIN accounts c ON c.id = a.account_id "
        "WHERE c.name = 'Atlas Robotics' AND a.type = 'meeting'",
    )
    shown = ask(NINA, "Who do we have on file at Atlas Robotics?")
    ask(NINA, "Have I actually had a meeting with any of them?", thread_id=shown.thread_id)
    recent = ask(NINA, "When was the most recent one?", thread_id=shown.thread_id)
    day = latest[:10]
    assert recent.tool_calls and recent.tool_calls[0].args["limit"] == 1, recent.answer
    assert f"{int(day[8:]):d}, {day[:4]}" in recent.answer and "only help with your CRM" not in recent.answer


def test_his_deals_after_the_lowest_rep_in_the_same_message(ask, db) -> None:
    lowest = rows(
        db,
        f"SELECT u.email, d.name {DEALS} WHERE {OPEN} AND {WEST} AND u.id = (SELECT d2.owner_id FROM deals d2 "
        "JOIN stages s2 ON s2.id = d2.stage_id JOIN users u2 ON u2.id = d2.owner_id WHERE s2.is_closed = 0 AND "
        "u2.team_id = (SELECT id FROM teams WHERE name = 'West') GROUP BY d2.owner_id ORDER BY sum(d2.amount) "
        "LIMIT 1)",
    )
    split = ask(WEST_MANAGER, "How much open pipeline is each of my reps carrying right now?")
    listed = ask(WEST_MANAGER, "Who's lowest there? List his open deals for me.", thread_id=split.thread_id)
    deals = listed.answer.split("**List his open deals for me.**")[-1]
    assert f"{len(lowest)} open deals owned by" in deals, listed.answer
    assert all(f"- {name}:" in deals for _, name in lowest), listed.answer


def test_leads_not_converted_or_disqualified(ask, db) -> None:
    names = rows(
        db,
        "SELECT l.first_name || ' ' || l.last_name FROM leads l JOIN users u ON u.id = l.owner_id "
        "WHERE u.email = :me AND l.status NOT IN ('converted', 'unqualified')",
        me=SAM,
    )
    answer = ask(SAM, "Which of my leads haven't been converted or disqualified yet?").answer
    assert f"The {len(names)} leads" in answer and all(name in answer for (name,) in names), answer
    assert "converted, score" not in answer and "unqualified, score" not in answer, answer


def test_an_owner_nobody_is_called_gets_no_figures(ask) -> None:
    answer = ask(EAST_MANAGER, "how's priya's pipeline looking? number of open deals and total $").answer
    assert answer.startswith('I can\'t find a rep or record named "Priya"') and "$" not in answer, answer


def test_a_contact_asked_for_by_first_name(ask, db) -> None:
    lenas = rows(
        db,
        "SELECT c.first_name || ' ' || c.last_name FROM contacts c JOIN accounts a ON a.id = c.account_id "
        "JOIN users u ON u.id = a.owner_id WHERE u.email = :me AND c.first_name = 'Lena' ORDER BY 1",
        me=RITA,
    )
    asked = ask(RITA, "whats lenas number? need to call her back").answer
    assert len(lenas) == 2 and asked.startswith("Which Lena do you mean") and asked.endswith("?"), asked
    assert all(name in asked for (name,) in lenas), asked
    ((email,),) = rows(db, "SELECT email FROM contacts WHERE first_name = 'Tom' AND last_name = 'Berg'")
    assert email in ask(RITA, "whats toms email").answer


def test_they_worth_weighted_keeps_the_set_and_her_title_after_who_was_that_with(ask, db) -> None:
    listed = ask(ERIN, "Which of my open deals are due to close between today and the end of December?")
    weighted = ask(
        ERIN, "What are they worth together once you weight them by stage probability?", thread_id=listed.thread_id
    )
    filters = weighted.tool_calls[0].args["filters"]
    assert filters["owner"] == "me" and filters["period"]["end"] == "2026-12-31", weighted.tool_calls
    ((title, email),) = rows(
        db,
        "SELECT c.title, c.email FROM activities a JOIN contacts c ON c.id = a.contact_id JOIN accounts x ON "
        "x.id = a.account_id WHERE x.name = 'Evergreen Schools' AND a.type = 'meeting' ORDER BY a.occurred_at DESC "
        "LIMIT 1",
    )
    last = ask(NINA, "When did I last sit down for a meeting with anyone at Evergreen Schools?")
    ask(NINA, "who was that with?", thread_id=last.thread_id)
    detail = ask(NINA, "What's her title, and what email do we have for her?", thread_id=last.thread_id).answer
    assert title in detail and email in detail, detail
