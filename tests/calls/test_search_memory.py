"""Semantic memory through the real embedder and Chroma: a rep only ever gets their own records back."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy.orm import Session

from assistant.crm.deps import Deps
from assistant.crm.models import Activity, CallRecording
from assistant.crm.settings import Settings
from ingest.indexing import build_retriever, index_records
from tests import support
from tests.support import ALICE, BOB
from tools.search import SearchNotesInput, search_notes

ALICE_DEAL, BOB_DEAL = 29, 4
QUERY = "SOC 2 Type II audit report and EU data residency for the security review"


def _note(db: Session, author_email: str, deal_id: int, subject: str, body: str) -> Activity:
    author = support.principal(db, author_email, "api")  # type: ignore[arg-type]
    activity = Activity(
        type="note", subject=subject, body=body, occurred_at=support.NOW, deal_id=deal_id, author_id=author.user_id
    )
    db.add(activity)
    db.flush()
    return activity


def test_search_returns_only_the_askers_records(db: Session, settings: Settings, deps_for: Callable[..., Deps]) -> None:
    mine = _note(db, ALICE, ALICE_DEAL, "Pricing call", "They asked for a volume discount on 200 seats.")
    theirs = _note(
        db, BOB, BOB_DEAL, "Security review", "Their CISO needs our SOC 2 Type II audit report and EU data residency."
    )
    bob = support.principal(db, BOB, "api")  # type: ignore[arg-type]
    call = CallRecording(
        owner_id=bob.user_id,
        deal_id=BOB_DEAL,
        audio_path="/dev/null",
        filename="bob-call.wav",
        transcript="The security team asked again about the SOC 2 Type II report and EU data residency.",
        segments=[],
        summary={},
        status="transcribed",
        created_at=support.NOW,
    )
    db.add(call)
    db.commit()
    assert index_records(settings, "activity", [mine.id, theirs.id]) == 2
    assert index_records(settings, "call", [call.id]) == 1
    retriever = build_retriever(settings)

    as_bob = search_notes(deps_for(BOB, retriever), SearchNotesInput(query=QUERY, limit=5))
    assert {(h.record_type, h.record_id) for h in as_bob.hits[:2]} == {("activity", theirs.id), ("call", call.id)}

    as_alice = search_notes(deps_for(ALICE, retriever), SearchNotesInput(query=QUERY, limit=5))
    assert as_alice.mode == "semantic"
    assert [(h.record_type, h.record_id) for h in as_alice.hits] == [("activity", mine.id)]
