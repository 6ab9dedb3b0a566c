"""Records that carry an open or overdue task ("a deal that's both past its close date and has an overdue task",
"accounts with no open tasks"); "if I only get three calls in today"; the asker's guesses at a value ("was it 3rd nov
or nov 13th?") are no periods; an account's first two words ("the los pollos deal"); several figures asked of one
comparison; two answers put together; "the other one" of two just ranked; the top three re-ordered; "for each of
them" after two people named; a lead in percentage points; the contact "attached as primary". Checked against SQL
over the demo data."""

from tests.assistant.sql import DEALS, LOST, OPEN, SAM, WON, day, money, rows
from tests.support import ALICE as RITA
from tests.support import EAST_MANAGER, WEST_MANAGER

NINA = "nina.rossi@dealwise.demo"
JACK = "jack.miller@dealwise.demo"
TASK_ON_IT = "EXISTS (SELECT 1 FROM activities a WHERE a.deal_id = d.id AND a.type = 'task' AND a.status = 'open'"


def test_deals_and_accounts_by_the_tasks_on_them(ask, db) -> None:
    late = rows(
        db,
        f"SELECT d.name {DEALS} WHERE {OPEN} AND u.email = :me AND d.close_date < '2026-11-20' AND {TASK_ON_IT} "
        "AND a.due_date < '2026-11-20')",
        me=RITA,
    )
    answer = ask(RITA, "Is there a deal of mine that's both past its close date and has an overdue task").answer
    assert late and f"The {len(late)} open overdue deals with an overdue task" in answer, answer
    assert all(name in answer for (name,) in late) and "Has an overdue task" not in answer, answer
    (bare,) = rows(
        db,
        "SELECT count(*) FROM accounts ac JOIN users u ON u.id = ac.owner_id WHERE u.team_id = (SELECT id FROM teams "
        "WHERE name = 'West') AND NOT EXISTS (SELECT 1 FROM activities a WHERE a.account_id = ac.id AND "
        "a.type = 'task' AND a.status = 'open')",
    )[0]
    accounts = ask(WEST_MANAGER, "which of my team's accounts have no open tasks").answer
    assert f"The {bare} accounts without an open task" in accounts and "didn't use" not in accounts, accounts


def test_a_few_calls_today_is_the_top_of_the_agenda(ask, db) -> None:
    answer = ask(RITA, "if I only get three calls in today who should they be").answer
    assert "next actions" in answer and "3. " in answer and "4. " not in answer, answer


def test_guesses_at_a_value_are_not_periods_to_compare(ask, db) -> None:
    (close,) = rows(db, f"SELECT d.close_date {DEALS} WHERE d.name = 'Blue Sun Energy - Renewal'")[0]
    response = ask(RITA, "what's the close date on the blue sun renewal - was it 3rd nov or nov. 13th??")
    assert day(close) in response.answer and "compared by period" not in response.answer, response.answer
    assert response.pending_action is None


def test_an_accounts_first_two_words_name_it(ask, db) -> None:
    (amount,) = rows(
        db, f"SELECT d.amount {DEALS} WHERE d.name LIKE 'Los Pollos Hermanos%' AND u.email = :me", me=RITA
    )[0]
    answer = ask(RITA, "how much is the los pollos deal?").answer
    assert money(amount) in answer and "didn't use" not in answer, answer


def test_several_figures_of_one_comparison(ask, db) -> None:
    def open_total(email: str) -> tuple[int, float]:
        return rows(db, f"SELECT count(*), sum(d.amount) {DEALS} WHERE {OPEN} AND u.email = :e", e=email)[0]

    def won_of_closed(email: str) -> tuple[int, int]:
        return rows(
            db,
            f"SELECT sum(s.is_won), count(*) {DEALS} WHERE s.is_closed = 1 AND u.email = :e AND d.close_date "
            "BETWEEN '2026-01-01' AND '2026-12-31'",
            e=email,
        )[0]

    answer = ask(
        WEST_MANAGER,
        "Put Rita and Sam next to each other: number of open deals, open pipeline in dollars, and win rate on deals "
        "closed this year.",
    ).answer
    for email, name in ((RITA, "Rita Lopez"), (SAM, "Sam Taylor")):
        count, total = open_total(email)
        won, closed = won_of_closed(email)
        assert f"{name}: {count} deals, {money(total)}" in answer, answer
        assert f"({won} of {closed} deals won" in answer, answer
    assert "filter was not applied" not in answer, answer


