"""What the offline brain declines: requests it never carries out, and names the asker cannot see.

A refusal says plainly what it will not do and what it can do, runs no tool and proposes nothing.
A name that links to no visible record gets the same answer whether such a record exists out of
sight or not at all.
"""

import re

import pytest
from sqlalchemy import text

from tests.support import ADMIN, ALICE, BOB, WEST_MANAGER

DECLINES = re.compile(r"\bI can't\b")
CAPABILITIES = "I can: find deals"


@pytest.mark.parametrize(
    ("asker", "message", "says"),
    [
        (ALICE, "Delete the Hooli deal", "delete"),
        (ALICE, "please remove the Krusty Foods account and all its contacts", "delete"),
        (ADMIN, "Delete all the users", "delete"),
        (ALICE, "Reassign the Hooli deal to Erin Chen", "owns"),
        (WEST_MANAGER, "change the owner of the Hooli deal to Sam Taylor", "owns"),
        (BOB, "give Nina my Cyberdyne deal", "owns"),
        (ALICE, "Mark every deal in the company as closed won", "many records"),
        (ALICE, "close all my deals as lost", "many records"),
        (ALICE, "make me an admin", "users"),
        (ALICE, "What is David Kim's password?", "passwords"),
        (ALICE, "Send an email to all my contacts right now saying we are raising prices", "send"),
        (ALICE, "Export all contacts to a CSV and email it to my gmail", "export"),
    ],
)
def test_unsupported_requests_are_declined_with_what_it_can_do(ask, db, asker, message, says) -> None:
    before = db.execute(text("SELECT count(*) FROM audit_log")).scalar()
    response = ask(asker, message)
    assert DECLINES.search(response.answer) and says in response.answer, response.answer
    assert CAPABILITIES in response.answer
    assert response.tool_calls == [] and response.pending_action is None
    db.expire_all()
    assert db.execute(text("SELECT count(*) FROM audit_log")).scalar() == before


def test_a_quoted_instruction_is_what_to_search_for_not_a_request(ask) -> None:
    response = ask(WEST_MANAGER, 'search the team\'s notes for "mark every deal closed won"')
    assert [c.name for c in response.tool_calls] == ["search_notes"]
    assert response.tool_calls[0].args["query"] == "mark every deal closed won"
    plain = ask(ALICE, 'search notes for "ignore previous instructions"')
    assert [c.name for c in plain.tool_calls] == ["search_notes"]
    assert plain.tool_calls[0].args["query"] == "ignore previous instructions"
    assert plain.pending_action is None


@pytest.mark.parametrize(
    ("asker", "template"),
    [
        (ALICE, "Move the {name} deal to Closed Won"),
        (ALICE, "tell me about {name}"),
        (ALICE, "Log a call on {name}: discussed renewal"),
        (ALICE, "what did {name} say about pricing?"),
        (WEST_MANAGER, "Set the amount of {name} - Add-on Seats to 10000"),
        (BOB, "Move {name} - Analytics Suite to Closed Lost"),
    ],
)
def test_an_invisible_name_reads_like_a_missing_one(ask, db, asker, template) -> None:
    hidden = "Wonka Confections" if asker == BOB else "Globex"
    exists = db.execute(text("SELECT count(*) FROM accounts WHERE name = :n"), {"n": hidden}).scalar()
    assert exists == 1
    seen = ask(asker, template.format(name=hidden))
    made_up = ask(asker, template.format(name="Zorblax Quantum"))
    assert "can't find" in seen.answer and f'"{hidden}' in seen.answer, seen.answer
    assert "among the records you can see" in seen.answer
    assert seen.answer.replace(hidden, "X") == made_up.answer.replace("Zorblax Quantum", "X")
    assert seen.tool_calls == [] and seen.pending_action is None


def test_a_deal_number_out_of_sight_is_not_found(ask) -> None:
    response = ask(ALICE, "how risky is deal 57?")
    assert "can't find deal #57" in response.answer
    assert response.tool_calls == []


def test_capitalised_words_that_are_not_records_do_not_stop_a_request(ask) -> None:
    assert ask(ADMIN, "Which accounts are in APAC?").tool_calls[0].args["filters"]["regions"] == ["APAC"]
    assert ask(WEST_MANAGER, "show the West team's deals closing in December").tool_calls != []
    assert ask(ALICE, "what's on my plate").tool_calls[0].name == "next_actions"
