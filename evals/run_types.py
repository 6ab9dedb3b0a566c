"""What an eval run is configured with and what it records: turns, trials, cases, the run."""

from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field

from assistant.crm.schemas.chat import BrainDiagnostics
from evals.cases import CaseError
from evals.checks import Check

Brain = Literal["offline", "llm"]


@dataclass
class RunConfig:
    brain: Brain = "offline"
    repeat: int = 1
    seed: int = 7
    size: str = "small"
    now: datetime = datetime(2026, 11, 20, 9, 0)
    llm_base_url: str | None = None
    llm_model: str | None = None
    llm_api_key: str | None = None
    workdir: Path | None = None
    template: Path | None = None
    """an already built demo database to copy (built once per run when unset)"""
    extra_settings: dict[str, Any] = field(default_factory=dict)

    @property
    def today(self) -> date:
        return self.now.date()


class TurnRecord(BaseModel):
    action: str
    message: str = ""
    answer: str = ""
    tool_calls: list[dict[str, Any]] = []
    records: list[dict[str, Any]] = []
    pending_action: dict[str, Any] | None = None
    grounded: bool = True
    latency_ms: float = 0.0
    checks: list[Check] = []
    tokens: dict[str, int] = {}
    diagnostics: BrainDiagnostics | None = None
    """the LLM brain's loop figures for this turn (repeats, protocol warnings, model errors)"""


class Trial(BaseModel):
    passed: bool
    turns: list[TurnRecord] = []
    checks: list[Check] = []
    error: str | None = None
    tokens: dict[str, int] = {}


class CaseResult(BaseModel):
    id: str
    category: str
    dataset: str
    source: str
    user: str
    channel: str
    description: str = ""
    tags: list[str] = []
    trials: list[Trial] = []

    @property
    def passed(self) -> bool:
        return bool(self.trials) and all(trial.passed for trial in self.trials)

    def reasons(self) -> list[str]:
        seen: list[str] = []
        for trial in self.trials:
            for reason in ([trial.error] if trial.error else []) + [
                f"{check.kind}: {check.detail}" for check in trial.checks if not check.passed
            ]:
                if reason not in seen:
                    seen.append(reason)
        return seen


class RunResult(BaseModel):
    name: str
    created_at: str
    brain: str
    model: str | None = None
    datasets: list[str] = []
    repeat: int = 1
    seed: int = 7
    now: str = ""
    cases: list[CaseResult] = []
    load_errors: list[CaseError] = []
    duration_s: float = 0.0
    tokens: dict[str, int] = Field(default_factory=dict)