def test_two_answers_put_together(ask, db) -> None:
    october = ask(EAST_MANAGER, "What did my team close won in October? Deal, owner and amount for each.")
    ask(EAST_MANAGER, "Same breakdown for November so far, please.", october.thread_id)
    together = ask(EAST_MANAGER, "What do those two months add up to together in won dollars?", october.thread_id)
    (total,) = rows(
        db,
        f"SELECT sum(d.amount) {DEALS} WHERE {WON} AND u.team_id = (SELECT id FROM teams WHERE name = 'East') AND "
        "d.close_date BETWEEN '2026-10-01' AND '2026-11-20'",
    )[0]
    assert money(total) in together.answer and "didn't use" not in together.answer, together.answer
    first = ask(NINA, "What have I got open at Evergreen Schools? Stage and amount for each deal.")
    ask(NINA, "What about Atlas Robotics, same details?", first.thread_id)
    both = ask(NINA, "Put those two accounts together, what's the combined open amount?", first.thread_id).answer
    (combined,) = rows(
        db,
        f"SELECT sum(d.amount) {DEALS} JOIN accounts ac ON ac.id = d.account_id WHERE {OPEN} AND u.email = :me AND "
        "ac.name IN ('Evergreen Schools', 'Atlas Robotics')",
        me=NINA,
    )[0]
    assert money(combined) in both, both


def test_the_other_one_of_two_just_ranked(ask, db) -> None:
    lost = rows(
        db,
        f"SELECT d.name, d.account_id {DEALS} WHERE {LOST} AND u.email = :me AND d.close_date >= '2026-01-01' "
        "ORDER BY d.amount DESC",
        me=SAM,
    )
    assert len(lost) == 2
    first = ask(SAM, "How much have I lost this year in closed-lost deals, and how many deals was that?")
    bigger = ask(SAM, "Of those two losses, which cost me more?", first.thread_id).answer
    assert lost[0][0] in bigger and lost[1][0] not in bigger.split("…")[0], bigger
    other = ask(SAM, "And for the other one, do I still have any open deals at that account?", first.thread_id).answer
    still_open = rows(
        db, f"SELECT d.name {DEALS} WHERE {OPEN} AND u.email = :me AND d.account_id = :a", me=SAM, a=lost[1][1]
    )
    assert still_open and all(name in other for (name,) in still_open), other


def test_the_top_three_reordered_and_the_one_on_top(ask, db) -> None:
    top = rows(
        db,
        f"SELECT d.name, d.close_date, d.next_step {DEALS} WHERE {OPEN} AND u.email = :me ORDER BY d.amount DESC "
        "LIMIT 3",
        me=RITA,
    )
    first = ask(RITA, "Out of everything I have open, which three deals carry the biggest dollar amounts?")
    assert "The 3 biggest" in first.answer and "didn't use" not in first.answer, first.answer
    again = ask(RITA, "Put those three in close-date order instead, soonest at the top.", first.thread_id).answer
    by_close = sorted(top, key=lambda row: row[1])
    assert "The 3 open deals" in again, again
    assert [again.index(name) for name, _, _ in by_close] == sorted(again.index(name) for name, _, _ in by_close)
    step = ask(RITA, "For the one now at the top of that order, what next step did I record?", first.thread_id).answer
    assert step.startswith(by_close[0][0]) and by_close[0][2] in step, step


def test_each_of_two_people_named_after_one(ask, db) -> None:
    first = ask(WEST_MANAGER, "sam's closed-won dollars for Q4 to date?")
    each = ask(WEST_MANAGER, "what about rita and omar, same number for each of them?", first.thread_id).answer
    for email, name in ((RITA, "Rita Lopez"), ("omar.haddad@dealwise.demo", "Omar Haddad")):
        (count, total) = rows(
            db,
            f"SELECT count(*), sum(d.amount) {DEALS} WHERE {WON} AND u.email = :e AND d.close_date BETWEEN "
            "'2026-10-01' AND '2026-11-20'",
            e=email,
        )[0]
        assert f"{name}: {count} deal{'s' if count != 1 else ''}, {money(total)}" in each, each


