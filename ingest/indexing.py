"""Semantic memory: activity bodies (notes, emails, call logs), call transcripts and summaries in the NoteIndex.

Each chunk carries the record type and id, account, deal, owner and team, and the date. The owner
is what the access rules key on: a call's owner; for an activity the deal owner when it is linked
to a deal, else its author. ``search_notes`` filters on it inside the query, then re-checks rows.

Writes re-index through the job queue: :func:`install_index_hooks` watches a sessionmaker and, after
each commit that added or changed activities or calls, submits an ``index_records`` job.
"""

from __future__ import annotations

import logging
import weakref
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy import event, select
from sqlalchemy.orm import Session, sessionmaker

from assistant.crm.db import session_factory
from assistant.crm.models import Activity, CallRecording, User
from assistant.crm.settings import Settings
from ingest.jobs import JobContext, queue_for
from ingest.note_chunks import NoteChunk, record_chunks
from ingest.vector_store import NoteIndex

log = logging.getLogger(__name__)

RECORD_TYPES = ("activity", "call")
BATCH = 200
_INDEXES: dict[tuple[str, str], NoteIndex] = {}
_HOOKED: weakref.WeakSet[sessionmaker[Session]] = weakref.WeakSet()
PENDING_KEY = "dealwise_index_pending"
_SUBMITTER = ThreadPoolExecutor(max_workers=1, thread_name_prefix="dealwise-index")


def build_retriever(settings: Settings) -> NoteIndex:
    """The NoteIndex for these settings (one per process and location), for ``Deps.retriever``."""
    key = (str(settings.data_dir.resolve()), settings.chroma_url or "")
    index = _INDEXES.get(key)
    if index is None:
        index = NoteIndex(settings.data_dir, settings.chroma_url)
        _INDEXES[key] = index
    return index


def release_retriever(data_dir: Path) -> None:
    """Close and forget the NoteIndex kept for this data directory (an eval trial's, once its files go)."""
    for key in [key for key in _INDEXES if key[0] == str(data_dir.resolve())]:
        _INDEXES.pop(key).close()


def _teams(session: Session, user_ids: Iterable[int]) -> dict[int, int | None]:
    ids = sorted(set(user_ids))
    if not ids:
        return {}
    return dict(session.execute(select(User.id, User.team_id).where(User.id.in_(ids))).all())  # type: ignore[arg-type]


def activity_chunks(session: Session, activities: Sequence[Activity]) -> list[NoteChunk]:
    owners = {a.id: (a.deal.owner_id if a.deal is not None else a.author_id) for a in activities}
    teams = _teams(session, owners.values())
    chunks: list[NoteChunk] = []
    for activity in activities:
        text = "\n".join(part for part in (activity.subject, activity.body or "") if part.strip())
        chunks += record_chunks(
            text,
            record_type="activity",
            record_id=activity.id,
            owner_id=owners[activity.id],
            occurred_at=activity.occurred_at.isoformat(),
            account_id=activity.account_id if activity.account_id is not None else _deal_account(activity),
            deal_id=activity.deal_id,
            team_id=teams.get(owners[activity.id]),
        )
    return chunks


def _deal_account(activity: Activity) -> int | None:
    return activity.deal.account_id if activity.deal is not None else None


def call_text(call: CallRecording) -> str:
    summary = call.summary or {}
    parts = [str(summary.get("summary") or "")]
    parts += [str(item.get("quote", "")) for key in ("action_items", "objections") for item in summary.get(key) or []]
    parts.append(call.transcript or "")
    return "\n".join(p for p in parts if p.strip())


def call_chunks(session: Session, calls: Sequence[CallRecording]) -> list[NoteChunk]:
    teams = _teams(session, (c.owner_id for c in calls))
    chunks: list[NoteChunk] = []
    for call in calls:
        if not call.transcript:
            continue
        chunks += record_chunks(
            call_text(call),
            record_type="call",
            record_id=call.id,
            owner_id=call.owner_id,
            occurred_at=(call.created_at.isoformat() if call.created_at else "1970-01-01"),
            account_id=call.account_id,
            deal_id=call.deal_id,
            team_id=teams.get(call.owner_id),
        )
    return chunks


def _load(session: Session, record_type: str, ids: Sequence[int]) -> list[Any]:
    model = {"activity": Activity, "call": CallRecording}.get(record_type)
    if model is None:
        raise ValueError(f"cannot index record type {record_type!r}; expected one of {', '.join(RECORD_TYPES)}")
    return list(session.scalars(select(model).where(model.id.in_(list(ids)))).unique())


def _chunks(session: Session, record_type: str, records: Sequence[Any]) -> list[NoteChunk]:
    return activity_chunks(session, records) if record_type == "activity" else call_chunks(session, records)


def index_records(
    settings: Settings,
    record_type: str | Sequence[int],
    ids: Sequence[int] | None = None,
    sessions: sessionmaker[Session] | None = None,
) -> int:
    """Re-index these records now (``index_records(settings, ids)`` means activities); returns chunks written.

    Records that no longer exist are removed from the index.
    """
    if not isinstance(record_type, str):
        record_type, ids = "activity", list(record_type)
    wanted = sorted({int(i) for i in ids or []})
    index = build_retriever(settings)
    factory = sessions or session_factory(settings)
    written = 0
    with factory() as session:
        for start in range(0, len(wanted), BATCH):
            part = wanted[start : start + BATCH]
            records = _load(session, record_type, part)
            chunks = _chunks(session, record_type, records)
            for record_id in part:
                index.delete_record(record_type, record_id)
            index.upsert_chunks(chunks)
            written += len(chunks)
    return written


