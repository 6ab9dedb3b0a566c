"""Follow-ups and partly answerable messages the offline brain got wrong before the twelfth and thirteenth long-tail
sets: a fallback asked for beside something untracked, an unknowable ask spread over two clauses, a record picked
from the list just shown by its place or status, the deals a list of tasks is on, the people tied in a ranking, a
comparison swapped to counts or widened by one person, and rankings asked for both ends. Every figure is checked
against SQL over the same demo data."""

from datetime import date

from tests.assistant.sql import DEALS, EAST_MANAGER, money, rows, tool
from tests.support import ADMIN, ALICE, WEST_MANAGER


def test_a_fallback_asked_beside_an_untracked_figure_is_answered(ask, db) -> None:
    won = rows(
        db,
        f"SELECT u.name, sum(d.amount) {DEALS} JOIN teams t ON t.id = u.team_id WHERE t.name = 'West'"
        " AND s.is_won = 1 AND d.close_date BETWEEN '2026-01-01' AND '2026-11-20' GROUP BY u.name",
    )
    answer = ask(
        WEST_MANAGER, "whats each of my reps % to quota ytd? if you cant do quota just give me their closed won ytd"
    ).answer
    assert answer.startswith("I can't give “quota”"), answer
    assert all(f"- {name}: {money(total)}" in answer for name, total in won)
    (q3,) = rows(
        db, f"SELECT sum(d.amount) {DEALS} WHERE s.is_won = 1 AND d.close_date BETWEEN '2026-07-01' AND '2026-09-30'"
    )[0]
    paid = ask(
        ADMIN,
        "How much of last quarter's closed-won business has actually been invoiced and paid? "
        "I also need the closed-won total for that quarter.",
    ).answer
    assert "isn't something Dealwise tracks" in paid.splitlines()[0] and money(q3) in paid, paid


def test_an_unknowable_ask_over_two_clauses_is_declined_and_the_rest_answered(ask, db) -> None:
    (stage, close) = rows(
        db, f"SELECT s.name, d.close_date {DEALS} JOIN accounts a ON a.id = d.account_id WHERE a.name = 'Hooli'"
    )[0]
    response = ask(
        ALICE,
        "Straight answer please - is Hooli going to sign before the end of the year, yes or no? And while you're "
        "at it, what stage is the Hooli deal in and what close date does it have on it?",
    )
    first = response.answer.splitlines()[0]
    assert first.startswith("I can't give") and "nobody can know that from the CRM" in first, response.answer
    assert tool(response) == "get_deal" and stage in response.answer
    assert date.fromisoformat(str(close)).strftime("%b %-d, %Y") in response.answer


def test_a_deal_picked_from_the_list_by_place_or_status(ask, db) -> None:
    top = rows(
        db,
        f"SELECT d.name {DEALS} WHERE s.is_closed = 0 AND u.email = 'nina.rossi@dealwise.demo'"
        " ORDER BY d.amount DESC LIMIT 3",
    )
    listed = ask("nina.rossi@dealwise.demo", "Top three open opportunities of mine by size?")
    second = ask("nina.rossi@dealwise.demo", "For the second one, when is it due to close?", listed.thread_id)
    assert tool(second) == "get_deal" and second.answer.startswith(top[1][0]), second.answer
    crescent = rows(
        db,
        f"SELECT d.name, d.next_step {DEALS} JOIN accounts a ON a.id = d.account_id WHERE a.name = 'Crescent Pharma'"
        " AND s.is_closed = 0 AND u.email = 'omar.haddad@dealwise.demo'",
    )
    assert len(crescent) == 1
    rundown = ask("omar.haddad@dealwise.demo", "Give me a rundown of my Crescent Pharma deals")
    still_open = ask(
        "omar.haddad@dealwise.demo", "The one that's still open - what's the next step on it?", rundown.thread_id
    )
    assert still_open.answer.startswith(crescent[0][0]) and crescent[0][1] in still_open.answer, still_open.answer
    (deal_id,) = rows(db, "SELECT id FROM deals WHERE name = :n", n=crescent[0][0])[0]
    (logged,) = rows(
        db, "SELECT count(*) FROM activities WHERE deal_id = :d AND type IN ('call', 'email', 'meeting')", d=deal_id
    )[0]
    calls = ask(
        "omar.haddad@dealwise.demo", "How many calls, emails and meetings have been logged on it?", rundown.thread_id
    ).answer
    assert calls.startswith(f"{logged} activities of type call or email or meeting on {crescent[0][0]}"), calls


