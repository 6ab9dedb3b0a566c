"""Fixtures for the ingest tests: real speech (espeak-ng, LibriVox clips), the real models, WER.

The LibriVox clips ship in the pocketsphinx 5.1.1 source distribution; it is fetched once with
pip into ``$DEALWISE_TEST_CACHE`` (default ``~/.cache/dealwise-test``).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tarfile
from collections.abc import Callable
from pathlib import Path

import pytest

from ingest.embeddings import LocalEmbedder
from ingest.transcribe import Transcriber
from tests.support.ingest import Clip
from tests.support.speech import synthesise

POCKETSPHINX = "pocketsphinx-5.1.1"
LIBRIVOX = f"{POCKETSPHINX}/test/data/librivox"


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
    directory = tmp_path_factory.mktemp("espeak")
    counter = iter(range(1_000_000))

    def speak(text: str) -> Path:
        return synthesise(text, directory / f"speech-{next(counter)}.wav")

    return speak


@pytest.fixture(scope="session")
def transcriber() -> Transcriber:
    return Transcriber()


@pytest.fixture(scope="session")
def embedder() -> LocalEmbedder:
    return LocalEmbedder()
