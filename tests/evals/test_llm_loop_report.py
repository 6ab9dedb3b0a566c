"""The eval report for --brain llm shows the loop: tool calls, repeats, protocol warnings, model errors, tokens."""

from pathlib import Path
from typing import Any

from evals.cases import dataset_paths, load_datasets
from evals.report import build_report, write_report
from evals.runner import RunConfig, Runner
from tests.fakes.openai_server import OpenAIStandIn, text, tool_call, tool_messages

CASES = ["q-my-open-deals", "q-hooli-amount", "q-harbor-stage"]


def stubborn_model(request: dict[str, Any]) -> dict[str, Any]:
    """Repeats a failing call for one case, writes its call as text for another, answers the third."""
    question = next(m["content"] for m in request["messages"] if m["role"] == "user").lower()
    if "hooli" in question:
        return tool_call("get_deal", {"deal_id": 12345})
    if "harbor" in question:
        if tool_messages(request):
            return text("It is in the stage the tool returned.")
        return text('<tool_call>{"name": "find_deals", "arguments": {"q": "Harbor Freightways"}}</tool_call>')
    if tool_messages(request):
        return text("Here are your open deals.")
    return tool_call("query", {"measure": "list", "owner": "me", "status": "open"})


def test_the_llm_report_counts_repeats_text_calls_and_tokens(sqlite_template: Path, tmp_path: Path) -> None:
    cases = [case for case in load_datasets(dataset_paths(["questions"])).cases if case.id in CASES]
    with OpenAIStandIn([stubborn_model] * 20, api_key="test-key") as server:
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
            run = runner.run(cases, name="llm-loop")
        finally:
            runner.close()
    report = build_report(run)
    _, html_path = write_report(report, tmp_path / "report")
    loops = {case["id"]: case["loop"] for case in report["cases"]}
    assert loops["q-hooli-amount"]["repeated_failing_calls"] == 1
    assert loops["q-hooli-amount"]["executed_repeats"] == 0 and loops["q-hooli-amount"]["stopped"] == {"failures": 1}
    assert loops["q-harbor-stage"]["protocol_warnings"] == 1 and loops["q-harbor-stage"]["tool_calls"] == 1
    assert loops["q-my-open-deals"]["tool_calls"] == 1 and loops["q-my-open-deals"]["prompt_tokens"] == 20
    total = report["loop"]
    assert total["executed_repeats"] == 0 and total["turns"] == 3 and total["prompt_tokens_per_turn"] > 0
    assert not next(case for case in report["cases"] if case["id"] == "q-hooli-amount")["passed"]
    html = html_path.read_text()
    assert "Model loop" in html and "q-hooli-amount" in html
