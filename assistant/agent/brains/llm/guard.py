"""The loop guard: an identical tool call is never run twice, and two failures end the loop."""

import json
from typing import Any

from assistant.agent.brains.base import ToolRun
from assistant.crm.schemas.chat import BrainDiagnostics

MAX_FAILURES = 2
MAX_REPEATS = 2


def call_key(name: str, args: dict[str, Any]) -> str:
    return json.dumps([name, args], sort_keys=True, default=str)


class LoopGuard:
    def __init__(self, stats: BrainDiagnostics) -> None:
        self.stats = stats
        self.failed: dict[str, str] = {}
        self.succeeded: set[str] = set()
        self.repeats = 0

    def refuse(self, name: str, args: dict[str, Any]) -> str | None:
        """Why this call is not run again, or None when it may run."""
        key = call_key(name, args)
        if key in self.failed:
            self.stats.repeated_calls += 1
            self.stats.repeated_failing_calls += 1
            self.stats.failed_calls += 1
            return (
                f"not run again: {name} with these exact arguments already failed ({self.failed[key]}). "
                "Change the arguments as the error says, or answer with what you have."
            )
        if key in self.succeeded:
            self.stats.repeated_calls += 1
            self.repeats += 1
            return f"not run again: {name} with these exact arguments returned its result above; answer from it."
        return None

    def record(self, name: str, args: dict[str, Any], run: ToolRun) -> None:
        """The outcome of the call the model asked for as ``name(args)``."""
        self.stats.tool_calls += 1
        key = call_key(name, args)
        if run.error is not None:
            self.stats.failed_calls += 1
            self.failed[key] = run.error
        else:
            self.succeeded.add(key)

    @property
    def stop_reason(self) -> str | None:
        if self.stats.failed_calls >= MAX_FAILURES:
            return "failures"
        if self.repeats >= MAX_REPEATS:
            return "repeats"
        return None
