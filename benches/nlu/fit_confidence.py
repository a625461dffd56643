#!/usr/bin/env python3
"""Fits the matcher's confidence model (crates/hush-nlu/src/matcher.rs,
W_* constants) by logistic regression.

    hush bench nlu --data ../shared/data/slurp/devel.jsonl --format slurp --json /tmp/slurp.json
    hush intents sample --json --per-template 3 --seed 99 | python3 benches/nlu/noisy_samples.py > /tmp/noisy.jsonl
    hush bench nlu --data /tmp/noisy.jsonl --json /tmp/noisy.json
    python3 benches/nlu/fit_confidence.py /tmp/slurp.json /tmp/noisy.json:0.3

A file may carry a weight (`FILE:W`) for its sentences in the loss.

A sentence is a positive when its best parse is its (mapped) gold intent;
everything else, out-of-domain sentences included, is a negative. Plain
Python (no numpy), full-batch gradient descent with a little L2.
"""
import json
import math
import sys


def features(ev):
    words = max(ev["words"], 1)
    unexplained = max(ev["words"] - ev["matched"] - ev["free"], 0) / words
    return [1.0, ev["edit_cost"], ev["skip_cost"], ev["free_cost"], math.log(1 + ev["matched"]), unexplained]


def main(paths):
    rows = []
    for arg in paths:
        path, _, weight = arg.partition(":")
        for i in json.load(open(path))["items"]:
            if i["evidence"] is not None:
                right = 1.0 if i["best"] is not None and i["best"] == i["gold"] else 0.0
                rows.append((features(i["evidence"]), right, float(weight or 1)))
    total = sum(r[2] for r in rows)
    w = [1.0, -2.5, -2.0, -1.5, 1.0, -2.0]
    lr, l2 = 0.5, 1e-3
    for step in range(4000):
        grad = [0.0] * len(w)
        loss = 0.0
        for x, y, c in rows:
            z = sum(a * b for a, b in zip(w, x))
            p = 1 / (1 + math.exp(-max(min(z, 30), -30)))
            loss -= c * (y * math.log(p + 1e-9) + (1 - y) * math.log(1 - p + 1e-9))
            for k in range(len(w)):
                grad[k] += c * (p - y) * x[k]
        for k in range(len(w)):
            w[k] -= lr * (grad[k] / total + (l2 * w[k] if k else 0.0))
        if step % 1000 == 0:
            print(f"step {step}: loss {loss / total:.4f}", file=sys.stderr)
    names = ["W_BIAS", "W_EDIT", "W_SKIP", "W_FREE", "W_MATCHED", "W_UNEXPLAINED"]
    for n, v in zip(names, w):
        print(f"const {n}: f32 = {v:.3f};")


if __name__ == "__main__":
    main(sys.argv[1:])
