"""Follow-ups and missing-field questions from the twentieth long-tail set: "and the other one?" after a deal is the
account's other deal; records nobody ever worked are those with no activity at all (not "none lately"); "which of my
open leads haven't been followed up in a month" asks for leads, not for the day's agenda; "which of those deals are
past their close date" after a grouped count lists the deals. Every figure is checked against SQL."""

from tests.assistant.sql import DEALS, rows, tool
from tests.support import ADMIN, ALICE

ERIN = "erin.chen@dealwise.demo"
JACK = "jack.miller@dealwise.demo"
NO_ACTIVITY = "NOT EXISTS (SELECT 1 FROM activities a WHERE a.lead_id = l.id)"


def _lead_names(response) -> set[str]:
    return {record.name for record in response.records if record.type == "lead"}


def test_the_other_one_is_the_accounts_other_deal(ask, db) -> None:
    first, other = rows(
        db,
        f"SELECT min(d.name), max(d.name) {DEALS} JOIN accounts a ON a.id = d.account_id"
        " WHERE u.email = :me GROUP BY a.id HAVING count(*) = 2 AND min(d.name) != max(d.name) LIMIT 1",
        me=ALICE,
    )[0]
    (amount,) = rows(db, "SELECT amount FROM deals WHERE name = :name", name=other)[0]
    shown = ask(ALICE, f"What stage is the {first} deal in?")
    response = ask(ALICE, "and the other one?", shown.thread_id)
    assert tool(response) == "get_deal" and response.answer.startswith(other), response.answer
    assert f"${amount:,.0f}" in response.answer, response.answer


def test_leads_nobody_ever_worked_have_no_activity_at_all(ask, db) -> None:
    never = {
        name
        for (name,) in rows(
            db,
            "SELECT l.first_name || ' ' || l.last_name FROM leads l JOIN users u ON u.id = l.owner_id"
            f" WHERE u.email = :me AND l.status NOT IN ('converted', 'unqualified') AND {NO_ACTIVITY}",
            me=ERIN,
        )
    }
    for question in (
        "which of my open leads has nobody ever worked - no call, no email, nothing logged?",
        "which of my open leads have never been touched?",
    ):
        response = ask(ERIN, question)
        assert _lead_names(response) == never, (question, response.answer)


def test_leads_not_followed_up_for_a_month_are_leads_not_the_agenda(ask, db) -> None:
    response = ask(JACK, "Which of my open leads haven't been followed up in over a month?")
    assert tool(response) == "query" and _lead_names(response), response.answer
    assert tool(ask(JACK, "which of my deals should I focus on today?")) == "next_actions"


def test_which_of_those_after_a_grouped_count_lists_the_deals(ask, db) -> None:
    late = {
        name
        for (name,) in rows(
            db,
            f"SELECT d.name {DEALS} JOIN accounts a ON a.id = d.account_id WHERE s.is_closed = 0"
            " AND a.region = 'APAC' AND d.close_date < '2026-11-20'",
        )
    }
    first = ask(ADMIN, "Break the open pipeline down by region for me - number of deals and dollars in each.")
    response = ask(ADMIN, "just APAC - which of those deals are already past their close date?", first.thread_id)
    assert late and {r.name for r in response.records if r.type == "deal"} == late, response.answer
