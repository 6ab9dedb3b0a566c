"""dealwise import salesforce|hubspot DIR, dealwise import csv FILE --object X --map mapping.yaml."""

from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from adapters.cli.runtime import settings, upgrade_database
from assistant.crm.db import session_factory
from assistant.crm.errors import DealwiseError
from ingest.imports import read_export, run_import
from ingest.imports.records import Export
from ingest.imports.runner import importing_user

app = typer.Typer(help="Import Salesforce and HubSpot exports, or any CSV file with a mapping.", no_args_is_help=True)

DryRun = Annotated[bool, typer.Option("--dry-run", help="show what would be created, updated, merged, rejected")]
AsUser = Annotated[str | None, typer.Option("--as", help="import as this user (default: the first admin)")]
ReportDir = Annotated[Path | None, typer.Option("--report", help="write report.json and rejected.csv here")]
ExportDir = Annotated[Path, typer.Argument(exists=True, file_okay=False, help="directory of the export's CSV files")]


@app.command("salesforce")
def salesforce(directory: ExportDir, dry_run: DryRun = False, as_user: AsUser = None, report: ReportDir = None) -> None:
    """Account, Contact, Lead, Opportunity, OpportunityHistory, Task, Event and User CSV files."""
    _run(lambda: read_export("salesforce", directory), dry_run, as_user, report)


@app.command("hubspot")
def hubspot(directory: ExportDir, dry_run: DryRun = False, as_user: AsUser = None, report: ReportDir = None) -> None:
    """Companies, contacts, deals and activities CSV exports."""
    _run(lambda: read_export("hubspot", directory), dry_run, as_user, report)


@app.command("csv")
def csv_file(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False)],
    object_name: Annotated[str, typer.Option("--object", help="accounts, contacts, leads, deals or activities")],
    mapping: Annotated[Path, typer.Option("--map", exists=True, dir_okay=False, help="YAML: dealwise field -> column")],
    dry_run: DryRun = False,
    as_user: AsUser = None,
    report: ReportDir = None,
) -> None:
    """One CSV file of one record kind, with a mapping file (see ingest/imports/generic.py)."""
    _run(lambda: read_export("csv", file, object_name, mapping), dry_run, as_user, report)


def _run(read: Callable[[], Export], dry_run: bool, as_user: str | None, report_dir: Path | None) -> None:
    config = settings()
    upgrade_database(config)
    try:
        export = read()
    except (OSError, ValueError) as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(2) from error
    session = session_factory(config)()
    try:
        actor = importing_user(session, as_user)
        columns = (TextColumn("{task.description:<14}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
        with Progress(*columns, transient=True, disable=export.total_rows < 2_000) as bar:
            tasks: dict[str, int] = {}

            def progress(kind: str, done: int, total: int) -> None:
                if kind not in tasks:
                    tasks[kind] = bar.add_task(kind, total=total)
                bar.update(tasks[kind], completed=done)

            result = run_import(session, export, actor, dry_run=dry_run, settings=config, progress=progress)
    except DealwiseError as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(2) from error
    finally:
        session.close()
    for line in result.summary_lines():
        typer.echo(line)
    for problem in result.rejected[:20]:
        typer.echo(f"  rejected {problem.file}:{problem.line} {problem.field}: {problem.reason}")
    if len(result.rejected) > 20:
        typer.echo(f"  ... {len(result.rejected) - 20} more rejections")
    if report_dir is not None:
        report_path, rejected_path = result.write(report_dir)
        typer.echo(f"report: {report_path}  rejected rows: {rejected_path}")
