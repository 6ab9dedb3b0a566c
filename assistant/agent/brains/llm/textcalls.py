"""Tool calls a model wrote as text (plain JSON, ```json fences, <tool_call> tags) instead of tool_calls."""

import json
import re
from collections.abc import Collection
from typing import Any

from langchain_core.messages.tool import ToolCall

_TAGGED = re.compile(r"<tool_call>\s*(.*?)\s*(?:</tool_call>|$)", re.DOTALL)
_FENCED = re.compile(r"```(?:json|tool_call|tool)?\s*(.*?)\s*```", re.DOTALL)


def _candidates(text: str) -> list[str]:
    found = _TAGGED.findall(text) or _FENCED.findall(text)
    stripped = text.strip()
    if not found and stripped[:1] in "{[":
        found = [stripped]
    return found


def _calls_in(value: Any) -> list[dict[str, Any]]:
    if isinstance(value, list):
        return [item for entry in value for item in _calls_in(entry)]
    if not isinstance(value, dict):
        return []
    if isinstance(value.get("function"), dict):
        return _calls_in(value["function"])
    return [value] if isinstance(value.get("name"), str) else []


def _arguments(call: dict[str, Any]) -> dict[str, Any] | None:
    args = call.get("arguments", call.get("parameters", call.get("args", {})))
    if isinstance(args, str):
        try:
            args = json.loads(args or "{}")
        except ValueError:
            return None
    return args if isinstance(args, dict) else None


def text_tool_calls(text: str, known: Collection[str]) -> list[ToolCall]:
    """The calls of known tools written in ``text``; empty when it holds none."""
    calls: list[ToolCall] = []
    for candidate in _candidates(text):
        try:
            parsed = json.loads(candidate)
        except ValueError:
            continue
        for call in _calls_in(parsed):
            args = _arguments(call)
            if call["name"] in known and args is not None:
                calls.append(ToolCall(name=call["name"], args=args, id=f"text_call_{len(calls)}", type="tool_call"))
    return calls
