"""Local embeddings through the real int8 MiniLM model, and the Chroma embedding-function contract."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from chromadb.utils.embedding_functions import config_to_embedding_function, known_embedding_functions

from ingest.embeddings import EMBEDDING_DIM, MAX_TOKENS, DealwiseEmbeddingFunction, LocalEmbedder

TEXTS = [
    "ok",
    "Customer asked for a discount on the annual renewal.",
    "Procurement wants the security questionnaire and our SOC 2 report before they sign, "
    "and legal has redlines on the data processing agreement that we need to review this week.",
    "Left a voicemail.",
    " ".join(["The champion is moving to another team so we need a new sponsor."] * 40),
]


def _cosine(a: list[float], b: list[float]) -> float:
    return float(np.dot(a, b))


def test_vectors_are_384_dims_and_unit_length(embedder: LocalEmbedder) -> None:
    vectors = embedder.embed(TEXTS)
    assert len(vectors) == len(TEXTS)
    assert all(len(v) == EMBEDDING_DIM for v in vectors)
    np.testing.assert_allclose(np.linalg.norm(np.array(vectors), axis=1), 1.0, atol=1e-5)
    assert embedder.embed([]) == []


@pytest.mark.parametrize(
    ("anchor", "similar", "unrelated"),
    [
        (
            "The client wants a lower price before signing the contract.",
            "They asked us for a discount on the deal.",
            "The office printer is out of toner again.",
        ),
        (
            "Schedule a product demo with their engineering team next week.",
            "Book a walkthrough of the platform for their developers.",
            "Our quarterly revenue grew by twelve percent.",
        ),
        (
            "The champion left the company, the deal is at risk.",
            "Our main contact resigned so this opportunity may slip.",
            "Lunch is served in the cafeteria at noon.",
        ),
    ],
)
def test_similar_sentences_are_closer(embedder: LocalEmbedder, anchor: str, similar: str, unrelated: str) -> None:
    a, s, u = embedder.embed([anchor, similar, unrelated])
    assert _cosine(a, s) > _cosine(a, u) + 0.15


def test_batch_equals_single(embedder: LocalEmbedder) -> None:
    batch = np.array(embedder.embed(TEXTS))
    single = np.array([embedder.embed([text])[0] for text in TEXTS])
    np.testing.assert_allclose(batch, single, atol=1e-5)


def test_batches_split_at_batch_size() -> None:
    small = LocalEmbedder(batch_size=2)
    texts = [f"Call number {i} about the renewal of {i * 10} seats." for i in range(5)]
    np.testing.assert_allclose(small.embed_array(texts), LocalEmbedder().embed_array(texts), atol=1e-5)


def test_long_text_is_truncated(embedder: LocalEmbedder) -> None:
    head = " ".join(["pricing"] * (MAX_TOKENS + 50))
    a, b = embedder.embed([head + " security review", head + " lunch menu"])
    np.testing.assert_allclose(a, b, atol=1e-6)
    c, d = embedder.embed(["pricing security review", "pricing lunch menu"])
    assert _cosine(c, d) < 0.99


def test_session_is_shared() -> None:
    assert LocalEmbedder()._session is LocalEmbedder()._session
    assert DealwiseEmbeddingFunction().embedder._session is LocalEmbedder()._session


def test_chroma_embedding_function_contract() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        function = DealwiseEmbeddingFunction()
        assert not function.is_legacy()
        assert function.name() == "dealwise_minilm"
        assert known_embedding_functions["dealwise_minilm"] is DealwiseEmbeddingFunction
        rebuilt = config_to_embedding_function({"name": function.name(), "config": function.get_config()})
        assert isinstance(rebuilt, DealwiseEmbeddingFunction)
        vectors = function(["hello there", "renewal call"])
    assert len(vectors) == 2
    assert len(vectors[0]) == EMBEDDING_DIM
    np.testing.assert_allclose(vectors[0], LocalEmbedder().embed(["hello there"])[0], atol=1e-6)
    assert function.default_space() == "cosine"


def test_config_from_another_model_is_refused() -> None:
    with pytest.raises(ValueError, match="embedding model"):
        DealwiseEmbeddingFunction.validate_config({"model": "some-other-model"})
