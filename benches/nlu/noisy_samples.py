#!/usr/bin/env python3
"""Turns `hush intents sample --json` output into in-domain sentences with
the slips speakers and ASR make (a short word dropped, a word said twice, a
filler inserted; a third stay clean), as hush-format JSONL for
`hush bench nlu`. Used with SLURP devel to fit the confidence model, so
that it learns what a near-miss of an in-domain sentence looks like, not
only what out-of-domain sentences look like.

    hush intents sample --json --per-template 3 --seed 99 | python3 benches/nlu/noisy_samples.py > /tmp/noisy.jsonl
"""
import json
import random
import sys

rng = random.Random(5)
FILLERS = ["um", "uh", "like", "so", "erm"]
for line in sys.stdin:
    row = json.loads(line)
    words = row["text"].split()
    short = [k for k, w in enumerate(words) if len(w) <= 3]
    kind = rng.randrange(4)
    if kind == 0 and short and len(words) >= 3:
        del words[rng.choice(short)]
    elif kind == 1:
        k = rng.randrange(len(words))
        words.insert(k, words[k])
    elif kind == 2:
        words.insert(rng.randrange(len(words) + 1), rng.choice(FILLERS))
    print(json.dumps({"text": " ".join(words), "intent": row["intent"]}))
