"""Embedding and search benchmark.

1. texts/s embedding 1,000 sales-note sentences with :class:`ingest.embeddings.LocalEmbedder`.
2. search latency through :meth:`NoteIndex.query` (embedding included) and :meth:`NoteIndex.query_vector`
   (precomputed vector) for 1, 5 and 25 owners and for an admin (no owner restriction), on an index of
   ``--chunks`` chunks whose vectors are random unit vectors (so the build does not wait on the model).
   The index is partitioned by owner: each chunk is written to its owner's collection and the global one.

    python benchmarks/bench_embeddings.py [--chunks 200000] [--owners 50] [--queries 100]
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from ingest.embeddings import EMBEDDING_DIM, LocalEmbedder  # noqa: E402
from ingest.note_chunks import NoteChunk  # noqa: E402
from ingest.vector_store import NoteIndex  # noqa: E402

COMPANIES = ["Acme", "Globex", "Initech", "Umbrella", "Hooli", "Stark Industries", "Wayne Enterprises", "Vandelay"]
PEOPLE = ["the CFO", "their head of IT", "the procurement lead", "our champion", "the VP of Sales", "legal"]
TOPICS = [
    "asked for a {n} percent discount on the {term} renewal",
    "wants a security review and the SOC 2 report before signing",
    "raised concerns about the Salesforce integration and onboarding timeline",
    "confirmed budget for {n} seats starting next quarter",
    "requested a demo of the reporting dashboard for the operations team",
    "is comparing us with a competitor on price per seat",
    "pushed the decision to after the board meeting in {month}",
    "needs a revised quote with annual billing and a {term} term",
]
NEXT_STEPS = [
    "Next step: send the proposal by Friday.",
    "Follow up with pricing options next week.",
    "Schedule a call with their engineering team.",
    "Loop in our solutions engineer for the technical questions.",
    "",
]
MONTHS = ["January", "March", "June", "September", "November"]
TERMS = ["one year", "two year", "three year"]


def sales_sentences(count: int, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    out = []
    for _ in range(count):
        topic = rng.choice(TOPICS).format(
            n=rng.choice([5, 10, 15, 20, 50, 200]), term=rng.choice(TERMS), month=rng.choice(MONTHS)
        )
        sentence = f"Call with {rng.choice(PEOPLE)} at {rng.choice(COMPANIES)}: {topic}. {rng.choice(NEXT_STEPS)}"
        out.append(sentence.strip())
    return out


def bench_embedding(embedder: LocalEmbedder, texts: list[str]) -> float:
    embedder.embed(texts[:32])
    started = time.perf_counter()
    embedder.embed(texts)
    return len(texts) / (time.perf_counter() - started)


def build_index(index: NoteIndex, chunks: int, owners: int, batch: int) -> float:
    rng = np.random.default_rng(7)
    started = time.perf_counter()
    for start in range(0, chunks, batch):
        size = min(batch, chunks - start)
        vectors = rng.standard_normal((size, EMBEDDING_DIM), dtype=np.float32)
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
        owner_ids = rng.integers(1, owners + 1, size)
        days = rng.integers(0, 730, size)
        items = [
            NoteChunk(
                id=f"note:{start + i}:0",
                text=f"synthetic note {start + i}",
                record_type="note",
                record_id=start + i,
                owner_id=int(owner_ids[i]),
                account_id=int(owner_ids[i]) * 100 + i % 20,
                occurred_at=(np.datetime64("2025-01-01") + int(days[i])).astype(str),
            )
            for i in range(size)
        ]
        index.upsert_chunks(items, embeddings=vectors)
    return time.perf_counter() - started


def percentiles(samples: list[float]) -> str:
    p50, p95 = np.percentile(np.array(samples) * 1000, [50, 95])
    return f"p50 {p50:.1f} ms, p95 {p95:.1f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--texts", type=int, default=1000)
    parser.add_argument("--threads", type=int, default=None, help="onnxruntime intra-op threads (default: up to 2)")
    parser.add_argument("--chunks", type=int, default=200_000, help="0 skips the search benchmark")
    parser.add_argument("--owners", type=int, default=50)
    parser.add_argument("--queries", type=int, default=100)
    parser.add_argument("--batch", type=int, default=50_000)
    parser.add_argument(
        "--data-dir",
        type=Path,
        help="keep the index here and reuse it when it holds --chunks chunks (default: temporary)",
    )
    args = parser.parse_args()

    embedder = LocalEmbedder(threads=args.threads)
    texts = sales_sentences(args.texts)
    rate = bench_embedding(embedder, texts)
    tokens = np.mean([len(e.ids) for e in embedder._tokenizer.encode_batch(texts)])
    print(
        f"embedding          {rate:.0f} texts/s ({args.texts} sales-note sentences, "
        f"mean {tokens:.0f} tokens, {embedder.threads} thread(s))"
    )

    if args.chunks <= 0:
        return
    with tempfile.TemporaryDirectory() as tmp:
        index = NoteIndex(args.data_dir or Path(tmp), embedder=embedder)
        if index.count() == args.chunks:
            print(f"index              reusing {args.chunks} chunks in {args.data_dir}")
        else:
            index.reset()
            build_s = build_index(index, args.chunks, args.owners, args.batch)
            print(f"index build        {args.chunks} chunks in {build_s:.1f} s ({args.chunks / build_s:.0f} chunks/s)")

        print(f"load average       {load_average()} (before searching)")
        timings = search_timings(index, embedder, args.owners, args.queries)
        share = 100 / args.owners
        for label, key in [
            (f"1 owner ({share:.0f}% of chunks)", "1"),
            ("5 owners", "5"),
            ("25 owners", "25"),
            ("admin (everyone)", "admin"),
        ]:
            print(f"search, {label:<22} embedding included  {percentiles(timings[key])}")
            print(f"search, {label:<22} precomputed vector  {percentiles(timings[key + ' vector'])}")
        print(f"load average       {load_average()} (after searching)")


def load_average() -> str:
    return " / ".join(f"{value:.2f}" for value in os.getloadavg())


def search_timings(index: NoteIndex, embedder: LocalEmbedder, owners: int, queries: int) -> dict[str, list[float]]:
    """Seconds per search, keyed by owner-set size (``"1"``, ``"5"``, ``"25"``, ``"admin"``) and ``" vector"``."""
    rng = random.Random(11)
    timings: dict[str, list[float]] = {}
    for question in sales_sentences(queries, seed=3):
        owner = rng.randint(1, owners)
        vector = embedder.embed_array([question])[0]
        for key, owner_ids in [
            ("1", [owner]),
            ("5", [(owner + k) % owners + 1 for k in range(5)]),
            ("25", [(owner + k) % owners + 1 for k in range(25)]),
            ("admin", None),
        ]:
            started = time.perf_counter()
            hits = index.query(question, owner_ids=owner_ids, n=5)
            timings.setdefault(key, []).append(time.perf_counter() - started)
            started = time.perf_counter()
            index.query_vector(vector, owner_ids=owner_ids, n=5)
            timings.setdefault(key + " vector", []).append(time.perf_counter() - started)
            assert len(hits) == 5
            assert owner_ids is None or all(h.metadata["owner_id"] in owner_ids for h in hits)
    return timings


if __name__ == "__main__":
    main()
