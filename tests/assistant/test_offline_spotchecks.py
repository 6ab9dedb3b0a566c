"""Spot checks on the small demo data that the offline brain once misread: deadlines named by a day
("before christmas"), which person to talk to at an account, and which rep owns the most pipeline.
Expected values come from SQL on the same database; today is 2026-11-20."""

import re
from collections.abc import Callable
from datetime import date

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session

from assistant.crm.schemas.chat import ChatResponse
from tests.support import ALICE, WEST_MANAGER

TODAY = date(2026, 11, 20)
OPEN_DEALS = "FROM deals d JOIN stages s ON s.id = d.stage_id WHERE s.is_closed = 0"


def _tool(response: ChatResponse) -> tuple[str, dict]:
    assert response.tool_calls, response.answer
    call = response.tool_calls[-1]
    return call.name, call.args


def _ids(response: ChatResponse, kind: str) -> set[int]:
    return {r.id for r in response.records if r.type == kind}


def _user_id(db: Session, email: str) -> int:
    return db.execute(text("SELECT id FROM users WHERE email = :e"), {"e": email}).scalar_one()


@pytest.mark.parametrize(
    ("message", "last_day"),
    [
        ("what deals am I closing before christmas?", date(2026, 12, 25)),
        ("which of my deals close by the end of the year?", date(2026, 12, 31)),
        ("what am I closing until Dec 15?", date(2026, 12, 15)),
        ("anything of mine closing before the end of the month?", date(2026, 11, 30)),
    ],
)
def test_deadline_means_open_deals_closing_from_today(
    ask: Callable[..., ChatResponse], db: Session, message: str, last_day: date
) -> None:
    response = ask(ALICE, message)
    tool, _ = _tool(response)
    assert tool == "query"
    rows = db.execute(
        text(f"SELECT d.id, d.name {OPEN_DEALS} AND d.owner_id = :me AND d.close_date BETWEEN :start AND :end"),
        {"me": _user_id(db, ALICE), "start": TODAY.isoformat(), "end": last_day.isoformat()},
    ).all()
    assert rows, "the demo data should have deals in this window"
    assert _ids(response, "deal") == {deal_id for deal_id, _ in rows}
    for _, name in rows:
        assert name in response.answer
    assert "Closed Won" not in response.answer and "Closed Lost" not in response.answer


@pytest.mark.parametrize(
    ("message", "account"),
    [
        ("who should I call at Oceanic Airlines?", "Oceanic Airlines"),
        ("who is my contact at Rekall Travel?", "Rekall Travel"),
        ("who do I email at Keystone Bank about the renewal?", "Keystone Bank"),
    ],
)
def test_who_to_talk_to_lists_the_accounts_contacts(
    ask: Callable[..., ChatResponse], db: Session, message: str, account: str
) -> None:
    response = ask(ALICE, message)
    tool, args = _tool(response)
    account_id = db.execute(text("SELECT id FROM accounts WHERE name = :n"), {"n": account}).scalar_one()
    assert (tool, args.get("account_id")) == ("find_contacts", account_id)
    contacts = db.execute(
        text("SELECT id, first_name || ' ' || last_name FROM contacts WHERE account_id = :a"), {"a": account_id}
    ).all()
    assert _ids(response, "contact") == {contact_id for contact_id, _ in contacts}
    for _, name in contacts:
        assert name in response.answer


def _seniority(title: str | None) -> int:
    lowered = (title or "").lower()
    if re.search(r"\bvice president\b", lowered):
        return 1
    if re.search(r"\b(chief|ceo|cfo|cto|coo|president|founder)\b", lowered):
        return 0
    if re.search(r"\b(vp|svp|evp|head of)\b", lowered):
        return 1
    return 2 if re.search(r"\bdirector\b", lowered) else 3


@pytest.mark.parametrize("account", ["Wonka Confections", "Rekall Travel", "Keystone Bank"])
def test_decision_maker_puts_the_most_senior_contact_first(
    ask: Callable[..., ChatResponse], db: Session, account: str
) -> None:
    response = ask(ALICE, f"who's the decision maker at {account}?")
    tool, args = _tool(response)
    assert tool == "find_contacts" and args.get("decision_makers_first") is True
    contacts = db.execute(
        text(
            "SELECT c.first_name || ' ' || c.last_name, c.title FROM contacts c JOIN accounts a ON a.id = c.account_id "
            "WHERE a.name = :n"
        ),
        {"n": account},
    ).all()
    best = min(_seniority(title) for _, title in contacts)
    assert best < 3
    first_line = next(line for line in response.answer.splitlines() if line.startswith("- "))
    top_names = {name for name, title in contacts if _seniority(title) == best}
    assert any(first_line.startswith(f"- {name},") for name in top_names), response.answer


def _team_pipeline(db: Session) -> list[tuple[str, int, float]]:
    """(owner name, open deal count, open amount) for the West manager's team."""
    return [
        (name, count, amount)
        for name, count, amount in db.execute(
            text(
                "SELECT u.name, count(*), sum(d.amount) FROM deals d JOIN stages s ON s.id = d.stage_id "
                "JOIN users u ON u.id = d.owner_id WHERE s.is_closed = 0 "
                "AND u.team_id = (SELECT team_id FROM users WHERE email = :m) GROUP BY u.name"
            ),
            {"m": WEST_MANAGER},
        ).all()
    ]


@pytest.mark.parametrize(
    ("message", "by_count"),
    [
        ("who on my team has the biggest pipeline?", False),
        ("which rep has the most open deals?", True),
        ("who has the largest pipeline on my team right now?", False),
    ],
)
def test_ranking_reps_groups_the_pipeline_by_owner(
    ask: Callable[..., ChatResponse], db: Session, message: str, by_count: bool
) -> None:
    response = ask(WEST_MANAGER, message)
    tool, args = _tool(response)
    assert (tool, args.get("group_by")) == ("query", "owner")
    rows = _team_pipeline(db)
    top_name, top_count, top_amount = max(rows, key=lambda r: (r[1], r[2]) if by_count else (r[2], r[1]))
    assert response.answer.startswith(top_name), response.answer
    assert f"${top_amount:,.0f}" in response.answer.splitlines()[0]
    listed = [line for line in response.answer.splitlines() if line.startswith("- ")]
    assert listed[0].startswith(f"- {top_name}:")
    assert f"{top_count} deal" in listed[0]
