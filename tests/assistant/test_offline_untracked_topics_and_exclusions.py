"""What the offline brain got wrong in the eighteenth long-tail set: topics no record holds (sanctions lists,
bankruptcy, a rep's OTE, bug reports, a contract's caps, office politics, what someone said at an unlogged dinner),
futures nobody knows ("how many will we lose in January", "will they still be a customer in 2028"), the answerable
part carried to the record or people the other part named, and "drop anything at 30k or less" over a list (a filter,
neither a deletion nor an update). Every figure is checked against SQL over the same demo data."""

from datetime import date

from tests.assistant.sql import DEALS, EAST_MANAGER, money, rows, tool
from tests.support import ALICE, WEST_MANAGER

DECLINED = ("isn't something Dealwise tracks", "aren't something Dealwise tracks", "nobody can know",
            "Dealwise holds no contract documents")  # fmt: skip


def _declines(answer: str) -> bool:
    return any(reason in answer.splitlines()[0] for reason in DECLINED)


def test_topics_no_record_holds_are_declined_and_never_answered_with_records(ask, db) -> None:
    for question in (
        "is Hooli on any sanctions or export-control list?",
        "did Hooli file for chapter 11? are they in bankruptcy?",
        "Is Jack on a higher OTE than Nina?",
        "are they still raising bug reports with our support team every week at Hooli?",
        "is there a power struggle between the two CFOs at Hooli?",
    ):
        response = ask(ALICE if "Jack" not in question else EAST_MANAGER, question)
        assert _declines(response.answer) and not response.records, (question, response.answer)


def test_an_unlogged_conversation_is_not_made_up_and_the_rest_is_answered(ask, db) -> None:
    nina = "nina.rossi@dealwise.demo"
    deal, stage, close, contact = rows(
        db,
        f"SELECT d.name, s.name, d.close_date, c.first_name || ' ' || c.last_name {DEALS}"
        " JOIN contacts c ON c.id = d.primary_contact_id WHERE u.email = :me AND s.is_closed = 0"
        " ORDER BY d.amount DESC LIMIT 1",
        me=nina,
    )[0]
    account = deal.split(" - ")[0]
    answer = ask(
        nina,
        f"I had dinner with {contact} from {account} on Tuesday but never logged it. What did they "
        f"tell me about their plans? And what stage is the {deal} deal at, and when does it close?",
    ).answer
    assert _declines(answer), answer
    assert stage in answer and date.fromisoformat(str(close)).strftime("%b %-d, %Y") in answer, answer


def test_futures_are_declined_and_the_answerable_part_is_about_the_record_named(ask, db) -> None:
    (count,) = rows(
        db, f"SELECT count(*) {DEALS} JOIN teams t ON t.id = u.team_id WHERE t.name = 'East' AND s.is_closed = 0"
    )[0]
    answer = ask(EAST_MANAGER, "How many of East's open deals are we going to lose in January?").answer
    assert _declines(answer) and "None found" not in answer, answer
    won = rows(
        db,
        f"SELECT a.name, d.name, d.amount, d.close_date {DEALS} JOIN accounts a ON a.id = d.account_id"
        " WHERE u.email = :me AND s.is_won = 1 ORDER BY d.id LIMIT 1",
        me=ALICE,
    )[0]
    account, deal, amount, close = won
    product = deal.split(" - ")[1]
    answer = ask(
        ALICE,
        f"On the {account} {product.lower()} we won - does the contract cap the price rise at "
        f"renewal? Also remind me what that {product.lower()} closed for and on what date.",
    ).answer
    assert answer.startswith("I can't give") and "contract" in answer.splitlines()[0], answer
    assert money(amount) in answer and date.fromisoformat(str(close)).strftime("%b %-d, %Y") in answer, answer


def test_their_figures_after_an_untracked_question_about_two_people(ask, db) -> None:
    won = dict(
        rows(
            db,
            f"SELECT u.name, sum(d.amount) {DEALS} WHERE s.is_won = 1 AND d.close_date"
            " BETWEEN '2026-01-01' AND '2026-11-20' AND u.name IN ('Jack Miller', 'Nina Rossi')"
            " GROUP BY u.name",
        )
    )
    answer = ask(
        EAST_MANAGER,
        "Is Jack on a higher OTE than Nina? While you're at it, how much has each of them closed-won so far this year?",
    ).answer
    assert answer.startswith("I can't give “ote”"), answer
    assert all(f"- {name}: {money(total)}" in answer for name, total in won.items()), answer


def test_dropping_the_small_ones_from_a_list_is_a_filter(ask, db) -> None:
    kept = {
        name
        for (name,) in rows(
            db,
            f"SELECT d.name {DEALS} JOIN teams t ON t.id = u.team_id WHERE t.name = 'West' AND s.is_won = 1"
            " AND d.close_date BETWEEN '2026-07-01' AND '2026-09-30' AND d.amount > 31500",
        )
    }
    listed = ask(WEST_MANAGER, "Which deals did my team win in Q3?")
    for follow_up in ("Drop anything that came in at 31.5k or less.", "drop anything at 31.5k or less"):
        response = ask(WEST_MANAGER, follow_up, listed.thread_id)
        assert tool(response) == "query" and response.pending_action is None, response.answer
        assert {r.name for r in response.records if r.type == "deal"} == kept, response.answer
    response = ask(WEST_MANAGER, "leave out anything under 31.5k", listed.thread_id)
    assert len([r for r in response.records if r.type == "deal"]) == len(kept) + 1, response.answer
    refused = ask(ALICE, "delete the Hooli deal").answer
    assert refused.startswith("I can't delete records"), refused


def test_a_sentence_asking_for_records_beside_an_untracked_one_is_answered(ask, db) -> None:
    emails = rows(
        db, "SELECT c.email FROM contacts c JOIN accounts a ON a.id = c.account_id WHERE a.name = 'Northstar Insurance'"
    )
    answer = ask(
        ALICE,
        "Northstar Insurance has two CFOs. Is there a power struggle between them? Either way, "
        "send me their email addresses.",
    ).answer
    assert _declines(answer) and "power struggle" in answer.splitlines()[0], answer
    assert emails and all(email in answer for (email,) in emails), answer
    only = ask(ALICE, "what commission will I earn on my open pipeline?").answer
    assert only.startswith("I can't answer that:") and "$" not in only, only