def test_the_deals_a_list_of_tasks_is_on(ask, db) -> None:
    deals = {
        name
        for (name,) in rows(
            db,
            "SELECT DISTINCT d.name FROM activities a JOIN users u ON u.id = a.author_id"
            " JOIN deals d ON d.id = a.deal_id"
            " WHERE a.type = 'task' AND a.status = 'open' AND a.due_date BETWEEN '2026-11-20' AND '2026-11-27'"
            " AND u.email = 'sam.taylor@dealwise.demo'",
        )
    }
    assert deals
    tasks = ask("sam.taylor@dealwise.demo", "What tasks have I got coming due over the next seven days?")
    assert all(f"({name})" in tasks.answer for name in deals), tasks.answer
    on = ask("sam.taylor@dealwise.demo", "Which deals do they belong to?", tasks.thread_id).answer
    assert on.startswith(f"The {len(deals)} deals from the earlier answer"), on
    assert all(name in on for name in deals)


def test_they_after_a_tie_are_the_people_tied(ask, db) -> None:
    per_rep = rows(
        db,
        "SELECT u.id, u.name, sum(l.status = 'converted') * 1.0 / count(*) AS rate FROM leads l"
        " JOIN users u ON u.id = l.owner_id WHERE l.created_at >= '2026-01-01' GROUP BY u.id ORDER BY rate",
    )
    tied = [row for row in per_rep if row[2] == per_rep[0][2]]
    assert len(tied) >= 2
    ids = ",".join(str(row[0]) for row in tied)
    (open_leads,) = rows(
        db, f"SELECT count(*) FROM leads WHERE owner_id IN ({ids}) AND status IN ('new', 'working', 'qualified')"
    )[0]
    first = ask(ADMIN, "What's our lead-to-customer conversion rate overall?")
    ask(ADMIN, "Which rep converts the lowest share of their leads?", first.thread_id)
    answer = ask(
        ADMIN,
        "How many leads do they still have open between them - new, working or qualified, in total?",
        first.thread_id,
    ).answer
    assert answer.startswith(f"{open_leads} leads with status"), answer
    assert all(row[1] in answer for row in tied)


def test_a_comparison_swapped_to_counts_then_widened_by_one_person(ask, db) -> None:
    counts = dict(
        rows(
            db,
            f"SELECT u.name, count(*) {DEALS} JOIN teams t ON t.id = u.team_id WHERE t.name = 'West'"
            " AND s.is_closed = 0 GROUP BY u.name",
        )  # fmt: skip
    )
    first = ask(WEST_MANAGER, "Put Rita's open pipeline next to Omar's - in dollars.")
    swapped = ask(WEST_MANAGER, "Now as a number of deals instead.", first.thread_id).answer
    assert swapped.startswith("The number of open deals"), swapped
    widened = ask(WEST_MANAGER, "Add Sam to that.", first.thread_id).answer
    for name, count in counts.items():
        assert f"- {name}: {count} deals" in widened, widened


def test_weighting_the_list_just_shown_by_stage_probability(ask, db) -> None:
    (weighted,) = rows(
        db,
        f"SELECT sum(d.amount * s.probability / 100.0) {DEALS} WHERE s.is_closed = 0"
        " AND d.close_date BETWEEN '2026-12-01' AND '2026-12-31' AND u.email = 'erin.chen@dealwise.demo'",
    )[0]
    first = ask("erin.chen@dealwise.demo", "Which of my open deals are set to close in December?")
    answer = ask(
        "erin.chen@dealwise.demo", "What's that worth once you weight it by stage probability?", first.thread_id
    )
    assert answer.answer.startswith("The total weighted amount"), answer.answer
    assert money(weighted) in answer.answer


