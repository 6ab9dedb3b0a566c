"""dealwise import salesforce|hubspot DIR [--map M.yaml], dealwise import csv FILE|DIR --map M.yaml [--object X].

The exchange-rate commands (adapters.cli.rates) are registered through ``rates_app``."""

from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from adapters.cli.rates import app as rates_app
from adapters.cli.runtime import settings, upgrade_database
from assistant.crm.db import session_factory
from assistant.crm.errors import DealwiseError
from ingest.imports import read_export, run_import
from ingest.imports.records import Export
from ingest.imports.runner import importing_user

__all__ = ["app", "rates_app"]

app = typer.Typer(
    help="Import Salesforce and HubSpot exports, or any CSV files with a mapping; see README 'Bring your CRM'.",
    no_args_is_help=True,
)

DryRun = Annotated[bool, typer.Option("--dry-run", help="show what would be created, updated, merged, rejected")]
AsUser = Annotated[str | None, typer.Option("--as", help="import as this user (default: the first admin)")]
ReportDir = Annotated[Path | None, typer.Option("--report", help="write report.json and rejected.csv here")]
ExportDir = Annotated[Path, typer.Argument(exists=True, file_okay=False, help="directory of the export's CSV files")]
Mapping = Annotated[
    Path | None,
    typer.Option("--map", exists=True, dir_okay=False, help="YAML: stages, owners, fields, currency, locale, dates"),
]
SHOWN_REJECTIONS = 20
BAR_FROM_ROWS = 2_000


@app.command("salesforce")
def salesforce(
    directory: ExportDir,
    dry_run: DryRun = False,
    as_user: AsUser = None,
    report: ReportDir = None,
    mapping: Mapping = None,
) -> None:
    """Account, Contact, Lead, Opportunity, OpportunityHistory, Task, Event and User CSV files."""
    _run(lambda: read_export("salesforce", directory, mapping=mapping), dry_run, as_user, report)


@app.command("hubspot")
def hubspot(
    directory: ExportDir,
    dry_run: DryRun = False,
    as_user: AsUser = None,
    report: ReportDir = None,
    mapping: Mapping = None,
) -> None:
    """Companies, contacts, deals, engagements, owners and association CSV files, known by their header rows."""
    _run(lambda: read_export("hubspot", directory, mapping=mapping), dry_run, as_user, report)


@app.command("csv")
def csv_files(
    path: Annotated[Path, typer.Argument(exists=True, help="a CSV file, or a directory the mapping's files: names")],
    mapping: Annotated[Path, typer.Option("--map", exists=True, dir_okay=False, help="YAML: field -> column")],
    object_name: Annotated[
        str | None, typer.Option("--object", help="for one file: accounts, contacts, leads, deals or activities")
    ] = None,
    dry_run: DryRun = False,
    as_user: AsUser = None,
    report: ReportDir = None,
) -> None:
    """CSV files of any system, with a mapping file (see ingest/imports/generic.py)."""
    _run(lambda: read_export("csv", path, object_name, mapping), dry_run, as_user, report)


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
        columns = (TextColumn("{task.description:<16}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
        with Progress(*columns, transient=True, disable=export.total_rows < BAR_FROM_ROWS) as bar:
            tasks: dict[str, int] = {}

            def progress(kind: str, done: int, total: int) -> None:
                if kind not in tasks:
                    tasks[kind] = bar.add_task(kind, total=total)
                bar.update(tasks[kind], completed=done)

            result = run_import(
                session, export, actor, dry_run=dry_run, settings=config, progress=progress,
                index_progress=lambda done, total: progress("search index", done, total),
            )  # fmt: skip
    except DealwiseError as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(2) from error
    finally:
        session.close()
    for line in result.summary_lines():
        typer.echo(line)
    for problem in result.rejected[:SHOWN_REJECTIONS]:
        typer.echo(f"  rejected {problem.file}:{problem.line} {problem.field}: {problem.reason}")
    if len(result.rejected) > SHOWN_REJECTIONS:
        typer.echo(f"  ... {len(result.rejected) - SHOWN_REJECTIONS} more rejections (see --report)")
    if report_dir is not None:
        report_path, rejected_path = result.write(report_dir)
        typer.echo(f"report: {report_path}  rejected rows: {rejected_path}")
