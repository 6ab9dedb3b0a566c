"""The ask inside a forwarded mail the person points at ("can you answer the bit in the middle"); a hedged guess
("I think it was mostly Oscorp but I'm not sure") is no filter; "em", "ended up converting"; "which of them is the
CFO" after an account's contacts; a record name nobody has ("my Halcyon Dairy renewal"); a rep asking about the
whole company; "that account" after one deal picked; "back that stage up"; "things he should be actioning".
Checked against SQL over the demo data."""

from tests.assistant.sql import DEALS, OMAR, WON, day, money, rows
from tests.support import ALICE as RITA
from tests.support import EAST_MANAGER, WEST_MANAGER

ADMIN = "alex.admin@dealwise.demo"
NINA = "nina.rossi@dealwise.demo"


def test_the_ask_inside_a_forwarded_mail_pointed_at_from_below(ask, db) -> None:
    mail = (
        "---------- Forwarded message ----------\nFrom: Finance Office\nSubject: numbers for Thursday\n\n"
        "> Alex - for the ops review we need a like-for-like view of the two sales teams last quarter.\n"
        "> Could you get us the average size of a won deal for West and for East in Q3, and how many\n"
        "> wins each team had? We'll do the charts ourselves.\n> Room 4B is booked from 2pm.\n\n"
        "^ can you answer the bit in the middle, ignore the room stuff"
    )
    answer = ask(ADMIN, mail).answer
    for team in ("West", "East"):
        (count, average) = rows(
            db,
            f"SELECT count(*), avg(d.amount) {DEALS} WHERE {WON} AND u.team_id = (SELECT id FROM teams WHERE name = "
            ":t) AND d.close_date BETWEEN '2026-07-01' AND '2026-09-30'",
            t=team,
        )[0]
        assert f"{team}: {money(average)} ({count} deals" in answer, answer


def test_a_hedged_guess_is_no_filter(ask, db) -> None:
    (calls,) = rows(
        db,
        "SELECT count(*) FROM activities a JOIN users u ON u.id = a.author_id WHERE u.email = :me AND a.type = 'call' "
        "AND a.occurred_at >= '2026-11-01'",
        me=OMAR,
    )[0]
    answer = ask(
        OMAR,
        "um okay so can you uh tell me how many calls I've made this month like since the first and um which accounts "
        "they were with because I think it was mostly Oscorp but I'm honestly not sure",
    ).answer
    assert f"The {calls} activities of type call" in answer and "at Oscorp" not in answer.split("\n")[0], answer


def test_them_shortened_and_ending_up_converted(ask, db) -> None:
    answer = ask(
        ADMIN, "HOW MANY LEADS R STILL SITTING AT NEW STATUS ACROSS THE COMPANY + WHO HAS THE MOST OF EM"
    ).answer
    assert "most leads" in answer and "most deals" not in answer, answer
    first = ask(ADMIN, "how many leads do we have that came from events")
    converted = ask(ADMIN, "out of those, how many ended up converting", first.thread_id).answer
    (count,) = rows(db, "SELECT count(*) FROM leads WHERE source = 'Event' AND status = 'converted'")[0]
    assert f"{count} lead" in converted and "converted" in converted and "deals" not in converted, converted


def test_which_of_them_after_an_accounts_contacts(ask, db) -> None:
    first = ask(RITA, "Who are my contacts at Northstar Insurance, with their titles?")
    cfo = ask(RITA, "Which of them is the CFO?", first.thread_id).answer
    elsewhere = rows(
        db,
        "SELECT c.first_name || ' ' || c.last_name FROM contacts c JOIN accounts ac ON ac.id = c.account_id WHERE "
        "c.title = 'Chief Financial Officer' AND ac.name != 'Northstar Insurance'",
    )
    assert "at Northstar Insurance" in cfo and not any(name in cfo for (name,) in elsewhere), cfo


