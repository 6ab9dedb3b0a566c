"""What the offline brain got wrong before the forty-ninth to fifty-fourth long-tail sets: a person or an account
taken out of the list just shown ("leave Omar's deals out of that", "take Hooli out of that"), the overdue ones
dropped from it, tasks "overdue or due today", no meeting (only) since a date, a range of days without "between",
a spoken correction ("sam's, sorry, not sam, omar's"), the records behind an average and then re-ranked, "the other
one" after a pick from two, "who's ahead" after two people asked one by one, one person set against their team's
average, and a birthday card that is no email. Every figure is checked against SQL over the same demo data."""

from datetime import date, timedelta

from tests.assistant.sql import DEALS, EAST, EAST_MANAGER, JACK, NINA, OMAR, OPEN, SAM, WEST, WON, money, rows, tool
from tests.support import ALICE, WEST_MANAGER

TODAY = date(2026, 11, 20)


def _names(db, sql: str, **params) -> list[str]:
    return [name for (name,) in rows(db, sql, **params)]


def test_a_person_left_out_of_the_list_just_shown_takes_only_their_deals_out(ask, db) -> None:
    first = ask(WEST_MANAGER, "what has the team got sitting in proposal right now?")
    answer = ask(WEST_MANAGER, "leave omar's deals out of that", first.thread_id)
    kept = _names(
        db,
        f"SELECT d.name {DEALS} WHERE {WEST} AND {OPEN} AND s.name = 'Proposal' AND u.email != :e",
        e=OMAR,
    )
    (total,) = rows(
        db,
        f"SELECT sum(d.amount) {DEALS} WHERE {WEST} AND {OPEN} AND s.name = 'Proposal' AND u.email != :e",
        e=OMAR,
    )[0]
    assert "leaving out Omar Haddad's" in answer.answer and money(total) in answer.answer, answer.answer
    assert all(name in answer.answer for name in kept) and "owner Omar Haddad" not in answer.answer, answer.answer


def test_an_account_taken_out_leaves_the_rest_added_up(ask, db) -> None:
    first = ask(ALICE, "Pull up everything I have in the Negotiation stage right now.")
    account = rows(
        db,
        f"SELECT a.name {DEALS} JOIN accounts a ON a.id = d.account_id WHERE u.email = :e AND s.name = 'Negotiation'"
        " ORDER BY d.amount LIMIT 1",
        e=ALICE,
    )[0][0]
    (rest,) = rows(
        db,
        f"SELECT sum(d.amount) {DEALS} JOIN accounts a ON a.id = d.account_id WHERE u.email = :e"
        " AND s.name = 'Negotiation' AND a.name != :a",
        e=ALICE,
        a=account,
    )[0]
    answer = ask(ALICE, f"Take {account} out of that and tell me what the rest adds up to.", first.thread_id)
    assert money(rest) in answer.answer and f"other than those at {account}" in answer.answer, answer.answer


def test_dropping_the_overdue_ones_keeps_the_deals_still_to_close(ask, db) -> None:
    first = ask(ALICE, "Which of my open deals have a close date falling in this quarter?")
    answer = ask(ALICE, "drop the ones whose close date has already gone by", first.thread_id)
    ahead = _names(
        db,
        f"SELECT d.name {DEALS} WHERE u.email = :e AND {OPEN} AND d.close_date >= :t AND d.close_date <= '2026-12-31'",
        e=ALICE,
        t=TODAY.isoformat(),
    )
    behind = _names(
        db, f"SELECT d.name {DEALS} WHERE u.email = :e AND {OPEN} AND d.close_date < :t", e=ALICE, t=TODAY.isoformat()
    )
    assert ahead and all(name in answer.answer for name in ahead), answer.answer
    assert not any(name in answer.answer for name in behind if name not in ahead), answer.answer


def test_tasks_overdue_or_due_today_are_both_listed(ask, db) -> None:
    due = _names(
        db,
        "SELECT a.subject FROM activities a JOIN users u ON u.id = a.author_id WHERE u.email = :e AND a.type = 'task'"
        " AND a.status = 'open' AND a.due_date <= :t",
        e=OMAR,
        t=TODAY.isoformat(),
    )
    answer = ask(OMAR, "whats on my task list thats either overdue or due today")
    assert tool(answer) == "query" and due, answer.answer
    assert all(subject in answer.answer for subject in due), answer.answer


