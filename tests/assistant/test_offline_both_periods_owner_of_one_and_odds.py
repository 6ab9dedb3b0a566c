"""Follow-ups and figures read from their parts: "same for emails, both weeks" after two weeks asked one at a time,
the rep who brought in the one deal a superlative picks, "how often did we come out on top" as a win rate, and the
average stage probability of open deals. Figures are checked against SQL over the demo data."""

from tests.assistant.sql import DEALS, EAST_MANAGER, JACK, OMAR, OPEN, SAM, WEST, WON, money, rows
from tests.support import ADMIN, WEST_MANAGER

LOGGED = "FROM activities a JOIN users u ON u.id = a.author_id WHERE u.email = :e AND a.type = :t"


def test_both_weeks_after_one_week_then_the_other_are_set_side_by_side(ask, db) -> None:
    def logged(kind: str, start: str, end: str) -> int:
        sql = f"SELECT count(*) {LOGGED} AND date(a.occurred_at) BETWEEN :s AND :f"
        return rows(db, sql, e=JACK, t=kind, s=start, f=end)[0][0]

    first = ask(JACK, "hw many calls did i log last wk")
    ask(JACK, "n this wk so far?", thread_id=first.thread_id)
    both = ask(JACK, "same for emails, both weeks", thread_id=first.thread_id)
    compared = both.tool_calls[0].args
    assert compared["filters"]["types"] == ["email"] and compared["compare"]["by"] == "period", compared
    assert f"- last week: {logged('email', '2026-11-09', '2026-11-15')}" in both.answer, both.answer
    assert f"- this week: {logged('email', '2026-11-16', '2026-11-22')}" in both.answer, both.answer
    assert "didn't use" not in both.answer, both.answer


def test_the_rep_who_brought_in_the_one_deal_picked(ask, db) -> None:
    (name, amount, owner) = rows(
        db, f"SELECT d.name, d.amount, u.name {DEALS} WHERE {WEST} AND {WON} AND d.close_date >= '2026-01-01'"
        " ORDER BY d.amount LIMIT 1",
    )[0]  # fmt: skip
    response = ask(
        WEST_MANAGER, "What was the smallest deal West closed-won this year, and which of my reps brought it in?"
    )
    args = response.tool_calls[0].args
    assert args.get("group_by") is None and args.get("limit") == 1, args
    assert f"- {name}: {money(amount)}" in response.answer and f"owner {owner}" in response.answer, response.answer


def test_how_often_we_came_out_on_top_is_the_win_rate(ask, db) -> None:
    (won, closed) = rows(
        db, f"SELECT sum(CASE WHEN {WON} THEN 1 ELSE 0 END), count(*) {DEALS} WHERE s.is_closed = 1"
        " AND d.close_date BETWEEN '2026-01-01' AND '2026-12-31'",
    )[0]  # fmt: skip
    answer = ask(ADMIN, "of everything we closed out this year win or lose, how often did we come out on top? as a %")
    assert f"{100 * won / closed:.1f}% ({won} won, {closed - won} lost)" in answer.answer, answer.answer
    assert "didn't use" not in answer.answer, answer.answer


def test_the_average_stage_odds_of_open_deals(ask, db) -> None:
    (odds,) = rows(db, f"SELECT avg(s.probability) {DEALS} WHERE u.email = :e AND {OPEN}", e=OMAR)[0]
    for question in (
        "going by the stage odds, how likely is one of my open deals to close on average? one % number",
        "what's the average win probability of my open deals",
    ):
        answer = ask(OMAR, question)
        assert answer.tool_calls[0].args.get("field") == "probability", answer.tool_calls
        assert f": {odds:.1f}%" in answer.answer and "didn't use" not in answer.answer, answer.answer


def test_two_missing_fields_asked_with_or_are_each_checked_and_the_count_said(ask, db) -> None:
    (count,) = rows(db, f"SELECT count(*) {DEALS} WHERE u.email = :e AND {OPEN}", e=SAM)[0]
    response = ask(
        SAM,
        "is any of my open deals missing a primary contact or a close date? if nothing's missing, just say so and"
        " tell me how many deals you checked",
    )
    missing = [
        call.args["filters"].get("missing") for call in response.tool_calls if call.args.get("measure") != "count"
    ]
    assert missing == [["primary_contact"], ["close_date"]], response.tool_calls
    assert response.answer.count(f"I checked all {count} open deals of yours.") == 2, response.answer


def test_who_the_oldest_open_deal_is_with_is_that_deal(ask, db) -> None:
    (name,) = rows(db, f"SELECT d.name {DEALS} WHERE u.email = :e AND {OPEN} ORDER BY d.created_at LIMIT 1", e=OMAR)[0]
    response = ask(OMAR, "who's my longest-standing open deal with")
    args = response.tool_calls[0].args
    assert args.get("group_by") is None and args.get("sort") == "created_at" and args.get("limit") == 1, args
    assert f"- {name}:" in response.answer, response.answer


def test_lead_to_customer_rate_and_the_top_customer_by_revenue(ask, db) -> None:
    worst = ask(EAST_MANAGER, "which of my reps has the worst lead-to-customer rate?")
    args = worst.tool_calls[0].args
    assert args["measure"] == "conversion_rate" and args["order"] == "asc", args
    (account, total) = rows(
        db, f"SELECT a.name, sum(d.amount) AS total {DEALS} JOIN accounts a ON a.id = d.account_id WHERE {WON} AND"
        " d.close_date BETWEEN '2026-01-01' AND '2026-12-31' GROUP BY a.id ORDER BY total DESC LIMIT 1",
    )[0]  # fmt: skip
    top = ask(ADMIN, "who was our top customer this year by revenue").answer
    assert top.startswith(f"{account} has the highest total won amount: {money(total)}"), top


def test_a_total_split_by_rep_with_the_lowest_named_ranks_the_totals(ask, db) -> None:
    (owner, total) = rows(
        db, f"SELECT u.name, sum(d.amount) AS total {DEALS} WHERE {OPEN} AND u.team_id = (SELECT id FROM teams WHERE"
        " name = 'East') GROUP BY u.id ORDER BY total LIMIT 1",
    )[0]  # fmt: skip
    answer = ask(EAST_MANAGER, "total open pipeline for east, split by rep, and who's the lowest").answer
    assert answer.startswith(f"{owner} has the smallest open pipeline: {money(total)}"), answer


def test_two_stages_share_with_their_total_and_leads_counted_with_the_converted(ask, db) -> None:
    (together,) = rows(db, f"SELECT sum(d.amount) {DEALS} WHERE {OPEN} AND s.name IN ('Prospecting', 'Qualification')")[
        0
    ]
    share = ask(
        ADMIN,
        "What share of our open pipeline $ is still sitting in Prospecting or Qualification? Show me the two totals"
        " too.",
    ).answer
    assert f"together: {money(together)} of " in share, share
    leads = ask(
        ADMIN,
        "web leads vs event leads - how many of each have we got, and how many of each ended up converted?",
    ).answer
    for source in ("Web", "Event"):
        (total, converted) = rows(
            db, "SELECT count(*), sum(CASE WHEN status = 'converted' THEN 1 ELSE 0 END) FROM leads WHERE source = :s",
            s=source,
        )[0]  # fmt: skip
        assert f"- {source}: " in leads and f"({converted} of {total} leads converted)" in leads, leads