def test_a_record_name_nobody_has(ask, db) -> None:
    answer = ask(NINA, "Where does my Halcyon Dairy renewal stand? I need its stage and the amount before my 2pm.")
    assert answer.answer.startswith('I can\'t find a deal named "Halcyon Dairy"'), answer.answer


def test_a_rep_asking_about_the_whole_company(ask, db) -> None:
    (total,) = rows(db, f"SELECT sum(d.amount) {DEALS} WHERE s.is_closed = 0 AND u.email = :me", me=NINA)[0]
    answer = ask(NINA, "How much open pipeline does the whole company have right now, across both teams?").answer
    assert money(total) in answer and "only your own records" in answer and "didn't use" not in answer, answer


def test_that_account_after_one_deal_picked(ask, db) -> None:
    erin = "erin.chen@dealwise.demo"
    first = ask(erin, "What did I close won between July and September? Amount on each.")
    ask(erin, "Which of them took the longest from creation to close, and how many days?", first.thread_id)
    later = ask(erin, "Anything still open for me at that account?", first.thread_id).answer
    still = rows(
        db,
        f"SELECT d.name {DEALS} JOIN accounts ac ON ac.id = d.account_id WHERE s.is_closed = 0 AND u.email = :me AND "
        "ac.name = 'Soylent Foods'",
        me=erin,
    )
    assert still and all(name in later for (name,) in still) and "Jul" not in later, later


def test_stage_backed_up_and_things_to_action(ask, db) -> None:
    fit = ask(
        EAST_MANAGER,
        "Erin has the Meridian Hotels expansion in Negotiation. Is there enough activity on it to back that stage up?",
    ).answer
    assert "Meridian Hotels - Expansion is in Negotiation" in fit, fit
    agenda = ask(
        WEST_MANAGER,
        "I've got Sam's one-on-one at 2pm. From his pipeline, give me the handful of things he should be actioning "
        "this week.",
    ).answer
    assert agenda.startswith("Sam Taylor's next actions"), agenda


def test_a_task_past_due_hanging_on_deals(ask, db) -> None:
    late = rows(
        db,
        f"SELECT d.name {DEALS} WHERE u.email = :who AND EXISTS (SELECT 1 FROM activities a WHERE a.deal_id = d.id AND "
        "a.type = 'task' AND a.status = 'open' AND a.due_date < '2026-11-20')",
        who=NINA,
    )
    answer = ask(EAST_MANAGER, "which of nina's deals have a task hanging on them that's past due").answer
    assert f"The {len(late)} deals with an overdue task" in answer and all(name in answer for (name,) in late), answer


def test_a_name_typed_as_two_words_and_autocorrected_asks(ask, db) -> None:
    (contact, phone) = rows(
        db,
        "SELECT c.first_name || ' ' || c.last_name, c.phone FROM deals d JOIN stages s ON s.id = d.stage_id JOIN "
        "contacts c ON c.id = d.primary_contact_id WHERE d.name = 'Evergreen Schools - Pilot' AND s.name = "
        "'Negotiation'",
    )[0]
    answer = ask(
        NINA,
        "whose the primary contract on the ever green schools pilot thats in negotiations and whats there phone",
    ).answer
    assert contact in answer and phone in answer and "didn't use" not in answer, answer


def test_accounts_gone_quiet_with_their_last_touch(ask, db) -> None:
    quiet = rows(
        db,
        "SELECT ac.name, (SELECT max(a.occurred_at) FROM activities a WHERE a.account_id = ac.id AND a.type != 'task') "
        "FROM accounts ac JOIN users u ON u.id = ac.owner_id WHERE u.email = :me AND NOT EXISTS (SELECT 1 FROM "
        "activities a WHERE a.account_id = ac.id AND a.type != 'task' AND a.occurred_at >= '2026-09-21')",
        me=RITA,
    )
    answer = ask(
        RITA,
        "Which of my accounts haven't had a call, email, meeting or note logged in the last 60 days? Show the date of "
        "the most recent one for each.",
    ).answer
    assert f"The {len(quiet)} accounts with no activity in the last 60 days" in answer, answer
    assert all(f"last activity {day(last)}" in answer for _, last in quiet) and "didn't use" not in answer, answer


