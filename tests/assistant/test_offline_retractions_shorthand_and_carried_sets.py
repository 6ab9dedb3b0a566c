"""A record taken back mid-sentence ("the Summit platform deal - scratch that, I mean the Summit expansion"); sales
shorthand ("40k+", "nxt 30d", "in 2 wks"); "after January"; a count's follow-up over every record it counted;
"any of those gone quiet, nothing logged in the past two weeks"; "how does November so far compare with that";
"the biggest single win"; a fallback after "if quota isn't in there"; "what did I close … and who were the
contacts"; "with which accounts" after a count. Checked against SQL over the demo data."""

from datetime import date, timedelta

from assistant.crm.models import Channel
from tests.assistant.sql import DEALS, EAST, EAST_MANAGER, ERIN, NINA, OMAR, OPEN, SAM, WEST, WON, day, money, rows
from tests.support import ADMIN, WEST_MANAGER
from tests.support import ALICE as RITA

TODAY = date(2026, 11, 20)


def test_a_record_taken_back_mid_sentence_is_not_asked_about(ask, db) -> None:
    (close,) = rows(db, f"SELECT d.close_date {DEALS} WHERE d.name = 'Summit Healthcare - Expansion'")[0]
    (wrong,) = rows(db, f"SELECT d.close_date {DEALS} WHERE d.name = 'Summit Healthcare - Platform'")[0]
    answer = ask(
        OMAR,
        "What's the close date on the Summit Healthcare platform deal - scratch that, I mean the Summit Healthcare "
        "expansion - and who's the contact on it?",
        channel=Channel.email,
    ).answer
    assert day(close) in answer and day(wrong) not in answer, answer
    (stage,) = rows(db, f"SELECT s.name {DEALS} WHERE d.name = 'Monarch Solutions - Pilot'")[0]
    picked = ask(
        NINA,
        "ok pull up the wayne logistics renewal, actually no, sorry, I meant the monarch solutions pilot, what stage "
        "is it in and what's the next step",
    ).answer
    assert "Monarch Solutions - Pilot" in picked and "Which deal" not in picked and stage in picked, picked


def test_shorthand_amounts_and_day_counts(ask, db) -> None:
    big = rows(
        db,
        f"SELECT d.name {DEALS} WHERE u.email = :me AND {OPEN} AND d.amount >= 40000 AND d.close_date "
        "BETWEEN '2026-11-20' AND '2026-12-31'",
        me=ERIN,
    )
    answer = ask(ERIN, "my open opps 40k+ w/ close dates b4 EOY?", channel=Channel.slack).answer
    assert big and all(name in answer for (name,) in big) and "40k" not in answer.split("\n")[-1], answer
    end = (TODAY + timedelta(days=30)).isoformat()
    per_rep = rows(
        db,
        f"SELECT u.name, sum(d.amount) {DEALS} WHERE {WEST} AND {OPEN} AND d.close_date BETWEEN '2026-11-20' AND "
        f"'{end}' GROUP BY u.id",
    )
    split = ask(WEST_MANAGER, "west pipe closing nxt 30d, by rep pls", channel=Channel.slack).answer
    assert per_rep and all(f"- {name}: {money(total)}" in split for name, total in per_rep), split
    soon = rows(
        db,
        f"SELECT count(*) {DEALS} WHERE u.email = :me AND {OPEN} AND d.close_date BETWEEN '2026-11-20' AND "
        "'2026-12-04'",
        me=RITA,
    )[0][0]
    closing = ask(RITA, "how many of my deals are closing in 2wks").answer
    assert f"{soon} open deal" in closing and "weeks" not in closing, closing


def test_after_a_month_starts_the_month_after_it(ask, db) -> None:
    later = rows(
        db,
        f"SELECT d.name {DEALS} WHERE {WEST} AND s.name = 'Negotiation' AND d.close_date >= '2027-02-01'",
    )
    answer = ask(WEST_MANAGER, "show me deals in negotiation that close after january").answer
    assert later and all(name in answer for (name,) in later) and "from 1 Feb 2027 on" in answer, answer


def test_a_follow_up_after_a_count_reads_every_record_counted(ask, db) -> None:
    (count, total) = rows(db, f"SELECT count(*), sum(d.amount) {DEALS} WHERE u.email = :me AND {OPEN}", me=RITA)[0]
    first = ask(RITA, "how many open deals do I have")
    biggest = ask(RITA, "which is the biggest of those", thread_id=first.thread_id).answer
    assert count > 10 and f"of the {count} open deals" in biggest and money(total) in biggest, biggest


