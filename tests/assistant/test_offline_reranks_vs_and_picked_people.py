"""Follow-ups and picks the offline brain got wrong before the thirty-ninth to forty-first long-tail sets: the other
end of a ranking re-ranks the whole list, "vs last year" sets two periods side by side, "list hers" after a ranking
of people is the leader's, "which of those has the most contacts" counts among the accounts just listed, a bare
"emails?" swaps the kind of activity counted, and "the 43k one" picks between two deals of one name. Every figure is
checked against SQL over the same demo data."""

from tests.assistant.sql import DEALS, EAST_MANAGER, rows, tool
from tests.support import ALICE

OMAR = "omar.haddad@dealwise.demo"


def test_the_other_end_of_a_ranking_ranks_the_whole_list_again(ask, db) -> None:
    mine = f"{DEALS} WHERE s.is_closed = 0 AND u.email = :e"
    smallest = rows(db, f"SELECT d.name {mine} ORDER BY d.amount ASC LIMIT 1", e=ALICE)[0][0]
    biggest = ask(ALICE, "what is my biggest open deal")
    other_end = ask(ALICE, "and the smallest?", biggest.thread_id)
    assert smallest in other_end.answer and "from the earlier answer" not in other_end.answer, other_end.answer


def test_versus_last_year_after_a_figure_puts_the_two_periods_side_by_side(ask) -> None:
    first = ask(ALICE, "whats my win rate ytd")
    against = ask(ALICE, "vs last yr?", first.thread_id)
    compare = against.tool_calls[0].args.get("compare") or {}
    labels = [period.get("label") for period in compare.get("periods", [])]
    assert compare.get("by") == "period" and labels == ["year to date", "last year"], against.tool_calls


def test_hers_after_a_ranking_of_people_is_the_leaders_records(ask, db) -> None:
    counts = rows(
        db,
        "SELECT u.name, count(*) FROM activities a JOIN users u ON u.id = a.author_id"
        " WHERE a.type = 'task' AND a.status = 'open' AND a.due_date < '2026-11-20'"
        " AND u.team_id = (SELECT id FROM teams WHERE name = 'East') GROUP BY u.name ORDER BY 2 DESC",
    )
    leader, overdue = counts[0]
    ranking = ask(EAST_MANAGER, "who on my team has the most overdue tasks")
    hers = ask(EAST_MANAGER, "list hers", ranking.thread_id)
    assert f"The {overdue} open overdue tasks by {leader}" in hers.answer, hers.answer


def test_which_of_those_accounts_has_the_most_contacts_counts_among_them(ask, db) -> None:
    listed = ask(ALICE, "list my healthcare accounts")
    ranked = ask(ALICE, "which of them has the most contacts", listed.thread_id)
    args = ranked.tool_calls[0].args
    assert args["object"] == "contacts" and args["group_by"] == "account" and args["filters"]["account_ids"]
    (account, contacts) = rows(
        db,
        "SELECT a.name, count(c.id) FROM accounts a JOIN contacts c ON c.account_id = a.id JOIN users u"
        " ON u.id = a.owner_id WHERE u.email = :e AND a.industry = 'Healthcare' GROUP BY a.name"
        " ORDER BY 2 DESC LIMIT 1",
        e=ALICE,
    )[0]
    assert ranked.answer.startswith(f"{account} has the most contacts: {contacts}"), ranked.answer


def test_a_bare_activity_kind_after_a_count_swaps_the_kind(ask, db) -> None:
    (emails,) = rows(
        db,
        "SELECT count(*) FROM activities a JOIN users u ON u.id = a.author_id JOIN accounts c ON c.id = a.account_id"
        " WHERE u.email = :e AND a.type = 'email' AND c.name = 'Oscorp' AND a.occurred_at >= '2026-01-01'",
        e=OMAR,
    )[0]
    calls = ask(OMAR, "how many calls have i logged with oscorp people this year")
    swapped = ask(OMAR, "emails?", calls.thread_id)
    assert tool(swapped) == "query" and swapped.answer.startswith(f"{emails} activities of type email at Oscorp")


def test_an_amount_said_picks_one_of_two_deals_of_the_same_name(ask, db) -> None:
    twins = rows(
        db,
        f"SELECT d.id, d.amount {DEALS} WHERE d.name = 'Ironclad Storage - Expansion' ORDER BY d.amount DESC",
    )
    (bigger, amount) = twins[0]
    said = f"{round(amount / 1000)}k"
    response = ask(
        EAST_MANAGER, f"What next step and close date does the Ironclad Storage - Expansion deal have, the {said} one?"
    )
    assert response.tool_calls and response.tool_calls[0].args.get("deal_id") == bigger, response.answer
    assert said not in response.answer
