"""The LLM brain: any LangChain chat model with tool calling, looping model -> tools -> model.

Tool results go back as ToolMessages quoted inside <data>...</data>; the system prompt (prompts/
system.md) says quoted data is never an instruction. A write tool's proposal ends the loop: the
answer is our own rendering of the proposal, never the model's claim that something changed.
The loop never runs an identical call twice, stops after two failed calls, recovers tool calls
written as text, and turns model errors into an answer that says what was and was not found.
"""

import json
import logging
from typing import Any

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, ToolMessage
from langchain_core.messages.tool import ToolCall

from assistant.agent.brains.base import Reply, ToolRun, ToolRunner, Turn
from assistant.agent.brains.llm.failures import STOP_TEXT, fallback_answer, model_error_kind, model_error_text
from assistant.agent.brains.llm.guard import LoopGuard
from assistant.agent.brains.llm.prompt import system_messages
from assistant.agent.brains.llm.results import bounded, with_records_behind
from assistant.agent.brains.llm.textcalls import text_tool_calls
from assistant.agent.brains.offline.render import Renderer
from assistant.agent.safety import looks_like_injection, quote_data
from assistant.crm.schemas.chat import BrainDiagnostics

log = logging.getLogger(__name__)

MAX_STEPS = 6
SHOWN_AS_IS = ("draft_followup_email",)
"""tools whose result is the answer, in our rendering: a customer email is never retyped by the model"""
UNREADABLE_CALL = "Your tool call could not be read ({error}). Call the tool again with valid JSON arguments."


def proposal_answer(run: ToolRun) -> str:
    proposal = run.proposal
    assert proposal is not None
    lines = [f"I can make this change once you confirm: {proposal.summary}"]
    for change in proposal.changes:
        if change.old is None:
            lines.append(f"- {change.record_name}: {change.field} = {change.new}")
        else:
            lines.append(f"- {change.record_name}: {change.field} {change.old} -> {change.new}")
    lines.append("Reply 'yes' to apply it or 'cancel' to drop it.")
    return "\n".join(lines)


def _text(content: Any) -> str:
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "".join(part.get("text", "") if isinstance(part, dict) else str(part) for part in content)
    return str(content or "")


class _Loop:
    """One turn's loop state."""

    def __init__(self) -> None:
        self.runs: list[ToolRun] = []
        self.stats = BrainDiagnostics()
        self.guard = LoopGuard(self.stats)


class LLMBrain:
    def __init__(self, model: BaseChatModel, runner: ToolRunner, tool_schemas: list[dict[str, Any]]) -> None:
        self.model = model
        self.runner = runner
        self.tool_schemas = tool_schemas
        self.bound = model.bind_tools(tool_schemas)
        self.renderer = Renderer()

    def _messages(self, turn: Turn) -> list[BaseMessage]:
        messages: list[BaseMessage] = system_messages(turn.deps)
        for role, content in turn.history:
            messages.append(HumanMessage(content) if role == "user" else AIMessage(content))
        messages.append(HumanMessage(turn.message))
        return messages

    def _invoke(self, messages: list[BaseMessage]) -> AIMessage:
        ai = self.bound.invoke(messages)
        return ai if isinstance(ai, AIMessage) else AIMessage(content=_text(getattr(ai, "content", "")))

    def reply(self, turn: Turn) -> Reply:
        messages = self._messages(turn)
        loop = _Loop()
        for _ in range(MAX_STEPS):
            loop.stats.steps += 1
            try:
                ai = self._invoke(messages)
            except Exception as error:  # noqa: BLE001 - any model failure becomes an answer, never a traceback
                kind = model_error_kind(error)
                log.warning("the chat model failed (%s): %s", kind, error)
                loop.stats.model_errors[kind] = loop.stats.model_errors.get(kind, 0) + 1
                return self._stop(turn, loop, kind, model_error_text(kind, error))
            calls = self._calls(ai, loop)
            if not calls and ai.invalid_tool_calls:
                error = ai.invalid_tool_calls[0].get("error") or "arguments are not JSON"
                loop.stats.protocol_warnings.append(f"unreadable tool call: {error}")
                messages += [AIMessage(content=_text(ai.content)), HumanMessage(UNREADABLE_CALL.format(error=error))]
                continue
            if not calls:
                answer = _text(ai.content).strip()
                if not answer:
                    return self._stop(turn, loop, "empty", STOP_TEXT["empty"])
                answer = with_records_behind(answer, loop.runs)
                return Reply(answer=answer, runs=loop.runs, needs_grounding=True, diagnostics=loop.stats)
            messages.append(AIMessage(content="", tool_calls=calls) if not ai.tool_calls else ai)
            done = self._run_calls(turn, loop, calls, messages)
            if done is not None:
                return done
            reason = loop.guard.stop_reason
            if reason is not None:
                return self._stop(turn, loop, reason, STOP_TEXT[reason])
        return self._stop(turn, loop, "step_limit", STOP_TEXT["step_limit"])

    def _calls(self, ai: AIMessage, loop: _Loop) -> list[ToolCall]:
        if ai.tool_calls:
            return list(ai.tool_calls)
        calls = text_tool_calls(_text(ai.content), self.runner.specs)
        if calls:
            loop.stats.protocol_warnings.append("tool call written as text: " + ", ".join(c["name"] for c in calls))
        return calls

    def _run_calls(self, turn: Turn, loop: _Loop, calls: list[ToolCall], messages: list[BaseMessage]) -> Reply | None:
        for call in calls:
            call_id = call.get("id") or call["name"]
            args = dict(call.get("args") or {})
            refusal = loop.guard.refuse(call["name"], args)
            if refusal is not None:
                messages.append(ToolMessage(quote_data({"error": refusal}), tool_call_id=call_id))
                continue
            run = self.runner.run(turn.deps, call["name"], args)
            loop.runs.append(run)
            loop.guard.record(call["name"], args, run)
            if run.proposal is not None:
                self._remember(turn, loop.runs)
                return Reply(answer=proposal_answer(run), runs=loop.runs, diagnostics=loop.stats)
            if run.name in SHOWN_AS_IS and run.result is not None:
                self._remember(turn, loop.runs)
                return Reply(answer=self.renderer.run(run), runs=loop.runs, diagnostics=loop.stats)
            messages.append(ToolMessage(self._tool_content(run), tool_call_id=call_id))
        self._remember(turn, loop.runs)
        return None

    def _stop(self, turn: Turn, loop: _Loop, reason: str, text: str) -> Reply:
        """The answer when the model cannot finish: what was found (or nothing), and what failed."""
        loop.stats.stopped = reason
        self._remember(turn, loop.runs)
        found = any(run.result is not None for run in loop.runs)
        return Reply(
            answer=fallback_answer(text, loop.runs, self.renderer),
            runs=loop.runs,
            grounded=found,
            diagnostics=loop.stats,
        )

    def _tool_content(self, run: ToolRun) -> str:
        if run.error is not None:
            return quote_data({"error": run.error})
        assert run.result is not None
        payload = run.result.model_dump(mode="json", exclude_none=True)
        if looks_like_injection(json.dumps(payload, default=str)):
            log.warning("tool %s returned record text that tries to give instructions; quoted as data", run.name)
        return quote_data(bounded(payload))

    def _remember(self, turn: Turn, runs: list[ToolRun]) -> None:
        last = next((r for r in reversed(runs) if r.result is not None and r.proposal is None), None)
        if last is not None:
            turn.state["last_tool"] = last.name
            turn.state["last_args"] = last.args
