"""'how many days did each of those take' and 'the average across the three of them' after a list of wins; 'a
count per rep and the deals'; live leads 'new, working or qualified' are no BANT check; 'Then list those deals';
'quick one b4 my 1:1 w nina'; 'at minimum tell me …'; a contact's family is declined beside her title and phone;
'that month' after a month was asked; 'the fewest days on average' stays the quickest; 'anyone at Tyrell' is no list
of contacts. Checked against SQL over the demo data."""

from tests.assistant.sql import DEALS, EAST, EAST_MANAGER, OPEN, SAM, WEST, WON, money, rows
from tests.support import ADMIN, WEST_MANAGER
from tests.support import ALICE as RITA


def test_days_for_each_of_those_and_their_average(ask, db) -> None:
    days = rows(
        db,
        f"SELECT d.name, julianday(d.close_date) - julianday(date(d.created_at)) {DEALS} WHERE {WON} AND "
        "u.email = :me AND d.close_date >= '2026-01-01'",
        me=SAM,
    )
    first = ask(SAM, "What have I won this year? Names and amounts.")
    each = ask(SAM, "How many days did each of those take from creation to close?", first.thread_id).answer
    assert all(f"{name}:" in each and f"{value:g} days to close" in each for name, value in days), each
    average = ask(SAM, "And what's the average across the three of them?", first.thread_id).answer
    mean = sum(value for _, value in days) / len(days)
    assert "average days to close" in average and f"{mean:g} days" in average, average


def test_a_count_per_rep_and_the_records(ask, db) -> None:
    blank = rows(
        db,
        f"SELECT d.name {DEALS} WHERE {OPEN} AND {WEST} AND d.close_date BETWEEN '2026-10-01' AND '2026-12-31' AND "
        "(d.next_step IS NULL OR trim(d.next_step) = '')",
    )
    answer = ask(
        WEST_MANAGER,
        "Which of my team's open deals with a close date this quarter have no next step filled in? Give me a count "
        "per rep and the deals.",
    ).answer
    assert blank and all(name in answer for (name,) in blank) and "per owner" in answer, answer
    assert "didn't use" not in answer, answer


def test_live_leads_are_no_bant_check(ask, db) -> None:
    leads = rows(
        db,
        "SELECT count(*) FROM leads l JOIN users u ON u.id = l.owner_id WHERE l.status IN ('new', 'working', "
        "'qualified') AND u.team_id = (SELECT id FROM teams WHERE name = 'East') AND NOT EXISTS (SELECT 1 FROM "
        "activities a WHERE a.lead_id = l.id AND a.type IN ('call', 'email', 'meeting'))",
    )[0][0]
    answer = ask(
        EAST_MANAGER,
        "How many live leads on my team (new, working or qualified) has nobody ever logged a call, email or meeting "
        "with? Count per rep, and list them.",
    ).answer
    assert "BANT" not in answer and f"Overall: {leads}." in answer, answer


def test_then_list_those_deals(ask, db) -> None:
    late = rows(db, f"SELECT d.name {DEALS} WHERE {OPEN} AND d.close_date < '2026-11-20'")
    answer = ask(
        ADMIN,
        "Across the company, how many open deals are past their close date in each stage? Then list those deals "
        "with their owners.",
    ).answer
    listed = answer.split("List those deals")[1]
    assert all(name in listed for (name,) in late) and f"The {len(late)} open overdue deals" in listed, answer


def test_an_occasion_with_a_person_and_a_fallback_asked(ask, db) -> None:
    negotiation = rows(
        db, f"SELECT d.name {DEALS} WHERE {OPEN} AND s.name = 'Negotiation' AND u.email = 'nina.rossi@dealwise.demo'"
    )
    nina = ask(
        EAST_MANAGER,
        "quick one b4 my 1:1 w nina what does she have sitting in negotiation and what did she win so far this month",
    ).answer
    assert all(name in nina for (name,) in negotiation) and "David Kim" not in nina, nina
    own = ask(
        "omar.haddad@dealwise.demo",
        "Before my 1:1 with Maya, I'd like to know which of my open deals haven't had a call, email, meeting or note "
        "logged in the last ten days.",
    ).answer
    assert "open deals with no activity in the last 10 days of yours" in own and "Maya" not in own, own
    (count, total) = rows(
        db,
        f"SELECT count(*), sum(d.amount) {DEALS} WHERE {OPEN} AND {EAST} AND d.close_date BETWEEN '2027-01-01' AND "
        "'2027-03-31'",
    )[0]
    fallback = ask(
        EAST_MANAGER,
        "will east close 500k of won business in q1 next year? straight yes or no. at minimum tell me how much open "
        "east pipeline is dated to close jan through mar 2027 and how many deals that is",
    ).answer
    assert f"{count} open deals" in fallback and money(total) in fallback, fallback


def test_a_contacts_family_is_declined_beside_her_details(ask, db) -> None:
    (title, phone), *_ = rows(db, "SELECT title, phone FROM contacts WHERE first_name = 'Lena' AND last_name = 'Silva'")
    answer = ask(
        RITA,
        "Lena Silva at Hooli mentioned her kids on our last call. How old are they and what are their names? While "
        "you're there, what's her title and her direct phone number?",
    ).answer
    assert "can't give" in answer and title in answer and phone in answer and ".wav" not in answer, answer


def test_that_month_after_a_month_and_the_quickest_closer(ask, db) -> None:
    (leader, calls), *_ = rows(
        db,
        "SELECT u.name, count(*) AS n FROM activities a JOIN users u ON u.id = a.author_id WHERE a.type = 'call' AND "
        f"{WEST} AND a.occurred_at >= '2026-09-01' AND a.occurred_at < '2026-10-01' GROUP BY u.id ORDER BY n DESC "
        "LIMIT 1",
    )
    first = ask(WEST_MANAGER, "How many calls did Sam log in September?")
    most = ask(WEST_MANAGER, "Who on the team logged the most calls that month, and how many?", first.thread_id).answer
    assert most.startswith(f"{leader} has the most activities: {calls}") and "30 Sep 2026" in most, most
    quickest = ask(ADMIN, "Company-wide, whose won deals go from creation to close in the fewest days on average?")
    assert "has the quickest average close" in quickest.answer, quickest.answer


def test_anyone_at_an_account_is_no_contact_list(ask, db) -> None:
    answer = ask(
        "nina.rossi@dealwise.demo", "When did I last sit down for a meeting with anyone at Evergreen Schools?"
    ).answer
    assert "Meeting with" in answer and "contacts" not in answer.split("\n")[0], answer
