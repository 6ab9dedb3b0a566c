"""The structured answer: tables whose columns drop what the context says, record links, and a proposal preview
a person can read (dates spelled out, amounts with currency, the record named once)."""

import re

from assistant.agent.answers import rich_answer
from assistant.agent.brains.base import ToolRun
from assistant.crm.schemas.chat import RichAnswer
from tests.support import ALICE, WEST_MANAGER
from tools.registry import get_tool

ISO = re.compile(r"\d{4}-\d{2}-\d{2}")


def answer_for(deps, tool: str, **args) -> RichAnswer:
    run = ToolRun(name=tool, args=args, result=get_tool(tool).run(deps, args))
    rich = rich_answer("A headline.\n- a list the table replaces", [run], deps.principal)
    assert rich is not None and rich.headline == "A headline."
    return rich


def table_of(rich: RichAnswer):
    [table] = [section.table for section in rich.sections if section.table is not None]
    return table


def test_a_reps_own_list_has_no_owner_column_and_one_stage_has_no_stage_column(deps_for) -> None:
    deps = deps_for(ALICE)
    own = table_of(answer_for(deps, "find_deals", owner_id=deps.principal.user_id, status="open"))
    assert own.columns == ["Deal", "Amount", "Stage", "Close"]
    assert own.note is None
    proposal = table_of(answer_for(deps, "find_deals", owner_id=deps.principal.user_id, stage="Proposal"))
    assert proposal.columns == ["Deal", "Amount", "Close"]
    assert all(row[0].record is not None and row[0].record.type == "deal" for row in proposal.rows)
    assert all(row[1].text.startswith("$") for row in proposal.rows)


def test_a_managers_team_list_keeps_the_owner_and_a_shared_value_is_said_once(deps_for) -> None:
    deps = deps_for(WEST_MANAGER)
    team = table_of(answer_for(deps, "find_deals", status="open", limit=50))
    assert "Owner" in team.columns and len({row[team.columns.index("Owner")].text for row in team.rows}) > 1
    one_stage = table_of(answer_for(deps, "find_deals", stage="Negotiation", limit=50))
    assert "Stage" not in one_stage.columns


def test_an_overdue_task_is_flagged_in_the_table(deps_for) -> None:
    table = table_of(answer_for(deps_for(ALICE), "list_tasks", overdue_only=True))
    due = table.columns.index("Due")
    assert table.rows and all(row[due].flag == "overdue" for row in table.rows)
    assert all(not ISO.search(row[due].text) for row in table.rows)


def test_the_proposal_preview_reads_like_a_person_wrote_it(ask) -> None:
    moved = ask(ALICE, "move the Wernham Hogg deal close date to Dec 3")
    assert moved.pending_action is not None and moved.rich is not None
    [section] = moved.rich.sections
    assert section.title == "Wernham Hogg - Pilot" and section.record.type == "deal"
    assert section.table.columns == ["Field", "Now", "After"]
    assert [cell.text for cell in section.table.rows[0]] == ["Close date", "25 Nov 2026", "3 Dec 2026"]
    assert not ISO.search(moved.rich.headline) and "close date" in moved.rich.headline
    logged = ask(ALICE, "log a call on Wernham Hogg - Pilot: Grace wants the contract by Friday")
    [section] = logged.rich.sections
    rows = {row[0].text: row[1] for row in section.table.rows}
    assert rows["When"].text == "20 Nov 2026, 09:00"
    assert rows["Deal"].text == "Wernham Hogg - Pilot" and rows["Deal"].record.id == 81
    flat = " ".join(cell.text for row in section.table.rows for cell in row)
    assert not ISO.search(flat) and "(#" not in flat


def test_a_plain_reply_has_no_structured_answer(ask) -> None:
    response = ask(ALICE, "tell me a joke")
    assert response.rich is None and response.answer
