"""Periods and measures the offline brain misread before the nineteenth long-tail set: 'mid-October', 'the first two
weeks of January (1st to 14th)', 'Halloween', 'the week after next', how long lost deals took to close, and the
single largest or smallest deal in each group (not the group's total). Every figure is checked against SQL over the
same demo data."""

from tests.assistant.sql import DEALS, EAST_MANAGER, money, rows
from tests.support import ADMIN, ALICE


def _query(response):
    call = response.tool_calls[0]
    assert call.name == "query", (call.name, response.answer)
    return call.args


def test_mid_month_is_the_fifteenth_and_restated_days_are_not_leftovers(ask, db) -> None:
    (count,) = rows(db, "SELECT count(*) FROM deals WHERE date(created_at) BETWEEN '2026-10-15' AND '2026-11-20'")[0]
    response = ask(ADMIN, "Which opportunities have been opened since mid-October (from the 15th)?")
    period = _query(response)["filters"]["period"]
    assert (period["start"], period["end"], period["field"]) == ("2026-10-15", "2026-11-20", "created_at")
    assert f"The {count} deals" in response.answer and "I didn't use" not in response.answer, response.answer


def test_the_first_two_weeks_of_a_month_and_a_fixed_holiday(ask, db) -> None:
    (total, count) = rows(
        db,
        f"SELECT sum(d.amount), count(*) {DEALS} JOIN teams t ON t.id = u.team_id WHERE t.name = 'East'"
        " AND s.is_closed = 0 AND d.close_date BETWEEN '2027-01-01' AND '2027-01-14'",
    )[0]
    answer = ask(
        EAST_MANAGER,
        "what does my team have open closing in the first two weeks of January (1st to 14th)? total please",
    ).answer
    assert money(total) in answer and f"{count} open deals" in answer and "I didn't use" not in answer, answer
    (won, amount) = rows(
        db,
        f"SELECT count(*), sum(d.amount) {DEALS} WHERE s.is_won = 1"
        " AND d.close_date BETWEEN '2026-09-15' AND '2026-10-31'",
    )[0]
    answer = ask(ADMIN, "how many deals did we win between mid-september and halloween").answer
    assert answer.startswith(f"{won} won deals") and money(amount) in answer, answer


def test_the_week_after_next(ask, db) -> None:
    subjects = {
        s
        for (s,) in rows(
            db,
            "SELECT a.subject FROM activities a JOIN users u ON u.id = a.author_id"
            " WHERE u.email = :me AND a.type = 'task' AND a.status = 'open'"
            " AND a.due_date BETWEEN '2026-11-30' AND '2026-12-06'",
            me=ALICE,
        )
    }
    response = ask(ALICE, "what tasks do i have due the week after next?")
    period = _query(response)["filters"]["period"]
    assert (period["start"], period["end"]) == ("2026-11-30", "2026-12-06")
    assert subjects and all(subject in response.answer for subject in subjects), response.answer


def test_how_long_lost_deals_took_is_measured_on_the_lost_ones(ask, db) -> None:
    days = rows(
        db,
        f"SELECT julianday(d.close_date) - julianday(date(d.created_at)) {DEALS} WHERE u.email = :me"
        " AND s.is_closed = 1 AND s.is_won = 0 AND d.close_date BETWEEN '2026-01-01' AND '2026-12-31'",
        me=ALICE,
    )
    response = ask(
        ALICE, "when I lose a deal, how long has it usually dragged on? avg days from created to closed lost"
    )
    assert _query(response)["filters"]["status"] == "lost"
    assert f"{sum(d for (d,) in days) / len(days):.1f} days" in response.answer, response.answer


def test_the_single_largest_or_smallest_deal_in_each_group(ask, db) -> None:
    largest = rows(
        db,
        f"SELECT s.name, max(d.amount) {DEALS} JOIN teams t ON t.id = u.team_id WHERE t.name = 'East'"
        " AND s.is_closed = 0 GROUP BY s.name",
    )
    answer = ask(EAST_MANAGER, "For each pipeline stage, what's the single largest open deal amount on my team?").answer
    assert all(f"- {stage}: {money(value)}" in answer for stage, value in largest), answer
    smallest = rows(
        db,
        f"SELECT u.name, min(d.amount) {DEALS} WHERE s.is_won = 1"
        " AND d.close_date BETWEEN '2026-01-01' AND '2026-12-31' GROUP BY u.name",
    )
    answer = ask(ADMIN, "For every rep, what's the smallest deal they've closed-won this year?").answer
    assert all(f"- {name}: {money(value)}" in answer for name, value in smallest), answer
    low_name, low = min(smallest, key=lambda row: row[1])
    assert answer.startswith(f"{low_name} has the smallest single won deal: {money(low)}"), answer
    totals = rows(
        db,
        f"SELECT s.name, sum(d.amount) {DEALS} JOIN teams t ON t.id = u.team_id WHERE t.name = 'East'"
        " AND s.is_closed = 0 GROUP BY s.name ORDER BY 2 DESC",
    )
    answer = ask(EAST_MANAGER, "which stage has the largest pipeline on my team").answer
    assert answer.startswith(f"{totals[0][0]} has the biggest open pipeline: {money(totals[0][1])}"), answer
