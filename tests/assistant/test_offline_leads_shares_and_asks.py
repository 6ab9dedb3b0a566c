"""What the offline brain got wrong before the forty-second to forty-fourth long-tail sets: a lead named by its
full name is found (its line, and BANT read from what is logged on it), a share of a lead status or of one account
inside a person's wins, the share by count and by value together, "tell me …" and "+ …" as questions of their own,
"her" and "him" after the person named before, "the date I last emailed …", a first name beside an account, the
bigger or smaller of two deals of one product, "there" after a ranking of accounts, an average with its smallest
deal, a person set against "my whole team", and "won or lost" over two periods. Every figure is checked against
SQL over the same demo data."""

from tests.assistant.sql import DEALS, NINA, OMAR, WEST, WON, day, money, rows
from tests.support import ADMIN, ALICE, WEST_MANAGER


def _lead(db, owner: str) -> tuple[int, str, str, str, int, str]:
    return rows(
        db,
        "SELECT l.id, l.first_name || ' ' || l.last_name, l.company, l.title, l.score, l.status FROM leads l"
        " JOIN users u ON u.id = l.owner_id WHERE u.email = :e ORDER BY l.id LIMIT 1",
        e=owner,
    )[0]


def test_a_lead_named_in_full_is_found_with_its_title_company_and_score(ask, db) -> None:
    _, name, company, title, score, status = _lead(db, ALICE)
    answer = ask(ALICE, f"what's {name}'s lead score and which company is the lead with?")
    assert f"{name} ({company}): {status}, score {score}" in answer.answer and title in answer.answer, answer.answer
    assert "I didn't use" not in answer.answer, answer.answer


def test_bant_of_a_lead_reads_what_is_logged_on_it_and_says_when_nothing_is(ask, db) -> None:
    lead_id, name, company, title, score, _ = _lead(db, ALICE)
    (logged,) = rows(db, "SELECT count(*) FROM activities WHERE lead_id = :i", i=lead_id)[0]
    answer = ask(ALICE, f"run a BANT on my lead {name} please")
    assert answer.tool_calls[0].args == {"lead_id": lead_id}, answer.tool_calls
    assert f"{name}, {title} at {company}" in answer.answer and f"score {score}" in answer.answer, answer.answer
    if not logged:
        assert "no notes, calls, emails or meetings are logged on this lead" in answer.answer, answer.answer


def test_the_share_of_a_lead_status_gives_the_count_beside_the_whole(ask, db) -> None:
    counts = dict(
        rows(
            db,
            "SELECT l.status, count(*) FROM leads l JOIN users u ON u.id = l.owner_id WHERE u.email = :e"
            " GROUP BY l.status",
            e=NINA,
        )
    )
    status = max(counts, key=lambda key: counts[key])
    whole = sum(counts.values())
    answer = ask(NINA, f"what percent of all my leads are {status}?")
    assert f"{counts[status]} of {whole}, {100 * counts[status] / whole:.1f}%" in answer.answer, answer.answer


def test_an_accounts_share_of_one_persons_wins_is_of_that_persons_total(ask, db) -> None:
    won = (
        f"{DEALS} JOIN accounts a ON a.id = d.account_id WHERE {WON} AND u.email = :e AND d.close_date >= '2026-01-01'"
    )
    per_account = rows(db, f"SELECT a.name, sum(d.amount) {won} GROUP BY a.name ORDER BY 2 DESC", e=OMAR)
    account, part = per_account[0]
    whole = sum(value for _, value in per_account)
    answer = ask(WEST_MANAGER, f"how much of Omar's closed-won revenue this year came from {account}, as a percentage?")
    assert f"{account}: {money(part)} of {money(whole)}, {100 * part / whole:.1f}%" in answer.answer, answer.answer


def test_a_share_by_count_and_by_value_gives_both(ask, db) -> None:
    won = f"{DEALS} WHERE {WON} AND d.close_date >= '2026-01-01' AND d.close_date <= '2026-12-31'"
    (deals, dollars) = rows(db, f"SELECT count(*), sum(d.amount) {won}")[0]
    (referred, referred_dollars) = rows(db, f"SELECT count(*), sum(d.amount) {won} AND d.lead_source = 'Referral'")[0]
    answer = ask(ADMIN, "what share of this year's wins came in through referrals, by count and by value?")
    assert f"Referral: {referred} of {deals}" in answer.answer, answer.answer
    assert f"Referral: {money(referred_dollars)} of {money(dollars)}" in answer.answer, answer.answer


