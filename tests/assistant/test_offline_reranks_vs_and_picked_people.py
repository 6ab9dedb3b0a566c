"""Follow-ups and picks the offline brain got wrong before the thirty-ninth to forty-first long-tail sets: the other
end of a ranking re-ranks the whole list, "vs last year" sets two periods side by side, "list hers" after a ranking
of people is the leader's, "which of those has the most contacts" counts among the accounts just listed, a bare
"emails?" swaps the kind of activity counted, and "the 43k one" picks between two deals of one name. Every figure is
checked against SQL over the same demo data."""

from tests.assistant.sql import DEALS, EAST_MANAGER, rows, tool
from tests.support import ALICE

OMAR = "omar.haddad@dealwise.demo"


def test_the_other_end_of_a_ranking_ranks_the_whole_list_again(ask, db) -> None:
    mine = f"{DEALS} WHERE s.is_closed = 0 AND u.email = :e"
    smallest = rows(db, f"SELECT d.name {mine} ORDER BY d.amount ASC LIMIT 1", e=ALICE)[0][0]
    biggest = ask(ALICE, "what is my biggest open deal")
    other_end = ask(ALICE, "and the smallest?", biggest.thread_id)
    assert smallest in other_end.answer and "from the earlier answer" not in other_end.answer, other_end.answer


def test_versus_last_year_after_a_figure_puts_the_two_periods_side_by_side(ask) -> None:
    first = ask(ALICE, "whats my win rate ytd")
    against = ask(ALICE, "vs last yr?", first.thread_id)
    compare = against.tool_calls[0].args.get("compare") or {}
    labels = [period.get("label") for period in compare.get("periods", [])]
    assert compare.get("by") == "period" and labels == ["year to date", "last year"], against.tool_calls


def test_hers_after_a_ranking_of_people_is_the_leaders_records(ask, db) -> None:
    counts = rows(
        db,
        "SELECT u.name, count(*) FROM activities a JOIN users u ON u.id = a.author_id"
        " WHERE a.type = 'task' AND a.status = 'open' AND a.due_date < '2026-11-20'"
        " AND u.team_id = (SELECT id FROM teams WHERE name = 'East') GROUP BY u.name ORDER BY 2 DESC",
    )
    leader, overdue = counts[0]
    ranking = ask(EAST_MANAGER, "who on my team has the most overdue tasks")
    hers = ask(EAST_MANAGER, "list hers", ranking.thread_id)
    assert f"The {overdue} open overdue tasks by {leader}" in hers.answer, hers.answer


def test_which_of_those_accounts_has_the_most_contacts_counts_among_them(ask, db) -> None:
    listed = ask(ALICE, "list my healthcare accounts")
    ranked = ask(ALICE, "which of them has the most contacts", listed.thread_id)
    args = ranked.tool_calls[0].args
    assert args["object"] == "contacts" and args["group_by"] == "account" and args["filters"]["account_ids"]
    (account, contacts) = rows(
        db,
        "SELECT a.name, count(c.id) FROM accounts a JOIN contacts c ON c.account_id = a.id JOIN users u"
        " ON u.id = a.owner_id WHERE u.email = :e AND a.industry = 'Healthcare' GROUP BY a.name"
        " ORDER BY 2 DESC LIMIT 1",
        e=ALICE,
    )[0]
    assert ranked.answer.startswith(f"{account} has the most contacts: {contacts}"), ranked.answer


def test_a_bare_activity_kind_after_a_count_swaps_the_kind(ask, db) -> None:
    (emails,) = rows(
        db,
        "SELECT count(*) FROM activities a JOIN users u ON u.id = a.author_id JOIN accounts c ON c.id = a.account_id"
        " WHERE u.email = :e AND a.type = 'email' AND c.name = 'Oscorp' AND a.occurred_at >= '2026-01-01'",
        e=OMAR,
    )[0]
    calls = ask(OMAR, "how many calls have i logged with oscorp people this year")
    swapped = ask(OMAR, "emails?", calls.thread_id)
    assert tool(swapped) == "query" and swapped.answer.startswith(f"{emails} activities of type email at Oscorp")


def test_an_amount_said_picks_one_of_two_deals_of_the_same_name(ask, db) -> None:
    twins = rows(
        db,
        f"SELECT d.id, d.amount {DEALS} WHERE d.name = 'Ironclad Storage - Expansion' ORDER BY d.amount DESC",
    )
    (bigger, amount) = twins[0]
    said = f"{round(amount / 1000)}k"
    response = ask(
        EAST_MANAGER, f"What next step and close date does the Ironclad Storage - Expansion deal have, the {said} one?"
    )
    assert response.tool_calls and response.tool_calls[0].args.get("deal_id") == bigger, response.answer
    assert said not in response.answer


