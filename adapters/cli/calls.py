"""dealwise transcribe FILE and dealwise index rebuild."""

import json
from pathlib import Path
from typing import Annotated

import typer
from sqlalchemy import select

from adapters.cli.runtime import cli_session, settings
from assistant.crm.clock import Clock
from assistant.crm.deps import Deps
from assistant.crm.errors import DealwiseError
from assistant.crm.models import Channel, Role, User
from assistant.crm.principal import principal_for
from assistant.crm.services.users import user_by_email
from ingest.transcribe import SegmentProgress

index_app = typer.Typer(help="The semantic search index over notes, emails and call transcripts.", no_args_is_help=True)


def _user(session, email: str | None) -> User:  # type: ignore[no-untyped-def]
    if email:
        user = user_by_email(session, email)
        if user is None:
            typer.echo(f"error: no user with email {email}", err=True)
            raise typer.Exit(2)
        return user
    admin = session.scalars(select(User).where(User.role == Role.admin).order_by(User.id)).first()
    if admin is None:
        typer.echo("error: name the person with --as EMAIL", err=True)
        raise typer.Exit(2)
    return admin


def transcribe(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="wav, mp3, m4a, ogg/opus, webm or flac")],
    deal: Annotated[int | None, typer.Option("--deal", help="the deal it is about")] = None,
    as_email: Annotated[
        str | None, typer.Option("--as", help="whose recording it is (default: the first admin)")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print the result as JSON")] = False,
    log: Annotated[bool, typer.Option("--log", help="log the proposed activity now, without asking")] = False,
) -> None:
    """Transcribe and summarise a recording, link it to the CRM and propose the activity to log."""
    from tools.call_logging import apply_log_call, process_audio  # heavy: the speech model, for `transcribe` only

    config = settings()
    with cli_session(config) as session:
        principal = principal_for(session, _user(session, as_email), Channel.cli)
        deps = Deps(principal, session, Clock(), config, None)
        with typer.progressbar(length=1000, label="transcribing", file=None if not as_json else _Null()) as bar:
            done = [0]

            def advance(progress: SegmentProgress) -> None:
                target = int(progress.fraction * 1000)
                bar.update(max(0, target - done[0]))
                done[0] = max(done[0], target)

            try:
                processed = process_audio(deps, file.read_bytes(), file.name, deal, on_progress=advance)
            except DealwiseError as error:
                session.commit()
                typer.echo(f"error: {error}", err=True)
                raise typer.Exit(1) from error
            bar.update(1000 - done[0])
        applied = apply_log_call(deps, processed.proposal.payload) if log and processed.proposal else None
    if as_json:
        typer.echo(json.dumps({**processed.model_dump(mode="json"), "logged": applied}, indent=2, default=str))
        return
    summary = processed.summary
    typer.echo(f"\nCall {processed.call.id}: {processed.transcript.duration_s:.1f} s, {processed.transcript.language}")
    typer.echo(f"\nTranscript:\n{processed.transcript.text}\n\nSummary:\n{summary.summary}")
    for item in summary.action_items:
        typer.echo(f"- action: {item.what}" + (f" ({item.when})" if item.when else ""))
    if applied:
        typer.echo(f"\nLogged activity {applied['record_id']}.")
    elif processed.proposal:
        typer.echo(f"\nProposed: {processed.proposal.summary}\n(run with --log to log it)")
    else:
        typer.echo("\nNo account or deal recognised; pass --deal ID to link it.")


class _Null:
    def write(self, _text: str) -> int:
        return 0

    def flush(self) -> None:
        return None


@index_app.command("rebuild")
def rebuild() -> None:
    """Drop the index and index every note, email and call transcript again."""
    from ingest.indexing import rebuild_index  # heavy: the embedder and Chroma, for `index rebuild` only

    config = settings()
    with typer.progressbar(length=1, label="indexing") as bar:
        seen = [0]

        def progress(done: int, total: int) -> None:
            bar.length = max(total, 1)
            bar.update(done - seen[0])
            seen[0] = done

        chunks = rebuild_index(config, progress=progress)
    typer.echo(f"indexed {seen[0]} records as {chunks} chunks")
