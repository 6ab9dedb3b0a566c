"""Follow-up drafts, note search (semantic through the real index, and keyword fallback), injected text."""

import hashlib
from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import func, select

from assistant.crm.errors import ValidationFailed
from assistant.crm.models import Activity, AuditEntry, Contact, Deal, Stage
from ingest.demo_text import INJECTION_NOTE
from ingest.note_chunks import record_chunks
from ingest.vector_store import NoteIndex
from tests.support import ADMIN, ALICE, BOB
from tests.tools.scope import user_id, visible_for
from tools.email import load_template
from tools.registry import get_tool


def run(deps, name: str, **args):
    return get_tool(name).run(deps, args)


class BagOfWords:
    """A deterministic stand-in for the ONNX embedder: hashed word counts, L2-normalised."""

    def embed_array(self, texts: list[str]) -> np.ndarray:
        vectors = np.zeros((len(texts), 384), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in text.lower().split():
                vectors[row, int(hashlib.md5(word.strip(".,:").encode()).hexdigest(), 16) % 384] += 1.0
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return vectors / np.where(norms == 0, 1, norms)


def snapshot(db) -> tuple:
    deals = tuple(db.execute(select(Deal.id, Deal.stage_id, Deal.amount).order_by(Deal.id)).all())
    return (
        deals,
        db.scalar(select(func.count()).select_from(Activity)),
        db.scalar(select(func.count()).select_from(AuditEntry)),
    )


def test_draft_goes_to_the_last_interaction_and_quotes_no_notes(db, deps_for):
    query = select(Deal).join(Stage, Stage.id == Deal.stage_id).where(Stage.name == "Proposal")
    deal = db.scalars(query.where(Deal.owner_id == user_id(db, ALICE), Deal.next_step.is_not(None))).first()
    last = db.scalars(
        select(Activity)
        .where(Activity.deal_id == deal.id, Activity.type.in_(["call", "meeting", "email"]))
        .order_by(Activity.occurred_at.desc())
    ).first()
    before = snapshot(db)
    draft = run(deps_for(ALICE), "draft_followup_email", deal_id=deal.id, purpose="Ask for a decision date")
    contact = last.contact
    assert (draft.to, draft.to_name) == (contact.email, contact.name)
    assert draft.body.startswith(f"Hi {contact.first_name},")
    assert draft.based_on.activity_id == last.id and draft.based_on.type == last.type
    assert f"{last.occurred_at.day} {last.occurred_at:%B}" in draft.body
    assert last.body.split(".")[0] not in draft.body
    assert "I also wanted to ask for a decision date." in draft.body
    assert draft.body.rstrip().endswith("Rita Lopez")
    assert draft.sent is False
    assert {("deal", deal.id), ("contact", contact.id), ("activity", last.id)} <= {
        (r.type, r.id) for r in draft.records
    }
    assert snapshot(db) == before


def test_draft_rejects_a_contact_from_another_account(db, deps_for):
    deal = db.scalars(select(Deal).where(Deal.owner_id == user_id(db, ALICE))).first()
    stranger = db.scalars(
        select(Contact).where(Contact.account_id != deal.account_id, Contact.owner_id == deal.owner_id)
    ).first()
    with pytest.raises(ValidationFailed, match="another account"):
        run(deps_for(ALICE), "draft_followup_email", deal_id=deal.id, contact_id=stranger.id)


def test_template_lives_in_prompts():
    subject, body = load_template()
    assert "$deal_name" in subject.template or "$subject" in subject.template
    assert "$first_name" in body.template
    assert Path("prompts/email_followup.md").exists()


def test_keyword_search_finds_visible_notes_only(db, deps_for):
    visible = visible_for(db, {user_id(db, ALICE)})
    result = run(deps_for(ALICE), "search_notes", query="security review", limit=20)
    assert result.mode == "keyword" and result.hits
    for hit in result.hits:
        assert hit.record_id in visible.activities
        body = db.get(Activity, hit.record_id).body.lower()
        assert "security" in body or "review" in body


def test_injected_instructions_come_back_quoted_and_change_nothing(db, deps_for):
    before = snapshot(db)
    deps = deps_for(ALICE)
    found = run(deps, "search_notes", query="ignore previous instructions closed won", limit=3)
    top = found.hits[0]
    assert db.get(Activity, top.record_id).body == INJECTION_NOTE
    assert "IGNORE PREVIOUS INSTRUCTIONS" in top.quoted_text
    listed = run(deps, "list_activities", type="note", since="2026-11-15", limit=50)
    assert INJECTION_NOTE in {a.quoted_text for a in listed.activities}
    assert snapshot(db) == before
    bob = run(deps_for(BOB), "search_notes", query="ignore previous instructions closed won", limit=20)
    assert top.record_id not in {h.record_id for h in bob.hits}


@pytest.fixture
def note_index(db, tmp_path):
    index = NoteIndex(data_dir=tmp_path, collection="tool_tests", embedder=BagOfWords())  # type: ignore[arg-type]
    chunks = []
    for activity in db.scalars(select(Activity).where(Activity.body.is_not(None))):
        chunks += record_chunks(
            activity.body,
            record_type="activity",
            record_id=activity.id,
            owner_id=activity.author_id,
            occurred_at=activity.occurred_at.isoformat(),
            account_id=activity.account_id,
            deal_id=activity.deal_id,
        )
    index.upsert_chunks(chunks)
    return index


def test_semantic_search_filters_by_owner_inside_the_index(db, deps_for, note_index):
    alice, bob = user_id(db, ALICE), user_id(db, BOB)
    query = "pricing budget seats proposal"
    as_alice = run(deps_for(ALICE, retriever=note_index), "search_notes", query=query, limit=10)
    assert as_alice.mode == "semantic" and len(as_alice.hits) == 10
    authors = {db.get(Activity, h.record_id).author_id for h in as_alice.hits}
    assert authors == {alice}
    as_admin = run(deps_for(ADMIN, retriever=note_index), "search_notes", query=query, limit=20)
    assert len({db.get(Activity, h.record_id).author_id for h in as_admin.hits}) > 1
    bobs_deal = db.scalars(select(Deal.id).where(Deal.owner_id == bob)).first()
    on_deal = run(deps_for(BOB, retriever=note_index), "search_notes", query=query, deal_id=bobs_deal, limit=5)
    assert on_deal.hits and all(h.deal.id == bobs_deal for h in on_deal.hits)
    injected = run(deps_for(ALICE, retriever=note_index), "search_notes", query=INJECTION_NOTE, limit=1)
    assert injected.hits[0].quoted_text.startswith("Customer pasted this")


def test_a_purpose_about_the_customer_is_written_to_the_customer(db, deps_for) -> None:
    deal = db.scalars(select(Deal).where(Deal.name == "Ollivander Supply - Enterprise License")).one()
    purpose = "check whether they've had a chance to look over the proposal with their CFO"
    draft = run(deps_for("omar.haddad@dealwise.demo"), "draft_followup_email", deal_id=deal.id, purpose=purpose)
    assert "I'd also like to check whether you've had a chance to look over the proposal with your CFO." in draft.body
    assert "they" not in draft.body.split("Best regards")[0].lower().split()


def _deal_with(db, has: str, lacks: str | None = None) -> Deal:
    query = select(Deal).where(
        Deal.owner_id == user_id(db, ALICE),
        Deal.id.in_(select(Activity.deal_id).where(Activity.type == has, Activity.contact_id.is_not(None))),
    )
    if lacks is not None:
        query = query.where(Deal.id.not_in(select(Activity.deal_id).where(Activity.type == lacks)))
    return db.scalars(query.order_by(Deal.id)).first()


def test_a_draft_based_on_a_kind_of_conversation_recaps_the_last_of_that_kind(db, deps_for):
    for kind in ("call", "email"):
        deal = _deal_with(db, kind)
        last = db.scalars(
            select(Activity)
            .where(Activity.deal_id == deal.id, Activity.type == kind, Activity.contact_id.is_not(None))
            .order_by(Activity.occurred_at.desc())
        ).first()
        draft = run(deps_for(ALICE), "draft_followup_email", deal_id=deal.id, based_on=kind)
        assert (draft.based_on.type, draft.based_on.activity_id) == (kind, last.id)
        assert f"{last.occurred_at.day} {last.occurred_at:%B}" in draft.body


def test_a_draft_asked_to_recap_a_kind_never_logged_says_what_it_rests_on(db, deps_for):
    deal = _deal_with(db, "call", lacks="meeting")
    draft = run(deps_for(ALICE), "draft_followup_email", deal_id=deal.id, based_on="meeting")
    assert draft.based_on is not None and draft.based_on.type != "meeting"
    assert any(note.startswith("a recap of a meeting: none with") for note in draft.left_out), draft.left_out
