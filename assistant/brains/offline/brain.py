"""The offline brain: no generative model. Classify the intent, link names, fill the tool's input,
run the same typed tool the LLM would, and render the answer from prompts/answers.yaml."""

import re
from datetime import date, datetime
from typing import Any

from rapidfuzz import fuzz

from assistant.brains.base import Reply, ToolRun, ToolRunner, Turn
from assistant.brains.offline.intents import IntentClassifier
from assistant.brains.offline.linking import Mention, NameIndex, link
from assistant.brains.offline.planner import Clarify, Slots, build_args
from assistant.brains.offline.render import Renderer

THRESHOLD = 0.42
FOLLOW_UP = re.compile(r"^\s*(and|what about|how about|only|just|same|now|ok and|also|but)\b", re.I)
ORDINALS = {"first": 0, "1st": 0, "second": 1, "2nd": 1, "third": 2, "3rd": 2, "fourth": 3, "last": -1}
SINGULAR_DEAL = re.compile(r"\b(deal|opportunity)\b|#\d+", re.I)
PLURAL_DEALS = re.compile(r"\b(deals|opportunities|how many|which)\b", re.I)
META = {"out_of_scope", "help", "greeting"}


PLACEHOLDERS = {"account": "Acme", "deal": "Acme deal", "contact": "Jane Smith", "user": "Sam"}


def masked(message: str, mentions: list[Mention]) -> str:
    """The message with linked names replaced by the stock names the intent examples use."""
    text = message
    for mention in sorted(mentions, key=lambda m: -len(m.text)):
        pattern = r"\b" + r"\W+".join(re.escape(w) for w in mention.text.split()) + r"\b"
        text = re.sub(pattern, PLACEHOLDERS.get(mention.entity.type, "Acme"), text, flags=re.I)
    return text


def _jsonable(args: dict[str, Any]) -> dict[str, Any]:
    return {k: v.isoformat() if isinstance(v, date | datetime) else v for k, v in args.items()}


class OfflineBrain:
    def __init__(self, classifier: IntentClassifier, runner: ToolRunner, names: NameIndex, renderer: Renderer) -> None:
        self.classifier = classifier
        self.runner = runner
        self.names = names
        self.renderer = renderer

    def reply(self, turn: Turn) -> Reply:
        deps, state, message = turn.deps, turn.state, turn.message
        visible = self.names.visible(deps.session, deps.principal)
        slots = Slots(
            message, deps.clock.today(), deps.principal, link(visible, message), dict(state.get("focus") or {})
        )
        pending_question = state.pop("clarify", None)
        if pending_question:
            answered = self._answer_clarification(pending_question, message)
            if answered is not None:
                return self._run(turn, pending_question["tool"], answered)
        tool, base_args = self._choose(message, slots, state, masked(message, slots.mentions))
        if tool is None:
            return Reply(answer=self.renderer.text("out_of_scope"))
        spec = self.runner.specs[tool]
        planned = build_args(tool, spec.input_model, slots, visible, state)
        if isinstance(planned, Clarify):
            state["clarify"] = {
                "tool": tool,
                "args": _jsonable({**base_args}),
                "slot": planned.slot,
                "candidates": [{"id": c.id, "name": c.name} for c in planned.candidates],
            }
            return Reply(answer=self.renderer.text("clarify", question=planned.question))
        args = {**base_args, **{k: v for k, v in planned.items() if v is not None}}
        return self._run(turn, tool, args)

    def _choose(
        self, message: str, slots: Slots, state: dict[str, Any], normalised: str
    ) -> tuple[str | None, dict[str, Any]]:
        ranked = [s for s in self.classifier.rank(normalised) if s.intent in self.runner.specs or s.intent in META]
        top = ranked[0] if ranked else None
        last_tool = state.get("last_tool")
        follow_up = bool(FOLLOW_UP.match(message)) and last_tool in self.runner.specs
        writes = top is not None and top.intent in self.runner.specs and self.runner.specs[top.intent].writes
        if follow_up and not writes and (top is None or top.intent not in META):
            previous = dict(state.get("last_args") or {})
            for key in ("close_from", "close_to", "start", "end", "period", "since"):
                if slots.period is not None:
                    previous.pop(key, None)
            return last_tool, previous
        if top is None or top.score < THRESHOLD or top.intent in META:
            return None, {}
        return self._prefer(message, ranked), {}

    def _prefer(self, message: str, ranked: list[Any]) -> str:
        """Grammar the embedding misses: one deal (singular) is get_deal; "who ..." asks about people."""
        top = ranked[0]
        close = [s.intent for s in ranked[1:4] if top.score - s.score < 0.08]
        singular = SINGULAR_DEAL.search(message) and not PLURAL_DEALS.search(message)
        if top.intent == "find_deals" and singular and "get_deal" in close:
            return "get_deal"
        if top.intent == "get_deal" and not SINGULAR_DEAL.search(message) and "get_account_overview" in close:
            return "get_account_overview"
        if top.intent == "find_deals" and re.match(r"\s*who\b", message, re.I) and close:
            return close[0]
        return top.intent

    def _answer_clarification(self, question: dict[str, Any], message: str) -> dict[str, Any] | None:
        candidates = question.get("candidates") or []
        if not candidates:
            return None
        lowered = message.lower()
        chosen = None
        if m := re.search(r"#?(\d{1,7})\b", lowered):
            chosen = next((c for c in candidates if c["id"] == int(m[1])), None)
        if chosen is None:
            for word, index in ORDINALS.items():
                if re.search(rf"\b{word}\b", lowered) and -len(candidates) <= index < len(candidates):
                    chosen = candidates[index]
                    break
        if chosen is None:
            scored = sorted(
                ((fuzz.partial_ratio(lowered, c["name"].lower()), c) for c in candidates), key=lambda x: -x[0]
            )
            if scored and scored[0][0] >= 80 and (len(scored) == 1 or scored[0][0] - scored[1][0] >= 5):
                chosen = scored[0][1]
        if chosen is None:
            return None
        return {**question.get("args", {}), question["slot"]: chosen["id"]}

    def _run(self, turn: Turn, tool: str, args: dict[str, Any]) -> Reply:
        run = self.runner.run(turn.deps, tool, args)
        run.args = _jsonable(run.args)
        if run.result is not None and run.proposal is None:
            turn.state["last_tool"] = tool
            turn.state["last_args"] = run.args
        self._focus(turn.state, run)
        return Reply(answer=self.renderer.run(run), runs=[run], needs_grounding=True)

    def _focus(self, state: dict[str, Any], run: ToolRun) -> None:
        focus = dict(state.get("focus") or {})
        refs = list(getattr(run.result, "records", None) or [])
        for kind in ("deal", "account", "contact"):
            if f"{kind}_id" in run.args and run.args[f"{kind}_id"] is not None:
                ref = next((r for r in refs if r.type == kind and r.id == run.args[f"{kind}_id"]), None)
                focus[kind] = {"id": run.args[f"{kind}_id"], "name": ref.name if ref else ""}
                continue
            of_kind = [r for r in refs if r.type == kind]
            if len(of_kind) == 1:
                focus[kind] = {"id": of_kind[0].id, "name": of_kind[0].name}
        state["focus"] = focus
