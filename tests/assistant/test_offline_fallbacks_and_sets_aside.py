"""A fallback asked beside something the assistant cannot do ("export … if you can't, just tell me how many");
"when does that contract run out" declined; a fallback about "them" after a declined question about an account;
one product set aside ("the renewal one, not the add-on seats"); a tie at the top of a count still gives the
total; "my three reps" ranked by weighted pipeline defined in brackets. Checked against SQL over the demo data."""

from tests.assistant.sql import DEALS, OMAR, OPEN, SAM, WEST, money, rows
from tests.support import ADMIN, WEST_MANAGER
from tests.support import ALICE as RITA


def test_a_fallback_beside_an_export(ask, db) -> None:
    ((count, total),) = rows(db, f"SELECT count(*), sum(d.amount) {DEALS} WHERE {OPEN}")
    answer = ask(
        ADMIN,
        "export every open deal to a csv and email it to finance@dealwise.demo. if you can't send files, just tell me "
        "how many open deals there are and what they add up to",
    ).answer
    assert answer.startswith("I can't send emails or export data") and money(total) in answer, answer
    assert f"{count} open deals" in answer, answer


def test_contract_end_declined_and_the_fallback_about_them(ask, db) -> None:
    closed = ask(OMAR, "What have I closed with Lumen Devices?")
    when = ask(OMAR, "When does that contract run out? And what date did it close?", thread_id=closed.thread_id)
    assert "contract run out" in when.answer.split("\n")[0], when.answer
    ((amount, close),) = rows(db, f"SELECT d.amount, d.close_date {DEALS} WHERE d.name = 'Lumen Devices - Renewal'")
    mail = ask(
        OMAR,
        "Hi,\n\nWhen does Lumen Devices' current contract term run out? I'd like to get ahead of the next renewal. If "
        "the CRM\ndoesn't have the contract dates, tell me the amount of the renewal I won with them and the date it "
        "closed.\n\nOmar",
    ).answer
    assert "contract term" in mail.split("\n")[0] and "Lumen Devices - Renewal" in mail and money(amount) in mail
    assert "won deals of yours" not in mail, mail


def test_one_product_set_aside_picks_the_other(ask, db) -> None:
    ((step,),) = rows(db, f"SELECT d.next_step {DEALS} WHERE d.name = 'Blue Sun Energy - Renewal'")
    answer = ask(
        RITA,
        "uh so for blue sun energy, the renewal one, not the add-on seats, what's the next step on it and the um the "
        "close date",
    )
    assert answer.tool_calls[0].name == "get_deal" and answer.answer.startswith("Blue Sun Energy - Renewal"), answer
    assert step in answer.answer and "Add-on Seats" not in answer.answer, answer.answer


def test_a_tie_at_the_top_still_gives_the_total_and_three_reps_ranked(ask, db) -> None:
    ((leads,),) = rows(db, "SELECT count(*) FROM leads WHERE created_at >= '2026-11-01'")
    tied = ask(ADMIN, "LEADS CREATED THIS MONTH?? HOW MANY AND WHO'S GOT THEM").answer
    assert f"Overall: {leads}." in tied, tied
    ranked = ask(
        WEST_MANAGER,
        "Rank my three reps by weighted pipeline (amount times stage probability on their open deals), with each "
        "one's figure.",
    )
    args = ranked.tool_calls[0].args
    assert args["field"] == "weighted_amount" and args["group_by"] == "owner", args
    reps = rows(db, f"SELECT DISTINCT u.name {DEALS} WHERE {OPEN} AND {WEST}")
    assert all(f"- {name}: $" in ranked.answer for (name,) in reps) and "I didn't use" not in ranked.answer


def test_cycle_said_long_the_person_to_ring_and_tasks_on_big_deals(ask, db) -> None:
    slowest = ask(
        ADMIN,
        "On the West team, whose wins this year took the longest to land? I mean average days from when the deal was "
        "created to when it closed won. Just the rep and that average.",
    )
    assert slowest.tool_calls[0].args["field"] == "days_to_close", slowest.tool_calls
    cold = ask(
        SAM,
        "Which of my open deals have gone cold - nobody's called, emailed, met or written a note in the last two "
        "weeks? And who's the person I should ring on each one?",
    )
    args = cold.tool_calls[0].args
    assert args.get("with_contacts") and not args["filters"].get("inactive_types"), args
    assert "primary contact" in cold.answer and "I didn't use" not in cold.answer, cold.answer
    big = rows(
        db,
        f"SELECT DISTINCT d.name {DEALS} JOIN activities a ON a.deal_id = d.id WHERE a.type = 'task' AND "
        "a.status = 'open' AND a.due_date < '2026-11-20' AND a.author_id = u.id AND u.email = :me AND d.amount > 30000",
        me=RITA,
    )
    tasks = ask(RITA, "Am I behind on anything? List the tasks I've let go past their due date.")
    on_big = ask(RITA, "Which of those are sitting on deals worth more than 30k?", thread_id=tasks.thread_id)
    assert on_big.tool_calls[0].args["filters"]["amount_min"] == 30000, on_big.tool_calls
    assert big and all(f"- {name}:" in on_big.answer for (name,) in big), on_big.answer


def test_the_leaders_records_and_a_rival_named_inside_several_questions(ask, db) -> None:
    late = rows(
        db,
        "SELECT a.subject FROM activities a JOIN users u ON u.id = a.author_id WHERE u.email = :me AND "
        "a.type = 'task' AND a.status = 'open' AND a.due_date < '2026-11-20'",
        me=RITA,
    )
    ranked = ask(WEST_MANAGER, "Who has the most open tasks past their due date, and how many?")
    listed = ask(WEST_MANAGER, "What are those late tasks, exactly?", thread_id=ranked.thread_id)
    assert not listed.tool_calls[0].args.get("group_by"), listed.tool_calls
    assert all(subject in listed.answer for (subject,) in late), listed.answer
    (lost,) = rows(
        db,
        f"SELECT count(*) {DEALS} WHERE s.is_closed = 1 AND s.is_won = 0 AND u.team_id = "
        "(SELECT id FROM teams WHERE name = 'East') AND d.close_date BETWEEN '2026-01-01' AND '2026-11-20'",
    )[0]
    three = ask(
        "david.kim@dealwise.demo",
        "how many deals has east lost so far this year, what's contoso cloud's overall win rate across the market "
        "these days, and what were our lost deals worth in total",
    ).answer
    assert three.startswith("I can't give \u201ccontoso cloud's\u201d") and f"{lost} lost deals" in three, three