def test_fastest_and_slowest_name_both_ends_of_the_whole_ranking(ask, db) -> None:
    cycles = rows(
        db,
        f"SELECT u.name, avg(julianday(coalesce(d.closed_at, d.close_date)) - julianday(d.created_at)) AS c {DEALS}"
        " WHERE s.is_won = 1 AND d.close_date LIKE '2026-%' GROUP BY u.name ORDER BY c",
    )
    answer = ask(ADMIN, "who closes deals fastest and who is slowest").answer
    lines = answer.splitlines()
    assert lines[0].startswith(f"{cycles[0][0]} has the quickest average close"), answer
    assert lines[1].startswith(f"At the other end, {cycles[-1][0]}:"), answer
    assert all(name in answer for name, _ in cycles)


def test_the_deal_gone_longest_without_contact_is_the_least_recently_touched(ask, db) -> None:
    (name,) = rows(
        db,
        f"SELECT d.name {DEALS} LEFT JOIN activities a ON a.deal_id = d.id AND a.type != 'task'"
        " WHERE s.is_closed = 0 AND u.email = 'erin.chen@dealwise.demo' GROUP BY d.id ORDER BY max(a.occurred_at)"
        " LIMIT 1",
    )[0]
    answer = ask(
        "erin.chen@dealwise.demo",
        "Which of my open deals has gone the longest without any contact, and how long has it been?",
    ).answer
    assert answer.startswith("The least recently touched of the") and f"- {name}:" in answer, answer
    assert "days to close" not in answer


def test_a_stage_asked_whether_believable_is_the_stage_check(ask) -> None:
    response = ask(
        ALICE,
        "My Krusty Foods Analytics Suite opportunity says it's in Proposal. Is that believable given the activity?",
    )
    assert tool(response) == "stage_fit", response.answer


def test_a_signature_is_not_the_person_asked_about_and_i_need_is_not_mine(ask, db) -> None:
    (count,) = rows(
        db,
        f"SELECT count(*) {DEALS} JOIN accounts a ON a.id = d.account_id WHERE s.is_won = 1 AND a.region = 'EMEA'"
        " AND d.close_date LIKE '2026-%'",
    )[0]
    answer = ask(
        ADMIN,
        "Hello,\n\nFor the regional review I need EMEA set against APAC: closed-won in 2026, total dollars and number"
        "\nof deals for each region.\n\nBest regards,\nAlex",
    ).answer
    assert "across the company" in answer and f"- EMEA: {count} deals" in answer, answer
    assert "alex" not in answer.lower()


def test_open_or_closed_counts_every_deal_and_the_follow_ups_keep_the_account(ask, db) -> None:
    deals = rows(
        db,
        f"SELECT d.name, d.amount, s.is_closed, s.is_won {DEALS} JOIN accounts a ON a.id = d.account_id"
        f" WHERE a.name = 'Harbor Freightways' AND u.email = '{ALICE}'",
    )
    first = ask(ALICE, "What's the combined value of every deal I've had with Harbor Freightways, open or closed?")
    assert money(sum(amount for _, amount, _, _ in deals)) in first.answer.splitlines()[0], first.answer
    still_open = ask(ALICE, "Which ones are still open, and what stage is each in?", first.thread_id).answer
    assert still_open.startswith(f"The {sum(1 for d in deals if not d[2])} open deals at Harbor Freightways"), (
        still_open
    )
    lost = [amount for _, amount, closed, won in deals if closed and not won]
    answer = ask(ALICE, "And the one I lost there - how much was it?", first.thread_id).answer
    assert len(lost) == 1 and money(lost[0]) in answer.splitlines()[0], answer


def test_the_two_people_compared_on_one_stage_and_distinct_accounts_of_a_picked_group(ask, db) -> None:
    counts = dict(
        rows(
            db,
            f"SELECT u.name, count(*) {DEALS} WHERE s.name = 'Negotiation'"
            " AND u.email IN ('erin.chen@dealwise.demo', 'nina.rossi@dealwise.demo') GROUP BY u.name",
        )
    )
    first = ask(EAST_MANAGER, "What's Erin's open pipeline worth?")
    ask(EAST_MANAGER, "Nina - same figure please", first.thread_id)
    both = ask(
        EAST_MANAGER, "Which of the two has more deals sitting in Negotiation? Counts for both.", first.thread_id
    )
    for name, count in counts.items():
        assert f"- {name}: {count} deals" in both.answer, both.answer
    (top, accounts) = rows(
        db,
        f"SELECT a.industry, count(DISTINCT a.id) {DEALS} JOIN accounts a ON a.id = d.account_id WHERE s.is_closed = 0"
        " GROUP BY a.industry ORDER BY sum(d.amount) DESC LIMIT 1",
    )[0]
    ranked = ask(ADMIN, "Which industry has the most open pipeline dollars across the company?")
    answer = ask(ADMIN, "How many different accounts make up that industry's open pipeline?", ranked.thread_id)
    assert answer.answer.startswith(f"{accounts} — the different accounts"), answer.answer
    assert f"in the {top} industry" in answer.answer


