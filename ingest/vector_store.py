"""Retrieval index over CRM text (notes, emails, transcripts) in a Chroma collection.

Permission rule: the owner filter is part of Chroma's ``where`` clause, so records a person may
not open never leave the index for them; nothing is filtered afterwards.
"""

from __future__ import annotations

import os

os.environ.setdefault("ORT_DISABLE_TELEMETRY", "1")
os.environ.setdefault("HF_HUB_OFFLINE", "1")

from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import chromadb
import numpy as np
from chromadb.api import ClientAPI
from chromadb.api.models.Collection import Collection
from chromadb.config import Settings
from pydantic import BaseModel, computed_field, field_validator

from ingest.embeddings import DealwiseEmbeddingFunction, LocalEmbedder

COLLECTION = "dealwise_notes"
_EPOCH = date(1970, 1, 1)

Metadata = dict[str, str | int | float | bool]


def _parse_day(value: str) -> date:
    try:
        return datetime.fromisoformat(value).date()
    except ValueError:
        return date.fromisoformat(value)


def epoch_day(day: date) -> int:
    """Days since 1970-01-01, the form ``occurred_day`` is stored in for range filters."""
    return (day - _EPOCH).days


class NoteChunk(BaseModel):
    """One indexed piece of a CRM record's text, with the fields queries filter on."""

    id: str
    text: str
    record_type: str
    record_id: int
    owner_id: int
    occurred_at: str
    account_id: int | None = None
    deal_id: int | None = None
    team_id: int | None = None

    @field_validator("occurred_at")
    @classmethod
    def _iso(cls, value: str) -> str:
        try:
            _parse_day(value)
        except ValueError as exc:
            raise ValueError(f"occurred_at must be an ISO date or datetime, got {value!r}") from exc
        return value

    @computed_field  # type: ignore[prop-decorator]
    @property
    def occurred_day(self) -> int:
        return epoch_day(_parse_day(self.occurred_at))

    def metadata(self) -> Metadata:
        meta: Metadata = {
            "record_type": self.record_type,
            "record_id": self.record_id,
            "owner_id": self.owner_id,
            "occurred_at": self.occurred_at,
            "occurred_day": self.occurred_day,
        }
        for key in ("account_id", "deal_id", "team_id"):
            value = getattr(self, key)
            if value is not None:
                meta[key] = value
        return meta


class NoteHit(BaseModel):
    record_type: str
    record_id: int
    text: str
    score: float
    metadata: Metadata


def chunk_text(text: str, max_words: int = 120, overlap: int = 20) -> list[str]:
    """Split ``text`` into windows of at most ``max_words`` words, each sharing ``overlap`` with the last."""
    if not 0 <= overlap < max_words:
        raise ValueError("overlap must be at least 0 and smaller than max_words")
    words = text.split()
    if not words:
        return []
    step = max_words - overlap
    chunks: list[str] = []
    for start in range(0, len(words), step):
        chunks.append(" ".join(words[start : start + max_words]))
        if start + max_words >= len(words):
            break
    return chunks


def record_chunks(
    text: str,
    *,
    record_type: str,
    record_id: int,
    owner_id: int,
    occurred_at: str,
    account_id: int | None = None,
    deal_id: int | None = None,
    team_id: int | None = None,
) -> list[NoteChunk]:
    """The chunks of one record, with stable ids ``{record_type}:{record_id}:{n}``."""
    return [
        NoteChunk(
            id=f"{record_type}:{record_id}:{n}",
            text=piece,
            record_type=record_type,
            record_id=record_id,
            owner_id=owner_id,
            occurred_at=occurred_at,
            account_id=account_id,
            deal_id=deal_id,
            team_id=team_id,
        )
        for n, piece in enumerate(chunk_text(text))
    ]


def _client(data_dir: Path | None, chroma_url: str | None) -> ClientAPI:
    settings = Settings(anonymized_telemetry=False)
    if chroma_url:
        url = urlparse(chroma_url)
        if not url.hostname:
            raise ValueError(f"not a Chroma server URL: {chroma_url!r}")
        ssl = url.scheme == "https"
        port = url.port or (443 if ssl else 8000)
        return chromadb.HttpClient(host=url.hostname, port=port, ssl=ssl, settings=settings)
    if data_dir is None:
        raise ValueError("NoteIndex needs a data_dir or a chroma_url")
    path = Path(data_dir) / "chroma"
    path.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(path), settings=settings)


