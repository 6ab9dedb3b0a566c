"""Follow-ups that go back to a ranking after picking one of its rows: "and the third one?" after "who owns the
first one", "and the top 3 by open pipeline instead?", "leave out the ones marked unqualified" and "the second one
on that list" among leads, and "what do I absolutely need to deal with" as the agenda. Checked against SQL."""

from tests.assistant.sql import DEALS, EAST_MANAGER, ERIN, JACK, OMAR, OPEN, SAM, WON, money, rows
from tests.support import ADMIN
from tests.support import ALICE as RITA

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


def test_the_rest_after_a_narrowed_list_is_the_wider_set_left_out(ask, db) -> None:
    rest = rows(
        db, "SELECT a.name, a.region FROM accounts a JOIN users u ON u.id = a.owner_id WHERE u.email = :e AND"
        " a.region != 'EMEA' ORDER BY a.name", e=RITA,
    )  # fmt: skip
    emea = ask(RITA, "Which of the accounts I own are in EMEA?")
    others = ask(RITA, "And the rest of them - where are those based?", thread_id=emea.thread_id).answer
    assert others.count("\n- ") == len(rest) and "didn't use" not in others, others
    assert all(f"- {name}, " in others and region in others for name, region in rest), others
    in_play = ask(EAST_MANAGER, "How many leads has Jack still got in play - new, working or qualified?")
    ask(EAST_MANAGER, "Which of them came from referrals?", thread_id=in_play.thread_id)
    left = ask(EAST_MANAGER, "And the rest?", thread_id=in_play.thread_id).answer
    others_leads = rows(
        db, "SELECT l.first_name || ' ' || l.last_name FROM leads l JOIN users u ON u.id = l.owner_id WHERE"
        " u.email = :e AND l.status IN ('new', 'working', 'qualified') AND l.source != 'Referral'", e=JACK,
    )  # fmt: skip
    assert left.count("\n- ") == len(others_leads), left
    assert all(f"- {name} (" in left for (name,) in others_leads), left


def test_the_bigger_of_two_accounts_then_what_is_open_there(ask, db) -> None:
    (name, account_id) = rows(
        db, "SELECT a.name, a.id FROM accounts a JOIN users u ON u.id = a.owner_id WHERE u.email = :e AND"
        " a.industry = 'Financial Services' ORDER BY a.employees DESC LIMIT 1", e=ERIN,
    )[0]  # fmt: skip
    listed = ask(ERIN, "Which of my accounts are in Financial Services?")
    bigger = ask(ERIN, "Which of those has more employees?", thread_id=listed.thread_id)
    assert bigger.tool_calls[0].args.get("sort") == "employees" and f"- {name}, " in bigger.answer, bigger.answer
    there = ask(ERIN, "What have I got open there, and when is it meant to close?", thread_id=listed.thread_id)
    assert there.tool_calls[0].args["filters"].get("account_ids") == [account_id], there.tool_calls
    (count,) = rows(db, f"SELECT count(*) {DEALS} WHERE d.account_id = :a AND {OPEN}", a=account_id)[0]
    assert there.answer.startswith(f"The {count} open deal"), there.answer


def test_a_deal_named_with_typos_in_account_and_product(ask, db) -> None:
    for email, message, name in (
        (SAM, "vandaley expnsion - amt + close dt?", "Vandelay Industries - Expansion"),
        (RITA, "wats the nxt step on northstr platfrom", "Northstar Insurance - Platform"),
    ):
        (deal_id,) = rows(db, f"SELECT d.id {DEALS} WHERE d.name = :n AND u.email = :e", n=name, e=email)[0]
        response = ask(email, message)
        assert response.tool_calls[0].name == "get_deal", response.answer
        assert response.tool_calls[0].args["deal_id"] == deal_id, response.tool_calls