def test_a_product_named_as_a_kind_of_deal_keeps_the_deals_of_that_name(ask, db) -> None:
    nina = "nina.rossi@dealwise.demo"
    (count, average) = rows(
        db,
        f"SELECT count(*), avg(d.amount) {DEALS} WHERE s.is_won = 1 AND u.email = :e AND d.name LIKE '%Pilot'",
        e=nina,
    )[0]
    answer = ask(nina, "Across every pilot I've ever closed-won, what was the average deal size?").answer
    assert answer.startswith(f"The average amount of the {count} won deals named like 'Pilot'"), answer
    assert f"${average:,.0f}" in answer
    listed = ask(ALICE, "show my open deals")
    renewals = ask(ALICE, "just the renewals", listed.thread_id)
    names = [row[0] for row in rows(db, f"SELECT d.name {DEALS} WHERE s.is_closed = 0 AND u.email = :e", e=ALICE)]
    assert all(name in renewals.answer for name in names if name.endswith("Renewal"))
    assert not any(name in renewals.answer for name in names if not name.endswith("Renewal")), renewals.answer


def test_a_lead_picked_by_its_place_in_the_list_shows_its_company_and_email(ask, db) -> None:
    (name, company, email) = rows(
        db,
        "SELECT l.first_name || ' ' || l.last_name, l.company, l.email FROM leads l JOIN users u ON u.id = l.owner_id"
        " WHERE u.email = :e ORDER BY l.score DESC LIMIT 1",
        e=ALICE,
    )[0]
    ranked = ask(ALICE, "show my leads, highest score first")
    picked = ask(ALICE, "the top one - what company is he at and what's his email?", ranked.thread_id)
    assert picked.answer.count("\n- ") == 1 and f"{name} ({company})" in picked.answer and email in picked.answer


def test_when_did_i_last_email_her_after_a_deal_is_its_primary_contacts_last_email(ask, db) -> None:
    (contact_id, contact) = rows(
        db,
        "SELECT c.id, c.first_name || ' ' || c.last_name FROM deals d JOIN contacts c ON c.id = d.primary_contact_id"
        " JOIN accounts a ON a.id = d.account_id WHERE a.name = 'Hooli' ORDER BY d.id LIMIT 1",
    )[0]
    card = ask(ALICE, "who is the primary contact on the Hooli deal")
    last = ask(ALICE, "when did I last email her?", card.thread_id)
    assert last.tool_calls[0].args["filters"]["contact_ids"] == [contact_id], last.tool_calls
    assert contact in last.answer


def test_which_of_those_and_whose_lists_the_records_with_their_owners(ask, db) -> None:
    open_ones = rows(db, f"SELECT d.name, u.name {DEALS} WHERE s.is_closed = 0 AND d.created_at < '2026-01-01'")
    counted = ask("alex.admin@dealwise.demo", "How many deals were opened in Q4 last year?")
    listed = ask("alex.admin@dealwise.demo", "Which of those are still open, and whose are they?", counted.thread_id)
    assert all(f"{deal}: " in listed.answer and f"owner {owner}" in listed.answer for deal, owner in open_ones)


def test_one_kind_of_conversation_never_had_is_that_kind_missing(ask, db) -> None:
    never_met = rows(
        db,
        f"SELECT d.name {DEALS} WHERE s.is_closed = 0 AND u.email = :e"
        " AND d.id NOT IN (SELECT deal_id FROM activities WHERE type = 'meeting' AND deal_id IS NOT NULL)",
        e=ALICE,
    )
    response = ask(ALICE, "which of my open deals have I never met face to face?")
    assert response.tool_calls[0].args["filters"]["missing"] == ["meeting_logged"]
    assert response.answer.startswith(f"The {len(never_met)} open deals without any meeting logged of yours")
    assert all(f"- {name}:" in response.answer for (name,) in never_met)
    either = ask(ALICE, "which of my leads have never been called or emailed")
    assert either.tool_calls[0].args["filters"]["missing"] == ["activity"] and "didn't use" not in either.answer


def test_answer_the_question_below_answers_the_forwarded_mails_question(ask, db) -> None:
    (leader, overdue) = rows(
        db,
        f"SELECT u.name, count(*) {DEALS} WHERE s.is_closed = 0 AND d.close_date < '2026-11-20'"
        " AND u.team_id = (SELECT id FROM teams WHERE name = 'West') GROUP BY u.name ORDER BY 2 DESC LIMIT 1",
    )[0]
    message = (
        "Can you answer the question at the bottom of this for me? Thanks.\n\nAlex\n\n"
        "---------- Forwarded message ---------\nFrom: Maya Patel <maya.patel@dealwise.demo>\n"
        "Subject: Re: hygiene\n\nHi Alex,\n\nWhich rep on West has the most open deals sitting past their close "
        "date, and how many have they got?\n\nMaya"
    )
    answer = ask("alex.admin@dealwise.demo", message).answer
    assert answer.startswith(f"{leader} has the most open deals: {overdue}"), answer