def test_someone_not_on_file_at_an_account(ask, db) -> None:
    answer = ask(
        EAST_MANAGER,
        "I need Peter Gibbons' direct number at Cyberdyne Systems; apparently he's their new CFO. And who else do we "
        "have on file there? Names and titles.",
    ).answer
    assert answer.startswith('I can\'t find a contact named "Peter Gibbons"'), answer
    assert "Cyberdyne Systems" in answer, answer


def test_what_happens_next_never_filled_in(ask, db) -> None:
    blank = rows(
        db,
        f"SELECT d.name {DEALS} WHERE s.is_closed = 0 AND u.email = :me AND (d.next_step IS NULL OR "
        "trim(d.next_step) = '')",
        me=NINA,
    )
    answer = ask(NINA, "Tidying my CRM - on which open deals did I never fill in what happens next?").answer
    assert f"The {len(blank)} open deals without a next step" in answer, answer


def test_days_each_lost_deal_was_open_and_that_groups_earliest(ask, db) -> None:
    sam = "sam.taylor@dealwise.demo"
    lost = rows(
        db,
        f"SELECT d.name, CAST(julianday(d.closed_at) - julianday(d.created_at) AS INTEGER) {DEALS} WHERE "
        "s.is_closed = 1 AND s.is_won = 0 AND u.email = :me AND d.close_date >= '2026-01-01'",
        me=sam,
    )
    first = ask(sam, "Show me every deal I've lost, with the amount on each.")
    days = ask(sam, "How many days was each one open before we lost it?", first.thread_id).answer
    assert all(name in days for name, _ in lost) and "days to close" in days and "Closed Won" not in days, days
    (soonest,) = rows(
        db,
        f"SELECT d.name {DEALS} WHERE s.name = 'Proposal' AND u.email = :who ORDER BY d.close_date LIMIT 1",
        who="jack.miller@dealwise.demo",
    )[0]
    listed = ask(EAST_MANAGER, "Pull up Jack's pipeline that's currently sitting at Proposal.")
    earliest = ask(
        EAST_MANAGER, "Which of that group is expected to wrap up earliest, going by close date?", listed.thread_id
    ).answer
    assert "soonest to close" in earliest and soonest in earliest, earliest


def test_those_customers_still_live_the_other_named_one_and_a_to_do_on_it(ask, db) -> None:
    lost_accounts = rows(
        db,
        f"SELECT DISTINCT d.account_id {DEALS} WHERE s.is_closed = 1 AND s.is_won = 0 AND u.email = :me AND "
        "d.close_date >= '2026-01-01'",
        me=NINA,
    )
    (live,) = rows(
        db,
        f"SELECT sum(d.amount) {DEALS} WHERE s.is_closed = 0 AND u.email = :me AND d.account_id IN "
        f"({','.join(str(a) for (a,) in lost_accounts)})",
        me=NINA,
    )[0]
    first = ask(NINA, "Which deals have I lost this year, and how much was each one worth?")
    still = ask(NINA, "Are any of those customers still live for me with another open opportunity?", first.thread_id)
    assert f"({money(live)} in total)" in still.answer, still.answer
    omar = "omar.haddad@dealwise.demo"
    top = ask(omar, "biggest deal i've got sitting in qualification?")
    other = ask(omar, "and the other falcon security one, what's that worth?", top.thread_id).answer
    assert other.startswith("Falcon Security - Enterprise License"), other
    jack = "jack.miller@dealwise.demo"
    soon = ask(jack, "What have I got open that's meant to close before New Year?")
    ask(jack, "Which one of that batch is worth the most money?", soon.thread_id)
    task = ask(jack, "Have I got a to-do sitting on it, and what date was that due?", soon.thread_id).answer
    assert "Open tasks:" in task and "next actions" not in task, task