def test_no_meeting_since_a_date_counts_only_meetings(ask, db) -> None:
    since = date(2026, 9, 1)
    quiet = _names(
        db,
        "SELECT a.name FROM accounts a JOIN users u ON u.id = a.owner_id WHERE u.email = :e AND NOT EXISTS"
        " (SELECT 1 FROM activities x WHERE x.account_id = a.id AND x.type = 'meeting' AND x.occurred_at >= :s)",
        e=ALICE,
        s=since.isoformat(),
    )
    answer = ask(ALICE, "which of my accounts have had no meeting since 1 September?")
    assert f"{len(quiet)} accounts with no meeting in the last {(TODAY - since).days} days" in answer.answer, (
        answer.answer
    )
    assert all(name in answer.answer for name in quiet), answer.answer


def test_a_range_of_days_without_between_is_that_range(ask, db) -> None:
    won = rows(
        db,
        f"SELECT u.name, sum(d.amount) {DEALS} WHERE {WON} AND {WEST} AND d.close_date >= '2026-09-01'"
        " AND d.close_date <= '2026-11-15' GROUP BY u.name ORDER BY 2 DESC",
    )
    answer = ask(WEST_MANAGER, "top closer 1 Sep to 15 Nov?")
    assert "between 1 Sep 2026 and 15 Nov 2026" in answer.answer, answer.answer
    assert f"{won[0][0]} has the highest total won amount: {money(won[0][1])}" in answer.answer, answer.answer


def test_a_spoken_correction_keeps_the_person_said_last(ask, db) -> None:
    top = rows(db, f"SELECT d.name {DEALS} WHERE u.email = :e AND {OPEN} ORDER BY d.amount DESC LIMIT 3", e=OMAR)
    answer = ask(WEST_MANAGER, "okay pull up sam's, sorry, not sam, omar's three biggest open deals for me")
    assert all(name in answer.answer for (name,) in top) and "Sam Taylor" not in answer.answer, answer.answer


def test_the_deals_behind_an_average_then_ranked_smallest_first(ask, db) -> None:
    first = ask(SAM, "What's my average closed-won deal size for 2026?")
    behind = ask(SAM, "which deals went into that average?", first.thread_id)
    won = _names(
        db,
        f"SELECT d.name {DEALS} WHERE u.email = :e AND {WON} AND d.close_date >= '2026-01-01' ORDER BY d.amount",
        e=SAM,
    )
    assert all(name in behind.answer for name in won) and "Closed Lost" not in behind.answer, behind.answer
    ranked = ask(SAM, "Rank them from smallest to largest, with the amount on each.", behind.thread_id)
    places = [ranked.answer.index(name) for name in won]
    assert places == sorted(places), ranked.answer


def test_the_other_one_after_a_pick_from_two_listed_deals(ask, db) -> None:
    erin = "erin.chen@dealwise.demo"
    (smaller,) = rows(
        db, f"SELECT min(d.amount) {DEALS} WHERE u.email = :e AND d.name = 'Ironclad Storage - Expansion'", e=erin
    )[0]
    first = ask(erin, "I've got two Ironclad Storage expansion deals, haven't I? What's each of them worth?")
    picked = ask(erin, "For the bigger one, when's it expected to close?", first.thread_id)
    other = ask(erin, "and what about the other one - what's its lead source?", picked.thread_id)
    assert picked.tool_calls[0].args["deal_id"] != other.tool_calls[0].args["deal_id"], other.tool_calls
    assert money(smaller) in other.answer and "Lead source:" in other.answer, other.answer


def test_who_is_ahead_after_two_people_asked_one_by_one(ask, db) -> None:
    totals = dict(rows(db, f"SELECT u.email, sum(d.amount) {DEALS} WHERE {EAST} AND {OPEN} GROUP BY u.email"))
    first = ask(EAST_MANAGER, "jack's open deal count and total $?")
    second = ask(EAST_MANAGER, "now erin", first.thread_id)
    answer = ask(EAST_MANAGER, "so who's ahead on dollars and by how much", second.thread_id)
    gap = abs(totals[JACK] - totals["erin.chen@dealwise.demo"])
    assert "compared by owner" in answer.answer and money(gap) in answer.answer, answer.answer


