"""Decode and validate uploaded audio (wav, mp3, m4a, ogg/opus, webm, flac) to 16 kHz mono float32.

Every rejection raises :class:`AudioError` whose message can be shown to the person who sent
the file as is.
"""

from __future__ import annotations

import os

os.environ.setdefault("ORT_DISABLE_TELEMETRY", "1")
os.environ.setdefault("HF_HUB_OFFLINE", "1")

import io
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import av
import numpy as np
from faster_whisper import decode_audio

SAMPLE_RATE = 16_000
DEFAULT_MAX_BYTES = 200 * 1024 * 1024
MIN_DURATION_S = 0.5
SILENCE_PEAK = 1e-3
ACCEPTED_FORMATS: dict[str, str] = {
    "wav": "wav",
    "mp3": "mp3",
    "mov,mp4,m4a,3gp,3g2,mj2": "m4a",
    "ogg": "ogg",
    "matroska,webm": "webm",
    "flac": "flac",
}
ACCEPTED_LABEL = "wav, mp3, m4a, ogg/opus, webm or flac"

AudioSource = str | Path | bytes | bytearray | memoryview


class AudioError(ValueError):
    """The audio cannot be used; the message is meant for the person who sent it."""


@dataclass(frozen=True)
class DecodedAudio:
    """Mono float32 samples in [-1, 1] at :data:`SAMPLE_RATE`."""

    samples: np.ndarray
    duration_s: float
    format: str
    sample_rate: int = SAMPLE_RATE


def _megabytes(n: int) -> str:
    return f"{n / (1024 * 1024):.1f} MB"


def _size(source: AudioSource) -> int:
    if isinstance(source, str | Path):
        try:
            return Path(source).stat().st_size
        except FileNotFoundError as exc:
            raise AudioError(f"audio file not found: {source}") from exc
    return len(source)


def _open(source: AudioSource) -> str | BinaryIO:
    if isinstance(source, str | Path):
        return str(source)
    return io.BytesIO(bytes(source))


def _probe(source: AudioSource) -> str:
    try:
        with av.open(_open(source), mode="r", metadata_errors="ignore") as container:
            fmt = container.format.name
            has_audio = bool(container.streams.audio)
    except (av.error.FFmpegError, OSError) as exc:
        raise AudioError(f"this file is not audio we can read (expected {ACCEPTED_LABEL})") from exc
    if fmt not in ACCEPTED_FORMATS:
        raise AudioError(f"unsupported audio format '{fmt}' (expected {ACCEPTED_LABEL})")
    if not has_audio:
        raise AudioError("the file has no audio track")
    return ACCEPTED_FORMATS[fmt]


def load_audio(path_or_bytes: AudioSource, max_bytes: int = DEFAULT_MAX_BYTES) -> DecodedAudio:
    """Check and decode ``path_or_bytes`` (a path or the file's bytes).

    Raises :class:`AudioError` for an empty, oversized, unreadable, silent or too short file.
    """
    size = _size(path_or_bytes)
    if size == 0:
        raise AudioError("the audio file is empty")
    if size > max_bytes:
        raise AudioError(f"the audio file is {_megabytes(size)}, over the {_megabytes(max_bytes)} limit")
    fmt = _probe(path_or_bytes)
    try:
        samples = np.asarray(decode_audio(_open(path_or_bytes), sampling_rate=SAMPLE_RATE), dtype=np.float32)
    except (av.error.FFmpegError, OSError) as exc:
        raise AudioError(f"the {fmt} file is damaged and could not be decoded") from exc
    if samples.size == 0:
        raise AudioError(f"the {fmt} file contains no decodable audio")
    duration_s = samples.size / SAMPLE_RATE
    if duration_s < MIN_DURATION_S:
        raise AudioError(f"the audio is too short ({duration_s:.2f} s); record at least {MIN_DURATION_S} s")
    if float(np.max(np.abs(samples))) < SILENCE_PEAK:
        raise AudioError("no speech found in the audio: the recording is silent")
    return DecodedAudio(samples=samples, duration_s=duration_s, format=fmt)
