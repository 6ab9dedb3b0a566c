"""dealwise transcribe FILE and dealwise index rebuild."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from sqlalchemy import select
from sqlalchemy.orm import Session

from adapters.cli.failures import CommandError, UsageProblem
from adapters.cli.runtime import cli_session, database_ready, settings, upgrade_database
from assistant.crm.clock import Clock
from assistant.crm.deps import Deps
from assistant.crm.errors import DealwiseError
from assistant.crm.models import Channel, Role, User
from assistant.crm.principal import principal_for
from assistant.crm.services.users import user_by_email
from assistant.crm.settings import Settings

if TYPE_CHECKING:
    from ingest.summarize import CallSummaryPublic
    from ingest.transcribe import SegmentProgress, TranscriptPublic

index_app = typer.Typer(help="The semantic search index over notes, emails and call transcripts.", no_args_is_help=True)
NOT_LINKED = (
    "Not linked to the CRM: there is no database yet "
    "(load one with `dealwise demo` or `dealwise import`, then pass --deal ID to file the call)."
)


def _user(session: Session, email: str | None) -> User:
    if email:
        user = user_by_email(session, email)
        if user is None:
            raise UsageProblem(f"no user with email {email}; list them with `dealwise users list`")
        return user
    admin = session.scalars(select(User).where(User.role == Role.admin).order_by(User.id)).first()
    if admin is None:
        raise UsageProblem(
            "no user to file the recording under: name one with --as EMAIL, or add an admin with "
            "`dealwise users add EMAIL --name NAME --role admin`"
        )
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
    """Transcribe and summarise a recording, and file it in the CRM when there is one.

    With a database the call is linked to the records it names and the activity to log is proposed;
    before there is one (and without --deal, --as or --log) nothing is stored.
    """
    config = settings()
    if deal is None and as_email is None and not log and not database_ready(config):
        _transcribe_only(config, file, as_json)
        return
    from tools.call_logging import apply_log_call, process_audio  # heavy: the speech model, for `transcribe` only

    with cli_session(config) as session:
        principal = principal_for(session, _user(session, as_email), Channel.cli)
        deps = Deps(principal, session, Clock(), config, None)
        with _progress(as_json) as advance:
            try:
                processed = process_audio(deps, file.read_bytes(), file.name, deal, on_progress=advance)
            except DealwiseError as error:
                session.commit()
                raise CommandError(str(error)) from error
        applied = apply_log_call(deps, processed.proposal.payload) if log and processed.proposal else None
    if as_json:
        typer.echo(json.dumps({**processed.model_dump(mode="json"), "logged": applied}, indent=2, default=str))
        return
    _print_call(processed.transcript, processed.summary, f"Call {processed.call.id}")
    if applied:
        typer.echo(f"\nLogged activity {applied['record_id']}.")
    elif processed.proposal:
        typer.echo(f"\nProposed: {processed.proposal.summary}\n(run with --log to log it)")
    else:
        typer.echo("\nNo account or deal recognised; pass --deal ID to link it.")


def _transcribe_only(config: Settings, file: Path, as_json: bool) -> None:
    """Transcript and summary of a recording, with no database: nothing is stored or linked."""
    from ingest.audio import AudioError, load_audio  # heavy: the speech and summary stacks, for `transcribe` only
    from ingest.summarize import summarize
    from ingest.transcribe import ModelUnavailableError, Transcriber

    try:
        decoded = load_audio(file, config.max_upload_bytes)
        with _progress(as_json) as advance:
            transcript = Transcriber(config.whisper_model, max_bytes=config.max_upload_bytes).transcribe(
                decoded, on_progress=advance
            )
    except AudioError as error:
        raise CommandError(f"{file.name}: {error}") from error
    except ModelUnavailableError as error:
        raise CommandError(f"{error}; check DEALWISE_WHISPER_MODEL") from error
    summary = summarize(transcript.text, config, competitors=config.competitors)
    if as_json:
        result = {"call": None, "transcript": transcript, "summary": summary, "proposal": None, "logged": None}
        typer.echo(json.dumps({key: _plain(value) for key, value in result.items()}, indent=2, default=str))
        return
    _print_call(transcript, summary, file.name)
    typer.echo(f"\n{NOT_LINKED}")


def _plain(value: Any) -> Any:
    return value.model_dump(mode="json") if hasattr(value, "model_dump") else value


def _print_call(transcript: TranscriptPublic, summary: CallSummaryPublic, title: str) -> None:
    typer.echo(f"\n{title}: {transcript.duration_s:.1f} s, {transcript.language}")
    typer.echo(f"\nTranscript:\n{transcript.text}\n\nSummary:\n{summary.summary}")
    for item in summary.action_items:
        typer.echo(f"- action: {item.what}" + (f" ({item.when})" if item.when else ""))


@contextmanager
def _progress(quiet: bool) -> Iterator[Callable[[SegmentProgress], None]]:
    """A progress bar over the recording's duration (none with --json, so stdout stays JSON)."""
    with typer.progressbar(length=1000, label="transcribing", file=_Null() if quiet else None) as bar:
        done = [0]

        def advance(progress: SegmentProgress) -> None:
            target = int(progress.fraction * 1000)
            bar.update(max(0, target - done[0]))
            done[0] = max(done[0], target)

        yield advance
        bar.update(1000 - done[0])


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
    upgrade_database(config)
    with typer.progressbar(length=1, label="indexing") as bar:
        seen = [0]

        def progress(done: int, total: int) -> None:
            bar.length = max(total, 1)
            bar.update(done - seen[0])
            seen[0] = done

        chunks = rebuild_index(config, progress=progress)
    typer.echo(f"indexed {seen[0]} records as {chunks} chunks")
