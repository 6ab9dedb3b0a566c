"""Messages wrapped in asides and forwarded mail, and asks no record can answer: the question after "anyway" or
"quick q -", the person's own words below or above a forwarded mail, their own name ("David here - …"), a total
and "how much of it" in one stage, "what should I do next on" one deal, "the first one" after a risk review, and a
plain admission for loss reasons, predictions, a PO number asked in a statement. Figures are checked against SQL."""

from tests.assistant.sql import DEALS, EAST, EAST_MANAGER, ERIN, JACK, NINA, OMAR, OPEN, money, rows, tool
from tests.support import ADMIN, ALICE

FORWARDED = (
    "---------- Forwarded message ----------\nFrom: Chloe Walsh <chloe.walsh@soylentfoods.example>\n"
    "Subject: Re: next steps\n\nHi Erin,\n\nThanks for the call. Could you resend the security whitepaper?\n\n"
    "Best,\nChloe\n\n----------\n\n"
)


def _deal(db, name: str) -> tuple:
    return rows(db, f"SELECT d.id, d.amount, s.name, d.close_date {DEALS} WHERE d.name = :n", n=name)[0]


def test_the_question_after_an_aside_is_the_one_answered(ask, db) -> None:
    (deal_id, _, _, close) = _deal(db, "Nimbus Retail - Enterprise License")
    answer = ask(
        NINA,
        "so I was on the phone with diego from nimbus and he mentioned they might push things out to Q2, anyway"
        " what's the close date we have for the nimbus enterprise deal right now?",
    )
    assert tool(answer) == "get_deal" and answer.pending_action is None, answer.answer
    assert answer.tool_calls[0].args.get("deal_id") == deal_id, answer.tool_calls
    (count, total) = rows(
        db, f"SELECT count(*), sum(d.amount) {DEALS} WHERE u.email = :e AND s.name = 'Qualification'", e=OMAR
    )[0]
    quick = ask(
        OMAR,
        "ugh what a morning, i spilled coffee all over my notes from the oscorp call lol. quick q - how many opps have"
        " i got sitting in qualification rn and whats the total",
    ).answer
    assert quick.startswith(f"{count} deals in Qualification") and money(total) in quick, quick


def test_the_persons_own_words_around_a_forwarded_mail(ask, db) -> None:
    (deal_id, amount, stage, _) = _deal(db, "Soylent Foods - Analytics Suite")
    below = ask(
        ERIN,
        FORWARDED + "fwd'ing this so you have context. before I reply: what close date and amount do we have on the"
        " Soylent Foods Analytics Suite deal right now, and what stage is it sitting in?",
    )
    assert tool(below) == "get_deal" and below.tool_calls[0].args.get("deal_id") == deal_id, below.answer
    assert money(amount) in below.answer and stage in below.answer, below.answer
    (average,) = rows(db, f"SELECT avg(d.amount) {DEALS} WHERE s.is_won = 1 AND d.close_date >= '2026-01-01'")[0]
    handed = ask(
        ADMIN,
        "fyi see below, can you answer this for her\n\n-----Original Message-----\nFrom: Helen Park\nSubject: prep\n\n"
        "Alex,\n\nThe pricing committee meets Tuesday and I want to anchor the discussion on real numbers. What has our"
        " average closed-won deal been worth this calendar year? One company-wide figure is enough.\n\nBest regards,"
        "\nHelen Park\nChief Financial Officer",
    ).answer
    assert money(average) in handed, handed


def test_the_askers_own_name_is_no_second_person(ask, db) -> None:
    answer = ask(
        EAST_MANAGER,
        "fyi see below\n\n---------- Forwarded message ---------\nFrom: Diego Nguyen\n\nHi Nina, our CFO wants a"
        " second look before the holidays.\n\n---\n\nDavid here - before I talk to Nina, what stage, amount and close"
        " date do we have on that Nimbus deal?",
    )
    assert tool(answer) == "get_deal" and "compared by" not in answer.answer, answer.answer


def test_a_total_and_how_much_of_it_sits_in_one_stage(ask, db) -> None:
    (total,) = rows(db, f"SELECT sum(d.amount) {DEALS} WHERE {EAST} AND {OPEN}")[0]
    (part,) = rows(db, f"SELECT sum(d.amount) {DEALS} WHERE {EAST} AND {OPEN} AND s.name = 'Negotiation'")[0]
    answer = ask(
        EAST_MANAGER,
        "For Monday I need two numbers: the East team's total open pipeline and how much of it is in Negotiation.",
    ).answer
    assert money(total) in answer and money(part) in answer, answer


def test_what_to_do_next_on_one_deal_and_the_first_of_a_risk_review(ask, db) -> None:
    (deal_id, _, _, _) = _deal(db, "Krusty Foods - Renewal")
    answer = ask(ALICE, "what should I do next on the krusty foods renewal?")
    assert tool(answer) == "get_deal" and answer.tool_calls[0].args.get("deal_id") == deal_id, answer.answer
    review = ask(EAST_MANAGER, "which deals on my team are most at risk?")
    first_line = next(line for line in review.answer.splitlines() if line.startswith("1. "))
    first = first_line.split("1. ", 1)[1].split(":", 1)[0]
    why = ask(EAST_MANAGER, "why is the first one at risk?", review.thread_id).answer
    assert why.startswith(first) and "Why:" in why, why


def test_what_no_record_holds_is_said_plainly_beside_the_deal_card(ask, db) -> None:
    cases = [
        (
            JACK,
            "Why did Cyberdyne drop the renewal? And how much was it and when did it close?",
            "Cyberdyne Systems - Renewal",
        ),
        (
            OMAR,
            "What will Oscorp end up signing the Analytics Suite deal for once procurement is done with us? What's the"
            " amount and close date on it now?",
            "Oscorp - Analytics Suite",
        ),
        (
            JACK,
            "Finance wants the purchase order number InGen Research issued for the renewal we just won. What is it?"
            " Also confirm the amount and the date it closed.",
            "InGen Research - Renewal",
        ),
    ]
    for email, question, deal in cases:
        (_, amount, _, _) = _deal(db, deal)
        answer = ask(email, question).answer
        first = answer.splitlines()[0]
        assert first.startswith("I can't give") and "so I left it out" in first, answer
        assert money(amount) in answer, answer


def test_a_signature_and_a_sentence_opening_word_are_no_filters(ask, db) -> None:
    (count,) = rows(
        db,
        "SELECT count(*) FROM activities a JOIN users u ON u.id = a.author_id WHERE u.email = :e AND a.type = 'meeting'"
        " AND date(a.occurred_at) BETWEEN '2026-10-01' AND '2026-10-31'",
        e=NINA,
    )[0]
    answer = ask(
        NINA,
        "Hi there,\n\nMine has been a blur - two on-sites and a flight delay.\n\nAnyway, the thing I actually need: how"
        " many meetings did I log last month?\n\nMany thanks,\nNina Rossi\nAccount Executive, East",
    ).answer
    assert answer.startswith(f"{count} activit") and "title" not in answer, answer
    (due,) = rows(
        db,
        "SELECT a.subject FROM activities a JOIN users u ON u.id = a.author_id WHERE u.email = :e AND a.type = 'task'"
        " AND a.status = 'open' ORDER BY a.due_date LIMIT 1",
        e="sam.taylor@dealwise.demo",
    )[0]
    nxt = ask(
        "sam.taylor@dealwise.demo",
        "I think I've cleared every overdue task. Assuming that's right, what's the next task coming up on my list?",
    ).answer
    assert due in nxt and "Assuming" not in nxt, nxt
