"""What the offline brain got wrong in the older long-tail sets and in longtail27/28: "without the lost ones" and
"leave out LATAM" kept what they took out; "drill down to Jack on his own" and "on average how many days did those
take" were refused or answered with amounts; "the Soylent one", "the next one down", "her phone?" and "both stages
together" lost the record or set they pointed at; "need a follow up email" opened the agenda and "remind me what the
next step is" proposed a change; asides, forwarded mail and a signed preamble hid the question. Every figure is
checked against SQL over the same demo data."""

from tests.assistant.sql import (
    DEALS,
    EAST_MANAGER,
    ERIN,
    JACK,
    NINA,
    OMAR,
    OPEN,
    SAM,
    WEST,
    WON,
    money,
    rows,
    tool,
)
from tests.support import ADMIN, ALICE, WEST_MANAGER


def test_taking_a_status_or_a_region_out_keeps_the_rest(ask, db) -> None:
    won = rows(
        db,
        f"SELECT d.name, d.amount {DEALS} WHERE {WEST} AND {WON}"
        " AND d.close_date BETWEEN '2026-07-01' AND '2026-09-30'",
    )
    first = ask(WEST_MANAGER, "How many deals did West close in Q3, won and lost?")
    answer = ask(WEST_MANAGER, "without the lost ones - which deals were they and what's the total?", first.thread_id)
    assert all(name in answer.answer for name, _ in won), answer.answer
    assert money(sum(float(amount) for _, amount in won)) in answer.answer and "Closed Lost" not in answer.answer

    (rest,) = rows(
        db,
        f"SELECT SUM(d.amount) {DEALS} JOIN accounts a ON a.id = d.account_id"
        f" WHERE u.email = :me AND {OPEN} AND a.region != 'LATAM'",
        me=NINA,
    )[0]
    split = ask(NINA, "split my open pipeline by region pls")
    left = ask(NINA, "leave out LATAM - what's the total for the rest?", split.thread_id).answer
    assert money(float(rest)) in left and "LATAM" not in left, left


def test_a_person_drilled_into_and_days_asked_after_amounts_keep_the_question(ask, db) -> None:
    closed = rows(
        db,
        f"SELECT s.is_won {DEALS} WHERE u.email = :jack AND s.is_closed = 1 AND d.close_date LIKE '2026-%'",
        jack=JACK,
    )
    rate = 100 * sum(won for (won,) in closed) / len(closed)
    first = ask(ADMIN, "What's our company-wide win rate on deals closed in 2026?")
    ask(ADMIN, "just East", first.thread_id)
    drilled = ask(ADMIN, "drill down to Jack Miller on his own - what's his rate for the same period?", first.thread_id)
    assert "Jack Miller" in drilled.answer and f"{rate:g}%" in drilled.answer, drilled.answer

    ((days,),) = rows(
        db,
        f"SELECT AVG(julianday(d.close_date) - julianday(date(d.created_at))) {DEALS}"
        f" WHERE u.email = :me AND {WON} AND d.close_date LIKE '2026-%'",
        me=SAM,
    )
    total = ask(SAM, "what did my won deals come to this year?")
    average = ask(SAM, "and on average how many days did those take to close?", total.thread_id).answer
    assert f"{round(days)} days" in average and "average amount" not in average, average


