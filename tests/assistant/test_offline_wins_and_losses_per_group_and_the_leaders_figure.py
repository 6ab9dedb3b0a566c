"""Wins and losses asked per rep or per named source; "earlier this week (Monday to yesterday)"; "how many deals is
that" and "that source" after the leading group; "who was our main contact on those two"; a deal card asked "when
did I last touch" it. Checked against SQL over the demo data."""

from tests.assistant.sql import DEALS, EAST_MANAGER, OMAR, OPEN, WEST, WON, day, money, rows
from tests.support import ADMIN, WEST_MANAGER


def test_wins_and_losses_per_rep_and_per_source(ask, db) -> None:
    per_rep = rows(
        db,
        f"SELECT u.name, sum(s.is_won), sum(1 - s.is_won) {DEALS} WHERE s.is_closed = 1 AND {WEST} AND "
        "d.close_date >= '2026-01-01' GROUP BY u.id",
    )
    answer = ask(WEST_MANAGER, "how many deals did each rep win and lose this year?").answer
    assert all(f"{won} of {won + lost} deals won, {lost} lost" in answer for _, won, lost in per_rep), answer
    per_source = rows(
        db,
        f"SELECT d.lead_source, sum(s.is_won), sum(1 - s.is_won) {DEALS} WHERE s.is_closed = 1 AND d.lead_source IN "
        "('Outbound', 'Referral') AND d.close_date >= '2026-01-01' GROUP BY d.lead_source",
    )
    sources = ask(
        ADMIN, "Outbound versus Referral as deal sources this year: how many deals from each did we win and lose?"
    ).answer
    for source, won, lost in per_source:
        assert f"- {source}:" in sources and f"{won} of {won + lost} deals won, {lost} lost" in sources, sources
    assert "didn't use" not in sources, sources


def test_tasks_that_fell_due_earlier_this_week(ask, db) -> None:
    late = rows(
        db,
        "SELECT a.subject FROM activities a JOIN users u ON u.id = a.author_id WHERE a.type = 'task' AND a.status = "
        "'open' AND a.due_date BETWEEN '2026-11-16' AND '2026-11-19' AND u.team_id = (SELECT id FROM teams WHERE "
        "name = 'East')",
    )
    answer = ask(
        EAST_MANAGER,
        "Which tasks on my team fell due earlier this week (Monday to yesterday) and are still not done?",
    ).answer
    assert late and all(subject in answer for (subject,) in late) and "compared by period" not in answer, answer


def test_the_leading_groups_count_and_that_source(ask, db) -> None:
    (source, count), *_ = rows(
        db,
        f"SELECT d.lead_source, count(*) {DEALS} WHERE {OPEN} GROUP BY d.lead_source ORDER BY sum(d.amount) DESC "
        "LIMIT 1",
    )
    (won,) = rows(
        db,
        f"SELECT sum(d.amount) {DEALS} WHERE {WON} AND d.lead_source = :source AND d.close_date >= '2026-01-01'",
        source=source,
    )[0]
    first = ask(ADMIN, "which lead source is behind the most open pipeline $")
    how_many = ask(ADMIN, "how many deals is that", first.thread_id).answer
    assert how_many.startswith(f"{count} open deals from {source}"), how_many
    that = ask(ADMIN, "and what has that source actually won us this year", first.thread_id).answer
    assert f"from {source}" in that and money(won) in that and "didn't use" not in that, that


def test_the_contacts_on_those_two(ask, db) -> None:
    contacts = rows(
        db,
        f"SELECT c.first_name || ' ' || c.last_name {DEALS} JOIN contacts c ON c.id = d.primary_contact_id WHERE {WON} "
        "AND u.email = :me AND d.close_date BETWEEN '2026-07-01' AND '2026-09-30' ORDER BY d.amount DESC LIMIT 2",
        me=OMAR,
    )
    first = ask(OMAR, "Which deals did I win in Q3, and what did they come to in total?")
    ask(OMAR, "Which two of them were the largest?", first.thread_id)
    answer = ask(OMAR, "Who was our main contact on those two?", first.thread_id).answer
    assert all(f"primary contact {name}" in answer for (name,) in contacts), answer


def test_a_deal_card_asked_when_it_was_last_touched(ask, db) -> None:
    (name, touched), *_ = rows(
        db,
        f"SELECT d.name, (SELECT max(a.occurred_at) FROM activities a WHERE a.deal_id = d.id AND a.type != 'task') "
        f"{DEALS} WHERE {OPEN} AND u.email = 'nina.rossi@dealwise.demo' ORDER BY d.amount DESC LIMIT 1",
    )
    answer = ask("nina.rossi@dealwise.demo", f"When did I last touch the {name} deal?").answer
    assert f"Last activity: {day(touched)}" in answer and "didn't use" not in answer, answer
