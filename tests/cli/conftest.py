"""Speech to transcribe: espeak-ng's voice, encoded as the README's `call.m4a` (AAC in MP4) with PyAV."""

import shutil
import subprocess
from pathlib import Path

import av
import pytest

SENTENCE = "Hi, this is Rita from Acme. We agreed to send the proposal for two hundred seats by Friday."


@pytest.fixture(scope="session")
def speech_m4a(tmp_path_factory: pytest.TempPathFactory) -> Path | None:
    """A short spoken call as call.m4a, or None when espeak-ng is not installed."""
    if shutil.which("espeak-ng") is None:
        return None
    directory = tmp_path_factory.mktemp("speech")
    wav, m4a = directory / "speech.wav", directory / "call.m4a"
    subprocess.run(["espeak-ng", "-w", str(wav), SENTENCE], check=True, capture_output=True)
    with av.open(str(wav)) as source, av.open(str(m4a), "w", format="mp4") as target:
        stream = target.add_stream("aac", rate=16000)
        for frame in source.decode(audio=0):
            frame.pts = None
            for packet in stream.encode(frame):
                target.mux(packet)
        for packet in stream.encode(None):
            target.mux(packet)
    return m4a
