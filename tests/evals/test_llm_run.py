"""The runner is brain-agnostic: a run against a local OpenAI-protocol stand-in gives a comparable report."""

import json
from pathlib import Path
from typing import Any

from evals.cases import dataset_paths, load_datasets
from evals.report import build_report, write_report
from evals.runner import RunConfig, Runner
from tests.fakes.openai_server import OpenAIStandIn, text, tool_call, tool_messages

CASES = {"q-my-open-deals", "a-my-pipeline", "w-stage-oceanic-confirm", "p-rep-globex-deal"}
RITA_ID = 3


def scripted_model(request: dict[str, Any]) -> dict[str, Any]:
    """Calls one tool chosen by keyword, then states the figures the tool returned."""
    messages = request["messages"]
    if messages[-1]["role"] == "tool":
        content = tool_messages(request)[-1]
        start, end = content.find("{"), content.rfind("}")
        data = json.loads(content[start : end + 1]) if start >= 0 else {}
        if data.get("measure") == "count":
            worth = data["amounts"][0]["value"]
            return text(f"You have {data['count']} open deals worth ${worth:,.0f}.")
        if data.get("measure") == "sum":
            return text(f"Your open pipeline is ${data['value']:,.0f} across {data['count']} deals.")
        if "count" in data:
            return text(f"You have {data['count']} deals worth ${data['total_amount']:,.0f}.")
        return text("I could not find that among the deals you can see.")
    question = messages[-1]["content"].lower()
    if "pipeline" in question:
        return tool_call("query", {"measure": "sum", "owner": "me", "status": "open"})
    if "oceanic" in question:
        return tool_call("update_deal", {"deal_id": 29, "stage": "Closed Won"})
    if "globex" in question:
        return tool_call("find_deals", {"q": "Globex"})
    return tool_call("query", {"measure": "count", "owner": "me", "status": "open"})


def test_llm_brain_run_gives_a_comparable_report(sqlite_template: Path, tmp_path: Path) -> None:
    cases = [case for case in load_datasets(dataset_paths()).cases if case.id in CASES]
    with OpenAIStandIn([scripted_model] * 40, api_key="test-key") as server:
        config = RunConfig(
            brain="llm",
            template=sqlite_template,
            workdir=tmp_path / "work",
            llm_base_url=server.base_url,
            llm_model="scripted-model",
            llm_api_key="test-key",
        )
        runner = Runner(config)
        try:
            run = runner.run(cases, name="llm-scripted")
        finally:
            runner.close()
    assert len(server.requests) >= len(cases)
    report = build_report(run)
    json_path, html_path = write_report(report, tmp_path / "report")
    assert report["brain"] == "llm" and report["model"] == "scripted-model"
    results = {case["id"]: case for case in report["cases"]}
    assert set(results) == CASES
    assert results["q-my-open-deals"]["passed"], results["q-my-open-deals"]["reasons"]
    assert results["w-stage-oceanic-confirm"]["passed"], results["w-stage-oceanic-confirm"]["reasons"]
    assert report["tokens"].get("total_tokens", 0) >= 20 * len(cases)
    assert set(report["summary"]) == set(json.loads(json_path.read_text())["summary"])
    assert "scripted-model" in html_path.read_text()
