"""Every tool, loaded: importing this module fills tools.base.TOOLS and ACTIONS.

Also the OpenAI function-tool JSON for a tool, built from its pydantic input model and docstring.
"""

from typing import Any

from assistant.errors import ValidationFailed
from tools import accounts, activities, analytics, calls, deals, email, risk, search, updates  # noqa: F401
from tools.base import ACTIONS, TOOLS, ToolSpec
from tools.updates import UNDO

__all__ = ["ACTIONS", "TOOLS", "UNDO", "all_tools", "get_tool", "read_tools", "to_openai_schema", "write_tools"]


def all_tools() -> list[ToolSpec]:
    return sorted(TOOLS.values(), key=lambda spec: spec.name)


def get_tool(name: str) -> ToolSpec:
    spec = TOOLS.get(name)
    if spec is None:
        raise ValidationFailed("tool", f"unknown tool {name!r}; tools are {', '.join(sorted(TOOLS))}")
    return spec


def read_tools() -> list[ToolSpec]:
    return [spec for spec in all_tools() if not spec.writes]


def write_tools() -> list[ToolSpec]:
    return [spec for spec in all_tools() if spec.writes]


def to_openai_schema(spec: ToolSpec) -> dict[str, Any]:
    """``{"type": "function", "function": {name, description, parameters}}`` for chat-completions tools."""
    parameters = spec.input_model.model_json_schema()
    parameters.pop("title", None)
    parameters.setdefault("properties", {})
    return {
        "type": "function",
        "function": {"name": spec.name, "description": spec.description, "parameters": parameters},
    }
