"""The LLM brain fails safely (issues 18, 19): no repeated failing calls, errors a model can act on, model
errors as answers, tool calls written as text, honest fallbacks, "me" as owner, bounded results, and a
prompt whose shared part comes first. Scripted model for the loop; the OpenAI stand-in over HTTP."""

import json
import time
from typing import Any

from langchain_core.messages import AIMessage, SystemMessage, ToolMessage
from sqlalchemy import text

from assistant.agent.brains.base import ToolRunner
from assistant.agent.brains.factory import make_assistant
from assistant.agent.brains.llm.results import MAX_CHARS
from assistant.crm.db import session_factory
from assistant.crm.deps import Deps
from assistant.crm.models import Channel
from tests import support
from tests.assistant.scripted_model import ScriptedChatModel, call
from tests.fakes.openai_server import OpenAIStandIn, tool_messages
from tests.fakes.openai_server import text as reply_text
from tests.support import ALICE, BOB
from tools.registry import TOOLSET
from tools.surface import MODEL_TOOLSET

RITA_ID = 3


def _assistant(settings, model=None):
    return make_assistant(settings, session_factory(settings), support.CLOCK, chat_model=model)


def _deps(db, settings, email=ALICE) -> Deps:
    return Deps(support.principal(db, email), db, support.CLOCK, settings, None)


def test_an_identical_failing_call_is_not_run_again_and_two_failures_end_the_turn(settings, db) -> None:
    model = ScriptedChatModel(script=[call("query", owner="me", stage="open")] * 3 + [AIMessage(content="unused")])
    response = _assistant(settings, model).ask(support.principal(db, ALICE), "my open deals")
    assert [c.name for c in response.tool_calls] == ["query"]
    stats = response.diagnostics
    assert stats is not None and stats.repeated_failing_calls == 1 and stats.executed_repeats == 0
    assert stats.stopped == "failures" and len(model.seen) == 2
    error = [m.content for m in model.seen[1] if isinstance(m, ToolMessage)][-1]
    assert "no stage is called 'open'" in error and "is a status" in error and "Negotiation" in error
    assert "What failed" in response.answer and "query" in response.answer
    assert "I found nothing" in response.answer and not response.grounded


def test_repeated_successful_calls_stop_with_the_facts_found(settings, db) -> None:
    model = ScriptedChatModel(script=[call("get_deal", deal_id=11)] * 4)
    response = _assistant(settings, model).ask(support.principal(db, ALICE), "tell me about deal 11")
    name = db.execute(text("SELECT name FROM deals WHERE id = 11")).scalar()
    assert [c.name for c in response.tool_calls] == ["get_deal"]
    assert response.diagnostics.repeated_calls == 2 and response.diagnostics.stopped == "repeats"
    assert name in response.answer and response.grounded


def test_tool_errors_name_the_field_the_value_and_what_works(settings, db) -> None:
    runner, full = ToolRunner(MODEL_TOOLSET), ToolRunner(TOOLSET)
    deps = _deps(db, settings)
    stage = full.run(deps, "find_deals", {"stage": "open"}).error
    assert stage and "'open' is a status" in stage and "Negotiation" in stage
    status = full.run(deps, "find_deals", {"status": "pending"}).error
    assert status and "status" in status and "'pending'" in status and "'open'" in status and "'won'" in status
    missing = runner.run(deps, "get_deal", {"deal_id": 12345}).error
    assert missing and "12345" in missing and "find_deals" in missing and "never guess" in missing
    period = runner.run(deps, "query", {"measure": "count", "period": "the olden days"}).error
    assert period and "the olden days" in period and "this/last/next week" in period
    owner = full.run(deps, "find_deals", {"owner_id": "mine"}).error
    assert owner and "owner_id" in owner and "'mine'" in owner and '"me"' in owner
    flat_owner = runner.run(deps, "query", {"owner": "mine"}).error
    assert flat_owner and "owner (given 'mine')" in flat_owner and "'me'" in flat_owner
    by_name = runner.run(deps, "find_deals", {"owner_id": "me"}).error
    assert by_name and "q" in by_name and "required" in by_name
    unknown = runner.run(deps, "deals_closing", {}).error
    assert unknown and "find_deals" in unknown


def test_my_deals_use_me_as_owner_and_the_prompt_names_the_persons_id(settings, db) -> None:
    model = ScriptedChatModel(script=[call("query", owner="me", status="open"), AIMessage(content="Done.")])
    response = _assistant(settings, model).ask(support.principal(db, ALICE), "my open deals")
    facts = model.seen[0][1]
    assert isinstance(facts, SystemMessage) and f"user id {RITA_ID}" in facts.content and "Rita" in facts.content
    mine = set(db.execute(text("SELECT id FROM deals WHERE owner_id = :o"), {"o": RITA_ID}).scalars())
    assert response.records and {ref.id for ref in response.records if ref.type == "deal"} <= mine
    full = ToolRunner(TOOLSET).run(_deps(db, settings), "find_deals", {"owner_id": "me", "status": "open"})
    assert full.result is not None and {deal.owner.id for deal in full.result.deals} == {RITA_ID}


