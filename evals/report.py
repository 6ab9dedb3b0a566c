"""report.json (everything, machine-readable) and report.html (self-contained: inline CSS and SVG, no scripts)."""

import json
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape

from evals.cases import group_of
from evals.charts import category_bars, latency_histogram
from evals.loop_figures import case_loop, run_loop
from evals.metrics import case_metrics, estimated_cost, summarise, summarise_groups
from evals.runner import RunResult

REPORT_FORMAT = "dealwise-eval-report/1"
TEMPLATES = Path(__file__).parent / "templates"


class BaselineError(ValueError):
    """A --baseline file that is not a report this code wrote."""


def build_report(
    run: RunResult, baseline: dict[str, Any] | None = None, prices: tuple[float, float] | None = None
) -> dict[str, Any]:
    overall, categories = summarise(run)
    groups = summarise_groups(run)
    cases = []
    for case in run.cases:
        metrics = case_metrics(case)
        cases.append(
            {
                "id": case.id,
                "category": case.category,
                "dataset": case.dataset,
                "group": group_of(case.dataset),
                "source": case.source,
                "user": case.user,
                "channel": case.channel,
                "description": case.description,
                "tags": case.tags,
                "passed": case.passed,
                "reasons": case.reasons(),
                "metrics": metrics.model_dump(exclude={"latencies_ms"}),
                "loop": case_loop(case),
                "trials": [trial.model_dump() for trial in case.trials],
            }
        )
    report: dict[str, Any] = {
        "format": REPORT_FORMAT,
        "name": run.name,
        "created_at": run.created_at,
        "brain": run.brain,
        "model": run.model,
        "datasets": run.datasets,
        "repeat": run.repeat,
        "seed": run.seed,
        "now": run.now,
        "duration_s": run.duration_s,
        "tokens": run.tokens,
        "cost_usd": estimated_cost(run.tokens, prices),
        "summary": overall.model_dump(),
        "loop": run_loop(run),
        "groups": {name: metrics.model_dump() for name, metrics in groups.items()},
        "categories": {name: metrics.model_dump() for name, metrics in categories.items()},
        "cases": cases,
        "latencies_ms": [turn.latency_ms for case in run.cases for trial in case.trials for turn in trial.turns],
        "load_errors": [error.model_dump() for error in run.load_errors],
        "baseline": None,
    }
    if baseline:
        report["baseline"] = compare(report, baseline)
    return report


def load_baseline(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as error:
        raise BaselineError(f"{path}: cannot read a report: {error}") from error
    if not isinstance(data, dict) or data.get("format") != REPORT_FORMAT:
        raise BaselineError(f"{path}: not a Dealwise evaluation report (expected format {REPORT_FORMAT!r})")
    return data


def compare(report: dict[str, Any], baseline: dict[str, Any]) -> dict[str, Any]:
    """What changed against a previous report: pass rates overall and per category, and which cases flipped."""
    summary = report["summary"]
    before = {case["id"]: case for case in baseline.get("cases", [])}
    now = {case["id"]: case for case in report["cases"]}
    newly_failing = sorted(i for i, case in now.items() if not case["passed"] and before.get(i, {}).get("passed"))
    newly_passing = sorted(i for i, case in now.items() if case["passed"] and i in before and not before[i]["passed"])
    base_categories = baseline.get("categories", {})
    per_category = {}
    for name, metrics in report["categories"].items():
        current = metrics["pass_rate"]
        previous = base_categories.get(name, {}).get("pass_rate")
        per_category[name] = {
            "pass_rate": current,
            "baseline": previous,
            "delta": None if previous is None else round(current - previous, 4),
        }
    base_groups = baseline.get("groups", {})
    per_group = {}
    for name, metrics in report.get("groups", {}).items():
        previous = base_groups.get(name, {})
        per_group[name] = {
            "pass_rate": metrics["pass_rate"],
            "baseline": previous.get("pass_rate"),
            "delta": None
            if previous.get("pass_rate") is None
            else round(metrics["pass_rate"] - previous["pass_rate"], 4),
            "different_question": metrics["different_question"]["value"],
            "baseline_different_question": (previous.get("different_question") or {}).get("value"),
        }
    base_summary = baseline.get("summary", {})
    return {
        "name": baseline.get("name"),
        "brain": baseline.get("brain"),
        "model": baseline.get("model"),
        "created_at": baseline.get("created_at"),
        "pass_rate": base_summary.get("pass_rate"),
        "delta": round(summary["pass_rate"] - base_summary.get("pass_rate", 0.0), 4),
        "latency_p50_ms": base_summary.get("latency_p50_ms"),
        "latency_p95_ms": base_summary.get("latency_p95_ms"),
        "categories": per_category,
        "groups": per_group,
        "newly_failing": newly_failing,
        "newly_passing": newly_passing,
        "added": sorted(set(now) - set(before)),
        "removed": sorted(set(before) - set(now)),
    }


def render_html(report: dict[str, Any]) -> str:
    environment = Environment(
        loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html", "j2"]), trim_blocks=True
    )
    baseline = report.get("baseline") or {}
    rows = [
        (name, metrics["pass_rate"], (baseline.get("categories", {}).get(name) or {}).get("baseline"))
        for name, metrics in report["categories"].items()
    ]
    failures = [case for case in report["cases"] if not case["passed"]]
    return environment.get_template("report.html.j2").render(
        report=report,
        summary=report["summary"],
        bars=category_bars(rows),
        histogram=latency_histogram(report["latencies_ms"]),
        failures=failures,
        baseline=report.get("baseline"),
    )


def write_report(report: dict[str, Any], directory: Path) -> tuple[Path, Path]:
    directory.mkdir(parents=True, exist_ok=True)
    json_path, html_path = directory / "report.json", directory / "report.html"
    json_path.write_text(json.dumps(report, indent=1, default=str), encoding="utf-8")
    html_path.write_text(render_html(report), encoding="utf-8")
    return json_path, html_path
