"""A scripted chat model for the draft eval cases on the LLM brain, served by tests/fakes/openai_server.py.

It plays a model that picks the right tool and arguments (the case's deal, and the contact when the request names
one) but, as models do, passes the request itself as the email's `purpose`, then presents the tool's draft. So a
run measures what the draft tool and the LLM brain make of a model's arguments: the recipient, the interaction
thanked for, and whether internal content or the request's words reach the email.
"""

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from assistant.crm.models import Contact, Deal
from evals.cases import Case
from tests.fakes.openai_server import text, tool_call, tool_messages

Step = Callable[[dict[str, Any]], dict[str, Any]]


def draft_targets(cases: list[Case], template: Path) -> dict[str, dict[str, Any]]:
    """Each single-turn draft case's question -> the draft_followup_email arguments a good model would pick."""
    engine = create_engine(f"sqlite:///{template}")
    targets: dict[str, dict[str, Any]] = {}
    with Session(engine) as session:
        for case in cases:
            turn = case.turns[0]
            expect = turn.expect.draft
            if len(case.turns) != 1 or expect is None or not isinstance(expect.deal, int):
                continue
            args: dict[str, Any] = {"deal_id": expect.deal}
            if expect.to is not None:
                deal = session.get_one(Deal, expect.deal)
                contacts = session.scalars(select(Contact).where(Contact.account_id == deal.account_id))
                args["contact_id"] = next(c.id for c in contacts if c.name.lower() == str(expect.to).lower())
            targets[str(turn.ask)] = args
    engine.dispose()
    return targets


def _payload(content: str) -> dict[str, Any]:
    start, end = content.find("{"), content.rfind("}")
    return json.loads(content[start : end + 1]) if start >= 0 else {}


def draft_model(targets: dict[str, dict[str, Any]]) -> Step:
    """The model's policy: call draft_followup_email with the request as purpose, then show the draft."""

    def step(request: dict[str, Any]) -> dict[str, Any]:
        messages = request["messages"]
        if messages[-1]["role"] == "tool":
            draft = _payload(tool_messages(request)[-1])
            if "subject" not in draft:
                return text("I could not draft that: " + str(draft.get("error", "no draft came back")))
            return text(f"Here is a draft for {draft['to_name']} <{draft['to']}>:\n\nSubject: {draft['subject']}\n\n"
                        f"{draft['body']}")  # fmt: skip
        question = str(messages[-1]["content"])
        return tool_call("draft_followup_email", {**targets[question], "purpose": question})

    return step
