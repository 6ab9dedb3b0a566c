"""Questions the offline brain read wrongly before the eighth and ninth long-tail sets: who sells best (ranked by
won amount, not by how many deals close in the period), a ranking asked for its one leader, a message whose
answerable part needs a record or person named beside an untracked one, a year said after a month or day range,
and a leading clause that carries the filters. Every figure is checked against SQL over the same demo data."""

from tests.assistant.sql import DEALS, EAST_MANAGER, money, rows
from tests.support import ADMIN, ALICE, WEST_MANAGER


def _won_per_rep(db, start: str, end: str) -> list[tuple[str, float]]:
    return [
        (name, total)
        for name, total in rows(
            db,
            f"SELECT u.name, sum(d.amount) AS total {DEALS} WHERE s.is_won = 1 AND d.close_date BETWEEN :a AND :b"
            " GROUP BY u.name ORDER BY total DESC",
            a=start,
            b=end,
        )
    ]


def test_the_top_seller_is_the_rep_with_the_largest_won_amount(ask, db) -> None:
    ranking = _won_per_rep(db, "2026-01-01", "2026-12-31")
    most_deals = rows(
        db,
        f"SELECT u.name, count(*) AS n {DEALS} WHERE d.close_date BETWEEN '2026-01-01' AND '2026-12-31'"
        " GROUP BY u.name ORDER BY n DESC",
    )
    assert ranking[0][0] != most_deals[0][0] or ranking[0][1] != most_deals[0][1]
    for question in ("who was our top seller this year?", "top closer this year?", "best performer in 2026"):
        answer = ask(ADMIN, question).answer
        first = answer.splitlines()[0]
        assert first.startswith(f"{ranking[0][0]} has the highest total won amount"), (question, answer)
        assert money(ranking[0][1]) in first
        assert "isn't something Dealwise tracks" not in answer


def test_the_weakest_performer_is_the_rep_with_the_smallest_won_amount(ask, db) -> None:
    ranking = _won_per_rep(db, "2026-10-01", "2026-12-31")
    team = {
        name
        for (name,) in rows(db, "SELECT u.name FROM users u JOIN teams t ON t.id = u.team_id WHERE t.name = 'West'")
    }
    team_ranking = [row for row in ranking if row[0] in team]
    answer = ask(WEST_MANAGER, "which of my reps is underperforming this quarter?").answer
    assert answer.startswith(f"{team_ranking[-1][0]} has the lowest total won amount"), answer


def test_a_ranking_asked_for_its_leader_names_the_leader_and_how_many_were_compared(ask, db) -> None:
    ranking = _won_per_rep(db, "2026-01-01", "2026-12-31")
    assert len(ranking) > 3
    answer = ask(ADMIN, "which rep won the most money this year?").answer
    assert answer.startswith(ranking[0][0]), answer
    assert f"({len(ranking)} compared)" in answer
    assert ranking[-1][0] not in answer
    ranked = ask(ADMIN, "rank the reps by won amount this year").answer
    assert all(name in ranked for name, _ in ranking)


def test_the_answerable_part_keeps_the_record_named_beside_an_untracked_one(ask, db) -> None:
    (amount,) = rows(db, "SELECT d.amount FROM deals d JOIN accounts a ON a.id = d.account_id WHERE a.name = 'Hooli'")[
        0
    ]
    answer = ask(ALICE, "What's our profit margin on the Hooli deal, and what's the deal amount?").answer
    assert answer.startswith("I can't give “profit”, “margin”: it isn't something Dealwise tracks"), answer
    assert money(amount) in answer


def test_the_answerable_part_keeps_the_person_named_beside_an_untracked_one(ask, db) -> None:
    (count,) = rows(db, f"SELECT count(*) {DEALS} WHERE u.name = 'Jack Miller' AND s.is_closed = 0")[0]
    answer = ask(EAST_MANAGER, "is jack on PTO next week? also how many open deals is he sitting on").answer
    assert "I can't give “pto”" in answer
    assert f"{count} open deals owned by Jack Miller" in answer


