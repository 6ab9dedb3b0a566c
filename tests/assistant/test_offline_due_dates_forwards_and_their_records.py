"""What is due by a weekday, a forwarded question handed over with its greeting and sign-off, the stage of one
account's biggest deal, "their" after an account or a list of its contacts, lead sources said in other words, and a
customer's budget (no record holds it). Figures are checked against SQL over the demo data."""

from tests.assistant.sql import DEALS, ERIN, OMAR, OPEN, day, money, rows, tool

TASKS_OF = "FROM activities a JOIN users u ON u.id = a.author_id WHERE a.type = 'task' AND a.status = 'open'"


def test_a_forwarded_question_handed_over_is_the_bosses_question_to_the_asker(ask, db) -> None:
    (name, amount) = rows(
        db, f"SELECT d.name, d.amount {DEALS} WHERE u.email = :e AND {OPEN} ORDER BY d.amount DESC LIMIT 1", e=ERIN
    )[0]
    answer = ask(
        ERIN,
        "fyi fwd from my boss below - can you answer it\n\n---------- Forwarded message ---------\nFrom: David Kim"
        " <david.kim@dealwise.demo>\nSubject: quick one\n\nErin, what's your biggest open deal and when does it"
        " close?\n\nThanks,\nDavid",
    )
    assert tool(answer) == "query" and not answer.tool_calls[0].args.get("compare"), answer.tool_calls
    assert name in answer.answer and money(amount) in answer.answer, answer.answer
    assert "David Kim" not in answer.answer, answer.answer


def test_tasks_due_by_a_weekday_and_the_overdue_ones_are_two_answers(ask, db) -> None:
    due = [r[0] for r in rows(db, f"SELECT a.subject {TASKS_OF} AND u.email = :e AND a.due_date BETWEEN"
                                  " '2026-11-20' AND '2026-11-25'", e=ERIN)]  # fmt: skip
    late = rows(db, f"SELECT count(*) {TASKS_OF} AND u.email = :e AND a.due_date < '2026-11-20'", e=ERIN)[0][0]
    response = ask(ERIN, "whats due from me between now and wednesday? and is anything already overdue")
    calls = [call.args for call in response.tool_calls]
    assert [c.get("object") for c in calls] == ["tasks", "tasks"], calls
    period = calls[0]["filters"]["period"]
    assert (period["start"], period["end"]) == ("2026-11-20", "2026-11-25"), period
    assert calls[1]["filters"].get("overdue") is True, calls
    assert f"The {len(due)} open tasks of yours due between 20 Nov 2026 and 25 Nov 2026" in response.answer
    assert f"The {late} open overdue tasks" in response.answer, response.answer


def test_the_stage_of_an_accounts_biggest_deal_is_that_deals_stage(ask, db) -> None:
    (deal_id, stage) = rows(
        db, f"SELECT d.id, s.name {DEALS} JOIN accounts ac ON ac.id = d.account_id WHERE ac.name = 'Oscorp' AND {OPEN}"
        " ORDER BY d.amount DESC LIMIT 1",
    )[0]  # fmt: skip
    answer = ask(OMAR, "what stage is oscorp's biggest deal in?")
    assert tool(answer) == "get_deal" and answer.tool_calls[0].args["deal_id"] == deal_id, answer.answer
    assert stage in answer.answer, answer.answer
    (oldest, oldest_stage) = rows(
        db, f"SELECT d.name, s.name {DEALS} WHERE u.email = :e AND {OPEN} ORDER BY d.created_at LIMIT 1", e=OMAR
    )[0]
    mine = ask(OMAR, "what stage is my oldest open deal at").answer
    assert f"- {oldest}:" in mine and oldest_stage in mine and "didn't use" not in mine, mine
    ranked = ask(OMAR, "which stage is most of my pipeline in?").answer
    assert "has the biggest open pipeline" in ranked, ranked