def test_that_older_one_and_going_back_to_the_biggest(ask, db) -> None:
    jack = "jack.miller@dealwise.demo"
    first = ask(jack, "What have I got going at Tyrell Biotech? Stage and amount of each deal.")
    older = ask(
        jack,
        "There are two Analytics Suite deals there. When was the older one created, and what stage is it in?",
        first.thread_id,
    ).answer
    again = ask(jack, "And when did I last log anything on that older one?", first.thread_id).answer
    assert "isn't something Dealwise tracks" not in again and older.split(":")[0] in again, again
    (name, step) = rows(
        db,
        f"SELECT d.name, d.next_step {DEALS} WHERE s.is_closed = 0 AND u.email = :me ORDER BY d.amount DESC LIMIT 1",
        me=NINA,
    )[0]
    biggest = ask(NINA, "What's my biggest open deal right now?")
    ask(NINA, "And which one is the smallest?", biggest.thread_id)
    back = ask(NINA, "Go back to the biggest one. What's its close date and next step?", biggest.thread_id).answer
    assert back.startswith(name) and step in back, back


def test_the_same_two_numbers_after_an_answer_in_two_pieces(ask, db) -> None:
    def logged(kind: str) -> int:
        return rows(
            db,
            "SELECT count(*) FROM activities a JOIN users u ON u.id = a.author_id WHERE u.team_id = (SELECT id FROM "
            "teams WHERE name = 'West') AND a.type = :kind AND a.occurred_at >= '2026-09-01' AND a.occurred_at < "
            "'2026-10-01'",
            kind=kind,
        )[0][0]

    first = ask(WEST_MANAGER, "How many meetings and how many calls did Sam log in September?")
    team = ask(WEST_MANAGER, "And the same two numbers for the whole team?", first.thread_id).answer
    assert f"{logged('meeting')} activities of type meeting of your team" in team, team
    assert f"{logged('call')} activities of type call of your team" in team, team


def test_why_lost_is_declined_and_the_deals_fields_given(ask, db) -> None:
    (amount, close) = rows(
        db,
        f"SELECT d.amount, d.close_date {DEALS} JOIN accounts ac ON ac.id = d.account_id WHERE ac.name = 'Zorin Tech' "
        "AND u.email = :me",
        me=RITA,
    )[0]
    answer = ask(
        RITA,
        "Why did we lose the Zorin Tech deal? I never got round to writing it down. Tell me the reason, when it was "
        "marked lost, what it was worth and who my contact on it was.",
    ).answer
    assert answer.startswith("I can't give") and money(amount) in answer and day(close) in answer, answer
    assert "contacts of yours" not in answer, answer


def test_posts_and_alarms_declined_with_the_ask_beside_them(ask, db) -> None:
    (amount, close) = rows(db, f"SELECT d.amount, d.close_date {DEALS} WHERE d.name = 'InGen Research - Renewal'")[0]
    posted = ask(
        "jack.miller@dealwise.demo",
        "post in #east-wins that the InGen Research renewal is signed and tag david. and remind me what it closed at "
        "and on what date",
    )
    assert posted.answer.startswith("I can't send texts") and money(amount) in posted.answer, posted.answer
    assert day(close) in posted.answer and posted.pending_action is None, posted.answer
    (phone,) = rows(db, "SELECT phone FROM contacts WHERE first_name = 'John' AND last_name = 'Young'")[0]
    alarm = ask(
        "sam.taylor@dealwise.demo",
        "Set an alarm on my phone for 8am Monday so I remember to ring John Young at Weyland Mining, and give me his "
        "number.",
    )
    assert alarm.answer.startswith("I can't send texts") and phone in alarm.answer, alarm.answer
    assert alarm.pending_action is None


