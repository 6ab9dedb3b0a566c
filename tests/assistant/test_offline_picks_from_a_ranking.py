"""Follow-ups that go back to a ranking after picking one of its rows: "and the third one?" after "who owns the
first one", "and the top 3 by open pipeline instead?", "leave out the ones marked unqualified" and "the second one
on that list" among leads, and "what do I absolutely need to deal with" as the agenda. Checked against SQL."""

from tests.assistant.sql import DEALS, JACK, OMAR, OPEN, WON, money, rows
from tests.support import ADMIN

TOP_WON = (
    f"SELECT a.id, a.name, sum(d.amount) AS total {DEALS} JOIN accounts a ON a.id = d.account_id WHERE {WON}"
    " AND d.close_date BETWEEN '2026-01-01' AND '2026-12-31' GROUP BY a.id ORDER BY total DESC, a.name LIMIT 3"
)


def test_another_place_in_the_ranking_gets_the_same_question(ask, db) -> None:
    top = rows(db, TOP_WON)
    ranked = ask(ADMIN, "What were our three biggest accounts by closed-won revenue in 2026?")
    first = ask(ADMIN, "Who owns the first account on that list?", thread_id=ranked.thread_id)
    assert first.tool_calls[0].args["filters"]["account_ids"] == [top[0][0]], first.tool_calls
    third = ask(ADMIN, "and the third one?", thread_id=ranked.thread_id)
    assert third.tool_calls[0].args["filters"]["account_ids"] == [top[2][0]], third.tool_calls
    assert f"at {top[2][1]}" in third.answer, third.answer


def test_the_ranking_asked_again_measured_another_way(ask, db) -> None:
    top_open = rows(
        db, f"SELECT a.name, sum(d.amount) AS total {DEALS} JOIN accounts a ON a.id = d.account_id WHERE {OPEN}"
        " GROUP BY a.id ORDER BY total DESC LIMIT 3",
    )  # fmt: skip
    ranked = ask(ADMIN, "Top 3 accounts by closed-won revenue this year?")
    ask(ADMIN, "Who owns the first one?", thread_id=ranked.thread_id)
    instead = ask(ADMIN, "And the top 3 by open pipeline instead?", thread_id=ranked.thread_id)
    args = instead.tool_calls[0].args
    assert args["group_by"] == "account" and args["filters"]["status"] == "open", args
    assert not args["filters"].get("account_ids") and not args["filters"].get("period"), args
    for name, total in top_open:
        assert f"- {name}: {money(total)}" in instead.answer, instead.answer


def test_leads_left_out_by_status_then_picked_by_place(ask, db) -> None:
    kept = rows(
        db, "SELECT l.first_name || ' ' || l.last_name FROM leads l JOIN users u ON u.id = l.owner_id WHERE"
        " u.email = :e AND l.status != 'unqualified' ORDER BY l.score DESC", e=OMAR,
    )  # fmt: skip
    listed = ask(OMAR, "List my leads with their scores, highest score first.")
    assert "didn't use" not in listed.answer, listed.answer
    left = ask(OMAR, "leave out the ones marked unqualified", thread_id=listed.thread_id)
    assert "unqualified" not in left.tool_calls[0].args["filters"]["lead_status"], left.tool_calls
    assert "didn't use" not in left.answer and left.answer.count("\n- ") == len(kept), left.answer
    second = ask(
        OMAR, "The second one on that list - which company is that and what's their title?", thread_id=listed.thread_id
    )
    assert f"- {kept[1][0]} (" in second.answer, second.answer


def test_what_to_deal_with_before_the_weekend_is_the_agenda(ask) -> None:
    response = ask(
        JACK, "It's Friday and I want a clean slate before the weekend. What do I absolutely need to deal with? Overdue"
        " stuff first.",
    )  # fmt: skip
    assert response.tool_calls[0].name == "next_actions", response.answer
