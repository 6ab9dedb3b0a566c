"""The dealwise command line.

Every failure reaches the terminal as one line, ``error: what went wrong; what to do``, with exit
code 2 for a wrong command line or configuration and 1 for work that failed; ``--debug`` (or
``DEALWISE_DEBUG=1``) lets the traceback through instead. Commands that need the database create and
migrate it when it is missing.
"""

import logging
import sys
import traceback
from collections.abc import Sequence
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from adapters.cli import ask, calls, evals, imports, readiness, risk, users, worker
from adapters.cli.failures import FAILURE, USAGE, CommandError, as_command_error, one_line
from adapters.cli.runtime import cli_session, settings, shown_url, upgrade_database
from assistant.crm.settings import unknown_variables
from ingest.demo_org import DEMO_PASSWORD, DemoSize


class DealwiseGroup(TyperGroup):
    """The root command: turns whatever a command raises into one line and an exit code."""

    def invoke(self, ctx: typer.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (typer.TyperException, typer.Exit, typer.Abort, EOFError):
            raise
        except Exception as error:
            failure = as_command_error(error)
            if ctx.params.get("debug"):
                traceback.print_exc()
                raise typer.Exit(failure.exit_code) from error
            if failure is error:
                raise
            raise failure from error

    def main(  # type: ignore[override]
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        try:
            outcome = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
            code = outcome if isinstance(outcome, int) else 0
        except CommandError as error:
            typer.echo(f"error: {error.message}", err=True)
            code = error.exit_code
        except typer.TyperException as error:
            code = _report_usage(error)
        except typer.Abort:
            typer.echo("error: aborted", err=True)
            code = FAILURE
        if not standalone_mode:
            return code
        sys.exit(code)


def _report_usage(error: typer.TyperException) -> int:
    """A usage error (or another click error) as one line, with where to read the command's help."""
    context = getattr(error, "ctx", None)
    if type(error).__name__ == "NoArgsIsHelpError":
        if error.format_message().strip():
            typer.echo(error.format_message(), err=True)
        return USAGE
    hint = f"; see `{context.command_path} --help`" if context is not None else ""
    typer.echo(f"error: {one_line(error.format_message()).rstrip('.')}{hint}", err=True)
    return error.exit_code


class _LevelPrefix(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return f"{record.levelname.lower()}: {super().format(record)}"


app = typer.Typer(
    help="Dealwise: a conversational sales assistant over your CRM.",
    no_args_is_help=True,
    cls=DealwiseGroup,
    pretty_exceptions_enable=False,
)
db_app = typer.Typer(help="Database schema.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(users.app, name="users")
app.add_typer(imports.app, name="import")
app.add_typer(imports.rates_app, name="rates")
app.add_typer(risk.app, name="risk")
app.add_typer(evals.app, name="eval")
app.command("ask")(ask.ask)
app.command("transcribe")(calls.transcribe)
app.add_typer(calls.index_app, name="index")
app.command("worker")(worker.worker)


@app.callback()
def startup(
    debug: Annotated[
        bool, typer.Option("--debug", envvar="DEALWISE_DEBUG", help="show the traceback when a command fails")
    ] = False,
) -> None:
    """Report DEALWISE_ variables that no setting reads, and print warnings as one line each."""
    handler = logging.StreamHandler()
    handler.setFormatter(_LevelPrefix("%(message)s"))
    logging.basicConfig(level=logging.WARNING, handlers=[handler])
    unknown = unknown_variables()
    if unknown:
        names = ", ".join(unknown)
        typer.echo(
            f"warning: ignoring {names}: no Dealwise setting has "
            f"{'that name' if len(unknown) == 1 else 'these names'} (see Configuration in README.md)",
            err=True,
        )


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Create or migrate the schema to the latest version."""
    config = settings()
    upgrade_database(config)
    typer.echo(f"database {shown_url(config)} is at the latest schema")


@app.command()
def demo(
    size: Annotated[DemoSize, typer.Option(help="small ~60 accounts, medium ~5k, large ~50k")] = "small",
    seed: Annotated[int, typer.Option()] = 7,
    force: Annotated[bool, typer.Option(help="load even if the database already has users")] = False,
) -> None:
    """Load deterministic demo data relative to today."""
    from ingest.demo import generate, is_empty  # heavy: the demo's recorded calls load the call summariser

    config = settings()
    with cli_session(config) as session:
        if not is_empty(session) and not force:
            raise CommandError(
                "the database already has data; nothing loaded "
                "(point DEALWISE_DATABASE_URL or DEALWISE_DATA_DIR at a new database to load the demo there)"
            )
        summary = generate(session, size=size, seed=seed)
    typer.echo(", ".join(f"{count} {table}" for table, count in summary.counts.items()))


@app.command()
def serve(
    host: Annotated[str, typer.Option()] = "127.0.0.1",
    port: Annotated[int, typer.Option()] = 8000,
    demo_if_empty: Annotated[bool, typer.Option(help="load the small demo set into an empty database")] = False,
    workers: Annotated[int, typer.Option(min=1, help="server processes (each with its own assistant)")] = 1,
) -> None:
    """Run the web app (REST API, web chat, Slack events); it says "ready" once it accepts connections."""
    if readiness.port_in_use(host, port):
        raise CommandError(f"port {port} on {host} is already in use; stop what runs there or pass --port")
    typer.echo(f"Dealwise is starting on http://{host}:{port}/ … (web stack, database, models and name index first)")
    import uvicorn  # heavy, like the five below: the web stack loads for `serve` only

    from adapters.web.app import create_app
    from adapters.web.signin import demo_sign_in_lines
    from ingest.demo import generate, is_empty
    from ingest.indexing import build_retriever
    from ingest.jobs import queue_for

    config = settings()
    upgrade_database(config)
    with cli_session(config) as session:
        if demo_if_empty and is_empty(session):
            generate(session, size="small")
            typer.echo("loaded the small demo data set")
    if build_retriever(config).count() == 0:
        queue_for(config).submit("rebuild_index", {})
        typer.echo("building the semantic search index in the background (keyword search until it is ready)")
    with cli_session(config) as session:
        lines = demo_sign_in_lines(session, config, host, port)

    def ready() -> None:
        typer.echo(f"\nDealwise is ready at http://{host}:{port}/  (API docs: http://{host}:{port}/docs)")
        for line in lines:
            typer.echo(line)
        typer.echo(f"Demo users sign in with their email and the password {DEMO_PASSWORD!r}.\n")

    typer.echo("warming up the assistant (models and name index); the sign-in links follow when it is ready...")
    readiness.announce_when_ready(host, port, ready)
    if workers > 1:
        uvicorn.run("adapters.web.main:app", host=host, port=port, log_level="info", workers=workers)
        return
    web_app = create_app(config)
    _ = web_app.state.context.assistant
    uvicorn.run(web_app, host=host, port=port, log_level="info")


if __name__ == "__main__":
    app(prog_name="dealwise")