def test_an_hour_to_spare_a_top_three_and_an_accounts_to_dos(ask, db) -> None:
    hour = ask("sam.taylor@dealwise.demo", "if i only get one hour of real selling time today, where should it go?")
    assert "next actions" in hour.answer, hour.answer
    top = ask("omar.haddad@dealwise.demo", "who should i be phoning this morning? give me a top 3 and why").answer
    assert "next actions" in top and "3. " in top and "4. " not in top and "biggest" not in top, top
    tasks = rows(
        db,
        "SELECT a.subject FROM activities a JOIN accounts ac ON ac.id = a.account_id JOIN users u ON u.id = "
        "a.author_id WHERE ac.name = 'Tyrell Biotech' AND a.type = 'task' AND a.status = 'open' AND u.email = :me",
        me="jack.miller@dealwise.demo",
    )
    todo = ask("jack.miller@dealwise.demo", "What's on my to-do list for Tyrell Biotech, and when is each item due?")
    assert tasks and all(subject in todo.answer for (subject,) in tasks) and "next actions" not in todo.answer


def test_a_company_nobody_has_and_the_other_pilot_of_two(ask, db) -> None:
    wayne = ask(
        "alex.admin@dealwise.demo", "how much open pipeline do we have at Wayne Enterprises and who owns that account?"
    )
    assert "I can't find “Wayne Enterprises”" in wayne.answer and "Wayne Logistics" not in wayne.answer, wayne.answer
    raj = ask(
        EAST_MANAGER,
        "I need a direct line for Raj Mehta, the CTO at Umbrella Health. If we don't have him, who do we have on file "
        "there? Names and titles.",
    ).answer
    assert raj.startswith('I can\'t find a contact named "Raj Mehta"') and "Umbrella Health" in raj, raj
    pilots = rows(db, f"SELECT d.amount {DEALS} WHERE d.name = 'Evergreen Schools - Pilot' ORDER BY d.amount DESC")
    first = ask(
        NINA, "the evergreen schools pilot that's in negotiation, what's it worth and when is it meant to close?"
    )
    other = ask(NINA, "ok and the other evergreen pilot, same info plus its stage?", first.thread_id).answer
    assert other.startswith("Evergreen Schools - Pilot") and money(pilots[1][0]) in other.split("\n")[0], other
    both = ask(NINA, "what do those two pilots come to together?", first.thread_id).answer
    assert money(pilots[0][0] + pilots[1][0]) in both, both


def test_that_group_since_the_quarter_started_and_either_customer(ask, db) -> None:
    omar = "omar.haddad@dealwise.demo"
    (late,) = rows(
        db,
        f"SELECT count(*) {DEALS} WHERE s.name = 'Qualification' AND u.email = :me AND d.close_date < '2026-11-20'",
        me=omar,
    )[0]
    first = ask(omar, "Count my open Qualification-stage deals for me.")
    ask(omar, "Add up the dollar value of that group for me.", first.thread_id)
    gone = ask(omar, "Has the close date already gone by on any of that group?", first.thread_id).answer
    assert f"{late} open overdue deal" in gone and "in Qualification" in gone and "can't group" not in gone, gone
    erin = "erin.chen@dealwise.demo"
    won = rows(
        db,
        f"SELECT d.name, d.account_id {DEALS} WHERE s.is_won = 1 AND u.email = :me AND d.close_date >= '2026-10-01'",
        me=erin,
    )
    since = ask(erin, "Since the quarter started on October 1st, which deals have I won?")
    assert f"The {len(won)} won deals" in since.answer and "compared by period" not in since.answer, since.answer
    live = ask(erin, "Is there still live business of mine at either of those two customers?", since.thread_id).answer
    still = rows(
        db,
        f"SELECT d.name {DEALS} WHERE s.is_closed = 0 AND u.email = :me AND d.account_id IN "
        f"({','.join(str(a) for _, a in won)})",
        me=erin,
    )
    assert all(name in live for (name,) in still) and f"The {len(still)} open deal" in live, live