def test_a_quarter_without_a_year_for_open_deals_is_the_next_one(ask, db) -> None:
    (total,) = rows(
        db,
        f"SELECT sum(d.amount) {DEALS} JOIN teams t ON t.id = u.team_id WHERE t.name = 'East' AND s.is_closed = 0"
        " AND d.close_date BETWEEN '2027-01-01' AND '2027-03-31'",
    )[0]
    answer = ask(EAST_MANAGER, "What's sitting in our open pipeline with a Q1 close date?").answer
    assert "between 1 Jan 2027 and 31 Mar 2027" in answer and money(total) in answer, answer
    won = ask(EAST_MANAGER, "what did we win in Q1").answer
    assert "between 1 Jan 2026 and 31 Mar 2026" in won, won


def test_a_leads_score_is_shown_and_asked_again_after_the_list(ask, db) -> None:
    leads = rows(
        db,
        "SELECT l.first_name || ' ' || l.last_name, l.score, l.source FROM leads l JOIN users u ON u.id = l.owner_id"
        " WHERE u.email = 'omar.haddad@dealwise.demo' AND l.status IN ('new', 'working', 'qualified')",
    )
    listed = ask("omar.haddad@dealwise.demo", "list my open leads")
    assert all(f"{name} (" in listed.answer and f"score {score}" in listed.answer for name, score, _ in leads)
    outbound = [row for row in leads if row[2] == "Outbound"]
    ask("omar.haddad@dealwise.demo", "which of them came from outbound", listed.thread_id)
    again = ask("omar.haddad@dealwise.demo", "whats their score and company", listed.thread_id).answer
    assert all(f"score {score}" in again for _, score, _ in outbound) and "didn't use" not in again, again


def test_two_deals_of_one_name_are_told_apart_by_the_stage_named(ask, db) -> None:
    deals = rows(
        db,
        f"SELECT d.id, s.name {DEALS} WHERE d.name = 'Umbrella Health - Platform'"
        " AND u.email = 'erin.chen@dealwise.demo'",
    )
    assert len(deals) == 2 and deals[0][1] != deals[1][1]
    response = ask(
        "erin.chen@dealwise.demo",
        f"Going off the last recorded call on my Umbrella Health platform deal that's in {deals[1][1]}, "
        "which of the BANT criteria are met?",
    )
    assert tool(response) == "bant_check" and response.tool_calls[0].args["deal_id"] == deals[1][0], response


def test_a_hygiene_list_in_a_mail_is_the_list_not_the_agenda(ask, db) -> None:
    (count,) = rows(
        db,
        f"SELECT count(*) {DEALS} JOIN teams t ON t.id = u.team_id WHERE t.name = 'East' AND s.is_closed = 0"
        " AND (d.next_step IS NULL OR trim(d.next_step) = '')",
    )[0]
    answer = ask(
        EAST_MANAGER,
        "Hi,\n\nAhead of Monday's pipeline review I want to clean up our hygiene. Please list every open East deal\n"
        "that has no next step recorded, and tell me who owns each one so I can follow up with them.\n\nDavid",
    ).answer
    assert answer.startswith(f"The {count} open deals without a next step of the East team"), answer


