"""The LLM brain's parts on their own: text-form tool calls and bounded tool results."""

import json

from assistant.agent.brains.llm.results import MAX_CHARS, MAX_ITEMS, bounded
from assistant.agent.brains.llm.textcalls import text_tool_calls

KNOWN = {"find_deals", "get_deal"}


def test_tool_calls_written_as_text_are_recovered_in_every_form() -> None:
    plain = '{"name": "get_deal", "arguments": {"deal_id": 11}}'
    fenced = 'Let me look.\n```json\n{"name": "find_deals", "parameters": {"stage": "Proposal"}}\n```'
    tagged = '<tool_call>\n{"name": "get_deal", "arguments": "{\\"deal_id\\": 12}"}\n</tool_call>'
    listed = '[{"type": "function", "function": {"name": "get_deal", "arguments": {"deal_id": 13}}}]'
    assert [(c["name"], c["args"]) for c in text_tool_calls(plain, KNOWN)] == [("get_deal", {"deal_id": 11})]
    assert [(c["name"], c["args"]) for c in text_tool_calls(fenced, KNOWN)] == [("find_deals", {"stage": "Proposal"})]
    assert [c["args"] for c in text_tool_calls(tagged, KNOWN)] == [{"deal_id": 12}]
    assert [c["args"] for c in text_tool_calls(listed, KNOWN)] == [{"deal_id": 13}]


def test_text_that_is_not_a_known_tool_call_stays_an_answer() -> None:
    assert text_tool_calls("You have 3 deals worth $45,000.", KNOWN) == []
    assert text_tool_calls('{"name": "drop_tables", "arguments": {}}', KNOWN) == []
    assert text_tool_calls("```json\n{not json}\n```", KNOWN) == []


def test_results_are_bounded_with_a_note_and_the_original_untouched() -> None:
    payload = {
        "count": 60,
        "items": [{"id": i, "name": f"Deal {i}", "note": "x" * 900} for i in range(60)],
        "records": [{"type": "deal", "id": i} for i in range(60)],
    }
    small = bounded(payload)
    assert len(json.dumps(small)) <= MAX_CHARS + 300
    assert len(small["items"]) <= MAX_ITEMS and "records" not in small
    assert "items" in small["_cut"] and "of 60 shown" in small["_cut"]
    assert len(payload["items"]) == 60 and len(payload["items"][0]["note"]) == 900


def test_small_results_pass_unchanged() -> None:
    payload = {"count": 2, "items": [{"id": 1}, {"id": 2}]}
    assert bounded(payload) == payload
