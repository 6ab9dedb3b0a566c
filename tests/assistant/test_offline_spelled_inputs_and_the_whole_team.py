"""Amounts and dates written out ("over fifty thousand dollars", "from 11/3 thru Nov. 10th", "between the first
of august and the thirtieth of september"); "how much did I sell"; a name someone else's record has ("the Soylent
Foods deal" for a rep who sees only Soylent Green Energy); "what does he have due next week"; a kind of deal an
account does not have; "my whole team" after one rep; "forget the 30k floor"; "I meant referrals, not events"; both
sides' wins and losses with their dollars; deals "from Web leads"; a group's average beside its total. Checked
against SQL over the demo data."""

from tests.assistant.sql import DEALS, EAST_MANAGER, OMAR, OPEN, SAM, WEST, WON, money, rows
from tests.support import ADMIN, WEST_MANAGER
from tests.support import ALICE as RITA

ERIN = "erin.chen@dealwise.demo"
JACK = "jack.miller@dealwise.demo"


def test_amounts_and_dates_written_out(ask, db) -> None:
    big = rows(db, f"SELECT d.name {DEALS} WHERE {OPEN} AND u.email = :me AND d.amount > 50000", me=RITA)
    answer = ask(RITA, "which of my open deals r over fifty thousand dollars. names + amounts").answer
    assert big and all(name in answer for (name,) in big) and f"The {len(big)} open deals" in answer, answer
    calls = rows(
        db,
        "SELECT count(*) FROM activities a JOIN users u ON u.id = a.author_id WHERE u.email = :me AND a.type = "
        "'call' AND date(a.occurred_at) BETWEEN '2026-11-03' AND '2026-11-10'",
        me=ERIN,
    )[0][0]
    window = ask(ERIN, "how many calls did i log from 11/3 thru Nov. 10th and what deals were they on?").answer
    assert f"The {calls} activities of type call" in window and "3 Nov 2026" in window, window
    (count, total) = rows(
        db,
        f"SELECT count(*), sum(d.amount) {DEALS} WHERE {WON} AND {WEST} AND d.close_date BETWEEN '2026-08-01' AND "
        "'2026-09-30'",
    )[0]
    worded = ask(
        WEST_MANAGER,
        "how many deals did west close won between the first of august and the thirtieth of september, and for how "
        "much total",
    ).answer
    assert f"{count} won deals" in worded and money(total) in worded and "compared by period" not in worded, worded


def test_what_i_sold_is_what_i_won(ask, db) -> None:
    (total,) = rows(
        db,
        f"SELECT sum(d.amount) {DEALS} WHERE {WON} AND u.email = :me AND d.close_date BETWEEN '2026-10-01' AND "
        "'2026-10-31'",
        me=OMAR,
    )[0]
    answer = ask(OMAR, "how much did i sell last month").answer
    assert money(total) in answer and "Closed Won" in answer and "Prospecting" not in answer, answer


def test_a_name_only_someone_else_has_is_not_a_lookalike(ask, db) -> None:
    answer = ask(JACK, "Where are we on the Soylent Foods deal? Amount and stage please.").answer
    assert "can't find" in answer and "Soylent Green Energy" not in answer, answer
    missing = ask(SAM, "when is my cogswell cogs renewal due to close and what's it worth").answer
    assert "can't find a Renewal deal at Cogswell Cogs" in missing, missing


def test_what_a_rep_has_due_next_week_is_tasks(ask, db) -> None:
    due = rows(
        db,
        "SELECT a.subject FROM activities a JOIN users u ON u.id = a.author_id WHERE u.email = :jack AND a.type = "
        "'task' AND a.status = 'open' AND a.due_date BETWEEN '2026-11-23' AND '2026-11-29'",
        jack=JACK,
    )
    answer = ask(EAST_MANAGER, "I'm trying to work out whether his tasks will slip. What does Jack have due next week?")
    assert due and all(subject in answer.answer for (subject,) in due), answer.answer


def test_from_one_rep_to_the_whole_team(ask, db) -> None:
    (count, total) = rows(db, f"SELECT count(*), sum(d.amount) {DEALS} WHERE {OPEN} AND {WEST} AND d.close_date < "
                              "'2026-11-20'")[0]  # fmt: skip
    first = ask(WEST_MANAGER, "Which of Rita's open deals are already past their close date?")
    team = ask(WEST_MANAGER, "Now show me the same thing across my whole team, with the owner of each deal.",
               first.thread_id).answer  # fmt: skip
    assert f"The {count} open overdue deals of your team ({money(total)} in total)" in team, team


def test_a_floor_taken_back_and_a_value_replaced(ask, db) -> None:
    (count, total) = rows(
        db,
        f"SELECT count(*), sum(d.amount) {DEALS} JOIN accounts a ON a.id = d.account_id WHERE {OPEN} AND {WEST} AND "
        "a.industry = 'Retail'",
    )[0]
    first = ask(ADMIN, "How many open Retail deals over 30k does the West team have, and what are they worth together?")
    undone = ask(
        ADMIN, "Forget the 30k floor. Same two numbers for all of West's open Retail deals.", first.thread_id
    ).answer
    assert f"The {count} open deals" in undone and money(total) in undone and "30,000" not in undone, undone
    (referrals,) = rows(
        db, f"SELECT sum(d.amount) {DEALS} WHERE {OPEN} AND u.email = :me AND d.lead_source = 'Referral'", me=OMAR
    )[0]
    events = ask(OMAR, "How many of my open deals came in through events, and what are they worth in total?")
    meant = ask(OMAR, "Sorry, I meant referrals, not events. Same two numbers.", events.thread_id).answer
    assert money(referrals) in meant and "Event" not in meant, meant


def test_both_sides_wins_and_losses_with_their_dollars(ask, db) -> None:
    sides = rows(
        db,
        f"SELECT t.name, s.is_won, count(*), sum(d.amount) {DEALS} JOIN teams t ON t.id = u.team_id WHERE "
        "s.is_closed = 1 AND d.close_date BETWEEN '2026-07-01' AND '2026-11-20' GROUP BY t.name, s.is_won",
    )
    answer = ask(
        ADMIN,
        "West versus East since the start of July: how many deals did each team win and lose, and how many dollars "
        "on each side?",
    ).answer
    for team, won, count, total in sides:
        line = next(line for line in answer.splitlines() if line.startswith("- won:" if won else "- lost:"))
        assert f"{team} {count} ({money(total)})" in line, answer


def test_deals_from_a_lead_source_and_each_groups_total(ask, db) -> None:
    per_source = rows(
        db,
        f"SELECT d.lead_source, count(*), sum(d.amount) {DEALS} WHERE {OPEN} AND d.lead_source IN ('Web', "
        "'Referral') GROUP BY d.lead_source",
    )
    answer = ask(
        ADMIN,
        "Compare the open deals that came from Web leads with the ones from Referrals: count, total dollars and "
        "average deal size for each source.",
    ).answer
    assert "leads" not in answer.split("\n")[0], answer
    assert all(f"({count} deals, {money(total)} in total)" in answer for _, count, total in per_source), answer