def test_their_after_an_account_or_its_contacts_means_that_account(ask, db) -> None:
    response = ask(OMAR, "how many employees does oscorp have")
    titles = [r[0] for r in rows(db, "SELECT c.title FROM contacts c JOIN accounts ac ON ac.id = c.account_id"
                                     " WHERE ac.name = 'Oscorp'")]  # fmt: skip
    cfo = ask(OMAR, "who's their CFO", thread_id=response.thread_id)
    assert cfo.tool_calls[0].args["filters"].get("account_ids"), cfo.tool_calls
    if not any("Financial" in title for title in titles):
        assert cfo.answer.startswith("None found") and "at Oscorp" in cfo.answer, cfo.answer
    calls = rows(
        db, "SELECT count(*) FROM activities a JOIN contacts c ON c.id = a.contact_id JOIN accounts ac ON"
        " ac.id = c.account_id WHERE ac.name = 'Oscorp' AND a.type = 'call' AND a.occurred_at >= '2026-01-01'",
    )[0][0]  # fmt: skip
    listed = ask(OMAR, "contacts at oscorp")
    logged = ask(OMAR, "how many calls have we logged with them this year", thread_id=listed.thread_id).answer
    assert logged.startswith(f"{calls} activities of type call with "), logged
    listed = ask(OMAR, "contacts at oscorp")
    pipeline = ask(OMAR, "what's their open pipeline", thread_id=listed.thread_id).answer
    (open_total,) = rows(
        db, f"SELECT sum(d.amount) {DEALS} JOIN accounts ac ON ac.id = d.account_id WHERE ac.name = 'Oscorp' AND {OPEN}"
    )[0]
    assert pipeline.startswith(f"The total amount of the 2 open deals at Oscorp you can see: {money(open_total)}")


def test_lead_sources_in_other_words_and_a_budget_no_record_holds(ask, db) -> None:
    website = ask(OMAR, "how many leads came in from the website")
    assert website.tool_calls[0].args["filters"].get("sources") == ["Web"], website.tool_calls
    (web,) = rows(
        db,
        "SELECT count(*) FROM leads l JOIN users u ON u.id = l.owner_id WHERE l.source = 'Web' AND u.email = :e",
        e=OMAR,
    )[0]
    assert website.answer.startswith(f"{web} leads from Web"), website.answer
    events = ask(OMAR, "win rate on deals that came from conferences")
    assert events.tool_calls[0].args["filters"].get("sources") == ["Event"], events.tool_calls
    budget = ask(OMAR, "what's the budget on the oscorp analytics deal").answer
    assert budget.startswith("I can't answer that: “budget”"), budget


def test_a_lead_named_beside_an_untracked_ask_is_the_one_she_means(ask, db) -> None:
    (score, status, source) = rows(
        db, "SELECT score, status, source FROM leads WHERE first_name = 'Zara' AND last_name = 'Reyes'"
    )[0]
    answer = ask(
        ERIN,
        "What's Apex Financial's annual revenue, and have they raised a funding round recently? Thinking about whether"
        " my lead Zara Reyes is worth a proper push. Also what score, status and source does she have?",
    ).answer
    assert answer.startswith("I can't give “annual revenue”, “funding round”"), answer
    assert f"{status}, score {score}, source {source}" in answer and "didn't use" not in answer, answer


def test_an_envelope_no_record_holds_is_declined_and_the_fallback_answered(ask, db) -> None:
    (stage, close) = rows(db, f"SELECT s.name, d.close_date {DEALS} WHERE d.name = 'Virtucon - Add-on Seats'")[0]
    response = ask(
        ERIN,
        "Grace Fischer said she'd sign the Virtucon add-on seats paperwork through DocuSign. Can you see whether she"
        " has opened the envelope yet, or signed it? If you can't, at least tell me what stage that deal is in and the"
        " close date I've got on it.",
    )
    assert response.pending_action is None and tool(response) == "get_deal", response.answer
    assert response.answer.startswith("I can't give “opened the envelope”"), response.answer
    assert stage in response.answer and day(close) in response.answer, response.answer


def test_a_draft_to_a_first_name_is_to_the_one_contact_of_that_name(ask, db) -> None:
    (deal_id,) = rows(
        db, f"SELECT d.id {DEALS} WHERE d.name = 'Soylent Foods - Analytics Suite' AND u.email = :e", e=ERIN
    )[0]
    response = ask(ERIN, "draft a follow up to chloe about the analytics suite pricing")
    assert tool(response) == "draft_followup_email", response.answer
    assert response.tool_calls[0].args["deal_id"] == deal_id, response.tool_calls
    assert response.answer.startswith("Draft to Chloe Walsh"), response.answer
