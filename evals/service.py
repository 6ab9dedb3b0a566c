"""One evaluation run, end to end: load cases, run them, write report.json and report.html.

Used by the CLI (`dealwise eval run`) and the admin web page, so both produce the same reports.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from assistant.crm.settings import Settings
from evals.cases import CaseError, dataset_paths, load_datasets
from evals.report import build_report, load_baseline, write_report
from evals.runner import AssistantFactory, Brain, CaseResult, RunConfig, Runner

REPORT_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")


class EvalSetupError(ValueError):
    """The run cannot start: no cases, an LLM brain with no model configured, a bad baseline."""


@dataclass
class EvalOutcome:
    report: dict[str, Any]
    json_path: Path
    html_path: Path
    load_errors: list[CaseError]


def reports_dir(settings: Settings) -> Path:
    return settings.data_dir / "reports"


def new_report_name(brain: str) -> str:
    return f"{datetime.now(UTC).strftime('%Y%m%d-%H%M%S')}-{brain}"


def run_evaluation(
    settings: Settings,
    datasets: list[str] | None = None,
    brain: Brain = "offline",
    repeat: int = 1,
    report_dir: Path | None = None,
    baseline: Path | None = None,
    progress: Callable[[CaseResult], None] | None = None,
    on_start: Callable[[int], None] | None = None,
    factory: AssistantFactory | None = None,
    name: str | None = None,
) -> EvalOutcome:
    if repeat < 1:
        raise EvalSetupError("--repeat must be at least 1")
    if brain == "llm" and not (settings.llm_base_url and settings.llm_model):
        raise EvalSetupError("the llm brain needs DEALWISE_LLM_BASE_URL and DEALWISE_LLM_MODEL")
    baseline_report = load_baseline(baseline) if baseline else None
    loaded = load_datasets(dataset_paths(datasets))
    if not loaded.cases:
        problems = "; ".join(str(error) for error in loaded.errors) or "no datasets found"
        raise EvalSetupError(f"no case could be loaded: {problems}")
    name = name or new_report_name(brain)
    config = RunConfig(
        brain=brain,
        repeat=repeat,
        llm_base_url=settings.llm_base_url,
        llm_model=settings.llm_model,
        llm_api_key=settings.llm_api_key.get_secret_value() if settings.llm_api_key else None,
    )
    if on_start:
        on_start(len(loaded.cases))
    runner = Runner(config, factory)
    try:
        run = runner.run(loaded.cases, progress=progress, name=name)
    finally:
        runner.close()
    run.load_errors = loaded.errors
    report = build_report(run, baseline_report)
    directory = report_dir or reports_dir(settings) / name
    json_path, html_path = write_report(report, directory)
    return EvalOutcome(report, json_path, html_path, loaded.errors)