def test_one_record_pointed_at_by_its_account_its_rank_or_its_contact(ask, db) -> None:
    meetings = ask(ERIN, "Who did I have meetings with this week?")
    soylent = ask(ERIN, "The Soylent one - what's that deal worth and what stage is it at?", meetings.thread_id)
    ((name, amount, stage),) = rows(
        db,
        f"SELECT d.name, d.amount, s.name {DEALS} JOIN activities a ON a.deal_id = d.id JOIN users me"
        " ON me.id = a.author_id WHERE me.email = :me AND a.type = 'meeting' AND a.occurred_at >= '2026-11-16'"
        " AND d.name LIKE 'Soylent%'",
        me=ERIN,
    )
    assert tool(soylent) == "get_deal" and name in soylent.answer and money(float(amount)) in soylent.answer
    assert stage in soylent.answer

    second = rows(
        db,
        f"SELECT d.name {DEALS} WHERE u.team_id = (SELECT id FROM teams WHERE name = 'East') AND {OPEN}"
        " ORDER BY d.amount DESC LIMIT 2",
    )[1][0]
    top = ask(EAST_MANAGER, "biggest open deal on my team?")
    ask(EAST_MANAGER, "whose is it and when's it meant to close", top.thread_id)
    down = ask(EAST_MANAGER, "and the next one down?", top.thread_id)
    assert tool(down) == "get_deal" and down.answer.startswith(second), down.answer

    ((phone, email),) = rows(
        db,
        "SELECT c.phone, c.email FROM deals d JOIN contacts c ON c.id = d.primary_contact_id"
        " WHERE d.name = 'Harbor Freightways - Platform' AND d.close_date LIKE '2026-12%'",
    )
    card = ask(ALICE, "whats closing for me in december")
    ask(ALICE, "that one at harbor - whats the next step n who's the contact", card.thread_id)
    assert phone in ask(ALICE, "her phone?", card.thread_id).answer
    contact = ask(ALICE, "and the contact's email?", card.thread_id)
    assert email in contact.answer and contact.pending_action is None, contact.answer


def test_both_sets_together_join_the_last_two_answers(ask, db) -> None:
    ((both,),) = rows(
        db, f"SELECT SUM(d.amount) {DEALS} WHERE u.email = :me AND s.name IN ('Proposal', 'Negotiation')", me=SAM
    )
    first = ask(SAM, "What's sitting in Proposal for me?")
    ask(SAM, "What about Negotiation?", first.thread_id)
    together = ask(SAM, "Total of both stages together?", first.thread_id).answer
    assert money(float(both)) in together and "didn't use" not in together, together

    ((biggest,),) = rows(
        db,
        f"SELECT d.name {DEALS} WHERE u.email = :me AND {WON} AND d.close_date BETWEEN '2026-04-01' AND '2026-09-30'"
        " ORDER BY d.amount DESC LIMIT 1",
        me=OMAR,
    )
    q2 = ask(OMAR, "What did I close-win in Q2? Names and amounts.")
    ask(OMAR, "and Q3?", q2.thread_id)
    across = ask(OMAR, "Across both quarters, which single win was the biggest?", q2.thread_id).answer
    assert biggest in across and "1 Apr 2026 and 30 Sep 2026" in across, across


def test_asking_about_a_deal_is_neither_the_agenda_nor_a_change(ask) -> None:
    draft = ask(JACK, "need a follow up email for Sterling Cooper - Renewal pls")
    assert tool(draft) == "draft_followup_email" and "Subject:" in draft.answer, draft.answer
    remind = ask(ALICE, "remind me what the next step and the close date are on the Hooli deal")
    assert tool(remind) == "get_deal" and remind.pending_action is None and "Next step:" in remind.answer


def test_untracked_asides_are_declined_and_the_deal_is_still_answered(ask, db) -> None:
    ((amount,),) = rows(db, "SELECT amount FROM deals WHERE name = 'Soylent Foods - Renewal'")
    mail = (
        "Hi,\n\nFinance is asking me what payment terms we agreed with Soylent Foods on the renewal that just closed"
        " (net 30\nor net 60?) and whether the contract auto-renews next year. Could you also confirm the amount of"
        " that renewal\nand the date it closed?\n\nThanks,\nErin"
    )
    answer = ask(ERIN, mail).answer
    assert answer.startswith("I can't give") and "payment" in answer.splitlines()[0], answer
    assert money(float(amount)) in answer, answer
    lost = ask(
        JACK,
        "Cyberdyne Systems - after our renewal fell through, did they renew with someone else, and who? Also how"
        " much was that renewal and on what date did we mark it lost?",
    )
    assert lost.answer.startswith("I can't give") and tool(lost) == "get_deal", lost.answer
    assert "Cyberdyne Systems - Renewal" in lost.answer and "Closed Lost" in lost.answer