def test_an_oversized_result_is_bounded_for_the_model_and_kept_whole_for_citations(settings, db) -> None:
    model = ScriptedChatModel(
        script=[call("query", object="activities", measure="list", limit=200), AIMessage(content="Listed.")]
    )
    response = _assistant(settings, model).ask(support.principal(db, support.WEST_MANAGER), "list all activities")
    content = next(m for m in model.seen[1] if isinstance(m, ToolMessage)).content
    payload = json.loads(content[6:-7])
    assert len(content) <= MAX_CHARS + 400 and "_cut" in payload and "of" in payload["_cut"]
    assert len(payload["items"]) <= 10 and len(response.records) > 10


def test_empty_content_is_an_honest_fallback(settings, db) -> None:
    model = ScriptedChatModel(script=[AIMessage(content="  ")])
    response = _assistant(settings, model).ask(support.principal(db, ALICE), "anything?")
    assert "empty answer" in response.answer and "I found nothing" in response.answer
    assert not response.grounded and response.diagnostics.stopped == "empty"


def test_step_limit_answer_lists_exactly_what_was_found(settings, db) -> None:
    rows = db.execute(text("SELECT id, name FROM deals WHERE owner_id = :o ORDER BY id LIMIT 6"), {"o": RITA_ID}).all()
    model = ScriptedChatModel(script=[call("get_deal", deal_id=deal) for deal, _ in rows])
    response = _assistant(settings, model).ask(support.principal(db, ALICE), "compare my deals")
    assert response.diagnostics.stopped == "step_limit"
    assert "within the steps" in response.answer and "here is what I found" not in response.answer
    assert [c.args["deal_id"] for c in response.tool_calls] == [deal for deal, _ in rows]
    assert all(name in response.answer for _, name in rows) and response.grounded


def _stand_in_assistant(settings_for, db_url, server, **extra):
    config = settings_for(
        db_url, llm_base_url=server.base_url, llm_model="scripted-model", llm_api_key="test-key", **extra
    )
    return make_assistant(config, session_factory(config), support.CLOCK)


def test_a_model_timeout_is_an_answer_not_a_traceback(settings_for, db_url, db) -> None:
    def slow(request: dict[str, Any]) -> dict[str, Any]:
        time.sleep(2.5)
        return reply_text("too late")

    with OpenAIStandIn([slow, slow, slow]) as server:
        assistant = _stand_in_assistant(settings_for, db_url, server, llm_timeout_s=1)
        response = assistant.ask(support.principal(db, ALICE, Channel.slack), "my open deals")
    assert "did not answer in time" in response.answer and "I found nothing" in response.answer
    assert response.diagnostics.model_errors == {"timeout": 1} and not response.grounded


def test_http_errors_and_an_unreachable_server_are_answers(settings_for, db_url, db) -> None:
    with OpenAIStandIn([]) as server:
        assistant = _stand_in_assistant(settings_for, db_url, server)
        failed = assistant.ask(support.principal(db, ALICE, Channel.web), "my open deals")
    assert "HTTP 500" in failed.answer and failed.diagnostics.model_errors == {"http_5xx": 1}
    with OpenAIStandIn([], api_key="other-key") as server:
        refused = _stand_in_assistant(settings_for, db_url, server).ask(support.principal(db, ALICE), "my deals")
    assert "HTTP 401" in refused.answer and refused.diagnostics.model_errors == {"http_4xx": 1}
    with OpenAIStandIn([]) as server:
        assistant = _stand_in_assistant(settings_for, db_url, server)
    gone = assistant.ask(support.principal(db, ALICE, Channel.email), "my open deals")
    assert "could not reach" in gone.answer and gone.diagnostics.model_errors == {"connection": 1}


def test_a_tool_call_written_as_text_is_run_and_counted(settings_for, db_url, db) -> None:
    written = '```json\n{"name": "query", "arguments": {"owner": "me", "stage": "Negotiation"}}\n```'
    script = [
        reply_text(written),
        lambda request: reply_text("Found them." if "<data>" in tool_messages(request)[0] else "?"),
    ]
    with OpenAIStandIn(script) as server:
        response = _stand_in_assistant(settings_for, db_url, server).ask(
            support.principal(db, ALICE), "my deals in Negotiation"
        )
        second = server.requests[1]["messages"]
    assert [c.name for c in response.tool_calls] == ["query"]
    assert response.tool_calls[0].args == {"filters": {"owner": "me", "stages": ["Negotiation"]}}
    assert response.answer.startswith("Found them.\n- ") and response.diagnostics.protocol_warnings
    assert any(m.get("tool_calls") for m in second if m["role"] == "assistant")


def test_the_prompt_starts_with_the_same_long_part_for_every_person(settings_for, db_url, db) -> None:
    with OpenAIStandIn([reply_text("Hello."), reply_text("Hello.")]) as server:
        assistant = _stand_in_assistant(settings_for, db_url, server)
        assistant.ask(support.principal(db, ALICE, Channel.web), "hi")
        assistant.ask(support.principal(db, BOB, Channel.slack), "hi")
        first, second = server.requests

    def prefix(request: dict[str, Any]) -> str:
        return json.dumps(request["tools"]) + request["messages"][0]["content"]

    assert prefix(first) == prefix(second) and len(prefix(first)) > 4000
    assert "Rita" not in prefix(first) and "Rita" in first["messages"][1]["content"]
    assert "Erin" in second["messages"][1]["content"]
    assert first["messages"][1]["role"] == "system" and first["messages"][0] != first["messages"][1]
    assert len(first["tools"]) <= 12
