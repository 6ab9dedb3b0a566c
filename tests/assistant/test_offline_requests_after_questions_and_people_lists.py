"""A request after a vague question ("Where should the managers step in first? I'm after open deals worth more
than $40k that nobody has called …"); a mail wrapped after a bracket; "of my leads, who has nobody ever reached
out to" lists the leads; "how many calls … and who were they with (accounts)" splits them by account; "what's
Erin got open" stays open. Checked against SQL over the demo data."""

from assistant.crm.models import Channel
from tests.assistant.sql import DEALS, EAST_MANAGER, ERIN, OPEN, SAM, rows
from tests.support import ADMIN, WEST_MANAGER
from tests.support import ALICE as RITA


def test_a_request_after_a_vague_question_is_what_is_answered(ask, db) -> None:
    answer = ask(
        ADMIN,
        "Hi,\n\nWhere should the managers step in first? I'm after open deals worth more than $40k that nobody has "
        "called,\nemailed, met or written a note on for three weeks or more. Name, owner and amount for each, "
        "please.\n\nAlex",
        channel=Channel.email,
    )
    assert answer.tool_calls[0].name == "query", answer.tool_calls
    filters = answer.tool_calls[0].args["filters"]
    assert filters["amount_min"] == 40000 and filters["inactive_days"] == 21, filters


def test_a_mail_wrapped_after_a_bracket_keeps_its_object(ask, db) -> None:
    per_rep = dict(
        rows(
            db,
            "SELECT u.name, count(*) FROM leads l JOIN users u ON u.id = l.owner_id WHERE l.status IN ('new', "
            "'working', 'qualified') AND u.team_id = (SELECT id FROM teams WHERE name = 'East') AND NOT EXISTS "
            "(SELECT 1 FROM activities a WHERE a.lead_id = l.id) GROUP BY u.id",
        )
    )
    answer = ask(
        EAST_MANAGER,
        "Hi,\n\nI suspect we're sitting on leads nobody has ever worked. How many open leads (new, working or "
        "qualified)\ndoes each rep on my team have with no activity logged against them at all?\n\nThanks,\nDavid",
        channel=Channel.email,
    ).answer
    assert per_rep and all(f"- {name}: {count}" in answer for name, count in per_rep.items()), answer


def test_people_with_nobody_reaching_out_and_who_the_calls_were_with(ask, db) -> None:
    leads = rows(
        db,
        "SELECT l.first_name || ' ' || l.last_name FROM leads l JOIN users u ON u.id = l.owner_id WHERE u.email = :me "
        "AND l.status IN ('new', 'working', 'qualified') AND NOT EXISTS (SELECT 1 FROM activities a WHERE "
        "a.lead_id = l.id)",
        me=SAM,
    )
    untouched = ask(SAM, "of my leads that are still in play, who has nobody ever reached out to?").answer
    assert leads and all(name in untouched for (name,) in leads) and "has the most" not in untouched, untouched
    accounts = rows(
        db,
        "SELECT DISTINCT c.name FROM activities a JOIN accounts c ON c.id = a.account_id JOIN users u ON "
        "u.id = a.author_id WHERE u.email = :me AND a.type = 'call' AND a.occurred_at >= '2026-11-01'",
        me=ERIN,
    )
    calls = ask(ERIN, "HOW MANY CALLS HAVE I LOGGED SINCE NOV 1 AND WHO WERE THEY WITH (ACCOUNTS)").answer
    assert accounts and all(f"- {name}: " in calls for (name,) in accounts), calls
    (open_count,) = rows(db, f"SELECT count(*) {DEALS} WHERE u.email = :who AND {OPEN}", who=ERIN)[0]
    erin = ask(EAST_MANAGER, "What's Erin got open at the moment?").answer
    assert erin.startswith(f"The {open_count} open deals owned by Erin Chen"), erin


def test_that_account_after_a_deal_card_and_a_short_heading_for_many_deals(ask, db) -> None:
    omars = rows(
        db,
        f"SELECT d.name {DEALS} JOIN accounts a ON a.id = d.account_id WHERE a.name = 'Vandelay Industries' "
        "AND u.email = 'omar.haddad@dealwise.demo'",
    )
    card = ask(WEST_MANAGER, "Who's the main contact on Sam's Vandelay deal?")
    omar = ask(
        WEST_MANAGER,
        "Does Omar have anything going with that account as well? Amount and stage if so.",
        thread_id=card.thread_id,
    )
    assert omar.tool_calls[0].args["filters"].get("account_ids"), omar.tool_calls
    assert omars and all(f"- {name}:" in omar.answer for (name,) in omars), omar.answer
    tasks = ask(RITA, "List the tasks I've let go past their due date.")
    big = ask(RITA, "Which of those are sitting on deals worth more than 30k?", thread_id=tasks.thread_id).answer
    assert "from the earlier answer" in big.split("\n")[0] and " or " not in big.split("\n")[0], big
