"""The Chroma note index: permission filter inside the query, deletion, idempotent upserts."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import warnings
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from pydantic import ValidationError

from ingest.note_chunks import NoteChunk, chunk_text, epoch_day, record_chunks
from ingest.vector_store import NoteIndex, build_where

ALICE, BOB, CAROL = 11, 12, 13


def _note(record_id: int, owner_id: int, text: str, **extra: object) -> list[NoteChunk]:
    fields: dict[str, object] = {"occurred_at": "2026-11-01", **extra}
    return record_chunks(text, record_type="note", record_id=record_id, owner_id=owner_id, **fields)  # type: ignore[arg-type]


def _fill(notes: NoteIndex) -> NoteIndex:
    notes.upsert_chunks(
        _note(1, ALICE, "Acme asked for a fifteen percent discount on the renewal.", account_id=100, deal_id=1000)
        + _note(2, ALICE, "Left a voicemail for the Acme champion about onboarding.", account_id=100)
        + _note(
            3,
            BOB,
            "Globex security team needs the SOC 2 report and a penetration test summary.",
            account_id=200,
            deal_id=2000,
            occurred_at="2026-10-01",
        )
        + _note(4, CAROL, "Initech wants SSO with Okta before the security review.", account_id=300)
    )
    return notes


@pytest.fixture
def index(tmp_path: Path) -> NoteIndex:
    return _fill(NoteIndex(tmp_path))


@pytest.fixture(scope="module")
def chroma_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real Chroma server (the `chroma run` that ships with chromadb) on a loopback port."""
    binary = shutil.which("chroma", path=str(Path(sys.executable).parent)) or shutil.which("chroma")
    if binary is None:
        pytest.skip("the `chroma` command from chromadb is not installed")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    path = tmp_path_factory.mktemp("chroma-server")
    server = subprocess.Popen(
        [binary, "run", "--path", str(path), "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"chroma server did not start on port {port}")
                time.sleep(0.2)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_owner_filter_is_applied_inside_the_query(index: NoteIndex) -> None:
    question = "security review SOC 2 report penetration test"
    everyone = index.query(question, owner_ids=None, n=1)
    assert everyone[0].record_id == 3
    mine = index.query(question, owner_ids=[ALICE], n=1)
    assert len(mine) == 1, "a post-filtered top-1 would be empty"
    assert mine[0].metadata["owner_id"] == ALICE
    assert {hit.metadata["owner_id"] for hit in index.query(question, owner_ids=[ALICE], n=10)} == {ALICE}


def test_chroma_server_applies_the_same_filter(chroma_server: str) -> None:
    remote = _fill(NoteIndex(chroma_url=chroma_server, collection="filter_test"))
    try:
        assert remote.count() == 4
        assert remote.query("SOC 2 report penetration test", owner_ids=None, n=1)[0].record_id == 3
        mine = remote.query("SOC 2 report penetration test", owner_ids=[ALICE], n=10)
        assert mine and {h.metadata["owner_id"] for h in mine} == {ALICE}
        assert NoteIndex(chroma_url=chroma_server, collection="filter_test").count() == 4
    finally:
        remote.reset()


def test_several_owners_and_none(index: NoteIndex) -> None:
    hits = index.query("security review", owner_ids=[ALICE, CAROL], n=10)
    assert {hit.record_id for hit in hits} == {1, 2, 4}
    assert index.query("security review", owner_ids=[], n=10) == []
    assert index.query("security review", owner_ids=[999], n=10) == []
    assert len(index.query("security review", owner_ids=None, n=10)) == 4


def test_where_clause_always_carries_the_owner_filter() -> None:
    assert build_where(owner_ids=[1, 2]) == {"owner_id": {"$in": [1, 2]}}
    assert build_where(owner_ids=None) is None
    where = build_where(owner_ids=[1], account_id=5, record_types=["note", "call"])
    assert where == {
        "$and": [
            {"owner_id": {"$in": [1]}},
            {"account_id": 5},
            {"record_type": {"$in": ["note", "call"]}},
        ]
    }


def test_other_filters(index: NoteIndex) -> None:
    assert {h.record_id for h in index.query("notes", owner_ids=None, n=10, account_id=100)} == {1, 2}
    assert [h.record_id for h in index.query("notes", owner_ids=None, n=10, deal_id=2000)] == [3]
    assert index.query("notes", owner_ids=None, n=10, record_types=["email"]) == []
    assert [h.record_id for h in index.query("notes", owner_ids=None, until=date(2026, 10, 15))] == [3]
    recent = index.query("notes", owner_ids=[BOB, CAROL], since=date(2026, 10, 15))
    assert [h.record_id for h in recent] == [4]


def test_scores_are_cosine_similarity(index: NoteIndex) -> None:
    text = "Acme asked for a fifteen percent discount on the renewal."
    best = index.query(text, owner_ids=None, n=4)
    assert best[0].record_id == 1
    assert best[0].text == text
    assert best[0].score == pytest.approx(1.0, abs=1e-3)
    assert all(-1.0 <= h.score <= 1.0 for h in best)
    assert [h.score for h in best] == sorted((h.score for h in best), reverse=True)
    assert best[0].metadata["account_id"] == 100
    assert best[0].metadata["occurred_day"] == epoch_day(date(2026, 11, 1))


def test_delete_record(index: NoteIndex) -> None:
    long_text = " ".join(f"word{i}" for i in range(300))
    index.upsert_chunks(_note(5, BOB, long_text))
    assert index.count() == 4 + 3
    index.delete_record("note", 5)
    assert index.count() == 4
    index.delete_record("note", 3)
    assert index.count() == 3
    assert all(h.record_id != 3 for h in index.query("SOC 2 report", owner_ids=None, n=10))
    index.delete_record("email", 1)
    assert index.count() == 3


def test_upsert_is_idempotent(index: NoteIndex) -> None:
    again = _note(1, ALICE, "Acme asked for a fifteen percent discount on the renewal.", account_id=100)
    index.upsert_chunks(again)
    index.upsert_chunks(again)
    assert index.count() == 4
    index.upsert_chunks(_note(1, ALICE, "Acme now wants twenty percent off.", account_id=100))
    assert index.count() == 4
    hit = index.query("twenty percent off", owner_ids=[ALICE], n=1)[0]
    assert (hit.record_id, hit.text) == (1, "Acme now wants twenty percent off.")


def test_replace_record_drops_stale_chunks(index: NoteIndex) -> None:
    index.upsert_chunks(_note(6, ALICE, " ".join(["renewal"] * 250)))
    assert index.count() == 4 + 3
    index.replace_record("note", 6, _note(6, ALICE, "short now"))
    assert index.count() == 5


def test_persisted_collection_reopens_without_warnings(index: NoteIndex, tmp_path: Path) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        reopened = NoteIndex(tmp_path)
        assert reopened.count() == 4
        assert reopened.query("discount", owner_ids=[ALICE], n=1)[0].record_id == 1
    assert reopened._collection.configuration["hnsw"]["space"] == "cosine"  # type: ignore[index]


def test_reset(index: NoteIndex) -> None:
    index.reset()
    assert index.count() == 0
    assert index.query("discount", owner_ids=None) == []


def test_precomputed_embeddings_must_match(index: NoteIndex) -> None:
    with pytest.raises(ValueError, match="one embedding per chunk"):
        index.upsert_chunks(_note(7, ALICE, "text"), embeddings=[[0.0] * 384, [0.0] * 384])


def test_note_chunk_dates() -> None:
    chunk = _note(1, ALICE, "x", occurred_at="2026-11-20T15:30:00+00:00")[0]
    assert chunk.occurred_day == epoch_day(date(2026, 11, 20))
    assert "team_id" not in chunk.metadata()
    with pytest.raises(ValidationError, match="ISO date"):
        _note(1, ALICE, "x", occurred_at="20 November")


def test_chunk_text() -> None:
    words = [f"w{i}" for i in range(250)]
    chunks = chunk_text(" ".join(words), max_words=120, overlap=20)
    assert [len(c.split()) for c in chunks] == [120, 120, 50]
    assert chunks[1].split()[0] == "w100"
    assert chunks[2].split()[-1] == "w249"
    assert chunk_text("  a   short\nnote ") == ["a short note"]
    assert chunk_text("   ") == []
    assert len(chunk_text(" ".join(words[:120]))) == 1
    with pytest.raises(ValueError):
        chunk_text("x", max_words=10, overlap=10)


def test_needs_a_location() -> None:
    with pytest.raises(ValueError, match="data_dir or a chroma_url"):
        NoteIndex()
    with pytest.raises(ValueError, match="not a Chroma server URL"):
        NoteIndex(chroma_url="not a url")


def _unit(similarity: float) -> list[float]:
    """A vector whose cosine similarity to the first axis is ``similarity``."""
    vector = [0.0] * 384
    vector[0], vector[1] = similarity, (1.0 - similarity**2) ** 0.5
    return vector


def _owners_of(index: NoteIndex, owner_id: int) -> set[int]:
    stored = index._existing(index.owner_collection_name(owner_id))
    assert stored is not None
    return {int(meta["owner_id"]) for meta in stored.get(include=["metadatas"])["metadatas"] or []}  # type: ignore[arg-type]


def test_manager_query_merges_owners_by_score(tmp_path: Path) -> None:
    index = NoteIndex(tmp_path)
    similarities = {1: (ALICE, 0.95), 2: (BOB, 0.9), 3: (CAROL, 0.85), 4: (ALICE, 0.8), 5: (BOB, 0.3), 6: (99, 0.99)}
    chunks = [_note(record_id, owner, f"note {record_id}")[0] for record_id, (owner, _) in similarities.items()]
    index.upsert_chunks(chunks, embeddings=[_unit(sim) for _, sim in similarities.values()])
    query = _unit(1.0)
    team = index.query_vector(query, owner_ids=[ALICE, BOB, CAROL], n=4)
    assert [h.record_id for h in team] == [1, 2, 3, 4]
    assert [h.score for h in team] == pytest.approx([0.95, 0.9, 0.85, 0.8], abs=1e-3)
    assert [h.record_id for h in index.query_vector(query, owner_ids=[CAROL, BOB], n=10)] == [2, 3, 5]
    assert [h.record_id for h in index.query_vector(query, owner_ids=[ALICE, ALICE], n=10)] == [1, 4]
    everyone = index.query_vector(query, owner_ids=None, n=10)
    assert [h.record_id for h in everyone] == [6, 1, 2, 3, 4, 5]
    assert index.count() == 6
    assert _owners_of(index, ALICE) == {ALICE} and _owners_of(index, 99) == {99}


def test_admin_finds_every_owner(index: NoteIndex) -> None:
    hits = index.query("security review", owner_ids=None, n=10)
    assert {h.record_id for h in hits} == {1, 2, 3, 4}
    assert {h.metadata["owner_id"] for h in hits} == {ALICE, BOB, CAROL}


def test_delete_removes_from_owner_and_global_collections(index: NoteIndex) -> None:
    index.delete_record("note", 3)
    assert index.count() == 3
    assert index.query("SOC 2 report penetration test", owner_ids=[BOB], n=10) == []
    assert all(h.record_id != 3 for h in index.query("SOC 2 report", owner_ids=None, n=10))
    assert {h.record_id for h in index.query("SOC 2", owner_ids=[ALICE, BOB], n=10, account_id=100)} == {1, 2}


def test_replace_record_moves_chunks_to_the_new_owner(index: NoteIndex) -> None:
    index.replace_record("note", 3, _note(3, ALICE, "Globex security team needs the SOC 2 report.", account_id=200))
    assert index.count() == 4
    assert index.query("SOC 2 report", owner_ids=[BOB], n=10) == []
    mine = index.query("SOC 2 report", owner_ids=[ALICE], n=1)
    assert (mine[0].record_id, mine[0].metadata["owner_id"]) == (3, ALICE)
    assert _owners_of(index, BOB) == set()


def test_upsert_with_a_new_owner_leaves_nothing_behind(index: NoteIndex) -> None:
    index.upsert_chunks(_note(4, BOB, "Initech wants SSO with Okta before the security review.", account_id=300))
    assert index.count() == 4
    assert index.query("Okta SSO", owner_ids=[CAROL], n=10) == []
    assert index.query("Okta SSO", owner_ids=[BOB], n=1)[0].record_id == 4


def test_reset_drops_owner_collections(index: NoteIndex, tmp_path: Path) -> None:
    index.reset()
    assert index.query("discount", owner_ids=[ALICE, BOB, CAROL]) == []
    assert NoteIndex(tmp_path).query("discount", owner_ids=[ALICE]) == []