def test_a_request_and_a_second_question_about_the_person_named_before_are_both_answered(ask, db) -> None:
    contact_id, name, account = rows(
        db,
        "SELECT c.id, c.first_name || ' ' || c.last_name, a.name FROM contacts c JOIN accounts a"
        " ON a.id = c.account_id JOIN users u ON u.id = a.owner_id WHERE u.email = :e AND EXISTS"
        " (SELECT 1 FROM activities x WHERE x.contact_id = c.id AND x.type = 'email') AND EXISTS"
        " (SELECT 1 FROM activities y WHERE y.contact_id = c.id AND y.type = 'call') ORDER BY c.id LIMIT 1",
        e=ALICE,
    )[0]
    last = {
        kind: rows(
            db, "SELECT max(occurred_at) FROM activities WHERE contact_id = :c AND type = :t", c=contact_id, t=kind
        )[0][0]
        for kind in ("email", "call")
    }
    answer = ask(
        ALICE, f"{name} at {account} has gone quiet. Tell me the day I last emailed her and when I last rang her."
    )
    assert day(last["email"]) in answer.answer and day(last["call"]) in answer.answer, answer.answer


def test_a_first_name_beside_an_account_is_that_accounts_contact(ask, db) -> None:
    first, last, phone, account = rows(
        db,
        "SELECT c.first_name, c.last_name, c.phone, a.name FROM contacts c JOIN accounts a ON a.id = c.account_id"
        " JOIN users u ON u.id = a.owner_id WHERE u.email = :e AND c.phone IS NOT NULL AND (SELECT count(*) FROM"
        " contacts o WHERE o.account_id = a.id AND o.first_name = c.first_name) = 1 ORDER BY c.id LIMIT 1",
        e=OMAR,
    )[0]
    answer = ask(OMAR, f"need to ring {first.lower()} from {account.lower()} + what's the number")
    assert f"{first} {last}" in answer.answer and phone in answer.answer, answer.answer


def test_the_bigger_and_smaller_of_two_deals_of_one_product_after_an_account_overview(ask, db) -> None:
    account, product, big, small = rows(
        db,
        "SELECT a.name, substr(d.name, length(a.name) + 4), max(d.amount), min(d.amount) FROM deals d JOIN accounts a"
        " ON a.id = d.account_id JOIN users u ON u.id = d.owner_id WHERE u.email = :e GROUP BY d.name"
        " HAVING count(*) = 2 ORDER BY d.name LIMIT 1",
        e=NINA,
    )[0]
    overview = ask(NINA, f"what's going on at {account}?")
    bigger = ask(NINA, f"the bigger {product.lower()} - when does it close?", overview.thread_id)
    assert money(big) in bigger.answer.split("\n")[0], bigger.answer
    smaller = ask(NINA, "and the smaller one?", bigger.thread_id)
    assert money(small) in smaller.answer.split("\n")[0], smaller.answer


def test_there_after_a_ranking_of_accounts_is_the_account_on_top(ask, db) -> None:
    mine = f"{DEALS} JOIN accounts a ON a.id = d.account_id WHERE s.is_closed = 0 AND u.email = :e"
    account, count = rows(db, f"SELECT a.name, count(*) {mine} GROUP BY a.name ORDER BY sum(d.amount) DESC", e=NINA)[0]
    answer = ask(NINA, "which customer holds the most open dollars for me, and how many deals do I have open there?")
    assert answer.tool_calls[-1].args["filters"].get("account_ids"), answer.tool_calls
    assert f"{count} open deal{'s' if count != 1 else ''} at {account}" in answer.answer, answer.answer


def test_an_average_names_its_smallest_deal_too(ask, db) -> None:
    won = f"{DEALS} WHERE {WON} AND u.email = :e AND d.close_date >= '2026-01-01'"
    (smallest,) = rows(db, f"SELECT min(d.amount) {won}", e=OMAR)[0]
    answer = ask(OMAR, "my average win this year, and how small did my smallest one get?")
    assert "The smallest: " in answer.answer and money(smallest) in answer.answer, answer.answer
    assert "smallest" not in answer.answer.split("I didn't use")[-1] or "I didn't use" not in answer.answer


def test_a_rep_against_my_whole_team_is_that_rep_beside_the_team(ask, db) -> None:
    team = f"{DEALS} WHERE {WON} AND {WEST}"
    (average,) = rows(db, f"SELECT avg(d.amount) {team}")[0]
    answer = ask(WEST_MANAGER, "how does Sam's average won deal compare with my whole team's?")
    compare = answer.tool_calls[0].args["compare"]
    assert compare["team_ids"] and len(compare["owner_ids"]) == 1, answer.tool_calls
    assert money(average) in answer.answer, answer.answer


def test_won_or_lost_over_two_quarters_counts_the_closed_deals_of_each(ask, db) -> None:
    closed = f"{DEALS} WHERE s.is_closed = 1 AND u.email = :e"
    (q3,) = rows(db, f"SELECT count(*) {closed} AND d.close_date BETWEEN '2026-07-01' AND '2026-09-30'", e=NINA)[0]
    answer = ask(NINA, "deals I closed, won or lost, in Q3 versus Q4?")
    assert answer.tool_calls[0].args["filters"]["status"] == "closed", answer.tool_calls
    assert f"Q3 2026: {q3} deal" in answer.answer, answer.answer
