"""Follow-ups and rankings that went wrong on questions of my own: "in total" read as all time after a quarter's
wins, another rep's records after a refined list, the highest average by a group, the stage a deal was lost at (no
record keeps it), "the same quarter last year", the biggest rise between two quarters, and "converts the fewest".
Every figure is checked against SQL over the same demo data."""

from tests.assistant.sql import DEALS, EAST_MANAGER, JACK, OMAR, OPEN, WEST, WON, money, rows
from tests.support import ADMIN, ALICE, WEST_MANAGER


def test_in_total_after_a_quarters_wins_keeps_the_quarter(ask, db) -> None:
    q3 = "d.close_date BETWEEN '2026-07-01' AND '2026-09-30'"
    (count, total) = rows(db, f"SELECT count(*), sum(d.amount) {DEALS} WHERE u.email = :e AND {WON} AND {q3}", e=ALICE)[
        0
    ]
    first = ask(ALICE, "how many deals did I win in q3?")
    answer = ask(ALICE, "what were they worth in total?", first.thread_id).answer
    assert "between 1 Jul 2026 and 30 Sep 2026" in answer and money(total) in answer, answer
    assert f"of the {count} won deal" in answer, answer


def test_another_reps_records_after_a_refined_list(ask, db) -> None:
    (count, total) = rows(
        db, f"SELECT count(*), sum(d.amount) {DEALS} WHERE u.email = :e AND {OPEN} AND d.amount >= 40000", e=JACK
    )[0]
    first = ask(EAST_MANAGER, "show me erin's open deals")
    ask(EAST_MANAGER, "just the ones over 40k", first.thread_id)
    answer = ask(EAST_MANAGER, "what about jack's?", first.thread_id).answer
    assert f"The {count} open deals worth at least 40,000 owned by Jack Miller ({money(total)} in total)" in answer, (
        answer
    )
    assert "earlier answer" not in answer, answer


def test_the_highest_average_of_a_grouped_answer_is_named(ask, db) -> None:
    (source, average) = rows(
        db,
        f"SELECT l.source, avg(l.score) FROM leads l JOIN users u ON u.id = l.owner_id WHERE {WEST}"
        " AND l.created_at >= '2026-11-01' GROUP BY l.source ORDER BY avg(l.score) DESC LIMIT 1",
    )[0]
    first = ask(WEST_MANAGER, "leads created this month by source")
    answer = ask(WEST_MANAGER, "which source has the highest average score?", first.thread_id).answer
    assert answer.startswith(f"{source} has the highest average score: {average:g}"), answer
    assert "didn't use" not in answer, answer


def test_the_stage_a_deal_was_lost_at_is_declined(ask, db) -> None:
    first = ask(OMAR, "deals I lost this year and their amounts")
    answer = ask(OMAR, "what was the most common stage they were lost at?", first.thread_id).answer
    assert "isn't something Dealwise tracks" in answer and "The biggest" not in answer, answer


def test_the_same_quarter_last_year_and_the_biggest_rise(ask, db) -> None:
    answer = ask(WEST_MANAGER, "how does this quarter's won revenue compare to the same quarter last year?").answer
    assert "Q4 2025" in answer and "last year:" not in answer, answer
    per_rep = rows(
        db,
        f"SELECT u.name, sum(CASE WHEN d.close_date BETWEEN '2026-10-01' AND '2026-12-31' THEN d.amount ELSE 0 END)"
        f" - sum(CASE WHEN d.close_date BETWEEN '2026-07-01' AND '2026-09-30' THEN d.amount ELSE 0 END) {DEALS}"
        f" WHERE {WEST} AND {WON} GROUP BY u.id ORDER BY 2 DESC",
    )
    (leader, rise) = per_rep[0]
    answer = ask(WEST_MANAGER, "which of my reps improved most from Q3 to Q4 in won revenue?").answer
    assert f"Biggest rise: {leader}, up {money(rise)}" in answer, answer


def test_converts_the_fewest_of_their_leads_is_the_lowest_conversion_rate(ask, db) -> None:
    answer = ask(ADMIN, "which rep converts the fewest of their leads?").answer
    assert "lowest lead conversion rate" in answer.splitlines()[0] and "fewest leads" not in answer, answer


def test_he_after_a_leader_and_his_own_ranking(ask, db) -> None:
    quarter = "d.close_date BETWEEN '2026-10-01' AND '2026-12-31'"
    (leader, email) = rows(
        db,
        f"SELECT u.name, u.email {DEALS} WHERE {WEST} AND {WON} AND {quarter} GROUP BY u.id ORDER BY sum(d.amount) DESC"
        " LIMIT 1",
    )[0]
    top_two = [
        n
        for (n,) in rows(
            db,
            f"SELECT d.name {DEALS} WHERE u.email = :e AND {WON} AND {quarter} ORDER BY d.amount DESC LIMIT 2",
            e=email,
        )
    ]
    (open_count,) = rows(db, f"SELECT count(*) {DEALS} WHERE u.email = :e AND {OPEN}", e=email)[0]
    first = ask(WEST_MANAGER, "Who on my team has brought in the most closed-won revenue this quarter?")
    wins = ask(WEST_MANAGER, "What were his two biggest wins in that stretch?", first.thread_id).answer
    assert wins.startswith("The 2 biggest") and all(name in wins for name in top_two), wins
    carrying = ask(WEST_MANAGER, "How many deals is he still carrying open right now?", first.thread_id).answer
    assert carrying.startswith(f"{open_count} open deals owned by {leader}"), carrying