def test_a_year_after_a_day_range_is_its_year_and_no_second_period(ask, db) -> None:
    (count, total) = rows(
        db,
        f"SELECT count(*), sum(d.amount) {DEALS} JOIN teams t ON t.id = u.team_id WHERE t.name = 'East'"
        " AND s.is_won = 0 AND s.is_closed = 1 AND d.close_date BETWEEN '2026-06-01' AND '2026-08-31'",
    )[0]
    answer = ask(
        EAST_MANAGER,
        "Between June 1 and August 31 this year, how many deals did my team lose and what were they worth?",
    ).answer
    assert answer.startswith(f"{count} lost deals of your team closed between 1 Jun 2026 and 31 Aug 2026"), answer
    assert money(total) in answer
    assert "compared" not in answer


def test_a_leading_clause_of_the_one_asked_sentence_keeps_its_filters(ask, db) -> None:
    names = {
        name
        for (name,) in rows(
            db,
            f"SELECT d.name {DEALS} WHERE u.email = 'erin.chen@dealwise.demo' AND s.is_closed = 0"
            " AND d.close_date BETWEEN '2027-01-01' AND '2027-03-31' AND (d.next_step IS NULL OR d.next_step = '')",
        )
    }
    answer = ask(
        "erin.chen@dealwise.demo",
        "Looking at my open deals expected to close in Q1 next year, which ones don't have a next step recorded?",
    ).answer
    assert f"The {len(names)} open deals without a next step" in answer, answer
    assert all(name in answer for name in names)


def _open_total(db, name: str) -> tuple[int, float]:
    count, total = rows(db, f"SELECT count(*), sum(d.amount) {DEALS} WHERE u.name = :n AND s.is_closed = 0", n=name)[0]
    return count, total


def test_the_two_people_of_the_last_two_answers_are_added_up_or_set_side_by_side(ask, db) -> None:
    jack, nina = _open_total(db, "Jack Miller"), _open_total(db, "Nina Rossi")
    first = ask(EAST_MANAGER, "How much open pipeline is Jack carrying?")
    assert money(jack[1]) in first.answer
    assert "carrying" not in first.answer
    ask(EAST_MANAGER, "swap to Nina", first.thread_id)
    combined = ask(EAST_MANAGER, "and the pair of them combined?", first.thread_id).answer
    assert combined.startswith(
        f"The total amount of the {jack[0] + nina[0]} open deals owned by Jack Miller and Nina"
    ), combined
    assert money(jack[1] + nina[1]) in combined
    side_by_side = ask(EAST_MANAGER, "which of the two has more open deals?", first.thread_id).answer
    leader, other = ("Nina Rossi", "Jack Miller") if nina[0] > jack[0] else ("Jack Miller", "Nina Rossi")
    assert f"{leader} is higher than {other} by {abs(nina[0] - jack[0])}" in side_by_side, side_by_side


def test_which_of_those_is_worth_the_most_picks_one_record_of_the_list(ask, db) -> None:
    name, amount = rows(
        db,
        f"SELECT d.name, d.amount {DEALS} JOIN teams t ON t.id = u.team_id JOIN stages st ON st.id = d.stage_id"
        " WHERE t.name = 'West' AND st.name = 'Negotiation' ORDER BY d.amount DESC LIMIT 1",
    )[0]
    listed = ask(WEST_MANAGER, "Pull up every open West deal that's in Negotiation right now.")
    assert [c.name for c in listed.tool_calls] == ["query"], listed.answer
    picked = ask(WEST_MANAGER, "Which of those is worth the most?", listed.thread_id).answer
    assert picked.startswith("The biggest of the"), picked
    assert f"{name}: {money(amount)}" in picked
    detail = ask(WEST_MANAGER, "Who's running that one, and when is it expected to close?", listed.thread_id).answer
    assert detail.startswith(name), detail


def test_which_of_them_after_a_count_lists_the_records(ask, db) -> None:
    names = {
        f"{first} {last}"
        for first, last in rows(
            db,
            "SELECT l.first_name, l.last_name FROM leads l JOIN users u ON u.id = l.owner_id"
            " WHERE u.email = 'jack.miller@dealwise.demo' AND l.status = 'working' AND l.source = 'Referral'",
        )
    }
    assert names
    counted = ask("jack.miller@dealwise.demo", "How many of my leads are in working status?")
    listed = ask("jack.miller@dealwise.demo", "Which of them came to us through a referral?", counted.thread_id).answer
    assert listed.startswith(f"The {len(names)} leads with status working from Referral of yours"), listed
    assert all(name in listed for name in names)


