"""Recorded calls for the demo: transcripts (no audio) with extractive summaries, on the first accounts' deals."""

import random
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from assistant.crm.models import Activity, CallRecording, Contact, Deal
from ingest import demo_text as text
from ingest.embeddings import LocalEmbedder
from ingest.summarize import split_sentences, summarize_extractive

DEMO_CALLS = 16
WORDS_PER_SECOND = 2.5


def _segments(transcript: str) -> list[dict[str, float | str]]:
    segments, start = [], 0.0
    for sentence in split_sentences(transcript):
        end = start + len(sentence.split()) / WORDS_PER_SECOND
        segments.append({"start": round(start, 2), "end": round(end, 2), "text": sentence})
        start = end
    return segments


def add_demo_calls(session: Session, rng: random.Random, now: datetime, limit: int = DEMO_CALLS) -> int:
    """One recorded call on the latest deal with a logged call, for each of the first accounts."""
    embedder = LocalEmbedder()
    created = 0
    for account_id in range(1, limit + 1):
        call = session.scalars(
            select(Activity)
            .where(Activity.account_id == account_id, Activity.type == "call", Activity.deal_id.is_not(None))
            .order_by(Activity.occurred_at.desc())
        ).first()
        if call is None:
            continue
        deal = session.get(Deal, call.deal_id)
        contact = session.get(Contact, call.contact_id) if call.contact_id else None
        seats = rng.choice([50, 80, 120, 200])
        price = rng.choice([90, 120, 150])
        transcript = rng.choice(text.CALL_TRANSCRIPTS).format(
            contact=contact.name if contact else "the customer",
            competitor=rng.choice(text.COMPETITORS),
            seats=seats,
            price=price,
            total=f"{seats * price:,}",
            budget=f"{rng.choice([40, 60, 90]) * 1000:,}",
        )
        segments = _segments(transcript)
        summary = summarize_extractive(transcript, embedder=embedder, competitors=list(text.COMPETITORS))
        session.add(
            CallRecording(
                owner_id=deal.owner_id,
                activity_id=call.id,
                deal_id=deal.id,
                account_id=account_id,
                audio_path="",
                filename=f"demo-call-{call.id}.wav",
                duration_s=float(segments[-1]["end"]) if segments else 0.0,
                language="en",
                transcript=transcript,
                segments=segments,
                summary=summary.model_dump(),
                status="logged",
                created_at=min(call.occurred_at, now - timedelta(hours=1)),
            )
        )
        created += 1
    session.flush()
    return created