def test_a_reps_day_before_leave_only_todays_tasks_and_big_deals_next_steps(ask, db) -> None:
    before = ask(
        EAST_MANAGER, "Erin is off on Monday. What should she make sure she gets done today before she leaves?"
    )
    assert before.answer.startswith("Erin Chen's next actions"), before.answer
    omar = "omar.haddad@dealwise.demo"
    today = rows(
        db,
        "SELECT a.subject FROM activities a JOIN users u ON u.id = a.author_id WHERE u.email = :me AND a.type = "
        "'task' AND a.status = 'open' AND a.due_date = '2026-11-20'",
        me=omar,
    )
    due = ask(
        omar, "What did I promise to get done today? Only what's due today - I already know about the late ones."
    ).answer
    assert all(subject in due for (subject,) in today) and "overdue" not in due and "next actions" not in due, due
    big = rows(
        db, f"SELECT d.name, d.next_step {DEALS} WHERE s.is_closed = 0 AND u.email = :me AND d.amount > 50000", me=NINA
    )
    steps = ask(
        NINA,
        "Just my open deals over $50k: go through each one and tell me what needs doing on it. Flag any task on them "
        "that's already late.",
    ).answer
    assert all(f"{name}:" in steps and f"next step: {step}" in steps for name, step in big), steps


def test_who_to_talk_to_on_each(ask, db) -> None:
    landing = rows(
        db,
        "SELECT c.first_name || ' ' || c.last_name FROM deals d JOIN stages s ON s.id = d.stage_id JOIN users u ON "
        "u.id = d.owner_id JOIN contacts c ON c.id = d.primary_contact_id WHERE s.is_closed = 0 AND u.email = :me AND "
        "d.close_date <= '2026-12-31'",
        me="erin.chen@dealwise.demo",
    )
    answer = ask(
        "erin.chen@dealwise.demo", "wat do i have landing b4 dec 31 thats still open + who do i talk to on each. $ too"
    ).answer
    assert landing and all(f"primary contact {name}" in answer for (name,) in landing), answer


def test_late_tasks_and_those_due_by_the_end_of_next_week(ask, db) -> None:
    erin = "erin.chen@dealwise.demo"

    def tasks(condition: str) -> list[str]:
        return [
            subject
            for (subject,) in rows(
                db,
                "SELECT a.subject FROM activities a JOIN users u ON u.id = a.author_id WHERE u.email = :me AND "
                f"a.type = 'task' AND a.status = 'open' AND {condition}",
                me=erin,
            )
        ]

    answer = ask(
        erin,
        "Hi,\n\nHelp me line up the next week and a bit: which of my tasks are already overdue, and which fall due "
        "between today and the end of next week? Due dates on everything, please.\n\nErin",
    ).answer
    late, coming = tasks("a.due_date < '2026-11-20'"), tasks("a.due_date BETWEEN '2026-11-20' AND '2026-11-29'")
    assert f"The {len(late)} open overdue tasks" in answer and f"The {len(coming)} open tasks" in answer, answer
    assert all(subject in answer for subject in late + coming) and "compared by period" not in answer, answer


def test_that_deal_is_no_name_nobody_has(ask, db) -> None:
    (contact,) = rows(
        db,
        "SELECT c.first_name || ' ' || c.last_name FROM deals d JOIN stages s ON s.id = d.stage_id JOIN users u ON "
        "u.id = d.owner_id JOIN contacts c ON c.id = d.primary_contact_id WHERE s.is_won = 1 AND u.email = :me AND "
        "d.close_date >= '2026-01-01' ORDER BY d.amount DESC LIMIT 1",
        me=NINA,
    )[0]
    first = ask(NINA, "How many deals have I closed-won this year, and what do they add up to?")
    ask(NINA, "Which of those was the biggest win?", first.thread_id)
    answer = ask(NINA, "who was our main contact on that deal?", first.thread_id).answer
    assert "can't find" not in answer and contact in answer, answer