def test_personal_details_and_predictions_are_declined_beside_what_the_crm_holds(ask, db) -> None:
    (contact, title) = rows(
        db,
        "SELECT c.first_name || ' ' || c.last_name, c.title FROM deals d JOIN contacts c ON c.id = d.primary_contact_id"
        " WHERE d.name = 'Atlas Robotics - Pilot'",
    )[0]
    response = ask(
        "nina.rossi@dealwise.demo",
        "Who is the main contact on my Atlas Robotics Pilot deal? I'd love their LinkedIn profile and to know if they "
        "have kids, for small talk. At minimum give me their name and job title from the CRM.",
    )
    assert response.answer.startswith("I can't give “linkedin profile”, “have kids”"), response.answer
    assert f"Primary contact: {contact} ({title})" in response.answer
    (december,) = rows(
        db,
        f"SELECT sum(d.amount) {DEALS} JOIN teams t ON t.id = u.team_id WHERE t.name = 'East' AND s.is_closed = 0"
        " AND d.close_date BETWEEN '2026-12-01' AND '2026-12-31'",
    )[0]
    dollar = ask(
        EAST_MANAGER,
        "Tell me to the dollar what East will actually close in December. Then show me what open pipeline we have "
        "with a December close date.",
    ).answer
    assert "nobody can know that from the CRM" in dollar.splitlines()[0] and money(december) in dollar, dollar
    (pipeline,) = rows(
        db,
        f"SELECT sum(d.amount) {DEALS} JOIN accounts a ON a.id = d.account_id JOIN teams t ON t.id = u.team_id"
        " WHERE a.name = 'Vandelay Industries' AND s.is_closed = 0 AND t.name = 'West'",
    )[0]
    tickets = ask(
        WEST_MANAGER,
        "How many support tickets does Vandelay Industries have open with us right now? I'd also like to know how "
        "much open pipeline my team has on that account.",
    ).answer
    assert "open deals at Vandelay Industries of your team" in tickets and money(pipeline) in tickets, tickets


def test_a_stage_breakdown_then_the_stage_with_most_money_then_its_deals(ask, db) -> None:
    per_stage = rows(
        db,
        f"SELECT s.name, count(*), sum(d.amount) AS t {DEALS} WHERE s.is_closed = 0 AND u.email = '{ALICE}'"
        " GROUP BY s.name ORDER BY t DESC",
    )
    first = ask(ALICE, "Break my open pipeline down by stage for me - how many deals and how many dollars in each.")
    assert first.answer.startswith("The number of open deals of yours, per stage:"), first.answer
    most = ask(ALICE, "Which stage is holding the most money?", first.thread_id).answer
    assert most.startswith(f"{per_stage[0][0]} has the biggest open pipeline: {money(per_stage[0][2])}"), most
    listed = ask(ALICE, "List the deals in that one, biggest first.", first.thread_id).answer
    assert listed.startswith(f"The {per_stage[0][1]} open deals in {per_stage[0][0]} of yours"), listed


def test_leads_not_converted_and_not_unqualified_ranked_by_score(ask, db) -> None:
    live = rows(
        db,
        "SELECT l.first_name || ' ' || l.last_name, l.score FROM leads l JOIN users u ON u.id = l.owner_id"
        f" WHERE u.email = '{ALICE}' AND l.status NOT IN ('converted', 'unqualified') ORDER BY l.score DESC",
    )
    first = ask(ALICE, "Which of my leads are still live - not converted and not written off as unqualified?")
    assert first.answer.startswith(f"The {len(live)} leads with status"), first.answer
    assert "didn't use" not in first.answer
    ranked = ask(ALICE, "Rank those by score, highest first.", first.thread_id).answer
    positions = [ranked.index(name) for name, _ in live]
    assert positions == sorted(positions), ranked


def test_going_back_to_an_earlier_answer_and_a_split_by_person_then_one_person(ask, db) -> None:
    (year_end,) = rows(
        db,
        f"SELECT sum(d.amount) {DEALS} WHERE s.is_closed = 0 AND u.email = 'jack.miller@dealwise.demo'"
        " AND d.close_date BETWEEN '2026-11-20' AND '2026-12-31'",
    )[0]
    first = ask("jack.miller@dealwise.demo", "which of my open deals are set to close before the end of the year")
    ask("jack.miller@dealwise.demo", "now the ones dated january", first.thread_id)
    back = ask(
        "jack.miller@dealwise.demo", "ok go back to the before-year-end ones. what do they add up to", first.thread_id
    ).answer
    assert money(year_end) in back.splitlines()[0], back
    (rita_overdue,) = rows(
        db,
        "SELECT count(*) FROM activities a JOIN users u ON u.id = a.author_id WHERE a.type = 'task'"
        f" AND a.status = 'open' AND a.due_date < '2026-11-20' AND u.email = '{ALICE}'",
    )[0]
    tasks = ask(ADMIN, "How many open tasks are past their due date across the whole company?")
    ask(ADMIN, "Split that by person.", tasks.thread_id)
    rita = ask(ADMIN, "Show me Rita's.", tasks.thread_id).answer
    assert rita.startswith(f"The {rita_overdue} open overdue tasks by Rita Lopez"), rita


