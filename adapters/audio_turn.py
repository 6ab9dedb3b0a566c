"""An audio clip from any channel -> transcript, summary and a proposed call activity waiting for confirmation."""

import logging
from typing import Any

from adapters.proposals import present_proposal
from assistant.crm.db import session_scope
from assistant.crm.deps import Deps
from assistant.crm.errors import DealwiseError
from assistant.crm.principal import Principal
from assistant.crm.schemas.chat import ChatResponse, RecordRef
from tools.call_logging import process_audio

log = logging.getLogger(__name__)

NO_RECORD = (
    "I could not tell which deal or account this is about, so nothing is proposed. "
    "Say the account or deal name in the recording, or log it from the web app with the deal chosen."
)
POINTS_MAX = 5
TRANSCRIPT_CHARS = 1500


def _summary_lines(summary: Any) -> list[str]:
    lines = [str(getattr(summary, "summary", "") or "")]
    for label, items in (("Action items", "action_items"), ("Next steps", "next_steps")):
        quotes = [str(getattr(item, "quote", item)) for item in (getattr(summary, items, None) or [])[:POINTS_MAX]]
        if quotes:
            lines += [f"{label}:", *(f"- {quote}" for quote in quotes)]
    return [line for line in lines if line]


def audio_turn(
    context: Any, principal: Principal, data: bytes, filename: str, external_ref: str, deal_id: int | None = None
) -> ChatResponse:
    """Transcribe and summarise `data`; the logged call waits in the thread for the person's confirmation.

    With `deal_id` the call is logged on that deal; without, on the records the transcript names."""
    assistant = context.assistant
    failure: DealwiseError | None = None
    with session_scope(context.sessions) as session:
        deps = Deps(principal, session, context.clock, context.settings, getattr(assistant, "retriever", None))
        try:
            processed = process_audio(deps, data, filename, deal_id)
        except DealwiseError as exc:
            failure = exc
    if failure is not None:
        return ChatResponse(answer=f"I could not process {filename}: {failure}", thread_id="")
    lines = [f"I transcribed {filename}.", *_summary_lines(processed.summary)]
    lines.append(f"Transcript: {processed.transcript.text[:TRANSCRIPT_CHARS]}")
    call = RecordRef(type="call", id=processed.call.id, name=filename)
    if processed.proposal is None:
        return ChatResponse(answer="\n".join([*lines, NO_RECORD]), thread_id="", records=[call])
    lines.append(f"Shall I log it? {processed.proposal.summary}")
    request = f"(audio clip {filename})"
    return present_proposal(assistant, principal, request, "\n".join(lines), processed.proposal, external_ref)