def test_the_quarter_after_and_a_ranking_by_another_measure_follow_the_earlier_answer(ask, db) -> None:
    (q3_count,) = rows(
        db, f"SELECT count(*) {DEALS} WHERE s.is_won = 1 AND d.close_date BETWEEN '2026-07-01' AND '2026-09-30'"
    )[0]
    first = ask(ADMIN, "How many deals did we win in Q2, and for how much?")
    after = ask(ADMIN, "Same question for the quarter after that.", first.thread_id).answer
    assert after.startswith(f"{q3_count} won deals across the company closed between 1 Jul 2026 and 30 Sep 2026"), after
    ranked = ask(EAST_MANAGER, "Rank my reps by closed-won revenue for 2026.")
    by_rate = ask(EAST_MANAGER, "Now re-rank them by win rate instead.", ranked.thread_id).answer
    assert "win rate (won / closed, by count)" in by_rate.splitlines()[1], by_rate


def test_which_one_of_those_stays_within_the_list_just_shown(ask, db) -> None:
    top_five = rows(
        db,
        f"SELECT d.name, u.name {DEALS} JOIN teams t ON t.id = u.team_id WHERE t.name = 'East' AND s.is_closed = 0"
        " ORDER BY d.amount DESC LIMIT 5",
    )
    jacks = [name for name, owner in top_five if owner == "Jack Miller"]
    assert len(jacks) == 1
    listed = ask(EAST_MANAGER, "List my team's five largest open deals by amount.")
    assert "I can't group by" not in listed.answer and "five" not in listed.answer.split("\n", 1)[1]
    picked = ask(EAST_MANAGER, "Which one of those is Jack's?", listed.thread_id).answer
    assert picked.startswith("The 1 open deal from the earlier answer owned by Jack Miller"), picked
    assert jacks[0] in picked


def test_opportunities_ranked_without_a_status_are_the_open_ones(ask, db) -> None:
    names = [
        name
        for (name,) in rows(
            db,
            f"SELECT d.name {DEALS} WHERE u.email = 'omar.haddad@dealwise.demo' AND s.is_closed = 0"
            " ORDER BY d.amount DESC LIMIT 3",
        )
    ]
    answer = ask("omar.haddad@dealwise.demo", "wat r my top 3 opps by $$").answer
    assert "open deals of yours" in answer.splitlines()[0], answer
    assert [line.split(":")[0] for line in answer.splitlines()[1:4]] == [f"- {name}" for name in names]


def test_a_question_wrapped_over_two_lines_of_a_mail_is_read_whole(ask, db) -> None:
    (q2, q3) = (
        rows(db, f"SELECT sum(d.amount) {DEALS} WHERE s.is_won = 1 AND d.close_date BETWEEN :a AND :b", a=a, b=b)[0][0]
        for a, b in (("2026-04-01", "2026-06-30"), ("2026-07-01", "2026-09-30"))
    )
    mail = (
        "Hello,\n\nThe board pack asks whether Q3 was an improvement over Q2. Could you tell me how much we won"
        " (closed-won\namount, all teams) in Q2 2026 compared with Q3 2026?\n\nBest regards,\nAlex\n"
    )
    answer = ask(ADMIN, mail).answer
    assert "won deals across the company, compared by period" in answer, answer
    assert money(q2) in answer and money(q3) in answer


def test_the_answerable_part_keeps_the_period_it_points_back_to(ask, db) -> None:
    (total,) = rows(
        db,
        f"SELECT sum(d.amount) {DEALS} WHERE u.name = 'Omar Haddad' AND s.is_won = 1"
        " AND d.close_date BETWEEN '2026-10-01' AND '2026-12-31'",
    )[0]
    answer = ask(
        WEST_MANAGER, "How much commission is Omar owed on what he's won this quarter? And what do those wins total?"
    ).answer
    assert answer.startswith("I can't give “commission”"), answer
    assert "owned by Omar Haddad closed between 1 Oct 2026 and 31 Dec 2026" in answer
    assert money(total) in answer


