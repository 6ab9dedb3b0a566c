"""From the twenty-second long-tail set: "and the quarter before that?" after this quarter so far is the whole
previous quarter (not a stretch of the same length); "same thing for the whole team, rep by rep" after one rep's
figure is the team's, per rep; "have I left the next step blank" is a missing-field filter. Checked against SQL."""

from tests.assistant.sql import DEALS, EAST_MANAGER, money, rows, tool
from tests.support import ADMIN

SAM = "sam.taylor@dealwise.demo"


def test_the_quarter_before_a_quarter_to_date_is_the_whole_quarter(ask, db) -> None:
    (q3,) = rows(
        db, f"SELECT sum(d.amount) {DEALS} WHERE s.is_won = 1 AND d.close_date BETWEEN '2026-07-01' AND '2026-09-30'"
    )[0]
    first = ask(ADMIN, "Closed-won dollars so far this quarter?")
    answer = ask(ADMIN, "and the quarter before that?", first.thread_id).answer
    assert money(q3) in answer and "30 Sep 2026" in answer and "1 Jul 2026" in answer, answer


def test_the_same_figure_for_the_whole_team_after_one_rep(ask, db) -> None:
    per_rep = dict(
        rows(
            db,
            f"SELECT u.name, sum(d.amount) {DEALS} JOIN teams t ON t.id = u.team_id WHERE t.name = 'East'"
            " AND s.name = 'Qualification' GROUP BY u.name",
        )
    )
    first = ask(EAST_MANAGER, "How much is Jack carrying in Qualification right now?")
    response = ask(EAST_MANAGER, "same thing for the whole team, rep by rep", first.thread_id)
    assert tool(response) == "query", response.answer
    assert len(per_rep) > 1 and all(f"- {name}: {money(total)}" in response.answer for name, total in per_rep.items())


def test_a_next_step_left_blank_is_a_missing_field(ask, db) -> None:
    blank = {
        name
        for (name,) in rows(
            db,
            f"SELECT d.name {DEALS} WHERE u.email = :me AND s.is_closed = 0"
            " AND (d.next_step IS NULL OR d.next_step = '')",
            me=SAM,
        )
    }
    response = ask(SAM, "Have I left the next step blank on any of my open deals?")
    assert blank and {r.name for r in response.records if r.type == "deal"} == blank, response.answer
