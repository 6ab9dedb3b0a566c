"""dealwise ask --as EMAIL "question" [--thread ID] [--json]: one turn with the assistant."""

from typing import Annotated

import typer

from adapters.cli.failures import UsageProblem
from adapters.cli.runtime import cli_session, settings
from assistant.crm.clock import Clock
from assistant.crm.db import session_factory
from assistant.crm.models import Channel
from assistant.crm.principal import principal_for
from assistant.crm.services.users import user_by_email


def ask(
    question: Annotated[str, typer.Argument(help="what to ask, in plain words")],
    as_email: Annotated[str, typer.Option("--as", help="the user asking (email)")],
    thread: Annotated[str | None, typer.Option("--thread", help="continue this thread id")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print the full ChatResponse as JSON")] = False,
) -> None:
    """Ask the assistant a question as a user; writes wait for `--thread ID "yes"` to confirm."""
    config = settings()
    with cli_session(config) as session:
        user = user_by_email(session, as_email)
        if user is None or not user.is_active:
            raise UsageProblem(
                f"no active user with email {as_email!r}; list them with `dealwise users list` "
                "(the demo users come with `dealwise demo`)"
            )
        principal = principal_for(session, user, Channel.cli)
    from assistant.agent.brains.factory import build_assistant  # heavy: models and the index load for `ask` only

    assistant = build_assistant(config, session_factory(config), Clock())
    response = assistant.ask(principal, question, thread)
    if as_json:
        typer.echo(response.model_dump_json(indent=2))
        return
    typer.echo(response.answer)
    if response.pending_action is not None:
        typer.echo(f'\nTo apply it: dealwise ask --as {as_email} --thread {response.thread_id} "yes"')
    else:
        typer.echo(f"\n(thread {response.thread_id})")