def test_that_industry_after_a_ranking_of_industries_is_the_one_at_the_top(ask, db) -> None:
    top, total = rows(
        db,
        f"SELECT a.industry, sum(d.amount) AS t {DEALS} JOIN accounts a ON a.id = d.account_id WHERE s.is_won = 1"
        " AND d.close_date BETWEEN '2026-01-01' AND '2026-11-20' GROUP BY a.industry ORDER BY t DESC LIMIT 1",
    )[0]
    first = ask(ADMIN, "Which industry did we make the most closed-won money from this year?")
    assert first.answer.startswith(top), first.answer
    split = ask(ADMIN, "Split that industry's wins by rep - who closed how much of it?", first.thread_id).answer
    assert f"won deals in the {top} industry" in split.splitlines()[0], split
    assert f"Overall: {money(total)}" in split


def test_a_rambling_message_is_read_from_its_question_and_new_years_ends_the_year(ask, db) -> None:
    count, total = rows(
        db,
        f"SELECT count(*), sum(d.amount) {DEALS} WHERE u.name = 'Nina Rossi' AND s.is_closed = 0"
        " AND d.close_date BETWEEN '2026-11-20' AND '2026-12-31'",
    )[0]
    message = (
        "ugh ok so ive been on the road all week, my notes are a mess and the meridian folks moved our meeting AGAIN,"
        " plus i still owe david my forecast... anyway how many of my open deals are due to close between today and"
        " new years, and whats the total $ on them"
    )
    answer = ask("nina.rossi@dealwise.demo", message).answer
    assert answer.startswith(f"{count} open deals of yours expected to close between 20 Nov 2026 and 31 Dec 2026"), (
        answer
    )
    assert money(total) in answer


def test_a_promise_about_the_future_is_declined_and_never_proposed_as_an_update(ask, db) -> None:
    mail = (
        "Hi,\n\nThe CEO only wants things we are sure of. Sam's Weyland Mining Analytics Suite deal is in Negotiation"
        " with a December close date.\n\nCan you confirm that it will definitely be signed by the 14th, so I can list"
        " it as guaranteed revenue?\n\nThanks,\nMaya"
    )
    response = ask(WEST_MANAGER, mail)
    assert response.answer.startswith("I can't answer that:"), response.answer
    assert "definitely be signed" in response.answer
    assert response.pending_action is None
    competitor = ask(ALICE, "what per-seat price is contoso cloud quoting hooli? i want to come in just under them")
    assert competitor.answer.startswith("I can't answer that:"), competitor.answer


def test_an_agenda_question_after_a_preamble_that_names_a_place_is_the_agenda(ask, db) -> None:
    mail = (
        "Hi,\n\nI've been out at the partner summit most of the week and my inbox is a disaster. Before I dig in:"
        " which of my\ndeals do I need to chase this week, and is there anything I've already let slip?"
        "\n\nThanks,\nOmar"
    )
    response = ask("omar.haddad@dealwise.demo", mail)
    assert [c.name for c in response.tool_calls] == ["next_actions"], response.answer


def test_two_values_compared_keep_both_and_the_sentence_after_the_question_is_read(ask, db) -> None:
    per_stage = dict(
        rows(
            db,
            f"SELECT st.name, count(*) {DEALS} JOIN stages st ON st.id = d.stage_id WHERE u.email = :e"
            " AND st.name IN ('Negotiation', 'Proposal') GROUP BY st.name",
            e=ALICE,
        )
    )
    answer = ask(
        ALICE,
        "Hi - how does my open pipeline in Negotiation compare with what I have in Proposal? Number of deals and"
        " dollar\nvalue for each stage, please.",
    ).answer
    for stage, count in per_stage.items():
        assert f"- {stage}: {count} deals" in answer, answer


def test_pipeline_from_two_lead_sources_is_deals_by_source(ask, db) -> None:
    totals = dict(
        rows(
            db,
            f"SELECT d.lead_source, sum(d.amount) {DEALS} WHERE s.is_closed = 0"
            " AND d.lead_source IN ('Referral', 'Web') GROUP BY d.lead_source",
        )
    )
    answer = ask(
        ADMIN,
        "Put the open pipeline that came in through referrals next to the open pipeline from web leads."
        " Which source is carrying more?",
    ).answer
    for source, total in totals.items():
        assert f"- {source}: {money(total)}" in answer, answer


def test_who_on_my_team_has_overdue_tasks_names_each_holder(ask, db) -> None:
    holders = rows(
        db,
        "SELECT u.name, count(*) FROM activities a JOIN users u ON u.id = a.author_id JOIN teams t ON t.id = u.team_id"
        " WHERE t.name = 'East' AND a.type = 'task' AND a.status = 'open' AND a.due_date < '2026-11-20'"
        " GROUP BY u.name",
    )
    answer = ask(EAST_MANAGER, "who on my team has overdue tasks right now?").answer
    for name, count in holders:
        assert f"- {name}: {count}" in answer, answer