def test_the_question_is_found_below_a_forward_and_inside_a_signed_mail(ask, db) -> None:
    ((total,),) = rows(
        db,
        f"SELECT SUM(d.amount) {DEALS} WHERE u.email = :me AND s.name = 'Qualification'"
        " AND d.close_date <= '2026-12-31'",
        me=OMAR,
    )
    forwarded = (
        "---------- Forwarded message ---------\nFrom: Maya Patel\nSubject: year-end cleanup\n\nOmar - anything still"
        " stuck in Qualification that you've dated to close before year end is going to\nlook odd in the forecast."
        " Can you check?\n\n----------\n\nfwd'ing to the bot. which of my qualification deals have close dates in"
        " dec or earlier, and whats the\ntotal on them\nO."
    )
    assert money(float(total)) in ask(OMAR, forwarded).answer

    regions = rows(
        db,
        f"SELECT a.region, AVG(d.amount) {DEALS} JOIN accounts a ON a.id = d.account_id WHERE {OPEN} GROUP BY a.region",
    )
    signed = (
        "Team,\n\nThanks for the quick turnaround on the headcount plan yesterday. Two housekeeping items: the QBR"
        " room\nhas moved to the 4th floor, and please stop forwarding the vendor invoices to this address.\n\nFrom"
        " the CRM I need one thing - the average size of an open deal in each region.\n\nRegards,\nAlex Admin"
    )
    answer = ask(ADMIN, signed).answer
    assert all(f"{region}: {money(float(avg))}" in answer for region, avg in regions), answer

    closed = rows(
        db,
        f"SELECT s.is_won {DEALS} WHERE u.email = :jack AND s.is_closed = 1 AND d.close_date LIKE '2026-%'",
        jack=JACK,
    )
    preamble = (
        "Hi,\n\nJack asked for feedback in our 1:1 tomorrow. For deals closed in 2026, what is his win rate, and how"
        " does it\nstack up against the win rate of the East team as a whole?\n\nDavid"
    )
    rate = 100 * sum(won for (won,) in closed) / len(closed)
    answer = ask(EAST_MANAGER, preamble).answer
    assert f"Jack Miller: {rate:g}%" in answer and "East team:" in answer, answer


def test_deals_gone_quiet_for_a_stretch_and_a_team_ranked_by_pipeline(ask, db) -> None:
    quiet = rows(
        db,
        f"SELECT d.name {DEALS} WHERE u.email = :me AND {OPEN} AND NOT EXISTS (SELECT 1 FROM activities a"
        " WHERE a.deal_id = d.id AND a.type != 'task' AND a.occurred_at >= '2026-11-06')",
        me=NINA,
    )
    assert quiet
    answer = ask(NINA, "Anything in my open pipeline that's gone a fortnight or more without a call, email or note?")
    assert all(name in answer.answer for (name,) in quiet) and "didn't use" not in answer.answer, answer.answer

    ranked = rows(
        db, f"SELECT u.name, SUM(d.amount) AS total {DEALS} WHERE {WEST} AND {OPEN} GROUP BY u.name ORDER BY total DESC"
    )
    answer = ask(
        WEST_MANAGER,
        "Can you rank the people on my team by how much open pipeline each of them is carrying right now?",
    ).answer
    lines = [f"{name}: {money(float(total))}" for name, total in ranked]
    assert all(line in answer for line in lines), answer
    assert [answer.index(line) for line in lines] == sorted(answer.index(line) for line in lines)


def test_a_name_two_deals_share_a_ranked_pick_and_a_draft_purpose(ask, db) -> None:
    twins = rows(db, f"SELECT d.amount {DEALS} WHERE d.name = 'Umbrella Health - Platform' AND u.email = :me", me=ERIN)
    assert len(twins) == 2
    both = ask(ERIN, "when are my two umbrella health platform deals set to close, and what are they worth combined?")
    assert money(sum(float(a) for (a,) in twins)) in both.answer and "Which deal" not in both.answer, both.answer

    ((biggest, step),) = rows(
        db,
        f"SELECT d.name, d.next_step {DEALS} WHERE u.email = :omar AND {OPEN} AND s.name IN ('Proposal', 'Negotiation')"
        " ORDER BY d.amount DESC LIMIT 1",
        omar=OMAR,
    )
    first = ask(WEST_MANAGER, "Break down my team's open pipeline by rep.")
    ask(WEST_MANAGER, "Just Omar's - which of his are in Proposal or Negotiation?", first.thread_id)
    pick = ask(WEST_MANAGER, "Which of those is the biggest, and what's the next step on it?", first.thread_id)
    assert tool(pick) == "get_deal" and pick.answer.startswith(biggest) and f"Next step: {step}" in pick.answer

    draft = ask(
        OMAR,
        "Can you write a follow-up email for Ollivander Supply - Enterprise License? I want to check whether they've"
        " had a chance to look over the proposal.",
    ).answer
    assert "whether you've had a chance to look over the proposal" in draft, draft