def test_a_lead_in_percentage_points(ask, db) -> None:
    first = ask(EAST_MANAGER, "What's Nina's win rate on deals closed this year?")
    ask(EAST_MANAGER, "And what's Erin's on the same basis?", first.thread_id)
    ahead = ask(EAST_MANAGER, "So which of the two is ahead, and by how many points?", first.thread_id).answer
    rates = {}
    for email in (NINA, "erin.chen@dealwise.demo"):
        won, closed = rows(
            db,
            f"SELECT sum(s.is_won), count(*) {DEALS} WHERE s.is_closed = 1 AND u.email = :e AND d.close_date >= "
            "'2026-01-01'",
            e=email,
        )[0]
        rates[email] = 100 * won / closed
    gap = abs(rates[NINA] - rates["erin.chen@dealwise.demo"])
    assert f"by {gap:g} percentage points" in ahead and "didn't use" not in ahead, ahead


def test_the_contact_attached_as_primary(ask, db) -> None:
    second = rows(
        db,
        f"SELECT d.name, c.email {DEALS} JOIN contacts c ON c.id = d.primary_contact_id WHERE {OPEN} AND "
        "u.email = :me ORDER BY d.amount DESC LIMIT 1 OFFSET 1",
        me=JACK,
    )[0]
    first = ask(JACK, "Give me my three biggest open deals, largest first.")
    ask(JACK, "Take the second one on that list. Stage and close date?", first.thread_id)
    contact = ask(JACK, "Which contact is attached to it as primary, and how do I email them?", first.thread_id).answer
    assert contact.startswith(f"The primary contact on {second[0]}") and second[1] in contact, contact
    assert "can't give" not in contact, contact


def test_a_text_and_a_calendar_hold_are_declined_and_the_question_answered(ask, db) -> None:
    (stage, step) = rows(
        db, f"SELECT s.name, d.next_step {DEALS} WHERE d.name = 'Evergreen Schools - Pilot' AND s.name = 'Negotiation'"
    )[0]
    response = ask(
        NINA,
        "Text Diego Lopez at Evergreen Schools that I'm confirmed for Monday, and block 10 to 11 on my Google Calendar "
        "for it. Also remind me of the stage and next step on my Evergreen Schools Pilot that's in Negotiation.",
    )
    assert response.answer.startswith("I can't send texts") and response.pending_action is None, response.answer
    assert stage in response.answer and step in response.answer, response.answer


def test_forwarding_outside_the_crm_is_declined_and_the_deal_given(ask, db) -> None:
    (step, close) = rows(
        db, f"SELECT d.next_step, d.close_date {DEALS} WHERE d.name = 'Soylent Foods - Analytics Suite'"
    )[0]
    response = ask(
        "erin.chen@dealwise.demo",
        "Hi,\n\nPlease forward everything on the Soylent Foods Analytics Suite deal to my personal address, "
        "erin.chen.home@gmail.com, so I can look at it over the weekend. At least tell me here what its next step is "
        "and what close date it has.\n\nErin",
    )
    assert response.answer.startswith("I can't send texts, forward records"), response.answer
    assert step in response.answer and day(close) in response.answer and response.pending_action is None


def test_an_untracked_figure_beside_one_deals_fields(ask, db) -> None:
    (amount, close) = rows(db, f"SELECT d.amount, d.close_date {DEALS} WHERE d.name = 'Bluth Company - Expansion'")[0]
    answer = ask(
        "omar.haddad@dealwise.demo",
        "How much commission am I getting on the Bluth Company Expansion I closed this month? Also confirm the deal "
        "amount and the exact close date.",
    ).answer
    assert answer.startswith("I can't give “commission”"), answer
    assert money(amount) in answer and day(close) in answer, answer


def test_a_close_predicted_gets_the_expected_close_dates(ask, db) -> None:
    erin = "erin.chen@dealwise.demo"
    closes = rows(
        db,
        f"SELECT d.close_date {DEALS} JOIN accounts ac ON ac.id = d.account_id WHERE ac.name = 'Ironclad Storage' AND "
        "u.email = :me",
        me=erin,
    )
    first = ask(erin, "What are my two Ironclad Storage deals worth, separately and together?")
    later = ask(erin, "Are either of those going to close before the year is out? Yes or no.", first.thread_id).answer
    assert "nobody can know that" in later and all(day(close) in later for (close,) in closes), later


