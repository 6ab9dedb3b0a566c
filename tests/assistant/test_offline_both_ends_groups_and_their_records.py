"""Both ends of a ranking "for each of those two"; one stage of a per-stage count asked as its deals; "still open
today" is no day; "the most of that Media number" after a figure; "which single account"; records listed beside
their groups ("list them and give me a count per rep", "which open deals …? group them by rep"); a period restated
in brackets ("Q3 (Jul-Sep)"); "put the two of them together" after two people. Checked against SQL over the demo
data."""

from tests.assistant.sql import DEALS, EAST, EAST_MANAGER, OPEN, WEST, WON, money, rows
from tests.support import ADMIN, WEST_MANAGER


def test_both_ends_of_the_whole_ranking(ask, db) -> None:
    ranked = rows(
        db,
        f"SELECT u.name, avg(julianday(d.close_date) - julianday(date(d.created_at))) AS days {DEALS} WHERE {WON} AND "
        f"{WEST} AND d.close_date BETWEEN '2026-01-01' AND '2026-06-30' GROUP BY u.id ORDER BY days",
    )
    answer = ask(
        WEST_MANAGER,
        "Looking only at wins that closed in the first half of this year, which of my reps turned deals around "
        "quickest and which was slowest? Average days from creation to close for each of those two.",
    ).answer
    (fast, _), (slow, slowest) = ranked[0], ranked[-1]
    assert answer.startswith(f"{fast} has the quickest") and f"At the other end, {slow}: {slowest:.1f}" in answer
    assert "didn't use" not in answer, answer


def test_one_stage_of_a_count_per_stage_is_its_deals(ask, db) -> None:
    deals = rows(
        db,
        f"SELECT d.name {DEALS} WHERE {OPEN} AND s.name = 'Negotiation' AND u.email = 'erin.chen@dealwise.demo'",
    )
    first = ask(EAST_MANAGER, "Break my team's open deals down by stage for me - a count per stage, please.")
    answer = ask(EAST_MANAGER, "now just Erin's deals in Negotiation, with the amounts", first.thread_id).answer
    assert deals and all(f"- {name}:" in answer for (name,) in deals) and "per stage" not in answer, answer


def test_still_open_today_is_a_state(ask, db) -> None:
    still = rows(
        db,
        f"SELECT d.name {DEALS} WHERE {OPEN} AND d.created_at >= '2025-01-01' AND d.created_at < '2026-01-01'",
    )
    answer = ask(
        ADMIN,
        "How many of the deals in the CRM were originally opened back in 2025, what are they worth together, and "
        "which of them are still open today?",
    ).answer
    tail = answer.split("still open today")[1]
    assert still and all(name in tail for (name,) in still) and "20 Nov 2026" not in tail, answer
    assert "can't give" not in answer, answer


def test_the_most_of_that_figure_and_a_single_account(ask, db) -> None:
    (leader, total), *_ = rows(
        db,
        f"SELECT u.name, sum(d.amount) AS total {DEALS} JOIN accounts a ON a.id = d.account_id WHERE {OPEN} AND "
        f"{EAST} AND a.industry = 'Media' GROUP BY u.id ORDER BY total DESC LIMIT 1",
    )
    first = ask(EAST_MANAGER, "How much open pipeline does my team have with Healthcare accounts?")
    ask(EAST_MANAGER, "And with Media accounts?", first.thread_id)
    most = ask(
        EAST_MANAGER, "Who on the team is carrying the most of that Media number, and how much of it?", first.thread_id
    ).answer
    assert most.startswith(f"{leader} has the biggest open pipeline: {money(total)}"), most
    (account, amount), *_ = rows(
        db,
        f"SELECT a.name, sum(d.amount) AS total {DEALS} JOIN accounts a ON a.id = d.account_id WHERE {OPEN} "
        "GROUP BY a.id ORDER BY total DESC LIMIT 1",
    )
    single = ask(ADMIN, "Across the whole company, which single account has the most open pipeline on it?").answer
    assert single.startswith(f"{account} has the biggest open pipeline: {money(amount)}"), single


def test_records_listed_beside_their_groups(ask, db) -> None:
    quiet = rows(
        db,
        f"SELECT d.name {DEALS} WHERE {OPEN} AND {WEST} AND NOT EXISTS (SELECT 1 FROM activities a WHERE "
        "a.deal_id = d.id AND a.type != 'task' AND a.occurred_at >= '2026-11-06')",
    )
    answer = ask(
        WEST_MANAGER,
        "which deals on my team have gone two weeks+ with nobody touching them? list them and give me a count per rep",
    ).answer
    assert quiet and all(name in answer for (name,) in quiet), answer
    blank = rows(
        db,
        f"SELECT d.name {DEALS} WHERE {OPEN} AND {WEST} AND (d.next_step IS NULL OR trim(d.next_step) = '')",
    )
    grouped = ask(
        WEST_MANAGER,
        "which open deals on my team are missing a next step? group them by rep and give me the $ sitting in each "
        "rep's blanks",
    ).answer
    assert blank and all(name in grouped for (name,) in blank) and "per owner" in grouped, grouped
    assert "didn't use" not in grouped, grouped


def test_a_period_restated_in_brackets_and_two_people_together(ask, db) -> None:
    (won,) = rows(
        db,
        f"SELECT sum(d.amount) {DEALS} WHERE {WON} AND {WEST} AND d.close_date BETWEEN '2026-07-01' AND '2026-09-30'",
    )[0]
    answer = ask(WEST_MANAGER, "how much did my team win in q3 (jul-sep)?").answer
    assert money(won) in answer and "2027" not in answer and "compared by period" not in answer, answer
    (both,) = rows(
        db,
        f"SELECT sum(d.amount) {DEALS} WHERE {WON} AND u.email IN ('erin.chen@dealwise.demo', "
        "'jack.miller@dealwise.demo') AND d.close_date BETWEEN '2026-10-01' AND '2026-12-31'",
    )[0]
    first = ask(EAST_MANAGER, "how much has erin closed won this quarter")
    ask(EAST_MANAGER, "swap in jack", first.thread_id)
    together = ask(EAST_MANAGER, "put the two of them together, what's the combined number?", first.thread_id)
    assert money(both) in together.answer, together.answer
