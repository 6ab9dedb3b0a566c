"""Days said without a month ("monday the 23rd through friday the 27th") and dates in brackets that restate a
period ("q2 wins only (closed apr-jun)", "next week (…)"); "that window" after them; "september/october" as one
stretch; "anything I should already have done"; "don't even have a next step"; "nobody has ever sent the
customer an email"; and two hygiene questions in one sentence. Checked against SQL over the demo data."""

from assistant.crm.models import Channel
from tests.assistant.sql import DEALS, EAST, EAST_MANAGER, JACK, OPEN, SAM, WEST, WON, rows
from tests.support import ADMIN, WEST_MANAGER


def test_days_of_the_month_restating_next_week_make_that_window(ask, db) -> None:
    subjects = rows(
        db,
        "SELECT a.subject FROM activities a JOIN users u ON u.id = a.author_id WHERE u.email = :me "
        "AND a.type = 'task' AND a.status = 'open' AND a.due_date BETWEEN '2026-11-23' AND '2026-11-27'",
        me=JACK,
    )
    (overdue,) = rows(
        db,
        "SELECT count(*) FROM activities a JOIN users u ON u.id = a.author_id WHERE u.email = :me "
        "AND a.type = 'task' AND a.status = 'open' AND a.due_date < '2026-11-20'",
        me=JACK,
    )[0]
    answer = ask(
        JACK,
        "Hey,\n\nPlanning out next week (Monday the 23rd through Friday the 27th). Which of my tasks fall due in that "
        "window?\nAnd is there anything I should already have done that's still sitting open?\n\nJack",
        channel=Channel.email,
    )
    periods = [call.args["filters"].get("period") for call in answer.tool_calls]
    assert periods[0] == {"start": "2026-11-23", "end": "2026-11-27", "field": "due_date", "label": periods[0]["label"]}
    assert f"The {len(subjects)} open tasks" in answer.answer and f"The {overdue} open overdue task" in answer.answer
    assert all(subject in answer.answer for (subject,) in subjects), answer.answer


def test_a_quarter_restated_in_brackets_and_two_months_with_a_slash(ask, db) -> None:
    answer = ask(
        ADMIN,
        "q2 wins only (closed apr-jun): which rep got them from created to closed-won quickest on average, and how "
        "many days was that average",
    )
    period = answer.tool_calls[0].args["filters"]["period"]
    assert (period["start"], period["end"]) == ("2026-04-01", "2026-06-30"), answer.tool_calls
    ((leader, total),) = rows(
        db,
        f"SELECT u.name, sum(d.amount) AS total {DEALS} WHERE {WON} AND {EAST} "
        "AND d.close_date BETWEEN '2026-09-01' AND '2026-10-31' GROUP BY u.id ORDER BY total DESC LIMIT 1",
    )
    spiff = ask(EAST_MANAGER, "for the september/october spiff: which of my reps closed the most won revenue?").answer
    assert spiff.startswith(f"{leader} has the highest total won amount: ${total:,.0f}"), spiff


def test_dont_even_have_a_next_step_after_a_list(ask, db) -> None:
    names = rows(
        db,
        f"SELECT d.name {DEALS} WHERE {OPEN} AND {WEST} AND d.close_date < '2026-11-20' "
        "AND (d.next_step IS NULL OR d.next_step = '')",
    )
    listed = ask(WEST_MANAGER, "Which open deals on West already have a close date in the past? Who owns each?")
    narrowed = ask(
        WEST_MANAGER, "Of them, which ones don't even have a next step written down?", thread_id=listed.thread_id
    )
    assert narrowed.tool_calls[0].args["filters"]["missing"] == ["next_step"], narrowed.tool_calls
    assert f"The {len(names)} open overdue deals" in narrowed.answer, narrowed.answer


def test_never_sent_the_customer_an_email_and_two_hygiene_questions(ask, db) -> None:
    (count,) = rows(
        db,
        f"SELECT count(*) {DEALS} WHERE {OPEN} AND {EAST} AND NOT EXISTS (SELECT 1 FROM activities a "
        "WHERE a.deal_id = d.id AND a.type = 'email')",
    )[0]
    answer = ask(EAST_MANAGER, "Are there open deals on East where nobody has ever sent the customer an email?")
    assert answer.tool_calls[0].args["filters"]["missing"] == ["email_logged"], answer.tool_calls
    assert f"The {count} open deals without any email logged" in answer.answer, answer.answer
    no_step = rows(db, f"SELECT d.name {DEALS} WHERE {OPEN} AND u.email = :me AND d.next_step IS NULL", me=SAM)
    late = rows(db, f"SELECT d.name {DEALS} WHERE {OPEN} AND u.email = :me AND d.close_date < '2026-11-20'", me=SAM)
    both = ask(
        SAM,
        "Two hygiene questions on my pipeline: which open deal has no next step on it, and which one is sitting past "
        "its close date?",
    ).answer
    assert no_step and late and all(name in both for (name,) in [*no_step, *late]), both
    assert "questions" not in both.split("\n")[-1], both