class NoteIndex:
    """Chroma collection of :class:`NoteChunk` with embeddings computed locally."""

    def __init__(
        self,
        data_dir: Path | None = None,
        chroma_url: str | None = None,
        *,
        collection: str = COLLECTION,
        embedder: LocalEmbedder | None = None,
    ) -> None:
        self._client = _client(data_dir, chroma_url)
        self._name = collection
        self._embedder = embedder
        self._embedding_function = DealwiseEmbeddingFunction()
        self._collection = self._open()

    @property
    def embedder(self) -> LocalEmbedder:
        if self._embedder is None:
            self._embedder = LocalEmbedder()
        return self._embedder

    def _open(self) -> Collection:
        return self._client.get_or_create_collection(
            self._name,
            embedding_function=self._embedding_function,  # type: ignore[arg-type]
            configuration={"hnsw": {"space": "cosine"}},
        )

    def count(self) -> int:
        return self._collection.count()

    def reset(self) -> None:
        """Drop every chunk (the collection is deleted and created again)."""
        self._client.delete_collection(self._name)
        self._collection = self._open()

    def upsert_chunks(
        self,
        chunks: Sequence[NoteChunk],
        embeddings: np.ndarray | Sequence[Sequence[float]] | None = None,
    ) -> None:
        """Insert or replace chunks by id; ``embeddings`` (one per chunk) skips the local model."""
        if not chunks:
            return
        if embeddings is None:
            vectors = self.embedder.embed_array([c.text for c in chunks])
        else:
            vectors = np.asarray(embeddings, dtype=np.float32)
            if len(vectors) != len(chunks):
                raise ValueError("one embedding per chunk is required")
        step = self._client.get_max_batch_size()
        for start in range(0, len(chunks), step):
            part = chunks[start : start + step]
            self._collection.upsert(
                ids=[c.id for c in part],
                documents=[c.text for c in part],
                metadatas=[c.metadata() for c in part],  # type: ignore[misc]
                embeddings=vectors[start : start + step],
            )

    def replace_record(self, record_type: str, record_id: int, chunks: Sequence[NoteChunk]) -> None:
        """Index a record's current chunks, removing any it had before."""
        self.delete_record(record_type, record_id)
        self.upsert_chunks(chunks)

    def delete_record(self, record_type: str, record_id: int) -> None:
        self._collection.delete(where={"$and": [{"record_type": record_type}, {"record_id": record_id}]})

    def query(
        self,
        text: str,
        *,
        owner_ids: list[int] | None,
        n: int = 5,
        account_id: int | None = None,
        deal_id: int | None = None,
        record_types: list[str] | None = None,
        since: date | None = None,
        until: date | None = None,
    ) -> list[NoteHit]:
        """Closest chunks to ``text`` among those owned by ``owner_ids`` (``None``: everyone's)."""
        if owner_ids is not None and not owner_ids:
            return []
        vector = self.embedder.embed_array([text])[0]
        return self.query_vector(
            vector,
            owner_ids=owner_ids,
            n=n,
            account_id=account_id,
            deal_id=deal_id,
            record_types=record_types,
            since=since,
            until=until,
        )

    def query_vector(
        self,
        vector: np.ndarray | Sequence[float],
        *,
        owner_ids: list[int] | None,
        n: int = 5,
        account_id: int | None = None,
        deal_id: int | None = None,
        record_types: list[str] | None = None,
        since: date | None = None,
        until: date | None = None,
    ) -> list[NoteHit]:
        """:meth:`query` with a precomputed embedding."""
        if owner_ids is not None and not owner_ids:
            return []
        where = build_where(
            owner_ids=owner_ids,
            account_id=account_id,
            deal_id=deal_id,
            record_types=record_types,
            since=since,
            until=until,
        )
        result = self._collection.query(
            query_embeddings=[np.asarray(vector, dtype=np.float32)],
            n_results=n,
            where=where,  # type: ignore[arg-type]
            include=["documents", "metadatas", "distances"],
        )
        ids = result["ids"][0]
        documents = (result["documents"] or [[]])[0]
        metadatas = (result["metadatas"] or [[]])[0]
        distances = (result["distances"] or [[]])[0]
        hits: list[NoteHit] = []
        for i in range(len(ids)):
            meta: Metadata = dict(metadatas[i] or {})  # type: ignore[arg-type]
            hits.append(
                NoteHit(
                    record_type=str(meta["record_type"]),
                    record_id=int(meta["record_id"]),
                    text=documents[i] or "",
                    score=min(1.0, max(-1.0, 1.0 - float(distances[i]))),
                    metadata=meta,
                )
            )
        return hits


def build_where(
    *,
    owner_ids: list[int] | None,
    account_id: int | None = None,
    deal_id: int | None = None,
    record_types: list[str] | None = None,
    since: date | None = None,
    until: date | None = None,
) -> dict[str, Any] | None:
    """The Chroma ``where`` clause for a query; the owner restriction is always part of it."""
    conditions: list[dict[str, Any]] = []
    if owner_ids is not None:
        conditions.append({"owner_id": {"$in": list(owner_ids)}})
    if account_id is not None:
        conditions.append({"account_id": account_id})
    if deal_id is not None:
        conditions.append({"deal_id": deal_id})
    if record_types:
        conditions.append({"record_type": {"$in": list(record_types)}})
    if since is not None:
        conditions.append({"occurred_day": {"$gte": epoch_day(since)}})
    if until is not None:
        conditions.append({"occurred_day": {"$lte": epoch_day(until)}})
    if not conditions:
        return None
    if len(conditions) == 1:
        return conditions[0]
    return {"$and": conditions}
