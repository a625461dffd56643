#!/usr/bin/env python3
"""Run faster-whisper (CTranslate2) over a hush bench manifest, as the peer
that `hush bench asr` is compared against.

It transcribes every clip with the same CTranslate2 tiny.en files hush
imports (int8 compute, beam 1, greedy temperature 0, language en,
cpu_threads=2 by default), times each clip (decode + transcribe, the same
span hush times), and writes a report with the hypotheses. hush then scores
it with its own normaliser so both engines are judged by the same WER code:

    python benches/compare/faster_whisper.py --manifest M --out fw.json --hush target/release/hush

Setup (own venv, not part of the engine): pip install faster-whisper
"""
import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

from peer import read_rows


def main():
    cache = Path(os.environ.get("HUSH_CACHE", Path.home() / ".cache" / "hush"))
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--manifest", required=True)
    ap.add_argument("--model-dir", default=str(cache / "sources" / "tiny.en"), help="CTranslate2 model folder")
    ap.add_argument("--compute-type", default="int8")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--beam", type=int, default=1)
    ap.add_argument("--limit", type=int)
    ap.add_argument("--clean-only", action="store_true")
    ap.add_argument("--out", required=True, help="report JSON to write")
    ap.add_argument("--hush", help="hush binary: score and print the table with it")
    args = ap.parse_args()

    # This file shares the package's name: import the package, not itself.
    here = Path(__file__).resolve().parent
    sys.path = [p for p in sys.path if Path(p or ".").resolve() != here]
    from faster_whisper import WhisperModel

    manifest = Path(args.manifest)
    rows = read_rows(manifest, args.clean_only, args.limit)

    t = time.perf_counter()
    model = WhisperModel(args.model_dir, device="cpu", compute_type=args.compute_type, cpu_threads=args.threads)
    load_ms = (time.perf_counter() - t) * 1e3

    items = []
    for i, r in enumerate(rows):
        path = manifest.parent / r["audio"]
        t = time.perf_counter()
        segments, info = model.transcribe(
            str(path), beam_size=args.beam, language="en", temperature=0.0, condition_on_previous_text=False
        )
        text = "".join(s.text for s in segments).strip()
        latency = (time.perf_counter() - t) * 1e3
        items.append(
            {
                "audio": r["audio"],
                "snr_db": r.get("snr_db"),
                "reference": r["text"],
                "hypothesis": text,
                "audio_seconds": info.duration,
                "latency_ms": latency,
            }
        )
        print(f"\r{i + 1}/{len(rows)}", end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)

    model_bin = Path(args.model_dir) / "model.bin"
    report = {
        "engine": "faster-whisper",
        "model": Path(args.model_dir).name,
        "settings": f"{args.compute_type}, beam {args.beam}",
        "threads": args.threads,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "model_file_mb": model_bin.stat().st_size / 1e6 if model_bin.exists() else 0.0,
        "load_ms": load_ms,
        "items": items,
    }
    Path(args.out).write_text(json.dumps(report, indent=1))
    if args.hush:
        subprocess.run([args.hush, "bench", "asr", "--manifest", str(manifest), "--external", args.out, "--skip-hush"], check=True)


if __name__ == "__main__":
    main()
