"""Asks the offline brain got wrong in the long-tail sets of stop 25: an account's headcount (which its card holds),
a contact's phone, a window "since" a day without a year, and the answerable half of a message whose other half
nobody can answer ("will it sign, yes or no? and the amount and stage") about a record named only in that other half,
or a request put through someone else ("Finance is asking me for a guaranteed figure"). Every figure is checked
against SQL over the same demo data."""

from datetime import date

from tests.assistant.sql import DEALS, EAST_MANAGER, money, rows, tool
from tests.support import ALICE, BOB


def test_an_accounts_headcount_is_read_from_its_card(ask, db) -> None:
    name, employees = rows(
        db,
        "SELECT a.name, a.employees FROM accounts a JOIN users u ON u.id = a.owner_id"
        " WHERE u.email = :me AND a.employees IS NOT NULL ORDER BY a.id LIMIT 1",
        me=ALICE,
    )[0]
    for question in (
        f"how many employees does {name} have",
        f"headcount at {name.lower()}?",
        f"what's the employee count at {name}",
    ):
        response = ask(ALICE, question)
        assert tool(response) == "get_account_overview", (question, response.answer)
        assert f"{employees:,} employees" in response.answer and "I didn't use" not in response.answer, response.answer


def test_a_contact_list_gives_each_phone_beside_the_email(ask, db) -> None:
    name, email, phone = rows(
        db,
        "SELECT c.first_name || ' ' || c.last_name, c.email, c.phone FROM contacts c"
        " JOIN accounts a ON a.id = c.account_id JOIN users u ON u.id = a.owner_id"
        " WHERE u.email = :me AND c.phone IS NOT NULL"
        " ORDER BY c.id LIMIT 1",
        me=BOB,
    )[0]
    answer = ask(BOB, f"what are {name}'s email and phone").answer
    assert f"({email}, {phone})" in answer, answer


def test_since_a_day_without_a_year_is_the_last_such_day(ask, db) -> None:
    response = ask("omar.haddad@dealwise.demo", "which competitor keeps coming up on my deals since oct 1")
    call = response.tool_calls[0]
    assert call.name == "competitor_mentions" and call.args["start"] == "2026-10-01", call.args
    assert "since Oct 1, 2026" in response.answer and "2027" not in response.answer, response.answer


def test_the_answerable_half_is_about_the_record_the_unknowable_half_names(ask, db) -> None:
    sam = "sam.taylor@dealwise.demo"
    deal, amount, stage, close = rows(
        db,
        f"SELECT d.name, d.amount, s.name, d.close_date {DEALS} WHERE u.email = :me AND s.is_closed = 0"
        " ORDER BY d.amount DESC LIMIT 1",
        me=sam,
    )[0]
    account = deal.split(" - ")[0]
    answer = ask(
        sam,
        f"Will {account} definitely sign before their close date? I need a yes or no. "
        "Also remind me of the amount and the stage.",
    ).answer
    assert answer.startswith("I can't give") and "nobody can know that from the CRM" in answer.splitlines()[0]
    assert money(amount) in answer and stage in answer, answer
    answer = ask(
        sam,
        f"Is the {deal} deal guaranteed to close before Christmas? Yes or no. And tell me its close "
        "date and stage as the CRM has them.",
    ).answer
    assert date.fromisoformat(str(close)).strftime("%b %-d, %Y") in answer and stage in answer, answer
    assert "expected to close between" not in answer, answer


def test_a_request_put_through_someone_else_is_declined_where_it_is_unknowable(ask, db) -> None:
    (total, count) = rows(
        db,
        f"SELECT sum(d.amount), count(*) {DEALS} JOIN teams t ON t.id = u.team_id WHERE t.name = 'East'"
        " AND s.is_closed = 0 AND d.close_date BETWEEN '2027-01-01' AND '2027-03-31'",
    )[0]
    answer = ask(
        EAST_MANAGER,
        "Hello,\n\nFinance is asking me for a guaranteed figure for what my team will book "
        "in Q1 2027. What can you give me? At the very least I need the total open amount on "
        "my team's deals closing in Q1 2027 and how many deals that is.\n\nRegards,\nDavid",
    ).answer
    assert answer.startswith("I can't give") and "nobody can know" in answer.splitlines()[0], answer
    assert money(total) in answer and f"{count} open deals" in answer, answer


def test_a_competitors_per_seat_price_is_declined_and_our_deal_given(ask, db) -> None:
    jack = "jack.miller@dealwise.demo"
    deal, amount = rows(
        db,
        f"SELECT d.name, d.amount {DEALS} WHERE u.email = :me AND s.is_closed = 0 ORDER BY d.amount DESC LIMIT 1",
        me=jack,
    )[0]
    account = deal.split(" - ")[0]
    answer = ask(
        jack,
        f"a rival is pitching {account.lower()} too. whats their per seat price? + remind me what "
        f"the {deal} deal is worth",
    ).answer
    assert answer.startswith("I can't give “per seat price”"), answer
    assert money(amount) in answer, answer


def test_two_contacts_named_are_the_two_listed(ask, db) -> None:
    people = rows(
        db,
        "SELECT c.first_name || ' ' || c.last_name, c.email FROM contacts c"
        " JOIN accounts a ON a.id = c.account_id JOIN users u ON u.id = a.owner_id"
        " WHERE u.email = :me ORDER BY c.id LIMIT 2",
        me=ALICE,
    )
    response = ask(ALICE, f"email addresses of {people[0][0]} and {people[1][0]}")
    assert response.answer.startswith("2 contacts:"), response.answer
    assert all(email in response.answer for _, email in people), response.answer
