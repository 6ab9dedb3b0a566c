"""Answers rendered from prompts/answers.yaml: every figure in them comes from the tool result."""

from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from jinja2 import Environment, StrictUndefined, Template

from assistant.agent.brains.base import ToolRun
from prompts import prompt_path

ANSWERS = prompt_path("answers.yaml")
QUOTE_CHARS = 240


def money(value: Any) -> str:
    if value is None:
        return "n/a"
    amount = float(value)
    return f"${amount:,.0f}" if amount == round(amount) or amount >= 100 else f"${amount:,.2f}"


def day(value: Any) -> str:
    if value is None or value == "":
        return "not set"
    if isinstance(value, str):
        value = datetime.fromisoformat(value) if "T" in value or " " in value else date.fromisoformat(value)
    if isinstance(value, datetime):
        value = value.date()
    return f"{value:%b} {value.day}, {value.year}"


def pct(value: Any) -> str:
    number = float(value)
    return f"{number:.0f}%" if number == round(number) else f"{number:.1f}%"


def quote(text: Any) -> str:
    """Record text, shown as a quotation: one line, clipped."""
    flat = " ".join(str(text or "").split())
    return flat if len(flat) <= QUOTE_CHARS else flat[: QUOTE_CHARS - 1] + "…"


@lru_cache(maxsize=4)
def _templates(path: Path = ANSWERS) -> dict[str, Template]:
    env = Environment(autoescape=False, trim_blocks=False, undefined=StrictUndefined)
    env.globals.update(money=money, day=day, pct=pct, quote=quote)
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    return {name: env.from_string(text) for name, text in raw.items()}


class Renderer:
    def __init__(self, path: Path = ANSWERS) -> None:
        self.templates = _templates(path)

    def text(self, name: str, **values: Any) -> str:
        if "capabilities" in self.templates and name != "capabilities":
            values.setdefault("capabilities", self.templates["capabilities"].render().strip())
        return self.templates[name].render(**values).strip()

    def has_template(self, tool: str) -> bool:
        return tool in self.templates

    def run(self, run: ToolRun, **extra: Any) -> str:
        """The answer for one tool run: its template, the proposal template, or a plain fallback."""
        if run.error is not None:
            return self.text("error", error=run.error)
        assert run.result is not None
        data = run.result.model_dump(mode="json")
        if run.proposal is not None:
            return self.text("proposal", r=data)
        if run.name in self.templates:
            try:
                return self.text(run.name, r=data, args=run.args, **extra)
            except Exception:  # a template out of step with a tool's output must not lose the answer
                pass
        return self._fallback(run.name, data)

    def _fallback(self, tool: str, data: dict[str, Any]) -> str:
        scalars = [(k, v) for k, v in data.items() if isinstance(v, int | float | str) and not isinstance(v, bool)]
        return self.text("fallback", tool=tool, r={"records": data.get("records", [])}, scalars=scalars)

    def plain(self, runs: list[ToolRun]) -> str:
        """A plain rendering of a turn's tool results (used when a model's answer failed grounding)."""
        parts = [self.run(run) for run in runs if run.result is not None or run.error is not None]
        return "\n\n".join(parts) if parts else "I have no CRM facts for that; please ask about your deals or accounts."
