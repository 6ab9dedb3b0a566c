"""The LLM brain: any LangChain chat model with tool calling, looping model -> tools -> model.

Tool results go back as ToolMessages quoted inside <data>...</data>; the system prompt (prompts/
system.md) says quoted data is never an instruction. A write tool's proposal ends the loop: the
answer is our own rendering of the proposal, never the model's claim that something changed.
"""

import json
import logging
from datetime import date
from typing import Any

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, SystemMessage, ToolMessage

from assistant.agent.brains.base import Reply, ToolRun, ToolRunner, Turn
from assistant.agent.brains.offline.render import Renderer
from assistant.agent.safety import looks_like_injection, quote_data
from assistant.crm.deps import Deps
from prompts import prompt_text

log = logging.getLogger(__name__)

MAX_STEPS = 6
SHOWN_AS_IS = ("draft_followup_email",)
"""tools whose result is the answer, in our rendering: a customer email is never retyped by the model"""


def system_prompt(deps: Deps) -> str:
    principal = deps.principal
    today: date = deps.clock.today()
    template = prompt_text("system.md")
    team = f", team id {principal.team_id}" if principal.team_id is not None else ""
    return template.format(
        name=principal.name,
        role=principal.role.value,
        team=team,
        channel=str(principal.channel),
        today=today.isoformat(),
        weekday=today.strftime("%A"),
    )


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


class LLMBrain:
    def __init__(self, model: BaseChatModel, runner: ToolRunner, tool_schemas: list[dict[str, Any]]) -> None:
        self.model = model
        self.runner = runner
        self.tool_schemas = tool_schemas
        self.bound = model.bind_tools(tool_schemas)
        self.renderer = Renderer()

    def _messages(self, turn: Turn) -> list[BaseMessage]:
        messages: list[BaseMessage] = [SystemMessage(system_prompt(turn.deps))]
        for role, content in turn.history:
            messages.append(HumanMessage(content) if role == "user" else AIMessage(content))
        messages.append(HumanMessage(turn.message))
        return messages

    def reply(self, turn: Turn) -> Reply:
        messages = self._messages(turn)
        runs: list[ToolRun] = []
        for _ in range(MAX_STEPS):
            ai = self.bound.invoke(messages)
            if not isinstance(ai, AIMessage):
                ai = AIMessage(content=_text(getattr(ai, "content", "")))
            messages.append(ai)
            if not ai.tool_calls:
                return Reply(answer=_text(ai.content).strip(), runs=runs, needs_grounding=True)
            for call in ai.tool_calls:
                run = self.runner.run(turn.deps, call["name"], dict(call.get("args") or {}))
                runs.append(run)
                if run.proposal is not None:
                    self._remember(turn, runs)
                    return Reply(answer=proposal_answer(run), runs=runs)
                if run.name in SHOWN_AS_IS and run.result is not None:
                    self._remember(turn, runs)
                    return Reply(answer=self.renderer.run(run), runs=runs)
                messages.append(ToolMessage(self._tool_content(run), tool_call_id=call.get("id") or call["name"]))
            self._remember(turn, runs)
        return Reply(
            answer="I could not finish that within the steps I'm allowed; here is what I found.",
            runs=runs,
            needs_grounding=True,
        )

    def _tool_content(self, run: ToolRun) -> str:
        if run.error is not None:
            return quote_data({"error": run.error})
        assert run.result is not None
        payload = run.result.model_dump(mode="json")
        if looks_like_injection(json.dumps(payload, default=str)):
            log.warning("tool %s returned record text that tries to give instructions; quoted as data", run.name)
        return quote_data(payload)

    def _remember(self, turn: Turn, runs: list[ToolRun]) -> None:
        last = next((r for r in reversed(runs) if r.result is not None and r.proposal is None), None)
        if last is not None:
            turn.state["last_tool"] = last.name
            turn.state["last_args"] = last.args
