#!/usr/bin/env python3
"""Run whisper.cpp (through the pywhispercpp wheel, which bundles it) over a
hush bench manifest, as the on-device peer `hush bench asr` is compared
against.

It runs the same tiny.en weights hush runs, written to ggml by hush itself
(`hush models export tiny.en --ggml F --type q8_0`: the q8_0 values of
hush's tiny.en-q8_0), greedy with no temperature fallback, language en, no
timestamps, 2 threads. Two windows: the full 30 s one whisper.cpp is made
for, and `audio_ctx` trimmed as hush trims (the clip plus 0.5 s, at least
3 s). Each clip is timed over whisper.cpp's transcription of the 16 kHz
samples; reading and resampling the WAV here is not timed (hush's times
include its own WAV read, ~1 ms). Transcripts go into a report that hush
scores with its own normaliser, so both engines meet the same WER code:

    python benches/compare/whisper_cpp.py --manifest M --ggml F --out wcpp.json [--trimmed]

Set OMP_WAIT_POLICY=PASSIVE (whisper.cpp uses OpenMP; spinning workers
steal the shared machine's cores from whatever runs next).

Setup (own venv, not part of the engine): pip install pywhispercpp==1.5.1
"""
import argparse
import json
import math
import os
import resource
import sys
import time
import wave
from pathlib import Path

import numpy as np
from peer import read_rows

SAMPLE_RATE = 16000
HOP = 160


def read_16k(path):
    """A 16-bit PCM WAV as mono float32 at 16 kHz (FFT resampling)."""
    with wave.open(str(path), "rb") as w:
        if w.getsampwidth() != 2:
            raise SystemExit(f"{path}: only 16-bit PCM is read here")
        channels, rate = w.getnchannels(), w.getframerate()
        x = np.frombuffer(w.readframes(w.getnframes()), dtype=np.int16).astype(np.float32) / 32768.0
    x = x.reshape(-1, channels).mean(axis=1)
    if rate != SAMPLE_RATE:
        n = int(round(len(x) * SAMPLE_RATE / rate))
        spectrum = np.fft.rfft(x)
        keep = n // 2 + 1
        spectrum = spectrum[:keep] if len(spectrum) >= keep else np.pad(spectrum, (0, keep - len(spectrum)))
        x = np.fft.irfft(spectrum, n) * (n / len(x))
    return np.ascontiguousarray(x, dtype=np.float32)


def trimmed_ctx(samples):
    """Encoder positions for hush's default trim: 0.5 s margin, 3 s floor."""
    frames = min(max(samples // HOP + 50, 300), 3000)
    frames += frames % 2
    return frames // 2


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--manifest", required=True)
    ap.add_argument("--ggml", required=True, help="the model as a whisper.cpp ggml file")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--trimmed", action="store_true", help="audio_ctx trimmed like hush's window")
    ap.add_argument("--tokens-per-second", type=float, default=0.0, help="cap text tokens per second of audio (0: none)")
    ap.add_argument("--limit", type=int)
    ap.add_argument("--clean-only", action="store_true")
    ap.add_argument("--out", required=True, help="report JSON to write")
    args = ap.parse_args()

    import pywhispercpp
    from pywhispercpp.model import Model

    # The wheel bundles libwhisper-<hash>.so.<version>: its version is whisper.cpp's.
    libs = Path(pywhispercpp.__file__).parent.parent / "pywhispercpp.libs"
    found = sorted(p.name.split(".so.")[-1] for p in libs.glob("libwhisper*.so.*"))
    version = found[0] if found else "unknown"

    manifest = Path(args.manifest)
    rows = read_rows(manifest, args.clean_only, args.limit)

    t = time.perf_counter()
    model = Model(args.ggml, n_threads=args.threads, redirect_whispercpp_logs_to=None, print_progress=False)
    load_ms = (time.perf_counter() - t) * 1e3

    items = []
    for i, r in enumerate(rows):
        audio = read_16k(manifest.parent / r["audio"])
        params = dict(language="en", no_timestamps=True, temperature=0.0, temperature_inc=0.0, single_segment=False)
        if args.trimmed:
            params["audio_ctx"] = trimmed_ctx(len(audio))
        if args.tokens_per_second > 0:
            params["max_tokens"] = max(1, math.ceil(len(audio) / SAMPLE_RATE * args.tokens_per_second))
        t = time.perf_counter()
        segments = model.transcribe(audio, **params)
        latency = (time.perf_counter() - t) * 1e3
        items.append(
            {
                "audio": r["audio"],
                "snr_db": r.get("snr_db"),
                "reference": r["text"],
                "hypothesis": "".join(s.text for s in segments).strip(),
                "audio_seconds": len(audio) / SAMPLE_RATE,
                "latency_ms": latency,
            }
        )
        print(f"\r{i + 1}/{len(rows)}", end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)

    window = "audio_ctx trimmed" if args.trimmed else "full window"
    cap = f", {args.tokens_per_second:g} tokens/s cap" if args.tokens_per_second > 0 else ""
    report = {
        "engine": f"whisper.cpp {version}",
        "model": Path(args.ggml).stem.removeprefix("ggml-"),
        "settings": f"greedy, {window}{cap}",
        "threads": args.threads,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "model_file_mb": Path(args.ggml).stat().st_size / 1e6,
        "load_ms": load_ms,
        "items": items,
    }
    Path(args.out).write_text(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
