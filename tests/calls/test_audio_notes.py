"""A dictated note and a sales call, spoken by espeak-ng, through the real Whisper model to a confirmed activity."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from assistant.agent.writes import PendingWrites
from assistant.crm.deps import Deps
from assistant.crm.models import Activity, CallRecording, Deal, Thread
from tests import support
from tests.support import ALICE, BOB
from tests.support.calls import DICTATION, GRACE_IVANOVA, OCEANIC_ACCOUNT, OCEANIC_DEAL, SALES_CALL
from tests.support.ingest import word_error_rate
from tools.call_logging import process_audio
from tools.registry import TOOLSET

pytestmark = pytest.mark.slow
MAX_WER = 0.25


def _thread(deps: Deps) -> Thread:
    now = support.NOW
    thread = Thread(
        id=str(uuid.uuid4()),
        user_id=deps.principal.user_id,
        channel="api",
        external_ref=None,
        title="voice note",
        state={},
        created_at=now,
        updated_at=now,
    )
    deps.session.add(thread)
    deps.session.flush()
    return thread


def test_dictated_note_links_records_and_logs_once(deps_for: Callable[..., Deps], clips: dict[str, Path]) -> None:
    deps = deps_for(ALICE)
    data = clips["dictation"].read_bytes()
    started = time.perf_counter()
    processed = process_audio(deps, data, "dictation.wav")
    elapsed = time.perf_counter() - started
    print(f"\ndictation: {processed.transcript.duration_s:.1f} s audio, processed in {elapsed:.2f} s")
    assert word_error_rate(DICTATION, processed.transcript.text) <= MAX_WER, processed.transcript.text
    proposal = processed.proposal
    assert proposal is not None and proposal.kind == "log_call"
    activity = proposal.payload["activity"]
    assert activity["type"] == "note"
    assert activity["deal_id"] == OCEANIC_DEAL and activity["contact_id"] == GRACE_IVANOVA
    fields = proposal.payload["fields"]
    assert fields["account"]["id"] == OCEANIC_ACCOUNT
    assert "200 seats" in fields["quantities"]
    assert date.fromisoformat(fields["next_step_due"]) == date(2026, 11, 27)
    assert fields["decision_maker"] and "Ivanova" in fields["decision_maker"]
    update = proposal.payload["deal_update"]
    assert update["deal_id"] == OCEANIC_DEAL and "200 seats" in update["values"]["next_step"]
    assert processed.call.status == "transcribed" and processed.call.deal_id == OCEANIC_DEAL

    before = deps.session.scalar(select(func.count()).select_from(Activity))
    writes, thread = PendingWrites(support.CLOCK, TOOLSET.writes), _thread(deps)
    action = writes.propose(deps, thread, proposal)
    answer, _, _ = writes.confirm(deps, thread, action.id)
    again, _, _ = writes.confirm(deps, thread, action.id)
    assert answer.startswith("Done") and again == answer
    assert deps.session.scalar(select(func.count()).select_from(Activity)) == before + 1
    call = deps.session.get(CallRecording, processed.call.id)
    assert call is not None and call.status == "logged"
    logged = deps.session.get(Activity, call.activity_id)
    assert logged is not None and logged.deal_id == OCEANIC_DEAL and "200 seats" in (logged.body or "")
    deal = deps.session.get(Deal, OCEANIC_DEAL)
    assert deal is not None and "200 seats" in (deal.next_step or "") and "2026-11-27" in (deal.next_step or "")


def test_sales_call_summary_rests_on_the_transcript(deps_for: Callable[..., Deps], clips: dict[str, Path]) -> None:
    deps = deps_for(ALICE)
    started = time.perf_counter()
    processed = process_audio(
        deps, clips["sales_call"].read_bytes(), "sales-call.wav", deal_id=OCEANIC_DEAL, kind="call"
    )
    elapsed = time.perf_counter() - started
    print(f"\nsales call: {processed.transcript.duration_s:.1f} s audio, processed in {elapsed:.2f} s")
    assert word_error_rate(SALES_CALL, processed.transcript.text) <= MAX_WER, processed.transcript.text
    summary = processed.summary
    assert [m.name for m in summary.competitors] == ["Northwind CRM"]
    assert summary.bant.budget is not None and summary.bant.budget.status == "positive"
    assert any(a.when and "Friday" in a.when for a in summary.action_items), summary.action_items
    assert any("$50,000" in p.text for p in summary.pricing)
    transcript = " ".join(processed.transcript.text.split())
    for quote in [a.quote for a in summary.action_items] + [o.quote for o in summary.objections]:
        assert quote in transcript
    assert processed.proposal is not None and processed.proposal.payload["activity"]["type"] == "call"


def test_a_rep_cannot_file_a_recording_on_someone_elses_deal(
    deps_for: Callable[..., Deps], clips: dict[str, Path]
) -> None:
    from assistant.crm.errors import NotFound

    with pytest.raises(NotFound):
        process_audio(deps_for(BOB), clips["dictation"].read_bytes(), "dictation.wav", deal_id=OCEANIC_DEAL)
