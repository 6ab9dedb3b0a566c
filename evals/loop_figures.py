"""The LLM brain's loop, per case and per run: tool calls, repeats, protocol warnings, model errors, tokens, latency.

Admins comparing models read these to see why one model is slower or worse than another.
"""

from collections.abc import Iterable
from statistics import median
from typing import Any

from pydantic import BaseModel, Field

from evals.run_types import CaseResult, RunResult, TurnRecord


class LoopFigures(BaseModel):
    turns: int = 0
    tool_calls: int = 0
    failed_calls: int = 0
    repeated_calls: int = 0
    repeated_failing_calls: int = 0
    executed_repeats: int = Field(default=0, description="identical failing calls that ran twice (must be 0)")
    protocol_warnings: int = 0
    model_errors: dict[str, int] = Field(default_factory=dict)
    stopped: dict[str, int] = Field(default_factory=dict, description="fallback answers, by why the loop stopped")
    prompt_tokens: int = 0
    completion_tokens: int = 0
    latency_ms: list[float] = Field(default_factory=list)

    @property
    def prompt_tokens_per_turn(self) -> float | None:
        return round(self.prompt_tokens / self.turns, 1) if self.turns else None

    def summary(self) -> dict[str, Any]:
        figures = self.model_dump(exclude={"latency_ms"})
        figures["prompt_tokens_per_turn"] = self.prompt_tokens_per_turn
        figures["completion_tokens_per_turn"] = round(self.completion_tokens / self.turns, 1) if self.turns else None
        figures["latency_p50_ms"] = round(median(self.latency_ms), 1) if self.latency_ms else None
        figures["latency_max_ms"] = round(max(self.latency_ms), 1) if self.latency_ms else None
        return figures


def _add(into: dict[str, int], key: str, count: int = 1) -> None:
    into[key] = into.get(key, 0) + count


def loop_figures(turns: Iterable[TurnRecord]) -> LoopFigures:
    figures = LoopFigures()
    for turn in turns:
        if turn.action != "ask":
            continue
        figures.turns += 1
        figures.latency_ms.append(turn.latency_ms)
        figures.prompt_tokens += turn.tokens.get("prompt_tokens", 0)
        figures.completion_tokens += turn.tokens.get("completion_tokens", 0)
        stats = turn.diagnostics
        if stats is None:
            figures.tool_calls += len(turn.tool_calls)
            continue
        figures.tool_calls += stats.tool_calls
        figures.failed_calls += stats.failed_calls
        figures.repeated_calls += stats.repeated_calls
        figures.repeated_failing_calls += stats.repeated_failing_calls
        figures.executed_repeats += stats.executed_repeats
        figures.protocol_warnings += len(stats.protocol_warnings)
        for kind, count in stats.model_errors.items():
            _add(figures.model_errors, kind, count)
        if stats.stopped:
            _add(figures.stopped, stats.stopped)
    return figures


def case_loop(case: CaseResult) -> dict[str, Any]:
    return loop_figures(turn for trial in case.trials for turn in trial.turns).summary()


def run_loop(run: RunResult) -> dict[str, Any]:
    return loop_figures(turn for case in run.cases for trial in case.trials for turn in trial.turns).summary()
