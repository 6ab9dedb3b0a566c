"""Same-named deals told apart by their owner ("Sam's Vandelay deal") or size ("the big one"); a product said with
slips ("enterprize lisence", "add on seets") next to its account; a dictated correction ("erin's, no sorry,
jack's"); "pull jack's deals" as a list; a region said in words inside a forwarded mail that greets the asker."""

from tests.assistant.sql import DEALS, EAST_MANAGER, JACK, NINA, OPEN, SAM, money, rows
from tests.support import ADMIN, WEST_MANAGER


def test_same_named_deals_told_apart_by_owner_and_size(ask, db) -> None:
    ((contact,),) = rows(
        db,
        f"SELECT c.first_name || ' ' || c.last_name {DEALS} JOIN contacts c ON c.id = d.primary_contact_id "
        "WHERE d.name = 'Vandelay Industries - Expansion' AND u.email = :who",
        who=SAM,
    )
    owned = ask(WEST_MANAGER, "Who's the main contact on Sam's Vandelay deal?")
    assert owned.tool_calls and owned.tool_calls[0].name == "get_deal" and contact in owned.answer, owned.answer
    ((step, amount),) = rows(
        db,
        f"SELECT d.next_step, d.amount {DEALS} WHERE d.name = 'Evergreen Schools - Pilot' AND u.email = :who "
        "ORDER BY d.amount DESC LIMIT 1",
        who=NINA,
    )
    big = ask(NINA, "evergren scools pilot, the big one - nxt step + close dt?").answer
    assert step in big and money(amount) in big and "Which deal do you mean" not in big, big


def test_products_said_with_slips_next_to_their_account(ask, db) -> None:
    ((stage, amount),) = rows(
        db, f"SELECT s.name, d.amount {DEALS} WHERE d.name = 'Nimbus Retail - Enterprise License'"
    )
    card = ask(NINA, "nimbus retial enterprize lisence - stage, amt and whos the contact?")
    assert card.tool_calls[0].name == "get_deal" and stage in card.answer and money(amount) in card.answer
    assert "Primary contact:" in card.answer and "I didn't use" not in card.answer, card.answer
    ((seats,),) = rows(db, f"SELECT d.amount {DEALS} WHERE d.name = 'Soylent Green Energy - Add-on Seats'")
    sloppy = ask(JACK, "whats teh amt on soylent grn energy add on seets + close dt").answer
    assert sloppy.startswith("Soylent Green Energy - Add-on Seats") and money(seats) in sloppy, sloppy


def test_a_dictated_correction_and_pull_as_a_list(ask, db) -> None:
    names = rows(
        db,
        f"SELECT d.name {DEALS} WHERE {OPEN} AND u.email = :who AND d.close_date BETWEEN '2026-12-01' AND '2026-12-31'",
        who=JACK,
    )
    answer = ask(
        EAST_MANAGER,
        "okay can you pull erin's, no sorry, jack's deals that are due to close in december, with the amount on each",
    )
    assert answer.pending_action is None and answer.tool_calls[0].name == "query", answer.answer
    assert f"The {len(names)} open deals owned by Jack Miller" in answer.answer, answer.answer


def test_a_region_in_words_in_a_forwarded_mail_that_greets_the_asker(ask, db) -> None:
    ((count, total),) = rows(
        db,
        f"SELECT count(*), sum(d.amount) {DEALS} JOIN accounts a ON a.id = d.account_id WHERE {OPEN} "
        "AND a.region = 'APAC'",
    )
    answer = ask(
        ADMIN,
        "can u handle this one\n\n---------- Forwarded message ---------\nFrom: Marcus Bell <marcus@dealwise.demo>\n"
        "Subject: board slide\n\nHi Alex - for the board deck I need a single line on Asia-Pacific: how many open "
        "opportunities we have\nthere right now across both teams, and what they're worth in total.\n\nThanks,\n"
        "Marcus",
    ).answer
    assert answer.startswith(f"{count} open deals in APAC across the company") and money(total) in answer, answer


def test_the_contact_on_each_of_an_accounts_deals(ask, db) -> None:
    deals = rows(
        db,
        f"SELECT d.name, c.first_name || ' ' || c.last_name {DEALS} JOIN contacts c ON c.id = d.primary_contact_id "
        "JOIN accounts a ON a.id = d.account_id WHERE a.name = 'Soylent Green Energy' AND u.email = :me",
        me=JACK,
    )
    answer = ask(JACK, "who's the primary contact on my soylent green energy deals").answer
    assert len(deals) > 1 and "Which deal do you mean" not in answer, answer
    assert all(f"- {name}:" in answer and f"primary contact {contact}" in answer for name, contact in deals), answer
