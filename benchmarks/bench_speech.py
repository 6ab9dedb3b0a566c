"""Speech benchmark: model load time, real-time factor, WER and peak RSS on a 45-60 s clip.

The clip is the LibriVox recordings from the pocketsphinx 5.1.1 sdist (fetched by the ingest
tests into ``~/.cache/dealwise-test``) followed by espeak-ng sales notes, or ``--audio FILE``.

    python benchmarks/bench_speech.py [--threads 1] [--beam-size 5] [--repeat 3]
"""

from __future__ import annotations

import argparse
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from ingest.audio import SAMPLE_RATE, DecodedAudio, load_audio  # noqa: E402
from ingest.transcribe import Transcriber, load_model  # noqa: E402
from tests.ingest.conftest import cache_dir, fetch_librivox, read_librivox, word_error_rate  # noqa: E402

SALES_NOTES = [
    "Hi Dana, thanks for your time today. We discussed the renewal for three hundred seats starting in March.",
    "The customer asked for a fifteen percent discount if they sign a three year agreement before the end "
    "of the quarter.",
    "Next steps: send the security questionnaire to their IT team and schedule a demo with the procurement "
    "manager on Tuesday.",
    "Their main concern is the integration with Salesforce and the onboarding timeline for the support team.",
    "Budget is approved for this fiscal year, but the contract has to go through legal review first.",
    "The champion is moving to a new role, so we need to find another executive sponsor quickly.",
]


def build_clip(min_seconds: float) -> tuple[DecodedAudio, str]:
    gap = np.zeros(SAMPLE_RATE // 2, dtype=np.float32)
    pieces: list[np.ndarray] = []
    words: list[str] = []
    found = fetch_librivox(cache_dir())
    if isinstance(found, Path):
        for clip in read_librivox(found):
            pieces += [load_audio(clip.path).samples, gap]
            words.append(clip.text)
    espeak = shutil.which("espeak-ng")
    with tempfile.TemporaryDirectory() as tmp:
        for i, text in enumerate(SALES_NOTES * 4):
            if espeak is None or sum(p.size for p in pieces) / SAMPLE_RATE >= min_seconds:
                break
            path = Path(tmp) / f"note-{i}.wav"
            subprocess.run([espeak, "-w", str(path), text], check=True, capture_output=True)
            pieces += [load_audio(path).samples, gap]
            words.append(text)
    if not pieces:
        raise SystemExit("no speech source: install espeak-ng or run the ingest tests once, or pass --audio")
    samples = np.concatenate(pieces)
    return DecodedAudio(samples=samples, duration_s=samples.size / SAMPLE_RATE, format="wav"), " ".join(words)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--audio", type=Path, help="transcribe this file instead of the built clip")
    parser.add_argument("--model", help="CTranslate2 model directory (default: bundled tiny.en)")
    parser.add_argument("--threads", type=int, default=1, help="cpu_threads (0 = CTranslate2 default)")
    parser.add_argument("--beam-size", type=int, default=5)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=45.0, help="minimum length of the built clip")
    args = parser.parse_args()

    started = time.perf_counter()
    load_model(args.model, cpu_threads=args.threads)
    load_s = time.perf_counter() - started

    if args.audio:
        audio, reference = load_audio(args.audio), ""
    else:
        audio, reference = build_clip(args.seconds)

    transcriber = Transcriber(args.model, cpu_threads=args.threads, beam_size=args.beam_size)
    timings = []
    text = ""
    for _ in range(args.repeat):
        started = time.perf_counter()
        text = transcriber.transcribe(audio).text
        timings.append(time.perf_counter() - started)
    best, median = min(timings), float(np.median(timings))
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    print(f"model              {transcriber.model_ref}")
    print(f"cpu_threads        {args.threads}   beam_size {args.beam_size}")
    print(f"model load         {load_s:.2f} s")
    print(f"clip               {audio.duration_s:.1f} s")
    print(f"transcribe         median {median:.2f} s, best {best:.2f} s over {args.repeat} runs")
    print(f"real-time factor   median {median / audio.duration_s:.3f}, best {best / audio.duration_s:.3f}")
    if reference:
        print(f"WER                {word_error_rate(reference, text):.3f}")
    print(f"peak RSS           {peak_mb:.0f} MB")


if __name__ == "__main__":
    main()