def test_top_accounts_by_won_dollars_sum_the_wins_per_account(ask, db) -> None:
    top = rows(
        db,
        f"SELECT a.name, sum(d.amount) AS t {DEALS} JOIN accounts a ON a.id = d.account_id WHERE s.is_won = 1"
        " AND d.close_date BETWEEN '2026-01-01' AND '2026-12-31' GROUP BY a.name ORDER BY t DESC LIMIT 3",
    )
    answer = ask(ADMIN, "TOP 3 ACCTS BY WON $$ THIS YR??").answer
    for name, total in top:
        assert f"- {name}: {money(total)}" in answer, answer


def test_a_filter_taken_back_and_the_records_behind_a_count(ask, db) -> None:
    (next_quarter,) = rows(
        db,
        f"SELECT count(*) {DEALS} WHERE u.email = :e AND s.is_closed = 0"
        " AND d.close_date BETWEEN '2027-01-01' AND '2027-03-31'",
        e=ALICE,
    )[0]
    first = ask(ALICE, "How many of my open deals have a close date in Q4?")
    ask(ALICE, "Only the ones still in Qualification - which are they?", first.thread_id)
    undone = ask(ALICE, "OK forget the stage filter, and show me the ones dated next quarter instead.", first.thread_id)
    assert undone.answer.startswith(f"The {next_quarter} open deals of yours expected to close between 1 Jan 2027"), (
        undone.answer
    )
    counted = ask(WEST_MANAGER, "How many West deals are still open even though their close date has already gone by?")
    named = ask(WEST_MANAGER, "Name them.", counted.thread_id).answer
    assert named.startswith("The ") and "open overdue deals of the West team" in named, named
    owners = ask(WEST_MANAGER, "Whose are most of those?", counted.thread_id).answer
    assert "per owner" in owners.splitlines()[1], owners


def test_a_group_picked_from_the_last_ranking_becomes_the_subject(ask, db) -> None:
    accounts = rows(
        db,
        f"SELECT a.id, a.name, sum(d.amount) AS t {DEALS} JOIN accounts a ON a.id = d.account_id"
        " WHERE u.email = 'omar.haddad@dealwise.demo' AND s.is_closed = 0 GROUP BY a.id ORDER BY t DESC LIMIT 3",
    )
    second_id, second_name = accounts[1][0], accounts[1][1]
    deals = {
        name
        for (name,) in rows(
            db, f"SELECT d.name {DEALS} WHERE d.account_id = :a AND s.is_closed = 0 AND u.email = :e",
            a=second_id, e="omar.haddad@dealwise.demo",
        )
    }  # fmt: skip
    ranked = ask("omar.haddad@dealwise.demo", "Top 3 accounts by open pipeline for me?")
    assert [line.split(":")[0] for line in ranked.answer.splitlines()[2:5]] == [f"- {a[1]}" for a in accounts]
    second = ask(
        "omar.haddad@dealwise.demo",
        "The second one - what deals do I have open there and what stage is each in?",
        ranked.thread_id,
    ).answer
    assert f"open deals at {second_name} of yours" in second.splitlines()[0], second
    assert all(name in second for name in deals)


def test_months_listed_with_slashes_are_one_period(ask, db) -> None:
    (total,) = rows(
        db, f"SELECT sum(d.amount) {DEALS} WHERE s.is_won = 1 AND d.close_date BETWEEN '2026-07-01' AND '2026-09-30'"
    )[0]
    answer = ask(ADMIN, "closed-won $ per month for jul / aug / sep pls").answer
    assert "closed between 1 Jul 2026 and 30 Sep 2026, per month" in answer, answer
    assert f"Overall: {money(total)}" in answer


def test_how_many_different_accounts_counts_accounts_not_teams(ask, db) -> None:
    (accounts,) = rows(
        db,
        f"SELECT count(DISTINCT d.account_id) {DEALS} JOIN teams t ON t.id = u.team_id"
        " WHERE t.name = 'East' AND s.is_closed = 0",
    )[0]
    answer = ask(
        EAST_MANAGER,
        "How many different customer accounts does my team currently have at least one open opportunity with?",
    ).answer
    assert answer.startswith(f"{accounts} — the different accounts"), answer


