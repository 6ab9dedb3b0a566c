"""Periods said the way people say them: holidays that move from year to year (Labor Day), Christmas to New
Year, "late in December", "early January", "the middle of December last year" to "the end of January", "then" for
a day said in an earlier sentence, and the deals of the tasks just listed. Figures are checked against SQL."""

from tests.assistant.sql import DEALS, ERIN, NINA, OMAR, OPEN, WON, money, rows
from tests.support import ADMIN


def _period(response) -> tuple[str, str]:
    period = response.tool_calls[0].args["filters"]["period"]
    return period["start"], period["end"]


def test_a_holiday_on_a_weekday_of_a_month_is_that_years_day(ask, db) -> None:
    (count, total) = rows(
        db, f"SELECT count(*), sum(d.amount) {DEALS} WHERE {WON} AND d.close_date BETWEEN '2026-09-07' AND '2026-10-31'"
    )[0]
    response = ask(
        ADMIN, "Between Labor Day and Halloween this year, how many deals did we close-win and for how much?"
    )
    assert _period(response) == ("2026-09-07", "2026-10-31"), response.tool_calls
    assert response.answer.startswith(f"{count} won deals") and money(total) in response.answer, response.answer


def test_spans_inside_a_month_and_across_the_year_end(ask, db) -> None:
    opened = ask(ADMIN, "Which deals were opened between the middle of December last year and the end of January?")
    assert _period(opened) == ("2025-12-15", "2026-01-31"), opened.tool_calls
    (created,) = rows(db, "SELECT count(*) FROM deals WHERE date(created_at) BETWEEN '2025-12-15' AND '2026-01-31'")[0]
    assert opened.answer.startswith(f"The {created} deals across the company created between"), opened.answer
    late = ask(OMAR, "which of my open deals are dated to close late in december")
    assert _period(late) == ("2026-12-20", "2026-12-31"), late.tool_calls
    early = ask(OMAR, "what did I win in early october")
    assert _period(early) == ("2026-10-01", "2026-10-10"), early.tool_calls
    holidays = ask(OMAR, "anything of mine closing between christmas and new year?")
    assert _period(holidays) == ("2026-12-25", "2027-01-01"), holidays.tool_calls


def test_then_is_the_day_said_before_it(ask, db) -> None:
    (total,) = rows(
        db, f"SELECT sum(d.amount) {DEALS} WHERE u.email = :e AND {OPEN} AND d.close_date BETWEEN '2026-11-20' AND"
        " '2026-12-19'", e=NINA,
    )[0]  # fmt: skip
    response = ask(
        NINA,
        "Office shuts for the holidays on December 19th. Which of my open deals are dated to close between today and"
        " then, and what do they add up to?",
    )
    assert response.tool_calls[0].name == "query" and _period(response) == ("2026-11-20", "2026-12-19")
    assert money(total) in response.answer, response.answer
    nervous = ask(
        OMAR,
        "Which of my customers shut their offices between Christmas and New Year? I'm nervous about anything I've got"
        " dated to close late in December. List my open deals closing then.",
    )
    assert _period(nervous) == ("2026-12-20", "2026-12-31"), nervous.tool_calls
    assert "I can't give “shut”, “offices”" in nervous.answer, nervous.answer


def test_the_deals_of_the_tasks_just_listed(ask, db) -> None:
    listed = ask(ERIN, "What tasks do I have due next week?")
    late = rows(
        db, f"SELECT DISTINCT d.name {DEALS} JOIN activities a ON a.deal_id = d.id JOIN users t ON t.id = a.author_id"
        f" WHERE t.email = :e AND a.type = 'task' AND a.status = 'open' AND a.due_date BETWEEN '2026-11-23' AND"
        f" '2026-11-29' AND {OPEN} AND d.close_date < '2026-11-20'", e=ERIN,
    )  # fmt: skip
    response = ask(ERIN, "are any of those deals already past their close date?", thread_id=listed.thread_id)
    assert response.tool_calls[0].args.get("object", "deals") == "deals", response.tool_calls
    assert response.answer.startswith(f"The {len(late)} open overdue deal"), response.answer
    assert all(f"- {name}:" in response.answer for (name,) in late), response.answer