def test_the_same_two_numbers_for_another_month(ask, db) -> None:
    counts = dict(
        rows(
            db,
            "SELECT a.type, count(*) FROM activities a JOIN users u ON u.id = a.author_id WHERE u.email = :e"
            " AND a.type IN ('call', 'meeting') AND date(a.occurred_at) BETWEEN '2026-11-01' AND '2026-11-30'"
            " GROUP BY a.type",
            e=OMAR,
        )
    )
    first = ask(OMAR, "how many calls did i log in october")
    ask(OMAR, "and meetings?", first.thread_id)
    answer = ask(OMAR, "same two numbers for november so far", first.thread_id).answer
    assert "call or meeting" in answer and all(f"{kind}: {count}" in answer for kind, count in counts.items()), answer


def test_two_accounts_side_by_side_and_two_people_in_another_month(ask, db) -> None:
    per_account = dict(
        rows(
            db,
            f"SELECT a.name, count(*) {DEALS} JOIN accounts a ON a.id = d.account_id WHERE u.email = :e AND {OPEN}"
            " AND a.name IN ('Tyrell Biotech', 'Redwood Analytics') GROUP BY a.name",
            e=JACK,
        )
    )
    answer = ask(JACK, "Tyrell Biotech or Redwood Analytics - where do I have more open? Deals and $ at each.").answer
    assert "per account" in answer and all(f"{name}: {n} deal" in answer for name, n in per_account.items()), answer
    october = dict(
        rows(
            db,
            f"SELECT u.name, count(*) {DEALS} WHERE u.email IN (:a, :b) AND {WON}"
            " AND d.close_date BETWEEN '2026-10-01' AND '2026-10-31' GROUP BY u.name",
            a=ALICE,
            b="sam.taylor@dealwise.demo",
        )
    )
    first = ask(WEST_MANAGER, "Who has won more this year, Rita or Sam? Dollars and number of deals for both of them.")
    answer = ask(WEST_MANAGER, "And in October alone?", first.thread_id).answer
    assert "compared by owner" in answer and all(f"{name}: {n} deal" in answer for name, n in october.items()), answer


def test_a_sentence_naming_the_figure_after_the_question(ask, db) -> None:
    averages = dict(
        rows(
            db,
            f"SELECT CASE WHEN s.is_won = 1 THEN 'won' ELSE 'lost' END, avg(d.amount) {DEALS} WHERE u.email = :e"
            " AND s.is_closed = 1 AND d.close_date >= '2026-01-01' GROUP BY s.is_won",
            e="erin.chen@dealwise.demo",
        )
    )
    answer = ask(
        "erin.chen@dealwise.demo",
        "Are the deals I win bigger or smaller than the ones I lose? My average closed-won vs average closed-lost"
        " amount.",
    ).answer
    assert all(f"{status}: {money(value)}" in answer for status, value in averages.items()), answer


def test_whose_deal_was_it_names_the_owner_of_the_biggest_loss(ask, db) -> None:
    (name, owner) = rows(
        db,
        f"SELECT d.name, u.name {DEALS} WHERE s.is_closed = 1 AND s.is_won = 0"
        " AND d.close_date BETWEEN '2026-07-01' AND '2026-09-30' ORDER BY d.amount DESC LIMIT 1",
    )[0]
    answer = ask(ADMIN, "Which single loss last quarter hurt the most, and whose deal was it?").answer
    first = next(line for line in answer.splitlines() if line.startswith("- "))
    assert first.startswith(f"- {name}:") and f"owner {owner}" in first and "most lost deals" not in answer, answer


def test_of_his_after_two_people_reads_the_list_just_shown(ask, db) -> None:
    (name, contact) = rows(
        db,
        f"SELECT d.name, c.first_name || ' ' || c.last_name {DEALS} JOIN contacts c ON c.id = d.primary_contact_id"
        f" WHERE u.email = :e AND {OPEN} AND d.close_date BETWEEN '2026-11-01' AND '2026-12-31' ORDER BY d.amount DESC"
        " LIMIT 1",
        e=OMAR,
    )[0]
    first = ask(WEST_MANAGER, "Which of Sam's open deals have a close date in November or December?")
    ask(WEST_MANAGER, "What about Omar's?", first.thread_id)
    answer = ask(WEST_MANAGER, "Who's the contact on the biggest of his?", first.thread_id).answer
    assert answer.startswith(name) and contact in answer, answer
