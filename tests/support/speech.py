"""Synthetic speech for the tests that put real audio through the real speech model."""

import shutil
import subprocess
from pathlib import Path

import pytest

ESPEAK_DEFAULT_SPEED = 175
"""words per minute espeak-ng speaks at when no speed is given"""


def synthesise(text: str, path: Path, speed: int = ESPEAK_DEFAULT_SPEED) -> Path:
    """Speak ``text`` into the wav file ``path`` with espeak-ng; skip the test when espeak-ng is not installed."""
    binary = shutil.which("espeak-ng")
    if binary is None:
        pytest.skip("espeak-ng is not installed (apt-get install espeak-ng), so no speech can be synthesised")
    subprocess.run([binary, "-s", str(speed), "-w", str(path), text], check=True, capture_output=True, timeout=60)
    return path