def test_who_of_two_named_people_compares_those_two_only(ask, db) -> None:
    calls = dict(
        rows(
            db,
            "SELECT u.name, count(*) FROM activities a JOIN users u ON u.id = a.author_id WHERE a.type = 'call'"
            " AND a.occurred_at >= '2026-11-09' AND a.occurred_at < '2026-11-16'"
            " AND u.email IN ('erin.chen@dealwise.demo', 'jack.miller@dealwise.demo') GROUP BY u.name",
        )
    )
    response = ask(EAST_MANAGER, "erin or jack - who was on the phone with customers more last week?")
    compare = response.tool_calls[0].args.get("compare") or {}
    assert compare.get("by") == "owner" and len(compare.get("owner_ids", [])) == 2, response.tool_calls
    (ahead, behind) = sorted(calls, key=lambda name: -calls[name])
    assert f"{ahead} is higher than {behind} by {calls[ahead] - calls[behind]}" in response.answer, response.answer


def test_which_of_their_people_regroups_the_records_just_counted_by_contact(ask, db) -> None:
    (contact, emails) = rows(
        db,
        "SELECT c.first_name || ' ' || c.last_name, count(*) FROM activities a JOIN contacts c ON c.id = a.contact_id"
        " JOIN users u ON u.id = a.author_id JOIN accounts x ON x.id = a.account_id WHERE u.email = :e"
        " AND a.type = 'email' AND x.name = 'Oscorp' AND a.occurred_at >= '2026-01-01'"
        " GROUP BY c.id ORDER BY 2 DESC LIMIT 1",
        e=OMAR,
    )[0]
    counted = ask(OMAR, "how many emails have i logged with oscorp people this year")
    regrouped = ask(OMAR, "which of their people did most of those emails go to", counted.thread_id)
    args = regrouped.tool_calls[0].args
    assert args["group_by"] == "contact" and args["filters"]["account_ids"], args
    assert regrouped.answer.startswith(f"{contact} (Oscorp) has the most activities: {emails}"), regrouped.answer


def test_an_average_says_its_total_and_open_against_won_is_one_figure_per_status(ask, db) -> None:
    (count, total, average) = rows(
        db,
        f"SELECT count(*), sum(d.amount), avg(d.amount) {DEALS} WHERE s.is_closed = 0 AND u.email = :e",
        e=ALICE,
    )[0]
    answer = ask(ALICE, "average size of my open deals").answer
    assert answer.startswith(
        f"The average amount of the {count} open deals of yours: ${average:,.0f} (${total:,.0f} in total)"
    )
    per_status = dict(
        rows(
            db,
            f"SELECT CASE WHEN s.is_won = 1 THEN 'won' WHEN s.is_closed = 1 THEN 'lost' ELSE 'open' END, avg(d.amount)"
            f" {DEALS} WHERE u.email = :e GROUP BY 1",
            e=ALICE,
        )
    )
    against = ask(ALICE, "what's my average open deal vs my average won deal").answer
    assert all(f"- {status}: ${value:,.0f}" in against for status, value in per_status.items()), against


def test_a_contact_asked_beside_an_untracked_detail_gets_the_detail_declined(ask, db) -> None:
    (phone,) = rows(db, "SELECT phone FROM contacts WHERE first_name = 'Noah' AND last_name = 'Chen'")[0]
    answer = ask("sam.taylor@dealwise.demo", "What's Noah Chen's star sign? Also give me his phone number.").answer
    assert answer.startswith("I can't give “star sign”") and phone in answer, answer


def test_a_count_before_oldest_is_how_many_and_renewals_close_is_no_possessive(ask, db) -> None:
    oldest = rows(
        db, f"SELECT d.name {DEALS} WHERE s.is_closed = 0 AND u.email = :e ORDER BY d.created_at LIMIT 3", e=OMAR
    )
    answer = ask(OMAR, "my three oldest open deals and who's the contact on each").answer
    assert answer.startswith("The 3 oldest of") and all(f"- {name}:" in answer for (name,) in oldest), answer
    closing = ask(ALICE, "which of my renewals close before xmas and whats the total")
    assert closing.tool_calls[0].args["filters"].get("text") == "Renewal", closing.tool_calls
