"""The registry exposes every tool with a model-ready description and JSON schema."""

import json

import pytest

from assistant.crm.errors import ValidationFailed
from assistant.crm.schemas.results import ProposalPublic, ToolResult
from tools.registry import TOOLSET, all_tools, get_tool, read_tools, to_openai_schema, write_tools

EXPECTED_READS = {
    "find_accounts", "get_account_overview", "find_contacts", "find_leads", "find_deals", "get_deal",
    "list_activities", "list_tasks", "query", "next_actions", "competitor_mentions", "bant_check", "stage_fit",
    "forecast", "draft_followup_email", "search_notes",
}  # fmt: skip
EXPECTED_WRITES = {"update_deal", "log_activity", "create_task"}


def test_tools_are_registered_and_split_into_reads_and_writes() -> None:
    assert {spec.name for spec in read_tools()} >= EXPECTED_READS
    assert {spec.name for spec in write_tools()} == EXPECTED_WRITES
    assert set(TOOLSET.writes) == EXPECTED_WRITES | {"log_call"}
    assert all(callable(write.apply) and callable(write.undo) for write in TOOLSET.writes.values())
    for spec in all_tools():
        assert issubclass(spec.output_model, ToolResult)
        assert issubclass(spec.output_model, ProposalPublic) == spec.writes
        assert len(spec.description) > 60, spec.name


def test_openai_schema_carries_the_input_fields() -> None:
    schema = to_openai_schema(get_tool("find_deals"))
    json.dumps(schema)
    function = schema["function"]
    assert schema["type"] == "function" and function["name"] == "find_deals"
    assert function["description"].startswith("Find deals")
    properties = function["parameters"]["properties"]
    assert {"owner_id", "stage", "status", "close_from", "close_to", "amount_min", "limit"} <= set(properties)
    assert "open" in json.dumps(properties["status"])
    assert "deal_id" in to_openai_schema(get_tool("update_deal"))["function"]["parameters"]["required"]


def test_unknown_tool_names_the_known_ones() -> None:
    with pytest.raises(ValidationFailed, match="find_deals"):
        get_tool("delete_everything")
