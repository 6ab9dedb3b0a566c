"""Retrieval index over CRM text (notes, emails, transcripts) in Chroma collections partitioned by owner.

Permission rule: a query for some owners searches only those owners' collections, so records a person may
not open never leave the index for them; nothing is filtered afterwards.
"""

from __future__ import annotations

import os
import re

os.environ.setdefault("ORT_DISABLE_TELEMETRY", "1")
os.environ.setdefault("HF_HUB_OFFLINE", "1")

from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import chromadb
import numpy as np
from chromadb.api import ClientAPI
from chromadb.api.models.Collection import Collection
from chromadb.config import Settings
from chromadb.errors import NotFoundError

from ingest.embeddings import DealwiseEmbeddingFunction, LocalEmbedder
from ingest.note_chunks import Metadata, NoteChunk, NoteHit, epoch_day

COLLECTION = "dealwise_notes"
_SEARCH_POOL = ThreadPoolExecutor(max_workers=4, thread_name_prefix="note-search")


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
    """:class:`NoteChunk` s in Chroma, partitioned by owner, with embeddings computed locally.

    Every chunk is stored twice: in its owner's collection (``{collection}_o{owner_id}``, created on the first
    upsert for that owner) and in the global collection ``{collection}``. A query for some owners searches only
    those owners' collections, so it never reads a chunk the person may not see and its cost does not grow with
    everyone else's notes; an unrestricted (admin) query is one lookup in the global collection, which also maps
    a record to its owner for deletes.
    """

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
        self._owner_pattern = re.compile(rf"{re.escape(collection)}_o(\d+)")
        self._embedder = embedder
        self._embedding_function = DealwiseEmbeddingFunction()
        self._collections: dict[str, Collection] = {}
        self._collection = self._open(self._name)

    def close(self) -> None:
        """Release the client's files, threads and sockets (a closed index is not used again)."""
        self._collections.clear()
        close = getattr(self._client, "close", None)
        if callable(close):
            close()

    @property
    def embedder(self) -> LocalEmbedder:
        if self._embedder is None:
            self._embedder = LocalEmbedder()
        return self._embedder

    def owner_collection_name(self, owner_id: int) -> str:
        return f"{self._name}_o{owner_id}"

    def _open(self, name: str) -> Collection:
        handle = self._collections.get(name)
        if handle is None:
            handle = self._client.get_or_create_collection(
                name,
                embedding_function=self._embedding_function,  # type: ignore[arg-type]
                configuration={"hnsw": {"space": "cosine"}},
            )
            self._collections[name] = handle
        return handle

    def _existing(self, name: str) -> Collection | None:
        handle = self._collections.get(name)
        if handle is None:
            try:
                handle = self._client.get_collection(name, embedding_function=self._embedding_function)  # type: ignore[arg-type]
            except NotFoundError:
                return None
            self._collections[name] = handle
        return handle

    def count(self) -> int:
        return self._collection.count()

    def reset(self) -> None:
        """Drop every chunk: the global collection and all owner collections are deleted."""
        for existing in self._client.list_collections():
            name = existing if isinstance(existing, str) else existing.name
            if name == self._name or self._owner_pattern.fullmatch(name):
                self._client.delete_collection(name)
        self._collections.clear()
        self._collection = self._open(self._name)

    def upsert_chunks(
        self,
        chunks: Sequence[NoteChunk],
        embeddings: np.ndarray | Sequence[Sequence[float]] | None = None,
    ) -> None:
        """Insert or replace chunks by id; ``embeddings`` (one per chunk) skips the local model.

        A chunk whose owner changed is removed from its previous owner's collection.
        """
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
            self._drop_from_previous_owners(list(chunks[start : start + step]))
        self._write(self._collection, list(chunks), vectors, step)
        by_owner: dict[int, list[int]] = {}
        for position, chunk in enumerate(chunks):
            by_owner.setdefault(chunk.owner_id, []).append(position)
        for owner_id, positions in by_owner.items():
            owned = self._open(self.owner_collection_name(owner_id))
            self._write(owned, [chunks[i] for i in positions], vectors[positions], step)

    @staticmethod
    def _write(collection: Collection, chunks: list[NoteChunk], vectors: np.ndarray, step: int) -> None:
        for start in range(0, len(chunks), step):
            part = chunks[start : start + step]
            collection.upsert(
                ids=[c.id for c in part],
                documents=[c.text for c in part],
                metadatas=[c.metadata() for c in part],  # type: ignore[misc]
                embeddings=vectors[start : start + step],
            )

    def _drop_from_previous_owners(self, chunks: list[NoteChunk]) -> None:
        new_owner = {c.id: c.owner_id for c in chunks}
        stored = self._collection.get(ids=list(new_owner), include=["metadatas"])
        moved: dict[int, list[str]] = {}
        for chunk_id, meta in zip(stored["ids"], stored["metadatas"] or [], strict=False):
            old_owner = int((meta or {}).get("owner_id", new_owner[chunk_id]))  # type: ignore[arg-type]
            if old_owner != new_owner[chunk_id]:
                moved.setdefault(old_owner, []).append(chunk_id)
        for old_owner, ids in moved.items():
            previous = self._existing(self.owner_collection_name(old_owner))
            if previous is not None:
                previous.delete(ids=ids)

    def replace_record(self, record_type: str, record_id: int, chunks: Sequence[NoteChunk]) -> None:
        """Index a record's current chunks, removing any it had before (under whichever owner)."""
        self.delete_record(record_type, record_id)
        self.upsert_chunks(chunks)

    def delete_record(self, record_type: str, record_id: int) -> None:
        """Remove a record's chunks from its owner's collection and the global one."""
        where = {"$and": [{"record_type": record_type}, {"record_id": record_id}]}
        stored = self._collection.get(where=where, include=["metadatas"])  # type: ignore[arg-type]
        owners = {int((meta or {})["owner_id"]) for meta in stored["metadatas"] or []}  # type: ignore[arg-type]
        for owner_id in owners:
            owned = self._existing(self.owner_collection_name(owner_id))
            if owned is not None:
                owned.delete(where=where)  # type: ignore[arg-type]
        if stored["ids"]:
            self._collection.delete(ids=stored["ids"])

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
        """:meth:`query` with a precomputed embedding.

        With ``owner_ids`` only those owners' collections are searched; their best hits are merged by score.
        """
        if owner_ids is not None and not owner_ids:
            return []
        where = build_where(
            owner_ids=None,
            account_id=account_id,
            deal_id=deal_id,
            record_types=record_types,
            since=since,
            until=until,
        )
        query_vector = np.asarray(vector, dtype=np.float32)
        if owner_ids is None:
            return _hits(self._collection, query_vector, n, where)
        owned = [self._existing(self.owner_collection_name(owner_id)) for owner_id in dict.fromkeys(owner_ids)]
        searched = [collection for collection in owned if collection is not None]
        if len(searched) > 1:
            per_owner = list(_SEARCH_POOL.map(lambda collection: _hits(collection, query_vector, n, where), searched))
        else:
            per_owner = [_hits(collection, query_vector, n, where) for collection in searched]
        hits = [hit for owner_hits in per_owner for hit in owner_hits]
        hits.sort(key=lambda hit: (-hit.score, hit.record_type, hit.record_id))
        return hits[:n]


def _hits(collection: Collection, vector: np.ndarray, n: int, where: dict[str, Any] | None) -> list[NoteHit]:
    result = collection.query(
        query_embeddings=[vector],
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
    """The Chroma ``where`` clause for a query; ``owner_ids`` (if given) becomes an ``owner_id`` condition.

    :class:`NoteIndex` passes ``owner_ids=None``: its owner restriction is the choice of collections.
    """
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