def test_abbreviated_months_side_by_side_and_a_header_before_a_colon(ask, db) -> None:
    counts = dict(
        rows(
            db,
            "SELECT strftime('%m', a.occurred_at), COUNT(*) FROM activities a JOIN users u ON u.id = a.author_id"
            " WHERE u.email = :me AND a.type = 'meeting' AND a.occurred_at >= '2026-10-01'"
            " AND a.occurred_at < '2026-12-01'"
            " GROUP BY 1",
            me=ALICE,
        )
    )
    answer = ask(ALICE, "# of mtgs i logged oct vs nov so far?").answer
    assert f"October 2026: {counts['10']}" in answer and f"November 2026 to date: {counts['11']}" in answer, answer

    regions = dict(
        rows(
            db,
            f"SELECT a.region, COUNT(*) {DEALS} JOIN accounts a ON a.id = d.account_id WHERE {WON}"
            " AND d.close_date BETWEEN '2026-07-01' AND '2026-12-31' AND a.region IN ('North America', 'LATAM')"
            " GROUP BY a.region",
        )
    )
    header = ask(
        ADMIN, "North America against LATAM for the second half of the year: number of deals won in each region."
    )
    assert all(f"{region}: {count} deal" in header.answer for region, count in regions.items()), header.answer
    assert "APAC" not in header.answer

    ((average,),) = rows(
        db, f"SELECT AVG(d.amount) {DEALS} WHERE {WON} AND d.close_date BETWEEN '2026-07-01' AND '2026-09-30'"
    )
    both = ask(
        ADMIN, "need the avg deal size for won deals in q3 across everyone and also which rep won the most deals"
    )
    assert money(float(average)) in both.answer and both.answer.count("**") == 4, both.answer


def test_an_account_left_out_and_the_longest_waiting_task(ask, db) -> None:
    ((average,),) = rows(
        db,
        f"SELECT AVG(d.amount) {DEALS} JOIN accounts a ON a.id = d.account_id WHERE u.email = :me AND {WON}"
        " AND d.close_date LIKE '2026-%' AND a.name != 'Oscorp'",
        me=OMAR,
    )
    first = ask(OMAR, "How many deals did I win this year?")
    ask(OMAR, "what's the average value of those?", first.thread_id)
    redone = ask(OMAR, "redo that average without the Oscorp deals", first.thread_id).answer
    assert money(float(average)) in redone and "other than those at Oscorp" in redone, redone

    ((task, owner),) = rows(
        db,
        "SELECT a.subject, u.name FROM activities a JOIN users u ON u.id = a.author_id WHERE a.type = 'task'"
        " AND a.status = 'open' AND a.due_date < '2026-11-20' ORDER BY a.due_date LIMIT 1",
    )
    oldest = ask(ADMIN, "Across the whole company, what's the single oldest overdue task, and whose is it?").answer
    assert f"{task} (" in oldest and f"owner {owner}" in oldest, oldest
    mine = ask(NINA, "Which of my tasks are overdue?")
    waiting = ask(NINA, "Which of them has been waiting the longest?", mine.thread_id).answer
    ((longest,),) = rows(
        db,
        "SELECT a.subject FROM activities a JOIN users u ON u.id = a.author_id WHERE u.email = :me AND a.type = 'task'"
        " AND a.status = 'open' AND a.due_date < '2026-11-20' ORDER BY a.due_date LIMIT 1",
        me=NINA,
    )
    assert waiting.splitlines()[1].startswith(f"- {longest}"), waiting


