"""The runner, with a scripted assistant: isolation between cases, state checks, crashes, pass^k, reports."""

import json
from pathlib import Path
from typing import Any

import pytest

from assistant.crm.models import Deal
from assistant.crm.schemas.chat import ChatResponse, PendingActionPublic, RecordRef, ToolCallPublic
from evals.cases import Case
from evals.metrics import summarise
from evals.report import build_report, write_report
from evals.runner import RunConfig, Runner
from tests import support


class ScriptedAssistant:
    """Answers from a dict message -> (answer, tool calls); 'confirm' sets deal 11's amount."""

    def __init__(self, sessions: Any, replies: dict[str, tuple[str, list[str]]]) -> None:
        self.sessions = sessions
        self.replies = replies

    def ask(self, principal: Any, message: str, thread_id: str | None = None, **_: Any) -> ChatResponse:
        if message == "boom":
            raise RuntimeError("the brain fell over")
        if message.startswith("write directly"):
            with self.sessions() as session:
                session.get(Deal, 11).amount = 1
                session.commit()
        answer, tools = self.replies.get(message, ("I don't know.", []))
        pending = (
            PendingActionPublic(id="p1", kind="update_deal", summary="amount", changes=[]) if "set" in message else None
        )
        return ChatResponse(
            answer=answer,
            thread_id="t1",
            tool_calls=[ToolCallPublic(name=name, args={"deal_id": 11}) for name in tools],
            records=[RecordRef(type="deal", id=11, name="Hooli - Analytics Suite")],
            pending_action=pending,
        )

    def confirm(self, principal: Any, thread_id: str, action_id: str | None = None) -> ChatResponse:
        with self.sessions() as session:
            session.get(Deal, 11).amount = 42000
            session.commit()
        return ChatResponse(answer="Done", thread_id=thread_id)

    def cancel(self, principal: Any, thread_id: str, action_id: str | None = None) -> ChatResponse:
        return ChatResponse(answer="Cancelled", thread_id=thread_id)


REPLIES = {
    "amount on hooli?": ("Hooli - Analytics Suite is $35,000.", ["get_deal"]),
    "set hooli to 42k": ("I can set it to $42,000 once you confirm.", ["update_deal"]),
}


@pytest.fixture
def runner(sqlite_template: Path, tmp_path: Path) -> Runner:
    config = RunConfig(template=sqlite_template, workdir=tmp_path / "work", repeat=1)
    made = Runner(config, factory=lambda settings, sessions, clock: ScriptedAssistant(sessions, REPLIES))
    yield made
    made.close()


def case(**data: Any) -> Case:
    return Case.model_validate({"user": "rita.lopez@dealwise.demo", "category": "questions", **data})


def test_writes_do_not_leak_into_later_cases(runner: Runner) -> None:
    write = case(
        id="write",
        category="writes",
        turns=[{"ask": "set hooli to 42k", "expect": {"pending": "update_deal"}}, {"confirm": True}],
        state=[{"value": "deals.amount", "where": {"id": 11}, "equals": 42000}],
    )
    read = case(
        id="read",
        ask="amount on hooli?",
        expect={"tools": ["get_deal"], "facts": [{"value": "deals.amount", "where": {"id": 11}}]},
        state=[{"value": "deals.amount", "where": {"id": 11}, "equals": 35000}],
    )
    result = runner.run([write, read, write])
    assert [item.passed for item in result.cases] == [True, True, True], [item.reasons() for item in result.cases]


def test_a_write_without_confirmation_fails_the_case(runner: Runner) -> None:
    sneaky = case(id="sneaky", ask="write directly please")
    result = runner.run([sneaky])
    assert not result.cases[0].passed
    assert any("changed without a confirmation" in reason for reason in result.cases[0].reasons())