def test_which_one_is_still_open_among_an_accounts_deals(ask, db) -> None:
    (name, contact) = rows(
        db,
        f"SELECT d.name, c.first_name || ' ' || c.last_name {DEALS} JOIN accounts a ON a.id = d.account_id"
        " JOIN contacts c ON c.id = d.primary_contact_id WHERE a.name = 'Soylent Foods' AND s.is_closed = 0"
        " AND u.email = 'erin.chen@dealwise.demo'",
    )[0]
    first = ask("erin.chen@dealwise.demo", "What deals have I had with Soylent Foods?")
    answer = ask(
        "erin.chen@dealwise.demo", "Which one is still open, and who's the primary contact on it?", first.thread_id
    )
    assert answer.answer.startswith(name) and f"Primary contact: {contact}" in answer.answer, answer.answer


def test_narrowing_then_dropping_a_filter_and_picking_the_top_two(ask, db) -> None:
    (before_feb, total) = rows(
        db,
        f"SELECT count(*), sum(d.amount) {DEALS} WHERE s.name = 'Qualification' AND d.close_date < '2027-02-01'"
        " AND u.email = 'jack.miller@dealwise.demo'",
    )[0]
    first = ask("jack.miller@dealwise.demo", "my deals still in qualification?")
    narrowed = ask("jack.miller@dealwise.demo", "only the ones closing before feb", first.thread_id).answer
    assert narrowed.startswith(f"The {before_feb} deals in Qualification of yours with a close date up to 31 Jan 2027")
    assert money(total) in narrowed
    (any_stage,) = rows(
        db, f"SELECT count(*) {DEALS} WHERE d.close_date < '2027-02-01' AND u.email = 'jack.miller@dealwise.demo'"
    )[0]
    dropped = ask("jack.miller@dealwise.demo", "ok drop the stage filter", first.thread_id).answer
    assert dropped.startswith(f"The {any_stage} deals of yours with a close date up to 31 Jan 2027"), dropped
    assert "delete" not in dropped and "didn't use" not in dropped
    top_two = rows(
        db,
        f"SELECT d.name {DEALS} WHERE s.is_won = 1 AND d.close_date BETWEEN '2026-07-01' AND '2026-09-30'"
        " AND u.email = 'omar.haddad@dealwise.demo' ORDER BY d.amount DESC LIMIT 3",
    )
    won = ask("omar.haddad@dealwise.demo", "Which deals did I win in Q3, and what did they come to in total?")
    two = ask("omar.haddad@dealwise.demo", "Which two of them were the largest?", won.thread_id).answer
    assert two.startswith("The 2 biggest of the") and top_two[0][0] in two and top_two[1][0] in two, two
    assert top_two[2][0] not in two


def test_lead_statuses_said_in_other_words(ask, db) -> None:
    (count,) = rows(
        db,
        "SELECT count(*) FROM leads l JOIN users u ON u.id = l.owner_id WHERE u.email = 'nina.rossi@dealwise.demo'"
        " AND l.status IN ('new', 'working')",
    )[0]
    answer = ask("nina.rossi@dealwise.demo", "How many of my leads are still new or being worked?").answer
    assert answer.startswith(f"{count} leads with status"), answer


def test_a_deal_named_by_its_account_and_product_in_a_dictated_run_on(ask, db) -> None:
    (amount, contact) = rows(
        db,
        f"SELECT d.amount, c.first_name || ' ' || c.last_name {DEALS} JOIN contacts c ON c.id = d.primary_contact_id"
        " WHERE d.name = 'Krusty Foods - Renewal'",
    )[0]
    response = ask(
        ALICE,
        "ok so um I'm on my way over to krusty foods right now and I need to know uh how much the renewal deal is "
        "worth and when it's supposed to close and also who the contact on it is thanks",
    )
    assert tool(response) == "get_deal" and response.answer.startswith("Krusty Foods - Renewal"), response.answer
    assert money(amount) in response.answer and contact in response.answer