def test_one_persons_cycle_set_against_their_teams_average(ask, db) -> None:
    cycles = rows(
        db,
        f"SELECT u.email, julianday(d.closed_at) - julianday(d.created_at) {DEALS} WHERE {WON} AND {EAST}"
        " AND d.close_date >= '2026-01-01'",
    )
    team = sum(days for _, days in cycles) / len(cycles)
    jacks = [days for email, days in cycles if email == JACK]
    jack = sum(jacks) / len(jacks)
    answer = ask(
        EAST_MANAGER,
        "On average, how many days does it take Jack to win a deal, and how does that stack up against the East"
        " team's average?",
    )
    assert "compared by owner" in answer.answer and f"by {abs(jack - team):.1f} days" in answer.answer, answer.answer


def test_a_birthday_card_is_no_email_and_the_held_details_are_given(ask, db) -> None:
    name, title, email = rows(
        db,
        "SELECT c.first_name || ' ' || c.last_name, c.title, c.email FROM contacts c JOIN accounts a"
        " ON a.id = c.account_id JOIN users u ON u.id = a.owner_id WHERE u.email = :e ORDER BY c.id LIMIT 1",
        e=NINA,
    )[0]
    answer = ask(
        NINA, f"When's {name}'s birthday? I'd like to send something to her. And double-check her title and email."
    )
    assert tool(answer) != "draft_followup_email" and "birthday" in answer.answer, answer.answer
    assert title in answer.answer and email in answer.answer, answer.answer


def test_past_days_window_is_checked_against_the_week_asked(ask, db) -> None:
    start = date(2026, 11, 9)
    calls = dict(
        rows(
            db,
            "SELECT u.name, count(*) FROM activities a JOIN users u ON u.id = a.author_id WHERE a.type = 'call'"
            f" AND {EAST} AND a.occurred_at >= :s AND a.occurred_at < :e GROUP BY u.name",
            s=start.isoformat(),
            e=(start + timedelta(days=7)).isoformat(),
        )
    )
    answer = ask(
        EAST_MANAGER, "How many calls did each of my reps log between Monday 9 November and Sunday 15 November?"
    )
    assert "between 9 Nov 2026 and 15 Nov 2026" in answer.answer, answer.answer
    assert all(f"{person}: {count}" in answer.answer for person, count in calls.items()), answer.answer


def _account_of(db, owner: str) -> tuple[int, str, int]:
    return rows(
        db,
        "SELECT a.id, a.name, a.employees FROM accounts a JOIN users u ON u.id = a.owner_id WHERE u.email = :e"
        " AND a.employees IS NOT NULL AND EXISTS (SELECT 1 FROM deals d JOIN stages s ON s.id = d.stage_id"
        f" WHERE d.account_id = a.id AND {OPEN}) ORDER BY a.id LIMIT 1",
        e=owner,
    )[0]


def test_an_untracked_ask_about_an_account_then_its_held_figures_by_pronoun(ask, db) -> None:
    account_id, account, employees = _account_of(db, JACK)
    (count, total) = rows(
        db, f"SELECT count(*), sum(d.amount) {DEALS} WHERE d.account_id = :a AND {OPEN}", a=account_id
    )[0]
    answer = ask(
        JACK,
        f"Has {account} raised a new funding round this year, and how much? Also I'd like the headcount we have on"
        " their account and how many open deals we have with them, plus the total.",
    )
    assert "funding round" in answer.answer.split("\n")[0], answer.answer
    assert f"{employees:,} employees" in answer.answer, answer.answer
    assert f"{count} open deal" in answer.answer and money(total) in answer.answer, answer.answer