def test_any_of_those_gone_quiet_narrows_the_list_just_shown(ask, db) -> None:
    quiet = rows(
        db,
        f"SELECT d.name {DEALS} WHERE {WEST} AND s.name = 'Negotiation' AND NOT EXISTS (SELECT 1 FROM activities a "
        "WHERE a.deal_id = d.id AND a.type != 'task' AND a.occurred_at >= '2026-11-06')",
    )
    first = ask(WEST_MANAGER, "What's my team got in Negotiation at the moment?")
    answer = ask(
        WEST_MANAGER, "Have any of those gone quiet, nothing logged in the past two weeks?", thread_id=first.thread_id
    ).answer
    assert quiet and all(name in answer for (name,) in quiet), answer
    assert f"The {len(quiet)} deal" in answer and "Proposal" not in answer, answer


def test_november_so_far_beside_october_and_the_biggest_single_win(ask, db) -> None:
    (october,) = rows(
        db,
        f"SELECT sum(d.amount) {DEALS} WHERE {WEST} AND {WON} AND d.close_date BETWEEN '2026-10-01' AND '2026-10-31'",
    )[0]
    (november,) = rows(
        db,
        f"SELECT sum(d.amount) {DEALS} WHERE {WEST} AND {WON} AND d.close_date BETWEEN '2026-11-01' AND '2026-11-20'",
    )[0]
    first = ask(WEST_MANAGER, "what did west close-won in october? deals + total", channel=Channel.slack)
    compared = ask(WEST_MANAGER, "how does november so far compare with that?", thread_id=first.thread_id).answer
    assert money(october) in compared and money(november) in compared and "to date" in compared, compared
    (name, owner) = rows(
        db,
        f"SELECT d.name, u.name {DEALS} WHERE {WEST} AND {WON} AND d.close_date >= '2026-11-01' ORDER BY "
        "d.amount DESC LIMIT 1",
    )[0]
    single = ask(WEST_MANAGER, "who on the team landed the biggest single win this month?").answer
    assert name in single and owner in single and "highest total" not in single, single


def test_a_fallback_after_an_untracked_quota_is_answered(ask, db) -> None:
    (won, count) = rows(
        db, f"SELECT sum(d.amount), count(*) {DEALS} WHERE {EAST} AND {WON} AND d.close_date >= '2026-10-01'"
    )[0]
    answer = ask(
        EAST_MANAGER,
        "how's east tracking vs our q4 quota? if quota isnt in there just tell me closed won so far this quarter "
        "($ and # of deals)",
        channel=Channel.slack,
    ).answer
    assert "quota" in answer.split("\n")[0] and money(won) in answer and f"{count} won deals" in answer, answer
    per_rep = rows(
        db, f"SELECT u.name, sum(d.amount) {DEALS} WHERE {WON} AND d.close_date >= '2026-01-01' GROUP BY u.id"
    )
    ranked = ask(
        ADMIN,
        "Which reps have hit their annual quota so far this year? If quotas aren't something the CRM has, rank every "
        "rep by what they've closed won in 2026 instead, with each one's total.",
        channel=Channel.email,
    ).answer
    assert all(f"- {name}: {money(total)}" in ranked for name, total in per_rep) and "instead" not in ranked, ranked


def test_contacts_of_what_was_closed_and_meetings_with_which_accounts(ask, db) -> None:
    won = rows(
        db,
        f"SELECT d.name, c.first_name || ' ' || c.last_name {DEALS} JOIN contacts c ON c.id = d.primary_contact_id "
        f"WHERE u.email = :me AND {WON} AND d.close_date BETWEEN '2026-10-01' AND '2026-10-31'",
        me=SAM,
    )
    answer = ask(SAM, "what did I close last month and who were the contacts").answer
    assert won and all(deal in answer and f"primary contact {person}" in answer for deal, person in won), answer
    accounts = rows(
        db,
        "SELECT DISTINCT c.name FROM activities a JOIN accounts c ON c.id = a.account_id JOIN users u ON "
        "u.id = a.author_id WHERE u.email = :me AND a.type = 'meeting' AND a.occurred_at >= '2026-11-16'",
        me=OMAR,
    )
    met = ask(OMAR, "how many mtgs did i have this wk n w/ which accts", channel=Channel.slack).answer
    assert accounts and all(f"- {name}: " in met for (name,) in accounts), met
