"""Fixtures for the ingest tests: real speech (espeak-ng, LibriVox clips), the real models, WER.

The LibriVox clips ship in the pocketsphinx 5.1.1 source distribution; it is fetched once with
pip into ``$DEALWISE_TEST_CACHE`` (default ``~/.cache/dealwise-test``).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tarfile
import wave
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import av
import numpy as np
import pytest

from ingest.embeddings import LocalEmbedder
from ingest.transcribe import Transcriber

POCKETSPHINX = "pocketsphinx-5.1.1"
LIBRIVOX = f"{POCKETSPHINX}/test/data/librivox"

_UNITS = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
_NUMBER_WORDS: dict[str, int] = {w: i for i, w in enumerate(_UNITS)}
_NUMBER_WORDS.update(
    {w: 10 * i for i, w in enumerate(["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"], 2)}
)
_SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000}
_ABBREVIATIONS = {"mr": "mister", "mrs": "missus", "dr": "doctor", "st": "saint"}


def _numbers_to_digits(words: list[str]) -> list[str]:
    out: list[str] = []
    total = current = 0
    in_number = False
    for word in [*words, ""]:
        if word in _NUMBER_WORDS:
            current += _NUMBER_WORDS[word]
            in_number = True
        elif word in _SCALES and in_number:
            if word == "hundred":
                current *= 100
            else:
                total += current * _SCALES[word]
                current = 0
        elif word == "and" and in_number:
            continue
        else:
            if in_number:
                out.append(str(total + current))
                total = current = 0
                in_number = False
            if word:
                out.append(word)
    return out


def normalise(text: str) -> list[str]:
    """Lower case, no punctuation, ``%`` as a word, digits for number words, titles spelt out."""
    text = text.lower().replace("%", " percent ")
    text = re.sub(r"(?<=\d),(?=\d{3})", "", text)
    text = re.sub(r"[^a-z0-9' ]+", " ", text).replace("'", "")
    return _numbers_to_digits([_ABBREVIATIONS.get(w, w) for w in text.split()])


def word_error_rate(reference: str, hypothesis: str) -> float:
    """Word-level Levenshtein distance over the reference length, after :func:`normalise`."""
    ref, hyp = normalise(reference), normalise(hypothesis)
    if not ref:
        return 0.0 if not hyp else 1.0
    previous = list(range(len(hyp) + 1))
    for i, r in enumerate(ref, 1):
        current = [i]
        for j, h in enumerate(hyp, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (r != h)))
        previous = current
    return previous[-1] / len(ref)


@dataclass(frozen=True)
class Clip:
    path: Path
    text: str


def write_wav(path: Path, samples: np.ndarray, rate: int = 16_000) -> Path:
    pcm = (np.clip(samples, -1.0, 1.0) * 32767).astype("<i2")
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(pcm.tobytes())
    return path


_ENCODINGS = {"mp3": ("mp3", "mp3"), "ogg": ("ogg", "libopus"), "webm": ("webm", "libopus"), "m4a": ("mp4", "aac")}


def convert_audio(source: Path, target: Path) -> Path:
    """Re-encode ``source`` with PyAV into the container named by ``target``'s suffix."""
    container_format, codec = _ENCODINGS[target.suffix.lstrip(".")]
    rate = 48_000 if codec == "libopus" else 16_000
    with av.open(str(source)) as src, av.open(str(target), "w", format=container_format) as dst:
        stream = dst.add_stream(codec, rate=rate, layout="mono")
        resampler = av.AudioResampler(format=stream.codec_context.format.name, layout="mono", rate=rate)
        for frame in src.decode(audio=0):
            frame.pts = None
            for resampled in resampler.resample(frame):
                for packet in stream.encode(resampled):
                    dst.mux(packet)
        for resampled in resampler.resample(None):
            for packet in stream.encode(resampled):
                dst.mux(packet)
        for packet in stream.encode(None):
            dst.mux(packet)
    return target


def cache_dir() -> Path:
    path = Path(os.environ.get("DEALWISE_TEST_CACHE", Path.home() / ".cache" / "dealwise-test"))
    path.mkdir(parents=True, exist_ok=True)
    return path


def fetch_librivox(cache: Path) -> Path | str:
    """The extracted LibriVox directory, or why it could not be had."""
    target = cache / LIBRIVOX
    if (target / "transcription").is_file():
        return target
    archive = cache / f"{POCKETSPHINX}.tar.gz"
    if not archive.is_file():
        command = [
            sys.executable,
            "-m",
            "pip",
            "download",
            "--no-deps",
            "--no-binary",
            ":all:",
            "pocketsphinx==5.1.1",
            "-d",
            str(cache),
        ]
        try:
            result = subprocess.run(command, capture_output=True, text=True, timeout=900)
        except subprocess.TimeoutExpired:
            return "pip download of pocketsphinx==5.1.1 timed out"
        if result.returncode != 0 or not archive.is_file():
            return f"pip download of pocketsphinx==5.1.1 failed: {result.stderr.strip()[-300:]}"
    with tarfile.open(archive) as tar:
        members = [m for m in tar.getmembers() if m.name.startswith(LIBRIVOX + "/")]
        tar.extractall(cache, members=members, filter="data")
    return target


def read_librivox(directory: Path) -> list[Clip]:
    clips = []
    for line in (directory / "transcription").read_text().splitlines():
        match = re.match(r"<s>(.*)</s>\s*\((\S+)\)", line.strip())
        if match:
            clips.append(Clip(directory / f"{match.group(2)}.wav", match.group(1).strip()))
    return clips


@pytest.fixture(scope="session")
def librivox_clips() -> list[Clip]:
    found = fetch_librivox(cache_dir())
    if isinstance(found, str):
        pytest.skip(f"LibriVox clips unavailable ({found}); needs the package index reachable once")
    clips = read_librivox(found)
    assert clips, f"no clips listed in {found / 'transcription'}"
    return clips


@pytest.fixture(scope="session")
def espeak(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], Path]:
    """Synthesise speech with espeak-ng into a new wav file."""
    binary = shutil.which("espeak-ng")
    if binary is None:
        pytest.skip("espeak-ng is not installed (apt-get install espeak-ng) so no synthetic speech")
    directory = tmp_path_factory.mktemp("espeak")
    counter = iter(range(1_000_000))

    def speak(text: str) -> Path:
        path = directory / f"speech-{next(counter)}.wav"
        subprocess.run([binary, "-w", str(path), text], check=True, capture_output=True, timeout=60)
        return path

    return speak


@pytest.fixture(scope="session")
def transcriber() -> Transcriber:
    return Transcriber()


@pytest.fixture(scope="session")
def embedder() -> LocalEmbedder:
    return LocalEmbedder()
