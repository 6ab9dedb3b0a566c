"""Audio decoding and validation: every accepted container decodes; bad input says why."""

from __future__ import annotations

from pathlib import Path

import av
import numpy as np
import pytest

from ingest.audio import SAMPLE_RATE, AudioError, load_audio
from tests.support.ingest import convert_audio, write_wav


@pytest.fixture(scope="module")
def speech_wav(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Three seconds of a voice-like signal (harmonics of a gliding pitch, syllable-rate envelope)."""
    t = np.arange(SAMPLE_RATE * 3) / SAMPLE_RATE
    phase = 2 * np.pi * np.cumsum(120 + 30 * np.sin(2 * np.pi * 0.5 * t)) / SAMPLE_RATE
    voice = sum(np.sin(k * phase) / k for k in range(1, 8))
    envelope = 0.5 * (1 + np.sin(2 * np.pi * 4 * t))
    return write_wav(tmp_path_factory.mktemp("audio") / "voice.wav", 0.3 * voice * envelope)


def test_wav_decodes_to_16k_mono_float(speech_wav: Path) -> None:
    decoded = load_audio(speech_wav)
    with av.open(str(speech_wav)) as container:
        expected = float(container.duration) / 1_000_000
    assert decoded.samples.dtype == np.float32
    assert decoded.samples.ndim == 1
    assert decoded.sample_rate == SAMPLE_RATE
    assert decoded.format == "wav"
    assert decoded.duration_s == pytest.approx(expected, abs=0.05)
    assert 0.05 < float(np.abs(decoded.samples).max()) <= 1.0


def test_bytes_and_path_decode_the_same(speech_wav: Path) -> None:
    from_path = load_audio(speech_wav)
    from_bytes = load_audio(speech_wav.read_bytes())
    np.testing.assert_array_equal(from_path.samples, from_bytes.samples)


@pytest.mark.parametrize("suffix", ["mp3", "ogg", "webm", "m4a"])
def test_compressed_formats_decode(speech_wav: Path, tmp_path: Path, suffix: str) -> None:
    encoded = convert_audio(speech_wav, tmp_path / f"speech.{suffix}")
    reference = load_audio(speech_wav)
    decoded = load_audio(encoded.read_bytes())
    assert decoded.format == suffix
    assert decoded.duration_s == pytest.approx(reference.duration_s, abs=0.15)
    assert float(np.abs(decoded.samples).max()) > 0.05


def test_empty_file(tmp_path: Path) -> None:
    empty = tmp_path / "empty.wav"
    empty.write_bytes(b"")
    with pytest.raises(AudioError, match="empty"):
        load_audio(empty)
    with pytest.raises(AudioError, match="empty"):
        load_audio(b"")


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(AudioError, match="not found"):
        load_audio(tmp_path / "nope.wav")


def test_over_size_limit(speech_wav: Path) -> None:
    size = speech_wav.stat().st_size
    with pytest.raises(AudioError, match=r"over the .* limit") as caught:
        load_audio(speech_wav, max_bytes=size - 1)
    assert "MB" in str(caught.value)
    assert load_audio(speech_wav, max_bytes=size).duration_s > 1


def test_text_renamed_mp3(tmp_path: Path) -> None:
    fake = tmp_path / "call.mp3"
    fake.write_text("Call notes: customer wants a discount.\n" * 50)
    with pytest.raises(AudioError, match="not audio we can read"):
        load_audio(fake)


def test_random_bytes() -> None:
    noise = np.random.default_rng(1).integers(0, 256, 20_000, dtype=np.uint8).tobytes()
    with pytest.raises(AudioError, match="not audio we can read"):
        load_audio(noise)


def test_truncated_wav_has_no_audio(speech_wav: Path) -> None:
    with pytest.raises(AudioError, match="no decodable audio|not audio we can read"):
        load_audio(speech_wav.read_bytes()[:44])


def test_silence(tmp_path: Path) -> None:
    silent = write_wav(tmp_path / "silence.wav", np.zeros(SAMPLE_RATE * 3, dtype=np.float32))
    with pytest.raises(AudioError, match="no speech found.*silent"):
        load_audio(silent)


def test_too_short(tmp_path: Path) -> None:
    blip = 0.5 * np.sin(2 * np.pi * 440 * np.arange(SAMPLE_RATE // 5) / SAMPLE_RATE)
    with pytest.raises(AudioError, match="too short"):
        load_audio(write_wav(tmp_path / "blip.wav", blip))


def test_unsupported_container(speech_wav: Path, tmp_path: Path) -> None:
    target = tmp_path / "speech.aiff"
    with av.open(str(speech_wav)) as src, av.open(str(target), "w", format="aiff") as dst:
        stream = dst.add_stream("pcm_s16be", rate=16_000, layout="mono")
        for frame in src.decode(audio=0):
            frame.pts = None
            for packet in stream.encode(frame):
                dst.mux(packet)
        for packet in stream.encode(None):
            dst.mux(packet)
    with pytest.raises(AudioError, match="unsupported audio format 'aiff'"):
        load_audio(target)


def test_audio_error_is_a_value_error() -> None:
    assert issubclass(AudioError, ValueError)