def test_an_unpunctuated_question_is_cut_only_where_it_stands_on_its_own(ask, db) -> None:
    count, total = rows(
        db,
        f"SELECT count(*), sum(d.amount) {DEALS} WHERE s.is_closed = 0 AND d.close_date < '2026-11-20'",
    )[0]
    whole = ask(
        ADMIN,
        "how many dollars of open pipeline are on deals whose close date has already slipped past and how many deals"
        " is that",
    ).answer
    assert whole.startswith(f"{count} open overdue deals across the company ({money(total)} in total)"), whole
    (referrals,) = rows(
        db,
        "SELECT count(*) FROM leads l JOIN users u ON u.id = l.owner_id"
        " WHERE u.email = 'erin.chen@dealwise.demo' AND l.source = 'Referral'",
    )[0]
    ramble = (
        "hi so I was on with marketing yesterday and theyre saying referrals are drying up across the board and they"
        " want\nto move budget into events next year which honestly I'm not sure about but whatever, I said I'd check"
        " my own numbers before the offsite so how many of my leads came in\nthrough referral"
    )
    cut = ask("erin.chen@dealwise.demo", ramble).answer
    assert cut.startswith(f"{referrals} leads from Referral of yours"), cut


def test_a_deal_named_by_its_account_and_product_beside_a_promise_is_the_one_answered(ask, db) -> None:
    (stage,) = rows(
        db,
        "SELECT st.name FROM deals d JOIN stages st ON st.id = d.stage_id"
        " WHERE d.name = 'Nimbus Retail - Enterprise License'",
    )[0]
    answer = ask(
        "nina.rossi@dealwise.demo",
        "Can you guarantee me that Nimbus Retail signs the Enterprise License before Christmas? Also what stage is"
        " it in?",
    ).answer
    assert "nobody can know that from the CRM" in answer.splitlines()[0], answer
    assert answer.splitlines()[1].startswith("Nimbus Retail - Enterprise License") and stage in answer.splitlines()[1]


def test_contract_terms_are_declined_and_the_deal_asked_about_beside_them_is_answered(ask, db) -> None:
    (amount,) = rows(
        db,
        "SELECT d.amount FROM deals d JOIN accounts a ON a.id = d.account_id JOIN users u ON u.id = d.owner_id"
        " WHERE a.name = 'Gringotts Financial' AND u.email = 'erin.chen@dealwise.demo'",
    )[0]
    mail = (
        "Hi Dealwise,\n\nLegal is asking ahead of a renewal conversation: does our contract with Gringotts Financial"
        " include an\nauto-renewal clause, and what's the notice period? While you're at it, remind me what my"
        " Gringotts deal is\nworth.\n\nThank you,\nErin Chen\n"
    )
    answer = ask("erin.chen@dealwise.demo", mail).answer
    assert "Dealwise holds no contract documents" in answer.splitlines()[0], answer
    assert money(amount) in answer
    assert "call" not in answer.lower()


def test_a_share_of_a_whole_gives_the_part_the_whole_and_the_percentage(ask, db) -> None:
    omar, team = rows(
        db,
        f"SELECT sum(CASE WHEN u.name = 'Omar Haddad' THEN d.amount ELSE 0 END), sum(d.amount) {DEALS}"
        " JOIN teams t ON t.id = u.team_id WHERE t.name = 'West' AND s.is_closed = 0",
    )[0]
    answer = ask(
        WEST_MANAGER,
        "What slice of the West team's open pipeline is Omar carrying? Give me his dollars and the team total so I"
        " can see the share.",
    ).answer
    assert answer.startswith(f"Omar Haddad: {money(omar)} of {money(team)}, {100 * omar / team:.1f}%."), answer
    negotiation, mine = rows(
        db,
        f"SELECT sum(CASE WHEN st.name = 'Negotiation' THEN d.amount ELSE 0 END), sum(d.amount) {DEALS}"
        " JOIN stages st ON st.id = d.stage_id WHERE u.email = :e AND s.is_closed = 0",
        e=ALICE,
    )[0]
    stage = ask(ALICE, "what percentage of my open pipeline is in Negotiation?").answer
    assert stage.startswith(f"Negotiation: {money(negotiation)} of {money(mine)}, {100 * negotiation / mine:.1f}%")
