"""Audio helpers for the ingest and calls tests: word error rate, wav files, re-encoding with PyAV."""

from __future__ import annotations

import re
import wave
from dataclasses import dataclass
from pathlib import Path

import av
import numpy as np

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