def test_either_field_empty_and_every_deal_over_a_bound(ask, db) -> None:
    gaps = rows(
        db,
        f"SELECT d.name {DEALS} WHERE {OPEN} AND u.email = :me AND (d.primary_contact_id IS NULL OR d.next_step IS "
        "NULL OR trim(d.next_step) = '')",
        me=JACK,
    )
    answer = ask(JACK, "do any of my open deals lack a primary contact or a next step? just the ones with a gap pls")
    assert f"The {len(gaps)} open deal" in answer.answer and all(name in answer.answer for (name,) in gaps)
    assert "didn't use" not in answer.answer, answer.answer
    big = rows(
        db,
        f"SELECT d.name {DEALS} WHERE {OPEN} AND d.amount >= 50000 AND (d.next_step IS NULL OR trim(d.next_step) = '')",
    )
    every = ask(
        "alex.admin@dealwise.demo",
        "Pull every open deal worth at least 50k that has no next step recorded. Owner, stage and amount, please.",
    )
    assert every.pending_action is None and all(name in every.answer for (name,) in big), every.answer


def test_how_many_and_how_many_dollars_per_group(ask, db) -> None:
    (count, total) = rows(db, f"SELECT count(*), sum(d.amount) {DEALS} WHERE {OPEN} AND d.close_date < '2026-11-20'")[0]
    answer = ask(
        "alex.admin@dealwise.demo",
        "open deals already past their close date - how many per team and how many dollars per team?",
    ).answer
    assert f"Overall: {count} deals, {money(total)}." in answer and "can't give" not in answer, answer
    assert "120 deals" not in answer, answer


def test_a_question_said_again_more_exactly(ask, db) -> None:
    quiet = rows(
        db,
        f"SELECT d.name {DEALS} WHERE {OPEN} AND u.email = :me AND NOT EXISTS (SELECT 1 FROM activities a WHERE "
        "a.deal_id = d.id AND a.type != 'task' AND a.occurred_at >= '2026-10-30')",
        me=NINA,
    )
    answer = ask(
        NINA,
        "Have I let any open deals go cold? I mean no call, email, meeting or note in the last three weeks. Name them "
        "and tell me when each one was last worked.",
    ).answer
    assert f"The {len(quiet)} open deals with no activity in the last 21 days" in answer, answer
    assert "average" not in answer, answer


def test_either_of_two_conditions_of_different_kinds(ask, db) -> None:
    either = rows(
        db,
        f"SELECT d.name {DEALS} WHERE {OPEN} AND u.team_id = (SELECT id FROM teams WHERE name = 'West') AND "
        "(d.close_date < '2026-11-20' OR d.next_step IS NULL OR trim(d.next_step) = '')",
    )
    answer = ask(
        WEST_MANAGER,
        "Data hygiene sweep for my team: list every open deal that is past its close date or has no next step, with "
        "the owner on each, and tell me how many there are.",
    ).answer
    assert f"The {len(either)} open deals past their close date or without a next step" in answer, answer
    assert "63 deals" not in answer and "didn't use" not in answer, answer


def test_one_number_per_type_three_industries_and_ones_not_met(ask, db) -> None:
    kinds = rows(
        db,
        "SELECT a.type, count(*) FROM activities a JOIN users u ON u.id = a.author_id WHERE u.email = :me AND a.type "
        "!= 'task' AND a.occurred_at >= '2026-10-21' GROUP BY a.type",
        me=SAM,
    )
    per_type = ask(
        SAM, "Over the last 30 days, how many calls, emails, meetings and notes have I logged? One number per type."
    ).answer
    assert all(f"- {kind}: {count}" in per_type for kind, count in kinds), per_type
    top = rows(
        db,
        f"SELECT ac.industry, sum(d.amount) {DEALS} JOIN accounts ac ON ac.id = d.account_id WHERE {OPEN} GROUP BY "
        "ac.industry ORDER BY 2 DESC",
    )
    industries = ask(
        "alex.admin@dealwise.demo",
        "Which three industries carry the most open pipeline right now, and how much is open in each?",
    ).answer
    assert all(f"- {name}: {money(total)}" in industries for name, total in top[:3]), industries
    assert f"- {top[3][0]}:" not in industries and "didn't use" not in industries, industries
    quiet = ask(
        "erin.chen@dealwise.demo",
        "Of my deals in Proposal or Negotiation, which ones haven't had a meeting in the last 30 days? Stage and "
        "amount for each, please.",
    ).answer
    assert "with no meeting in the last 30 days" in quiet and "fewest" not in quiet, quiet