def test_an_untracked_question_put_through_someone_else_is_declined_and_the_record_shown(ask, db) -> None:
    (amount,) = rows(db, "SELECT amount FROM deals WHERE name = 'Wernham Hogg - Platform' AND amount = 19500")[0]
    response = ask(
        ALICE,
        "Hi,\n\nFinance asked me whether Wernham Hogg has settled the invoice for the Platform deal we closed in\n"
        "October, or whether it's gone past due. Can you check? And please confirm the deal amount and the exact\n"
        "close date so I can reply to them.\n\nCheers,\nRita Lopez",
    )
    assert response.answer.startswith("I can't give “invoice”"), response.answer
    assert "Wernham Hogg - Platform" in response.answer and money(amount) in response.answer


def test_a_filtered_list_beside_an_agenda_word_and_a_comparison_without_the_asker(ask, db) -> None:
    (overdue,) = rows(
        db,
        f"SELECT count(*) {DEALS} JOIN teams t ON t.id = u.team_id WHERE t.name = 'East' AND s.is_closed = 0"
        " AND d.close_date < '2026-11-20'",
    )[0]
    slipping = ask(
        EAST_MANAGER,
        "What's slipping on East? Open deals already past their close date, biggest first, with the owner.",
    )
    assert slipping.answer.startswith(f"The {overdue} open overdue deals of the East team"), slipping.answer
    compared = ask(
        EAST_MANAGER,
        "Hello,\n\nMarketing has been asking whether the leads we hand to East are being worked properly. Before I "
        "answer them,\nhow do Nina and Erin compare on lead conversion?\n\nBest regards,\nDavid",
    ).answer
    assert "compared by owner" in compared and "David Kim" not in compared, compared
    assert "status working" not in compared


def test_nobody_ever_wrote_a_next_step_and_leads_without_anything_logged(ask, db) -> None:
    (count,) = rows(
        db,
        f"SELECT count(*) {DEALS} WHERE s.is_closed = 0 AND (d.next_step IS NULL OR trim(d.next_step) = '')"
        " AND u.email = 'jack.miller@dealwise.demo'",
    )[0]
    answer = ask("jack.miller@dealwise.demo", "open opps of mine where nobody ever wrote a next step?").answer
    assert answer.startswith(f"The {count} open deal"), answer
    assert "without a next step" in answer and "over all time" not in answer
    leads = ask(
        "sam.taylor@dealwise.demo", "Which of my open leads have gone 45 days or more without anything logged on them?"
    )
    assert "with no activity in the last 45 days of yours" in leads.answer, leads.answer


def test_this_one_above_a_forwarded_mail_is_the_deal_the_mail_is_about(ask, db) -> None:
    (amount, stage) = rows(
        db,
        f"SELECT d.amount, s.name {DEALS} WHERE d.name = 'Vandelay Industries - Expansion'"
        " AND u.email = 'sam.taylor@dealwise.demo'",
    )[0]
    response = ask(
        "sam.taylor@dealwise.demo",
        "fyi see below - what amount and stage have we got on this one in the crm?\n\n---------- Forwarded message "
        "---------\nFrom: Emma Schmidt <emma.schmidt@vandelayindustries.example>\nSubject: Re: Vandelay Industries - "
        "Expansion\nTo: Sam Taylor <sam.taylor@dealwise.demo>\n\nHi Sam, can you send the revised quote?\n",
    )
    assert tool(response) == "get_deal" and response.answer.startswith("Vandelay Industries - Expansion"), response
    assert money(amount) in response.answer and stage in response.answer


def test_a_ranking_of_summed_groups_also_gives_the_whole(ask, db) -> None:
    (total,) = rows(
        db,
        f"SELECT sum(d.amount) {DEALS} JOIN teams t ON t.id = u.team_id WHERE t.name = 'West' AND s.is_won = 1"
        " AND d.close_date BETWEEN '2026-07-01' AND '2026-09-30'",
    )[0]
    answer = ask(WEST_MANAGER, "how much did west close won last qtr and who brought in the most of it").answer
    assert "has the highest total won amount" in answer.splitlines()[0] and f"Overall: {money(total)}." in answer