def test_a_manager_asking_what_to_push_a_named_rep_on_gets_that_reps_agenda(ask) -> None:
    answer = ask(
        WEST_MANAGER, "I've got a one-to-one with Rita in ten minutes. What should I be pushing her to act on?"
    )
    assert tool(answer) == "next_actions" and answer.answer.startswith("Rita Lopez's next actions"), answer.answer
    assert "Omar Haddad" not in answer.answer


def test_contacts_by_role_and_how_to_reach_them(ask, db) -> None:
    finance = rows(
        db,
        "SELECT c.first_name || ' ' || c.last_name, c.email FROM contacts c JOIN accounts a ON a.id = c.account_id"
        " WHERE a.name = 'Tyrell Biotech' AND lower(c.title) LIKE '%financ%'",
    )
    assert finance
    first = ask(JACK, "How many contacts do we have on file at Tyrell Biotech?")
    which = ask(JACK, "Which of them are the finance people?", first.thread_id).answer
    assert all(name in which for name, _ in finance), which
    emails = ask(JACK, "Give me email addresses for both.", first.thread_id).answer
    assert all(email in emails for _, email in finance) and "isn't something" not in emails, emails

    ((cfos,),) = rows(
        db,
        "SELECT COUNT(*) FROM contacts c JOIN users u ON u.id = c.owner_id WHERE u.team_id ="
        " (SELECT id FROM teams WHERE name = 'West') AND lower(c.title) LIKE '%financ%'",
    )
    shouted = ask(WEST_MANAGER, "HOW MANY CFOS DO WE HAVE IN CONTACTS ACROSS WEST ACCOUNTS").answer
    assert shouted.startswith(f"{cfos} contacts"), shouted


def test_a_group_or_deal_picked_by_its_place_answers_about_its_account(ask, db) -> None:
    top = rows(
        db,
        f"SELECT a.name, SUM(d.amount) AS total {DEALS} JOIN accounts a ON a.id = d.account_id WHERE {WEST} AND {OPEN}"
        " GROUP BY a.name ORDER BY total DESC LIMIT 3",
    )
    second = top[1][0]
    titles = rows(
        db, "SELECT c.title FROM contacts c JOIN accounts a ON a.id = c.account_id WHERE a.name = :a", a=second
    )
    first = ask(WEST_MANAGER, "top 3 west accounts by open pipeline $")
    known = ask(WEST_MANAGER, "the second one - who do we know there and what are their titles", first.thread_id)
    assert tool(known) == "find_contacts" and all(title in known.answer for (title,) in titles), known.answer

    wins = rows(
        db,
        f"SELECT d.account_id {DEALS} WHERE u.email = :me AND {WON} AND d.close_date LIKE '2026-%'"
        " ORDER BY d.amount DESC LIMIT 3",
        me=NINA,
    )
    still_open = rows(
        db, f"SELECT d.name {DEALS} WHERE u.email = :me AND {OPEN} AND d.account_id = :a", me=NINA, a=wins[2][0]
    )
    first = ask(NINA, "What are my three biggest wins this year?")
    answer = ask(NINA, "The third one - do I have anything still open with that account?", first.thread_id).answer
    assert all(name in answer for (name,) in still_open) and "Closed Won" not in answer, answer


def test_teams_side_by_side_over_two_quarters_and_which_quarter_was_stronger(ask, db) -> None:
    q2, q3 = (
        rows(
            db,
            f"SELECT SUM(d.amount) {DEALS} WHERE {WEST} AND {WON} AND d.close_date BETWEEN :a AND :b",
            a=start,
            b=end,
        )[0][0]
        for start, end in (("2026-04-01", "2026-06-30"), ("2026-07-01", "2026-09-30"))
    )
    answer = ask(WEST_MANAGER, "Was Q2 or Q3 the stronger quarter for West in closed-won revenue? I need both totals.")
    assert f"Q2 2026: {money(float(q2))}" in answer.answer and f"Q3 2026: {money(float(q3))}" in answer.answer
    sides = ask(ADMIN, "Put East and West side by side on closed-won revenue: Q3 versus Q4 to date.").answer
    assert "- West: Q3 2026" in sides and "- East: Q3 2026" in sides, sides


