"""The dealwise command line."""

from typing import Annotated

import typer

from adapters.cli import ask, calls, evals, imports, risk, users
from adapters.cli.runtime import cli_session, settings, upgrade_database
from ingest.demo import DEMO_PASSWORD, DemoSize, generate, is_empty

app = typer.Typer(help="Dealwise: a conversational sales assistant over your CRM.", no_args_is_help=True)
db_app = typer.Typer(help="Database schema.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(users.app, name="users")
app.add_typer(imports.app, name="import")
app.add_typer(risk.app, name="risk")
app.add_typer(evals.app, name="eval")
app.command("ask")(ask.ask)
app.command("transcribe")(calls.transcribe)
app.add_typer(calls.index_app, name="index")


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Create or migrate the schema to the latest version."""
    upgrade_database(settings())
    typer.echo("database is at the latest schema")


@app.command()
def demo(
    size: Annotated[DemoSize, typer.Option(help="small ~60 accounts, medium ~5k, large ~50k")] = "small",
    seed: Annotated[int, typer.Option()] = 7,
    force: Annotated[bool, typer.Option(help="load even if the database already has users")] = False,
) -> None:
    """Load deterministic demo data relative to today."""
    config = settings()
    upgrade_database(config)
    with cli_session(config) as session:
        if not is_empty(session) and not force:
            typer.echo("the database already has data; nothing loaded (use a fresh DEALWISE_DATABASE_URL)")
            raise typer.Exit(1)
        summary = generate(session, size=size, seed=seed)
    typer.echo(", ".join(f"{count} {table}" for table, count in summary.counts.items()))


@app.command()
def serve(
    host: Annotated[str, typer.Option()] = "127.0.0.1",
    port: Annotated[int, typer.Option()] = 8000,
    demo_if_empty: Annotated[bool, typer.Option(help="load the small demo set into an empty database")] = False,
    workers: Annotated[int, typer.Option(min=1, help="server processes (each with its own assistant)")] = 1,
) -> None:
    """Run the web app (REST API, web chat, Slack events)."""
    import uvicorn  # heavy, like the four below: the web stack loads for `serve` only

    from adapters.web.app import create_app
    from adapters.web.signin import demo_sign_in_lines
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
    typer.echo(f"\nDealwise is running at http://{host}:{port}/  (API docs: http://{host}:{port}/docs)")
    for line in lines:
        typer.echo(line)
    typer.echo(f"Demo users sign in with their email and the password {DEMO_PASSWORD!r}.\n")
    typer.echo("warming up the assistant (models and name index)...")
    if workers > 1:
        uvicorn.run("adapters.web.main:app", host=host, port=port, log_level="info", workers=workers)
        return
    web_app = create_app(config)
    _ = web_app.state.context.assistant
    uvicorn.run(web_app, host=host, port=port, log_level="info")


if __name__ == "__main__":
    app()
