"""`dealwise eval run` and `dealwise eval list`: run evaluation datasets against the assistant and write an
HTML + JSON report; list the datasets there are. Neither touches the CRM database (each case gets its own)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Literal

import typer

from adapters.cli.failures import UsageProblem
from adapters.cli.runtime import settings

if TYPE_CHECKING:
    from evals.runner import CaseResult

app = typer.Typer(help="Evaluate the assistant on YAML cases and write reports.", no_args_is_help=True)


@app.command("list")
def list_datasets() -> None:
    """One dataset a line: the name `eval run` takes, learned or held-out, cases, and categories."""
    from evals.cases import dataset_name, dataset_paths, group_of, load_file  # heavy: the eval stack, for `eval`

    for path in dataset_paths():
        loaded = load_file(path)
        categories = sorted({case.category for case in loaded.cases})
        broken = f", {len(loaded.errors)} broken" if loaded.errors else ""
        name = dataset_name(path)
        typer.echo(f"{name}\t{group_of(name)}\t{len(loaded.cases)} cases{broken}\t{' '.join(categories)}")


@app.command("run")
def run(
    datasets: Annotated[
        list[str] | None,
        typer.Argument(help="dataset names (see `dealwise eval list`) or YAML paths; all if none"),
    ] = None,
    brain: Annotated[str, typer.Option(help="offline (rules, no model) or llm (DEALWISE_LLM_*)")] = "offline",
    repeat: Annotated[int, typer.Option(min=1, help="trials per case; a case passes only if all pass (pass^k)")] = 1,
    report: Annotated[Path | None, typer.Option(help="directory for report.json and report.html")] = None,
    baseline: Annotated[Path | None, typer.Option(help="an earlier report.json to compare with")] = None,
) -> None:
    """Run cases, each on a fresh copy of the demo database with a fixed clock, and write the report."""
    from evals.cases import CATEGORIES  # heavy: the eval runner and the agent stack, for `eval run` only
    from evals.report import BaselineError
    from evals.service import EvalSetupError, run_evaluation

    if brain not in ("offline", "llm"):
        raise typer.BadParameter("must be offline or llm", param_hint="--brain")
    chosen: Literal["offline", "llm"] = "llm" if brain == "llm" else "offline"
    config = settings()
    bar: dict[str, object] = {}

    def start(total: int) -> None:
        bar["bar"] = typer.progressbar(length=total, label="evaluating", show_pos=True).__enter__()

    def advance(case: CaseResult) -> None:
        progress_bar = bar.get("bar")
        if progress_bar is not None:
            progress_bar.update(1)  # type: ignore[attr-defined]

    try:
        outcome = run_evaluation(config, datasets, chosen, repeat, report, baseline, progress=advance, on_start=start)
    except (EvalSetupError, BaselineError) as error:
        raise UsageProblem(str(error)) from error
    finally:
        if "bar" in bar:
            bar["bar"].__exit__(None, None, None)  # type: ignore[attr-defined]
    for error in outcome.load_errors:
        typer.echo(f"skipped: {error}", err=True)
    summary = outcome.report["summary"]
    typer.echo(f"\n{summary['passed']}/{summary['cases']} cases passed ({summary['pass_rate']:.1%})")
    order = {name: index for index, name in enumerate(CATEGORIES)}
    for name, metrics in sorted(outcome.report["categories"].items(), key=lambda item: order.get(item[0], 99)):
        typer.echo(f"  {name:<14} {metrics['passed']:>3}/{metrics['cases']:<3} {metrics['pass_rate']:.1%}")
    if outcome.report.get("baseline"):
        delta = outcome.report["baseline"]
        typer.echo(
            f"vs baseline {delta['name']}: {delta['delta'] * 100:+.1f} pts; newly failing {delta['newly_failing']}"
        )
    typer.echo(f"report: {outcome.html_path}\n        {outcome.json_path}")