def test_a_deal_named_by_its_product_in_a_preamble_is_what_it_points_at(ask, db) -> None:
    deal_id, account, product, amount, close = rows(
        db,
        f"SELECT d.id, a.name, substr(d.name, instr(d.name, ' - ') + 3), d.amount, d.close_date {DEALS}"
        f" JOIN accounts a ON a.id = d.account_id WHERE u.email = :e AND {OPEN} AND (SELECT count(*) FROM deals x"
        " WHERE x.account_id = a.id AND x.owner_id = u.id) = 1 ORDER BY d.id LIMIT 1",
        e=NINA,
    )[0]
    answer = ask(
        NINA,
        f"{account} are haggling on the {product.lower()}. How low will they try to push us before signing? Tell me"
        " what it's worth right now and the close date on it.",
    )
    assert answer.tool_calls[-1].args.get("deal_id") == deal_id, answer.tool_calls
    assert money(amount) in answer.answer and "nobody can know" in answer.answer, answer.answer
    del close


def test_a_meeting_with_a_colleague_tomorrow_is_neither_their_figures_nor_a_period(ask, db) -> None:
    (count, total) = rows(
        db, f"SELECT count(*), sum(d.amount) {DEALS} WHERE u.email = :e AND s.name = 'Qualification'", e=OMAR
    )[0]
    answer = ask(
        OMAR,
        "so I've got a 1:1 with Maya tomorrow and she'll want numbers - how much have I got in qualification right"
        " now and how many deals is that?",
    )
    assert "Maya" not in answer.answer and money(total) in answer.answer and f"{count} " in answer.answer, answer.answer


def test_a_legal_footer_asking_to_delete_the_mail_is_not_a_request(ask, db) -> None:
    (count,) = rows(
        db,
        f"SELECT count(*) {DEALS} WHERE u.email = :e AND {OPEN} AND d.close_date BETWEEN '2026-12-01' AND '2026-12-31'",
        e=NINA,
    )[0]
    answer = ask(
        NINA,
        "Hi,\n\nHow many of my open deals close in December?\n\nThanks\n\n-- \nNina Rossi\nDISCLAIMER: if you are not"
        " the intended recipient, delete this message and all copies immediately.",
    )
    assert tool(answer) == "query" and f"{count} open deal" in answer.answer, answer.answer


def test_a_stretch_named_before_the_question_is_the_period_it_asks_about(ask, db) -> None:
    won = rows(
        db,
        f"SELECT u.name, sum(d.amount) {DEALS} WHERE {WON} AND d.close_date >= '2026-03-01'"
        " AND d.close_date <= '2026-08-31' GROUP BY u.name ORDER BY 2 DESC",
    )
    answer = ask(
        "alex.admin@dealwise.demo",
        "Hi,\n\nThe spring bonus window ran from the start of March to the end of August. Which rep won the most\n"
        "revenue across those months, and what did it come to?\n\nThanks",
    )
    assert "between 1 Mar 2026 and 31 Aug 2026" in answer.answer, answer.answer
    assert f"{won[0][0]} has the highest total won amount: {money(won[0][1])}" in answer.answer, answer.answer


def test_the_overdue_thing_waiting_longest_is_the_task_due_longest_ago(ask, db) -> None:
    subject, deal = rows(
        db,
        "SELECT a.subject, d.name FROM activities a JOIN users u ON u.id = a.author_id LEFT JOIN deals d"
        " ON d.id = a.deal_id WHERE u.email = :e AND a.type = 'task' AND a.status = 'open' AND a.due_date < :t"
        " ORDER BY a.due_date LIMIT 1",
        e=JACK,
        t=TODAY.isoformat(),
    )[0]
    answer = ask(JACK, "of the overdue things on my plate, which has been waiting longest and which deal is it on?")
    assert subject in answer.answer and deal in answer.answer, answer.answer


def test_no_meeting_since_a_date_takes_in_deals_that_never_had_one(ask, db) -> None:
    quiet = _names(
        db,
        f"SELECT d.name {DEALS} WHERE u.email = :e AND {OPEN} AND NOT EXISTS (SELECT 1 FROM activities x"
        " WHERE x.deal_id = d.id AND x.type = 'meeting' AND x.occurred_at >= '2026-10-01')",
        e=SAM,
    )
    answer = ask(SAM, "which open deals of mine have had no meeting since 1 October, counting ones that never had one?")
    assert all(name in answer.answer for name in quiet) and f"The {len(quiet)} open deal" in answer.answer, (
        answer.answer
    )
