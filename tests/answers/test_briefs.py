"""The weekly brief asked for in chat is the brief the Monday mail and /api/risk/brief carry; risk answers show
every reason of a deal."""

from fastapi.testclient import TestClient

from assistant.agent.answers import rich_answer
from assistant.agent.brains.base import ToolRun
from assistant.agent.brains.offline.render import Renderer
from assistant.risk.engine import build_engine
from assistant.risk.reports import deal_risk
from tests.support import ALICE, NOW, WEST_MANAGER, principal
from tools.registry import get_tool


def test_the_brief_in_chat_is_the_brief_of_the_api(client: TestClient, api_tokens: dict[str, str]) -> None:
    headers = {"Authorization": f"Bearer {api_tokens[WEST_MANAGER]}"}
    brief = client.get("/api/risk/brief", headers=headers)
    assert brief.status_code == 200, brief.text
    chat = client.post("/api/chat", json={"message": "show me my weekly brief"}, headers=headers)
    assert chat.status_code == 200, chat.text
    body = chat.json()
    assert [call["name"] for call in body["tool_calls"]] == ["weekly_brief"]
    assert body["answer"] == brief.json()["text"]
    assert body["rich"]["headline"].startswith("Deal risk brief for")
    [table] = [s["table"] for s in body["rich"]["sections"] if s.get("table")]
    assert table["columns"][:2] == ["Deal", "Risk"] and "Why" in table["columns"]


def test_a_risk_row_carries_every_reason_of_the_deal(db, deps_for) -> None:
    report = get_tool("team_risk").run(deps_for(WEST_MANAGER), {"limit": 5})
    engine = build_engine(db, NOW)
    many = [row for row in report.deals if len(row.top_reasons) > 3]
    assert many, "the demo data has deals with more than three reasons"
    for row in report.deals:
        single = deal_risk(db, principal(db, WEST_MANAGER), row.deal_id, NOW, engine=engine)
        assert row.top_reasons == [reason.sentence for reason in single.reasons]


def test_the_risk_answer_lists_all_reasons_compactly(db, deps_for) -> None:
    deps = deps_for(ALICE)
    run = ToolRun(name="team_risk", args={}, result=get_tool("team_risk").run(deps, {}))
    text = Renderer().run(run)
    rich = rich_answer(text, [run], deps.principal)
    [table] = [section.table for section in rich.sections if section.table]
    why = table.columns.index("Why")
    first = table.rows[0]
    reasons = deal_risk(db, deps.principal, first[0].record.id, NOW).reasons
    assert len(reasons) > 3
    assert first[why].text == "; ".join(reason.sentence.rstrip(".") for reason in reasons)
    line = text.split("\n1. ", 1)[1].split("\n2. ", 1)[0]
    assert line.count("\n") == 1
    assert line.split("Why: ", 1)[1].strip() == "; ".join(reason.sentence.rstrip(".") for reason in reasons) + "."