def test_a_deal_card_says_how_to_reach_its_primary_contact(ask, db) -> None:
    ((email, phone),) = rows(
        db,
        "SELECT c.email, c.phone FROM deals d JOIN contacts c ON c.id = d.primary_contact_id"
        " WHERE d.name = 'Northstar Insurance - Expansion'",
    )
    first = ask(ALICE, "Which of my deals should have closed by now but are still open?")
    card = ask(
        ALICE, "Of those, the biggest one - who's the contact I should chase, and what's their number?", first.thread_id
    )
    assert email in card.answer and phone in card.answer, card.answer


def test_the_leaders_records_the_other_value_and_the_rest_without_one(ask, db) -> None:
    ((leader, count),) = rows(
        db,
        "SELECT u.name, COUNT(*) AS n FROM activities a JOIN users u ON u.id = a.author_id WHERE a.type = 'task'"
        " AND a.status = 'open' AND a.due_date < '2026-11-20' GROUP BY u.name ORDER BY n DESC LIMIT 1",
    )
    answer = ask(ADMIN, "who's sitting on the most overdue tasks rn and which deals are they on").answer
    assert f"The {count} open overdue tasks by {leader}:" in answer and answer.count("\n- ") == count + 1, answer

    emea = rows(
        db,
        f"SELECT d.name {DEALS} JOIN accounts a ON a.id = d.account_id WHERE {OPEN} AND a.region = 'EMEA'"
        " AND d.amount >= 40000 AND u.team_id = (SELECT id FROM teams WHERE name = 'East')",
    )
    first = ask(EAST_MANAGER, "how's east's open pipe split between emea and latam? count + $ for each")
    ask(EAST_MANAGER, "which of the latam ones are over 40k", first.thread_id)
    other = ask(EAST_MANAGER, "same for the other region", first.thread_id).answer
    assert all(name in other for (name,) in emea) and "LATAM" not in other, other

    amounts = sorted(
        float(a)
        for (a,) in rows(
            db, f"SELECT d.amount {DEALS} WHERE u.email = :me AND {OPEN} AND s.name = 'Qualification'", me=ERIN
        )
    )
    listed = ask(ERIN, "List my open deals in Qualification with their amounts.")
    rest = ask(ERIN, "Drop the smallest one. What do the rest add up to?", listed.thread_id).answer
    assert money(sum(amounts[1:])) in rest and "can't delete" not in rest, rest


def test_the_team_after_one_rep_and_when_he_signs_after_a_card(ask, db) -> None:
    closed = rows(
        db,
        f"SELECT s.is_won {DEALS} WHERE u.team_id = (SELECT id FROM teams WHERE name = 'East') AND s.is_closed = 1"
        " AND d.close_date LIKE '2026-%'",
    )
    rate = round(100 * sum(won for (won,) in closed) / len(closed), 1)
    first = ask(EAST_MANAGER, "What's Jack's win rate on the deals he closed in 2026?")
    team = ask(EAST_MANAGER, "What about the team?", first.thread_id).answer
    assert f"{rate:g}%" in team and "Jack Miller" not in team, team

    ((name, close),) = rows(
        db,
        f"SELECT d.name, d.close_date {DEALS} WHERE u.email = :me AND {OPEN} ORDER BY d.amount DESC LIMIT 1 OFFSET 1",
        me=ALICE,
    )
    top = ask(ALICE, "Rank my open deals by size and show me the top three.")
    ask(ALICE, "The second one - who's the contact on it and what's the next step?", top.thread_id)
    sign = ask(ALICE, "And when is he expected to sign, going by the close date?", top.thread_id)
    assert tool(sign) == "get_deal" and sign.answer.startswith(name), sign.answer


def test_an_account_named_before_the_questions_is_what_there_and_their_mean(ask, db) -> None:
    ((total,),) = rows(
        db,
        f"SELECT SUM(d.amount) {DEALS} JOIN accounts a ON a.id = d.account_id WHERE u.email = :me AND {OPEN}"
        " AND a.name = 'Summit Healthcare'",
        me=OMAR,
    )
    answer = ask(
        OMAR,
        "I'm flying out to see Summit Healthcare next Thursday. Which of my deals there are still open, and for how"
        " much? What's the street address of their head office? And who's their CEO, so I know who to ask for?",
    ).answer
    assert answer.startswith("I can't give") and "street address" in answer.splitlines()[0], answer
    assert money(float(total)) in answer and "Grace Costa" in answer, answer