def rebuild_index(
    settings: Settings,
    sessions: sessionmaker[Session] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Drop the index and index every activity with text and every transcribed call; returns chunks written."""
    index = build_retriever(settings)
    index.reset()
    factory = sessions or session_factory(settings)
    with factory() as session:
        activity_ids = list(
            session.scalars(select(Activity.id).where(Activity.body.is_not(None)).order_by(Activity.id))
        )
        call_ids = list(
            session.scalars(
                select(CallRecording.id).where(CallRecording.transcript.is_not(None)).order_by(CallRecording.id)
            )
        )
        total, done, written = len(activity_ids) + len(call_ids), 0, 0
        for record_type, ids in (("activity", activity_ids), ("call", call_ids)):
            for start in range(0, len(ids), BATCH):
                part = ids[start : start + BATCH]
                chunks = _chunks(session, record_type, _load(session, record_type, part))
                index.upsert_chunks(chunks)
                written += len(chunks)
                done += len(part)
                if progress is not None:
                    progress(done, total)
    return written


IMPORT_BATCH = 1_000


def index_imported(
    settings: Settings,
    created: Sequence[int],
    updated: Sequence[int] = (),
    sessions: sessionmaker[Session] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Index the activities an import created or changed, in batches of IMPORT_BATCH; returns chunks written.

    New records have nothing to remove from the index, so only the updated ones are deleted first. Like
    :func:`rebuild_index`, only activities with a body are indexed. Within a batch each distinct text is
    embedded once (imports repeat logged emails and call notes), shortest first, so each embedding batch pads
    to texts of about the same length.
    """
    index = build_retriever(settings)
    factory = sessions or session_factory(settings)
    for record_id in updated:
        index.delete_record("activity", record_id)
    wanted = sorted({*created, *updated})
    written = 0
    with factory() as session:
        for start in range(0, len(wanted), IMPORT_BATCH):
            part = wanted[start : start + IMPORT_BATCH]
            activities = list(
                session.scalars(select(Activity).where(Activity.id.in_(part), Activity.body.is_not(None))).unique()
            )
            chunks = activity_chunks(session, activities)
            if chunks:
                texts = sorted({chunk.text for chunk in chunks}, key=len)
                vectors = dict(zip(texts, index.embedder.embed_array(texts), strict=True))
                index.upsert_chunks(chunks, np.stack([vectors[chunk.text] for chunk in chunks]))
            written += len(chunks)
            session.expunge_all()
            if progress is not None:
                progress(min(start + IMPORT_BATCH, len(wanted)), len(wanted))
    return written


def run_index_job(context: JobContext, job: Any) -> dict[str, Any]:
    payload = dict(job.payload or {})
    ids = [int(i) for i in payload.get("ids", [])]
    chunks = index_records(context.settings, str(payload.get("record_type", "activity")), ids, context.sessions)
    return {"record_type": payload.get("record_type", "activity"), "records": len(ids), "chunks": chunks}


def run_rebuild_job(context: JobContext, job: Any) -> dict[str, Any]:
    """Rebuild the index, reporting progress per batch (where a stopping worker can stop it; run again, it
    starts over)."""
    chunks = rebuild_index(
        context.settings, context.sessions, lambda done, total: context.set_progress(job.id, done / max(total, 1))
    )
    return {"chunks": chunks}


def _collect(session: Session, _context: Any) -> None:
    pending: dict[str, set[int]] = session.info.setdefault(PENDING_KEY, {})
    for obj in [*session.new, *session.dirty]:
        if isinstance(obj, Activity) and obj.id is not None:
            pending.setdefault("activity", set()).add(obj.id)
        elif isinstance(obj, CallRecording) and obj.id is not None and obj.transcript:
            pending.setdefault("call", set()).add(obj.id)
    for obj in session.deleted:
        if isinstance(obj, Activity | CallRecording) and obj.id is not None:
            pending.setdefault("activity" if isinstance(obj, Activity) else "call", set()).add(obj.id)


def install_index_hooks(sessions: sessionmaker[Session], settings: Settings) -> None:
    """After every commit through ``sessions`` that touched activities or calls, queue an index job."""
    if sessions in _HOOKED:
        return
    _HOOKED.add(sessions)

    def submit(pending: dict[str, set[int]]) -> None:
        for record_type, ids in pending.items():
            if ids:
                try:
                    queue_for(settings, sessions).submit(
                        "index_records", {"record_type": record_type, "ids": sorted(ids)}
                    )
                except Exception:
                    log.exception("could not queue indexing of %s %s", record_type, sorted(ids))

    def after_commit(session: Session) -> None:
        pending: dict[str, set[int]] = session.info.pop(PENDING_KEY, {})
        if any(pending.values()):
            _SUBMITTER.submit(submit, pending)

    def after_rollback(session: Session) -> None:
        session.info.pop(PENDING_KEY, None)

    event.listen(sessions, "after_flush", _collect)
    event.listen(sessions, "after_commit", after_commit)
    event.listen(sessions, "after_soft_rollback", lambda session, _previous: after_rollback(session))
