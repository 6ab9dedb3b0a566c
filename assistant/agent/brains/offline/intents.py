"""Which tool a message asks for: nearest neighbours over example utterances, nudged by keyword cues.

Examples live as data in prompts/intents/*.yaml (every file in the folder is loaded):

    - intent: find_deals
      examples: ["show my open deals", ...]
      cues: ["\\bdeals?\\b"]        # optional regexes; each hit adds CUE_BONUS
      requires: "\\bdeals?\\b"     # optional regex the message must match for this intent

Example vectors come from the bundled MiniLM embedder and are cached on disk, keyed by a hash of
the examples, so a restart does not re-embed them.
"""

import hashlib
import json
import re
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import numpy as np
import yaml

from ingest.embeddings import LocalEmbedder
from prompts import prompt_path

INTENTS_DIR = prompt_path("intents")
CUE_BONUS = 0.06
NEIGHBOURS = 3


class Embedder(Protocol):
    def embed_array(self, texts: list[str]) -> np.ndarray: ...


@dataclass
class IntentSpec:
    name: str
    examples: list[str]
    cues: list[re.Pattern[str]] = field(default_factory=list)
    requires: re.Pattern[str] | None = None
    """when set, the intent is only chosen for messages this regex matches"""


@dataclass
class Scored:
    intent: str
    score: float


def load_intents(directory: Path = INTENTS_DIR) -> list[IntentSpec]:
    """Every intent in every YAML file of the folder; the same intent in two files is merged."""
    merged: dict[str, IntentSpec] = {}
    for path in sorted(directory.glob("*.y*ml")):
        entries = yaml.safe_load(path.read_text(encoding="utf-8")) or []
        if not isinstance(entries, list):
            raise ValueError(f"{path}: expected a list of '- intent: ... examples: [...]' entries")
        for entry in entries:
            if not isinstance(entry, dict) or "intent" not in entry:
                raise ValueError(f"{path}: every entry needs an 'intent' key, got {entry!r}")
            spec = merged.setdefault(entry["intent"], IntentSpec(entry["intent"], []))
            spec.examples.extend(str(e) for e in entry.get("examples") or [])
            spec.cues.extend(re.compile(c, re.IGNORECASE) for c in entry.get("cues") or [])
            if entry.get("requires"):
                spec.requires = re.compile(entry["requires"], re.IGNORECASE)
    return list(merged.values())


_CACHE_LOCK = threading.Lock()
_MEMORY: dict[str, np.ndarray] = {}


def _example_vectors(embedder: Embedder, texts: list[str], cache_dir: Path | None) -> np.ndarray:
    digest = hashlib.sha256(json.dumps(texts).encode()).hexdigest()[:16]
    with _CACHE_LOCK:
        if digest in _MEMORY:
            return _MEMORY[digest]
        path = cache_dir / f"intents-{digest}.npy" if cache_dir else None
        if path is not None and path.exists():
            vectors = np.load(path)
        else:
            vectors = embedder.embed_array(texts)
            if path is not None:
                path.parent.mkdir(parents=True, exist_ok=True)
                np.save(path, vectors)
        _MEMORY[digest] = vectors
        return vectors


class IntentClassifier:
    def __init__(self, specs: list[IntentSpec], embedder: Embedder, cache_dir: Path | None = None) -> None:
        self.specs = {spec.name: spec for spec in specs}
        self.embedder = embedder
        self.labels: list[str] = []
        texts: list[str] = []
        for spec in specs:
            for example in spec.examples:
                self.labels.append(spec.name)
                texts.append(example)
        self.vectors = _example_vectors(embedder, texts, cache_dir)
        self.label_array = np.array(self.labels)

    def rank(self, message: str) -> list[Scored]:
        """Intents by score, best first: the mean of the top neighbours' cosine plus cue bonuses."""
        vector = self.embedder.embed_array([message])[0]
        sims = self.vectors @ vector
        ranked: list[Scored] = []
        for name, spec in self.specs.items():
            own = np.sort(sims[self.label_array == name])[::-1][:NEIGHBOURS]
            if own.size == 0 or (spec.requires is not None and not spec.requires.search(message)):
                continue
            score = float(0.6 * own[0] + 0.4 * own.mean())
            score += CUE_BONUS * sum(1 for cue in spec.cues if cue.search(message))
            ranked.append(Scored(name, score))
        ranked.sort(key=lambda s: s.score, reverse=True)
        return ranked


def default_embedder() -> Embedder:
    return LocalEmbedder()