def test_two_people_named_before_the_question_and_two_values_side_by_side(ask, db) -> None:
    totals = dict(
        rows(
            db,
            f"SELECT u.name, SUM(d.amount) {DEALS} WHERE {OPEN} AND u.email IN (:omar, :jack) GROUP BY u.name",
            omar=OMAR,
            jack=JACK,
        )
    )
    answer = ask(
        ADMIN,
        "Omar Haddad and Jack Miller are both up for the enterprise territory. Compare their open pipelines for me:"
        " how many open deals each has and the total dollar value.",
    ).answer
    assert all(f"{name}:" in answer and money(float(total)) in answer for name, total in totals.items()), answer

    industries = dict(
        rows(
            db,
            f"SELECT a.industry, SUM(d.amount) {DEALS} JOIN accounts a ON a.id = d.account_id WHERE {OPEN}"
            " AND u.team_id = (SELECT id FROM teams WHERE name = 'East')"
            " AND a.industry IN ('Healthcare', 'Telecommunications') GROUP BY a.industry",
        )
    )
    stronger = ask(
        EAST_MANAGER,
        "Where is East's open pipeline stronger - healthcare accounts or telecommunications accounts? Give me the open"
        " dollar value and deal count for each.",
    ).answer
    assert all(f"{name}:" in stronger and money(float(v)) in stronger for name, v in industries.items()), stronger

    converted = ask(ADMIN, "do referral leads convert better than web leads for us?").answer
    assert "conversion rate" in converted and "Referral:" in converted and "Web:" in converted, converted


def test_competitor_follow_ups_and_deals_that_need_a_call(ask) -> None:
    first = ask(NINA, "which competitor has come up the most on my deals over the last 6 months?")
    narrower = ask(NINA, "and if you only look at the last 2 months?", first.thread_id)
    assert tool(narrower) == "competitor_mentions" and "since Sep 20, 2026" in narrower.answer, narrower.answer
    calls = ask(
        NINA, "I've blocked out an hour for phone calls. Which of my deals most need me to pick up the phone, and why?"
    )
    assert tool(calls) == "next_actions", calls.answer


def test_drafts_asked_after_a_greeting_say_what_the_rep_needs(ask, db) -> None:
    draft = ask(
        JACK,
        "Draft a follow-up email on Soylent Green Energy - Add-on Seats. The main thing I need from them is the"
        " completed security questionnaire, so make sure the email asks for it.",
    )
    assert "ask for the completed security questionnaire" in draft.answer, draft.answer
    hidden = ask(
        SAM,
        "Hi,\n\nNina's out today and asked me to cover. Can you draft a follow-up email for Nimbus Retail - Enterprise"
        " License so I can send it on her behalf?\n\nSam",
    ).answer
    assert "can't find a deal named" in hidden and "Subject:" not in hidden, hidden


def test_leads_by_score_never_worked_and_contacts_before_cold_calling(ask, db) -> None:
    leads = rows(
        db,
        "SELECT l.first_name || ' ' || l.last_name FROM leads l JOIN users u ON u.id = l.owner_id WHERE u.email = :me"
        " AND l.status IN ('new', 'working', 'qualified') AND l.score > 50"
        " AND NOT EXISTS (SELECT 1 FROM activities a WHERE a.lead_id = l.id)",
        me=SAM,
    )
    answer = ask(
        SAM,
        "which of my open leads have never had anything logged against them - no call, email, nothing - and score"
        " above 50?",
    ).answer
    assert all(name in answer for (name,) in leads) and "score 4" not in answer and "gone quiet" not in answer, answer
    cold = ask(
        NINA, "Before I start cold-calling: are any of my Atlas Robotics contacts missing a phone number?"
    ).answer
    assert "no activity in the last" not in cold and "None found" in cold, cold