def test_wrong_facts_tools_and_state_are_reasons(runner: Runner) -> None:
    wrong = case(
        id="wrong",
        turns=[{"ask": "amount on hooli?", "expect": {"tools": ["find_deals"], "facts": [99999]}}],
        state=[{"value": "deals.amount", "where": {"id": 11}, "equals": 1}],
    )
    reasons = runner.run([wrong]).cases[0].reasons()
    assert any(reason.startswith("tool_choice") for reason in reasons)
    assert any(reason.startswith("facts") and "99999" in reason for reason in reasons)
    assert any(reason.startswith("state") and "35000" in reason for reason in reasons)


def test_a_crash_fails_only_that_case_and_repeat_counts_trials(sqlite_template: Path, tmp_path: Path) -> None:
    config = RunConfig(template=sqlite_template, workdir=tmp_path / "w", repeat=3)
    runner = Runner(config, factory=lambda settings, sessions, clock: ScriptedAssistant(sessions, REPLIES))
    result = runner.run(
        [case(id="crash", ask="boom"), case(id="fine", ask="amount on hooli?", expect={"facts": [35000]})]
    )
    runner.close()
    crash, fine = result.cases
    assert len(crash.trials) == len(fine.trials) == 3
    assert not crash.passed and "the brain fell over" in crash.reasons()[0]
    assert fine.passed
    overall, categories = summarise(result)
    assert overall.pass_hat_k == 0.5 and categories["questions"].cases == 2


def test_permission_leaks_and_citations_are_detected(sqlite_template: Path, tmp_path: Path) -> None:
    leaky = {"what about globex?": ("Globex is not yours, but Hooli belongs to Rita.", ["find_accounts"])}
    config = RunConfig(template=sqlite_template, workdir=tmp_path / "w")
    runner = Runner(config, factory=lambda settings, sessions, clock: ScriptedAssistant(sessions, leaky))
    result = runner.run([case(id="leak", category="permissions", ask="what about globex?", user=support_email("erin"))])
    runner.close()
    reasons = result.cases[0].reasons()
    leak = next(reason for reason in reasons if reason.startswith("permission_leak"))
    assert "account Hooli" in leak and "Globex" not in leak
    assert any("deal 11 is not visible" in reason for reason in reasons)


def support_email(name: str) -> str:
    return {"erin": "erin.chen@dealwise.demo"}[name]


def test_report_json_html_and_baseline_diff(runner: Runner, tmp_path: Path) -> None:
    good = case(id="good", ask="amount on hooli?", expect={"facts": [35000]})
    bad = case(id="bad", ask="amount on hooli?", expect={"facts": [1]})
    first = build_report(runner.run([good, bad], name="first"))
    json_path, _ = write_report(first, tmp_path / "first")
    flipped = case(id="bad", ask="amount on hooli?", expect={"facts": [35000]})
    second = build_report(runner.run([good, flipped], name="second"), baseline=json.loads(json_path.read_text()))
    _, html_path = write_report(second, tmp_path / "second")
    assert second["baseline"]["newly_passing"] == ["bad"] and second["baseline"]["delta"] == 0.5
    html = html_path.read_text()
    assert "<svg" in html and "Compared with first" in html and "<script" not in html
    assert second["summary"]["latency_p50_ms"] is not None
    assert support.TODAY.isoformat() in second["now"]


def test_a_long_run_of_the_real_assistant_holds_no_files_open_per_case(sqlite_template: Path, tmp_path: Path) -> None:
    """Each trial's note index is closed with it: thousands of cases once ran the process out of file handles."""
    runner = Runner(RunConfig(template=sqlite_template, workdir=tmp_path / "real"))
    ask = case(id="notes", ask="search notes for pricing", expect={"tools": ["search_notes"]})
    runner.run([ask])
    opened = len(list(Path("/proc/self/fd").iterdir()))
    result = runner.run([ask] * 12)
    still_open = len(list(Path("/proc/self/fd").iterdir()))
    runner.close()
    assert all(item.passed for item in result.cases), [item.reasons() for item in result.cases]
    assert still_open - opened < 6, f"{still_open - opened} more files open after 12 cases"
